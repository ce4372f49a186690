#pragma once

#include <QObject>
#include <QString>

#include "core/protocol/result.h"

class QSocketNotifier;
class QTimer;

namespace Nimbus
{

/// Watches the kernel's routing tables for changes that move this host to another network: addresses added or
/// removed, routes added or removed, links going up or down (an rtnetlink socket on the event loop). Changes
/// that concern only the VPN's own device are ignored; a burst of changes (DHCP, a Wi-Fi roam) is reported once,
/// after it has been quiet for the debounce time.
class NetlinkMonitor final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NetlinkMonitor)

public:
    explicit NetlinkMonitor(QObject *parent = nullptr);
    ~NetlinkMonitor() override;

    /// Opens the netlink socket. \a ignoredDevice: the interface whose changes do not count (our TUN/TAP).
    [[nodiscard]] Result<Ok> start(const QString &ignoredDevice, int debounceMs = 100);

    /// Changes seen so far, and reports made (each report may stand for several changes).
    quint64 changesSeen() const { return m_changes; }

Q_SIGNALS:
    /// The host's addresses, routes or links changed. \a what: a short description for the log.
    void changed(const QString &what);

private:
    void readSocket();

    int m_fd = -1;
    int m_ignoredIndex = 0;
    QString m_ignoredDevice;
    QSocketNotifier *m_notifier = nullptr;
    QTimer *m_debounce = nullptr;
    QString m_pending;
    quint64 m_changes = 0;
};

} // namespace Nimbus
