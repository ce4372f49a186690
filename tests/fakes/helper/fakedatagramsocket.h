#pragma once

#include <QByteArray>
#include <QList>
#include <QPointer>

#include "helper/datagramsocket.h"

namespace Nimbus::Test
{

/// A DatagramSocket in memory at a fixed address. Datagrams sent (directly or flushed) are recorded in sent and,
/// if connectTo() linked another fake socket, delivered to it on the next turn of the event loop (as a network
/// would: never inside the sender's call). receive() and reportIcmp() play what the kernel would hand over.
class FakeDatagramSocket final : public DatagramSocket
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FakeDatagramSocket)

public:
    struct Sent {
        SocketAddress to;
        QByteArray data;
    };

    explicit FakeDatagramSocket(const SocketAddress &local, QObject *parent = nullptr);
    ~FakeDatagramSocket() override;

    SocketAddress localAddress() const override { return m_local; }
    void setDatagramHandler(DatagramBatchHandler handler) override { m_handler = std::move(handler); }
    void setIcmpErrorHandler(IcmpErrorHandler handler) override { m_icmpHandler = std::move(handler); }
    [[nodiscard]] Result<Ok> send(const SocketAddress &to, QByteArrayView data) override;
    [[nodiscard]] Result<Ok> queue(const SocketAddress &to, QByteArrayView data) override;
    int flush() override;
    void close() override { m_open = false; }

    /// Datagrams to \a peer's address go to \a peer (and back: call it on both ends).
    void connectTo(FakeDatagramSocket *peer);
    /// While false, datagrams to the connected peer are dropped (a cut link); they are still recorded in sent.
    bool linkUp = true;

    /// Hands \a datagrams to the datagram handler as one batch.
    void receive(const QList<ReceivedDatagram> &datagrams);
    /// Hands an ICMP report to the ICMP handler.
    void reportIcmp(const IcmpError &error);
    /// Emits readFailed().
    void failReading(const QString &message);

    bool isOpen() const { return m_open; }
    QList<Sent> sent;
    /// Calls of send() and of flush() (for tests of which path a datagram took).
    int sendCalls = 0;
    int flushCalls = 0;

private:
    void deliver(const SocketAddress &to, const QByteArray &data);

    SocketAddress m_local;
    bool m_open = true;
    DatagramBatchHandler m_handler;
    IcmpErrorHandler m_icmpHandler;
    QList<Sent> m_queue;
    QPointer<FakeDatagramSocket> m_peer;
};

} // namespace Nimbus::Test
