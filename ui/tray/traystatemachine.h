#pragma once

#include <functional>

#include <QCoreApplication>
#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include "ui/connection/controlclientinterface.h"
#include "ui/models/networkstatus.h"

namespace Nimbus
{

/// The states the tray icon shows, each with its own icon.
enum class TrayState {
    Disconnected,
    Connecting,
    Connected,
    Degraded,
    Failover,
    Error,
    HelperUnavailable,
};

/// Everything the tray presentation depends on.
/// Names a node of a network for the user (NodeNames::text: the helper's name, else the user's label, else the short
/// node id).
using TrayNodeNamer = std::function<QString(const QString &network, const Protocol::NodeRef &node)>;

struct TrayInput {
    ControlClient::State link = ControlClient::State::Idle;
    QString socketPath;
    QString linkDetail;
    bool canControl = false;
    /// The user's profiles, in menu order.
    QStringList profiles;
    QList<NetworkStatus> networks;
    /// The claimed ranges of each network (ConnectionController::claims()).
    QHash<QString, QList<Protocol::Claim>> claims;
    /// Networks with a connect or disconnect under way.
    QSet<QString> pending;
    /// The last failed command; shows the error state until the next success.
    QString lastError;
    /// How nodes are named; empty: the helper's name, else the short node id.
    TrayNodeNamer nodeName;
};

/// One address in a connected profile's submenu: a range more than one node claims, or one this client uses.
struct TrayAddressEntry {
    QString range;
    /// "10.0.0.1/32 via server-a (standby: server-b)": also the accessible name.
    QString text;
    /// Node ids and addresses of the serving node.
    QString toolTip;

    bool operator==(const TrayAddressEntry &other) const = default;
};

/// One profile line of the tray menu.
struct TrayMenuEntry {
    enum class Action {
        Connect,
        Disconnect,
    };

    QString network;
    QString text;
    Action action = Action::Connect;
    bool enabled = false;
    /// The network's state in words, shown as the entry's tooltip/status.
    QString stateText;
    /// Active networks only: the title of the submenu listing `addresses` ("Addresses of “office”").
    QString addressesTitle;
    QList<TrayAddressEntry> addresses;

    bool operator==(const TrayMenuEntry &other) const = default;
};

/// What the tray shows.
struct TrayPresentation {
    TrayState state = TrayState::HelperUnavailable;
    QString title;
    QString toolTip;
    QList<TrayMenuEntry> entries;
};

/// Pure presentation logic of the tray: state, tooltip and menu from the helper's state. No widgets, so every
/// state is unit tested; TrayIcon only renders the result.
class TrayStateMachine
{
    Q_DECLARE_TR_FUNCTIONS(Nimbus::TrayStateMachine)

public:
    /// The overall state: helper unavailable > error > failover > degraded > connecting > connected > disconnected.
    static TrayState stateFor(const TrayInput &input);
    static TrayPresentation present(const TrayInput &input);
    static QString stateName(TrayState state);
    /// The shared and used addresses of one network, sorted by address.
    static QList<TrayAddressEntry> addresses(
        const QList<Protocol::Claim> &claims, const QString &network = QString(), const TrayNodeNamer &namer = {});
    /// The tooltip's line about a network's last route change: failovers and losses only (empty for the first route
    /// of a connect, a switchback or a move).
    static QString failoverLine(const Protocol::FailoverEvent &change, const TrayNodeNamer &namer = {});
    /// The name the user knows a node by: \a namer's, else (Format::nodeName) its name from the helper, else its
    /// short node id.
    static QString nodeName(
        const Protocol::NodeRef &node, const QString &network = QString(), const TrayNodeNamer &namer = {});
};

} // namespace Nimbus
