#include "ui/tray/notificationpresenter.h"

#include "core/protocol/events.h"
#include "ui/common/format.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

NotificationPresenter::NotificationPresenter(QObject *parent) : QObject(parent)
{
}

NotificationPresenter::~NotificationPresenter() = default;

void NotificationPresenter::setEnabled(bool enabled)
{
    m_enabled = enabled;
}

bool NotificationPresenter::isEnabled() const
{
    return m_enabled;
}

void NotificationPresenter::handleEvent(const QString &name, qint64 timeMs, const QJsonObject &data)
{
    using namespace Protocol;
    Q_UNUSED(timeMs)
    std::optional<Notification> n;
    const std::optional<EventType> type = eventTypeFromName(name);
    if (type == EventType::NetworkState) {
        const Result<NetworkStateEvent> e = NetworkStateEvent::fromJson(data);
        if (!e)
            return;
        const QString &network = e->network;
        const QString &state = e->state;
        const QString previous = m_states.value(network, u"disconnected"_s);
        m_states.insert(network, state);
        const bool wasUp = previous == u"connected" || previous == u"degraded" || previous == u"failover";
        if (state == u"connected" && !wasUp) {
            n = Notification {tr("Connected to %1").arg(network),
                tr("The network %1 is up.").arg(network),
                Notification::Kind::Information};
        } else if (state == u"disconnected" && previous != u"disconnected") {
            n = Notification {tr("Disconnected from %1").arg(network),
                tr("The network %1 is down.").arg(network),
                Notification::Kind::Information};
        } else if (state == u"error") {
            n = Notification {tr("%1 failed").arg(network),
                e->error.isEmpty() ? tr("The network %1 stopped with an error.").arg(network) : e->error,
                Notification::Kind::Critical};
        }
    } else if (type == EventType::PeerDisconnected) {
        const Result<PeerDisconnectedEvent> e = PeerDisconnectedEvent::fromJson(data);
        // A peer closing because we shut down is not news.
        if (e && e->reason != u"shutdown") {
            n = Notification {tr("Peer lost on %1").arg(e->network),
                tr("%1 disconnected: %2").arg(Format::node(e->nodeId, e->address), Format::reason(e->reason)),
                Notification::Kind::Warning};
        }
    } else if (type == EventType::RouteFailover) {
        const Result<FailoverEvent> f = FailoverEvent::fromJson(data);
        // A first route (no previous node) or a preferred node becoming ready is no failover.
        if (!f || !f->from || f->reason == u"preferred" || f->reason == u"new-claimant")
            return;
        const QString &range = f->range;
        const QString duration = Format::duration(f->unreachableMs);
        const QString reason = Format::reason(f->reason);
        n = !f->to ? Notification {tr("%1 unreachable on %2").arg(range, f->network),
                tr("No node serves %1 any more (%2).").arg(range, reason),
                Notification::Kind::Critical}
                   : Notification {tr("Failover on %1").arg(f->network),
                       tr("%1 is now served by %2 after %3 (%4).").arg(range, Format::node(f->to), duration, reason),
                       Notification::Kind::Warning};
    }
    if (n && m_enabled)
        Q_EMIT notify(*n);
}

} // namespace Nimbus
