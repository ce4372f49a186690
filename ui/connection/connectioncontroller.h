#pragma once

#include <optional>

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>

#include "core/protocol/events.h"
#include "ui/connection/controlclientinterface.h"
#include "ui/models/networkstatus.h"
#include "ui/profiles/clientprofile.h"

class QTimer;

namespace Nimbus
{

class ClaimModel;
class EventModel;
class PeerModel;
class ProfileStore;
class SecretStore;
class TrafficHistory;
class UserPrompter;

/// The GUI's live view of the helper and the commands on it. Subscribes to the helper's events when the link
/// is ready, keeps the network states, and feeds the peer, claim and event models and the traffic history
/// incrementally. Talks to the helper only through ControlClientInterface, so tests drive it with a fake.
class ConnectionController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionController)

public:
    ConnectionController(ControlClientInterface &client,
        ProfileStore &profiles,
        SecretStore &secrets,
        UserPrompter &prompter,
        QObject *parent = nullptr);
    ~ConnectionController() override;

    ControlClientInterface &client() const;
    PeerModel *peerModel() const;
    ClaimModel *claimModel() const;
    EventModel *eventModel() const;
    TrafficHistory *trafficHistory() const;

    ControlClient::State link() const;
    /// True once the events.subscribe snapshot arrived (the models are live).
    bool isLive() const;
    /// Whether the caller's role may connect and disconnect networks.
    bool canControlNetworks() const;
    QList<NetworkStatus> networks() const;
    /// The claimed ranges of `network` as the helper last reported them (snapshot, claims.changed).
    QList<Protocol::Claim> claims(const QString &network) const;
    std::optional<NetworkStatus> network(const QString &name) const;
    /// A connect or disconnect of `name` is on its way.
    bool isPending(const QString &name) const;
    QSet<QString> pending() const;
    /// The last failed command, translated; cleared by the next successful one.
    QString lastError() const;

    /// Interval of the peers.list poll that refreshes per-peer traffic; 0 turns it off.
    void setPeerRefreshInterval(int ms);

public Q_SLOTS:
    /// The user connects `name`: reads the profile's secret (asking the user if there is none) and sends
    /// networks.connect. Ends a pause of "connect automatically" (ClientProfile::autoConnectPaused).
    void connectProfile(const QString &name);
    /// The user disconnects `name`; a profile marked "connect automatically" is then paused until the user
    /// connects it again.
    void disconnectNetwork(const QString &name);
    /// Connects if the network is down, disconnects otherwise.
    void toggle(const QString &name);
    /// Subscribes again (after a gap in the event sequence or a resync).
    void resubscribe();

Q_SIGNALS:
    void linkChanged(Nimbus::ControlClient::State link);
    void networksChanged();
    /// The claims of a network changed (claims(network) has the new list).
    void claimsChanged();
    void pendingChanged();
    void lastErrorChanged();
    /// A helper event, after the models were updated (for notifications).
    void helperEvent(const QString &name, qint64 timeMs, const QJsonObject &data);
    /// A command failed; `text` is translated.
    void commandFailed(const QString &title, const QString &text);

private:
    void onLinkChanged(ControlClient::State link);
    void onEvent(const QString &name, qint64 seq, qint64 timeMs, const QJsonObject &data);
    void applySnapshot(const Protocol::Snapshot &snapshot, qint64 seq);
    void applyStatus(const Protocol::HelperStatus &status);
    void refreshStatusSoon();
    void refreshPeers();
    enum class Prompt {
        Allowed,
        Never,
    };
    void startConnect(const QString &name, Prompt prompt);
    /// Connects every profile marked "connect automatically" (and not paused) that the helper does not run.
    void connectAutomatically();
    void sendConnect(const ClientProfile &profile, const ProfileSecret &secret);
    void setPending(const QString &name, bool pending);
    void setLastError(const QString &text);
    void fail(const QString &title, const QString &text);
    NetworkStatus &networkEntry(const QString &name);

    ControlClientInterface &m_client;
    ProfileStore &m_profiles;
    SecretStore &m_secrets;
    UserPrompter &m_prompter;
    PeerModel *m_peerModel;
    ClaimModel *m_claimModel;
    EventModel *m_eventModel;
    TrafficHistory *m_traffic;
    QTimer *m_statusTimer;
    QTimer *m_peerTimer;

    QList<NetworkStatus> m_networks;
    QHash<QString, QList<Protocol::Claim>> m_claims;
    QSet<QString> m_pending;
    QString m_lastError;
    bool m_subscribing = false;
    bool m_live = false;
    bool m_wasReady = false;
    /// The link became ready: connect the marked profiles once the snapshot says what runs.
    bool m_autoConnectDue = false;
    qint64 m_expectedSeq = 0;
    quint64 m_subscription = 0;
};

} // namespace Nimbus
