#pragma once

#include <functional>
#include <optional>

#include <QList>
#include <QObject>
#include <QPointer>

namespace Nimbus
{

class ClaimModel;
class EventModel;
class NodeNames;
class PeerModel;

/// One node that claims an address: the one serving it, or a standby.
struct AvailabilityNode {
    enum class Health {
        Serving, ///< serves the address now (and is a live peer)
        Up, ///< a live peer
        Suspect, ///< a peer with unanswered traffic, being probed
        Down, ///< claims the address but is not a peer any more
        Local, ///< this computer
    };

    QString nodeId;
    QString address;
    QString name; ///< as every view shows it (NodeNames)
    QString toolTip; ///< node id and address
    QString range; ///< the claim that makes it a candidate ("10.0.0.0/31" may stand behind "10.0.0.1/32")
    int prefixLength = 0;
    qint64 since = 0; ///< when it announced the claim, Unix epoch ms (0 unknown)
    qint64 lastHeard = 0; ///< Unix epoch ms (0 unknown)
    Health health = Health::Up;
    bool serving = false;

    bool operator==(const AvailabilityNode &other) const = default;
};

/// An outage of an address: from the failed node's last sign of life (else the detection) to the next route.
struct AvailabilityOutage {
    qint64 start = 0; ///< Unix epoch ms
    qint64 end = 0; ///< Unix epoch ms; 0 = still no route
    QString kind; ///< "failover" or "lost"
    QString from; ///< the failed node's name
    QString to; ///< who took over ("" for a loss)

    bool operator==(const AvailabilityOutage &other) const = default;
};

/// One address worth watching: several nodes claim it, or this client uses it.
struct AvailabilityEntry {
    QString network;
    QString range;
    bool used = false; ///< this client sent traffic to it recently
    bool local = false; ///< this computer claims it
    /// The serving node first (if any), then the standbys in the order they would take over.
    QList<AvailabilityNode> nodes;
    QList<AvailabilityOutage> outages; ///< of the last hour, oldest first

    QString key() const;
    /// Whether `text` (case-insensitive) is in the network, the range or any node's name, id or address.
    bool matches(const QString &text) const;
    bool operator==(const AvailabilityEntry &other) const = default;
};

/// The availability of every shared or used address, live from the claim, peer and event models: who serves it,
/// who stands by in which order and why, how healthy each is, and its outages of the last hour.
class AvailabilityModel final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AvailabilityModel)

public:
    static constexpr qint64 kWindowMs = 3'600'000;

    AvailabilityModel(
        const ClaimModel &claims, const PeerModel &peers, const EventModel &events, QObject *parent = nullptr);
    ~AvailabilityModel() override;

    void setNodeNames(NodeNames *names);
    /// The clock (Unix epoch ms); tests set a fixed one.
    void setClock(std::function<qint64()> clock);
    qint64 now() const;

    const QList<AvailabilityEntry> &entries() const;
    std::optional<AvailabilityEntry> entry(const QString &network, const QString &range) const;

public Q_SLOTS:
    /// Works the entries out again; emits changed() if they differ.
    void refresh();

Q_SIGNALS:
    void changed();

private:
    const ClaimModel &m_claims;
    const PeerModel &m_peers;
    const EventModel &m_events;
    QPointer<NodeNames> m_names;
    std::function<qint64()> m_clock;
    QList<AvailabilityEntry> m_entries;
};

} // namespace Nimbus
