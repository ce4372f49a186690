#include "ui/tray/notificationpresenter.h"

#include "core/protocol/events.h"
#include "ui/common/format.h"
#include "ui/models/nodenames.h"

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

void NotificationPresenter::setNodeNames(const NodeNames *names)
{
    m_names = names;
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
        if (state == u"disconnected" || state == u"error")
            m_degraded.removeIf([&](const QString &key) { return key.startsWith(network + u'\x1f'); });
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
                tr("%1 disconnected: %2")
                    .arg(resolveNode(m_names, e->network, e->nodeId, e->address).text, Format::reason(e->reason)),
                Notification::Kind::Warning};
        }
    } else if (type == EventType::RouteFailover) {
        const Result<FailoverEvent> f = FailoverEvent::fromJson(data);
        if (!f)
            return;
        const QString kind = Format::routeChangeKind(*f);
        const QString key = f->network + u'\x1f' + f->range;
        const QString &range = f->range;
        const QString from = resolveNode(m_names, f->network, f->from).text;
        const QString to = resolveNode(m_names, f->network, f->to).text;
        const QString reason = Format::reason(f->reason);
        if (kind == u"failover") {
            m_degraded.insert(key);
            QString body = tr("%1 took over %2 from %3 (%4).").arg(to, range, from, reason);
            if (f->noPathMs >= 0)
                body += u' ' + tr("Traffic had no path for %1.").arg(Format::duration(f->noPathMs));
            n = Notification {tr("Failover on %1").arg(f->network), body, Notification::Kind::Warning};
        } else if (kind == u"lost") {
            m_degraded.insert(key);
            n = Notification {tr("%1 unreachable on %2").arg(range, f->network),
                tr("Nobody serves %1 any more: %2 is gone (%3).").arg(range, from, reason),
                Notification::Kind::Critical};
        } else if (m_degraded.remove(key)) {
            // After a failover or loss the user was told about, the address being served again is news; a connect
            // ("reachable") or a balancing move on its own is not.
            n = Notification {tr("%1 back on %2").arg(range, to),
                tr("%1 is served by %2 again.").arg(range, to),
                Notification::Kind::Information};
        }
    }
    if (n && m_enabled)
        Q_EMIT notify(*n);
}

} // namespace Nimbus
