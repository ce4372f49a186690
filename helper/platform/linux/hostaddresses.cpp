#include "helper/platform/linux/hostaddresses.h"

#include <cerrno>
#include <cstring>
#include <ifaddrs.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <QFile>

using namespace Qt::Literals::StringLiterals;

namespace Nimbus::HostAddresses
{

namespace
{

int prefixLength(quint32 mask)
{
    int length = 0;
    while (length < 32 && (mask & (quint32(1) << (31 - length))) != 0)
        ++length;
    return length;
}

/// A /proc/net/route field: 8 hex digits of a little-endian (host order as the kernel prints it) address.
bool parseHexAddress(const QByteArray &field, quint32 &out)
{
    bool ok = false;
    const quint32 raw = field.toUInt(&ok, 16);
    if (!ok || field.size() != 8)
        return false;
    out = ntohl(raw);
    return true;
}

} // namespace

QList<HostRoute> parseRouteTable(QByteArrayView table)
{
    QList<HostRoute> routes;
    const QList<QByteArray> lines = table.toByteArray().split('\n');
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QList<QByteArray> fields = lines[i].simplified().split(' ');
        // Iface Destination Gateway Flags RefCnt Use Metric Mask MTU Window IRTT
        if (fields.size() < 8)
            continue;
        quint32 destination = 0;
        quint32 mask = 0;
        if (!parseHexAddress(fields[1], destination) || !parseHexAddress(fields[7], mask))
            continue;
        routes.append(HostRoute {Ipv4Prefix {destination, prefixLength(mask)}, QString::fromUtf8(fields[0])});
    }
    return routes;
}

Result<QList<HostRoute>> read()
{
    QList<HostRoute> result;
    ifaddrs *addresses = nullptr;
    if (getifaddrs(&addresses) != 0)
        return Error {u"NETWORK_FAILED"_s,
            u"cannot read this host's addresses: %1"_s.arg(QString::fromLocal8Bit(strerror(errno)))};
    for (const ifaddrs *entry = addresses; entry; entry = entry->ifa_next) {
        if (!entry->ifa_addr || entry->ifa_addr->sa_family != AF_INET)
            continue;
        sockaddr_in address {};
        std::memcpy(&address, entry->ifa_addr, sizeof address);
        int length = 32;
        if (entry->ifa_netmask) {
            sockaddr_in mask {};
            std::memcpy(&mask, entry->ifa_netmask, sizeof mask);
            length = prefixLength(ntohl(mask.sin_addr.s_addr));
        }
        result.append(
            HostRoute {Ipv4Prefix {ntohl(address.sin_addr.s_addr), length}, QString::fromUtf8(entry->ifa_name)});
    }
    freeifaddrs(addresses);

    QFile table(u"/proc/net/route"_s);
    if (!table.open(QIODevice::ReadOnly))
        return Error {u"NETWORK_FAILED"_s, u"cannot read this host's routes: %1"_s.arg(table.errorString())};
    result.append(parseRouteTable(table.readAll()));
    return result;
}

} // namespace Nimbus::HostAddresses
