#pragma once

#include <functional>

#include <QByteArray>
#include <QByteArrayView>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QString>

#include "core/protocol/result.h"
#include "core/wire/socketaddress.h"

namespace Nimbus
{

/// One datagram read from the socket, with its normalised source address (IPv4 as `::ffff:a.b.c.d`).
/// \a data may refer to the socket's receive buffer (QByteArray::fromRawData): it is valid only while the batch
/// handler runs; copy it (`QByteArray(d.constData(), d.size())`) to keep it.
struct ReceivedDatagram {
    SocketAddress source;
    QByteArray data;
};

/// An ICMP/ICMPv6 "destination unreachable" report about a datagram this socket sent (IP_RECVERR/IPV6_RECVERR).
struct IcmpError {
    /// The destination of the datagram that bounced (normalised like every SocketAddress).
    SocketAddress target;
    /// ICMP type and code as received: ICMPv4 type 3, or ICMPv6 type 1 when icmpv6 is true.
    int type = 0;
    int code = 0;
    /// True for ICMPv6, false for ICMPv4 (IPv4 peers on the dual-stack socket produce ICMPv4).
    bool icmpv6 = false;
    /// The router or host that sent the report (plain IPv4 for IPv4); null if the kernel gave none.
    QHostAddress offender;
    /// The host answered that nothing listens on the port: ICMPv4 3/3, ICMPv6 1/4.
    bool portUnreachable = false;
    /// The network or host is unreachable: ICMPv4 3/{0,1,6,7,11,12}, ICMPv6 1/{0,3}.
    bool hostUnreachable = false;
};

/// The UDP socket of a network as Network uses it once it is bound (binding is NetworkSetup's job): datagrams
/// and ICMP reports in through handlers, datagrams out one by one or in batches. Implemented by UdpSocket
/// (helper/platform/linux) and by the fake in tests/fakes/helper. Lives in one thread.
class DatagramSocket : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DatagramSocket)

public:
    /// Called with the datagrams of one batch (never empty); their data is valid only during the call. The
    /// handler may send, close the socket or delete it.
    using DatagramBatchHandler = std::function<void(const QList<ReceivedDatagram> &datagrams)>;
    using IcmpErrorHandler = std::function<void(const IcmpError &error)>;

    ~DatagramSocket() override;

    /// The bound address and the real port.
    virtual SocketAddress localAddress() const = 0;
    virtual void setDatagramHandler(DatagramBatchHandler handler) = 0;
    virtual void setIcmpErrorHandler(IcmpErrorHandler handler) = 0;
    /// Sends one datagram without blocking; an error drops it.
    [[nodiscard]] virtual Result<Ok> send(const SocketAddress &to, QByteArrayView data) = 0;
    /// Queues one datagram (copied) for flush(); an error means it was not queued.
    [[nodiscard]] virtual Result<Ok> queue(const SocketAddress &to, QByteArrayView data) = 0;
    /// Sends every queued datagram, in order; returns how many were dropped since the last flush().
    virtual int flush() = 0;
    virtual void close() = 0;

Q_SIGNALS:
    /// Reading failed for good; reading is paused.
    void readFailed(const QString &message);

protected:
    explicit DatagramSocket(QObject *parent = nullptr);
};

} // namespace Nimbus
