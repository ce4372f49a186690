#include "helper/platform/linux/netlinkmonitor.h"

#include <cerrno>
#include <cstring>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QSocketNotifier>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace Nimbus
{

namespace
{
/// IFF_LOWER_UP (carrier) from <linux/if.h>, which cannot be included next to <net/if.h>.
constexpr unsigned kIffLowerUp = 1u << 16;
} // namespace

NetlinkMonitor::NetlinkMonitor(QObject *parent) : QObject(parent)
{
}

NetlinkMonitor::~NetlinkMonitor()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

Result<Ok> NetlinkMonitor::start(const QString &ignoredDevice, int debounceMs)
{
    if (m_fd >= 0)
        return Ok {};
    const int fd = ::socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (fd < 0)
        return Error {u"netlink"_s, u"cannot open a netlink socket: %1"_s.arg(QString::fromLocal8Bit(strerror(errno)))};
    sockaddr_nl address {};
    address.nl_family = AF_NETLINK;
    address.nl_groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR | RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_ROUTE;
    if (::bind(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) < 0) {
        const QString error = QString::fromLocal8Bit(strerror(errno));
        ::close(fd);
        return Error {u"netlink"_s, u"cannot subscribe to routing changes: %1"_s.arg(error)};
    }
    m_fd = fd;
    m_ignoredDevice = ignoredDevice;
    m_ignoredIndex = int(if_nametoindex(ignoredDevice.toLocal8Bit().constData()));
    m_debounce = new QTimer(this);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(debounceMs);
    connect(m_debounce, &QTimer::timeout, this, [this] {
        const QString what = std::exchange(m_pending, QString());
        Q_EMIT changed(what);
    });
    m_notifier = new QSocketNotifier(qintptr(m_fd), QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &NetlinkMonitor::readSocket);
    return Ok {};
}

// The netlink macros (NLMSG_DATA, RTM_RTA, ...) are C and cast the old way.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
#pragma GCC diagnostic ignored "-Wcast-align"

void NetlinkMonitor::readSocket()
{
    alignas(nlmsghdr) char buffer[16384];
    for (;;) {
        const ssize_t length = ::recv(m_fd, buffer, sizeof buffer, 0);
        if (length < 0) {
            if (errno == ENOBUFS) { // the kernel dropped messages: something changed, we do not know what
                m_pending = u"routing changes (overflow)"_s;
                m_debounce->start();
                continue;
            }
            return; // EAGAIN: read everything
        }
        if (length == 0)
            return;
        int remaining = int(length);
        for (auto *header = reinterpret_cast<nlmsghdr *>(buffer); NLMSG_OK(header, remaining);
             header = NLMSG_NEXT(header, remaining)) {
            int index = 0;
            QString what;
            switch (header->nlmsg_type) {
            case RTM_NEWADDR:
            case RTM_DELADDR: {
                if (header->nlmsg_len < NLMSG_LENGTH(sizeof(ifaddrmsg)))
                    continue;
                const auto *message = static_cast<const ifaddrmsg *>(NLMSG_DATA(header));
                // IPv6 link-local addresses come and go with every link (and after duplicate address detection);
                // they carry no traffic to our peers.
                if (message->ifa_family == AF_INET6 && message->ifa_scope == RT_SCOPE_LINK)
                    continue;
                index = int(message->ifa_index);
                what = header->nlmsg_type == RTM_NEWADDR ? u"address added"_s : u"address removed"_s;
                break;
            }
            case RTM_NEWROUTE:
            case RTM_DELROUTE: {
                if (header->nlmsg_len < NLMSG_LENGTH(sizeof(rtmsg)))
                    continue;
                const auto *message = static_cast<const rtmsg *>(NLMSG_DATA(header));
                if (message->rtm_table != RT_TABLE_MAIN || message->rtm_type != RTN_UNICAST)
                    continue; // local and broadcast routes follow the addresses; other tables are policy
                // The output interface, if the route names one.
                int attributes = int(RTM_PAYLOAD(header));
                for (auto *attribute = RTM_RTA(message); RTA_OK(attribute, attributes);
                     attribute = RTA_NEXT(attribute, attributes)) {
                    if (attribute->rta_type == RTA_OIF && RTA_PAYLOAD(attribute) >= sizeof(int))
                        std::memcpy(&index, RTA_DATA(attribute), sizeof(int));
                }
                what = header->nlmsg_type == RTM_NEWROUTE ? u"route added"_s : u"route removed"_s;
                break;
            }
            case RTM_NEWLINK:
            case RTM_DELLINK: {
                if (header->nlmsg_len < NLMSG_LENGTH(sizeof(ifinfomsg)))
                    continue;
                const auto *message = static_cast<const ifinfomsg *>(NLMSG_DATA(header));
                index = message->ifi_index;
                // NEWLINK also reports statistics and flag changes; only a link that is gone, or not up and
                // running, moves us (a Wi-Fi that lost its carrier, a cable pulled, a new uplink coming up).
                what = header->nlmsg_type == RTM_DELLINK ? u"link removed"_s
                    : (message->ifi_flags & IFF_RUNNING) ? u"link up"_s
                                                         : u"link down"_s;
                if (header->nlmsg_type == RTM_NEWLINK && !(message->ifi_change & (IFF_UP | IFF_RUNNING | kIffLowerUp)))
                    continue;
                break;
            }
            default:
                continue;
            }
            if (m_ignoredIndex == 0 && !m_ignoredDevice.isEmpty())
                m_ignoredIndex = int(if_nametoindex(m_ignoredDevice.toLocal8Bit().constData()));
            if (index != 0 && index == m_ignoredIndex)
                continue;
            char name[IF_NAMESIZE] = {};
            const QString device
                = index && if_indextoname(unsigned(index), name) ? QString::fromLocal8Bit(name) : QString();
            if (device == u"lo"_s)
                continue;
            ++m_changes;
            if (!m_pending.isEmpty())
                m_pending += u", "_s;
            m_pending += device.isEmpty() ? what : u"%1 (%2)"_s.arg(what, device);
            if (m_pending.size() > 200)
                m_pending = m_pending.left(200) + u"…"_s;
            m_debounce->start(); // restarts: reported once the burst is over
        }
    }
}

#pragma GCC diagnostic pop

} // namespace Nimbus
