#include "ui/tray/notificationpresenter.h"

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
    Q_UNUSED(timeMs)
    const QString network = data.value(u"network"_s).toString();
    std::optional<Notification> n;
    if (name == u"network.state") {
        const QString state = data.value(u"state"_s).toString();
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
            const QString error = data.value(u"error"_s).toString();
            n = Notification {tr("%1 failed").arg(network),
                error.isEmpty() ? tr("The network %1 stopped with an error.").arg(network) : error,
                Notification::Kind::Critical};
        }
    } else if (name == u"peer.disconnected") {
        const QString reason = data.value(u"reason"_s).toString();
        // A peer closing because we shut down is not news.
        if (reason != u"shutdown") {
            n = Notification {tr("Peer lost on %1").arg(network),
                tr("%1 disconnected: %2").arg(Format::node(data), Format::reason(reason)),
                Notification::Kind::Warning};
        }
    } else if (name == u"route.failover") {
        // A first route (no previous node) or a preferred node becoming ready is no failover.
        const QString why = data.value(u"reason"_s).toString();
        if (data.value(u"from"_s).toObject().isEmpty() || why == u"preferred" || why == u"new-claimant")
            return;
        const QJsonObject to = data.value(u"to"_s).toObject();
        const QString range = data.value(u"range"_s).toString();
        const QString duration = Format::duration(static_cast<qint64>(data.value(u"unreachableMs"_s).toDouble()));
        const QString reason = Format::reason(data.value(u"reason"_s).toString());
        n = to.isEmpty() ? Notification {tr("%1 unreachable on %2").arg(range, network),
                tr("No node serves %1 any more (%2).").arg(range, reason),
                Notification::Kind::Critical}
                         : Notification {tr("Failover on %1").arg(network),
                             tr("%1 is now served by %2 after %3 (%4).").arg(range, Format::node(to), duration, reason),
                             Notification::Kind::Warning};
    }
    if (n && m_enabled)
        Q_EMIT notify(*n);
}

} // namespace Nimbus
