#include "tests/fakes/helper/fakedatagramsocket.h"

#include <QTimer>

using namespace Qt::Literals::StringLiterals;

namespace Nimbus::Test
{

FakeDatagramSocket::FakeDatagramSocket(const SocketAddress &local, QObject *parent)
    : DatagramSocket(parent), m_local(local)
{
}

FakeDatagramSocket::~FakeDatagramSocket() = default;

Result<Ok> FakeDatagramSocket::send(const SocketAddress &to, QByteArrayView data)
{
    ++sendCalls;
    if (!m_open)
        return Error {u"io"_s, u"socket closed"_s};
    deliver(to, data.toByteArray());
    return Ok {};
}

Result<Ok> FakeDatagramSocket::queue(const SocketAddress &to, QByteArrayView data)
{
    if (!m_open)
        return Error {u"io"_s, u"socket closed"_s};
    m_queue.append(Sent {to, data.toByteArray()});
    return Ok {};
}

int FakeDatagramSocket::flush()
{
    ++flushCalls;
    const QList<Sent> queued = std::exchange(m_queue, {});
    for (const Sent &datagram : queued)
        deliver(datagram.to, datagram.data);
    return 0;
}

void FakeDatagramSocket::connectTo(FakeDatagramSocket *peer)
{
    m_peer = peer;
}

void FakeDatagramSocket::deliver(const SocketAddress &to, const QByteArray &data)
{
    sent.append(Sent {to, data});
    if (!m_peer || !linkUp || to != m_peer->localAddress())
        return;
    const SocketAddress from = m_local;
    QTimer::singleShot(0, m_peer.data(), [peer = m_peer, from, data] {
        if (peer)
            peer->receive({ReceivedDatagram {from, data}});
    });
}

void FakeDatagramSocket::receive(const QList<ReceivedDatagram> &datagrams)
{
    if (m_handler && m_open && !datagrams.isEmpty())
        m_handler(datagrams);
}

void FakeDatagramSocket::reportIcmp(const IcmpError &error)
{
    if (m_icmpHandler && m_open)
        m_icmpHandler(error);
}

void FakeDatagramSocket::failReading(const QString &message)
{
    Q_EMIT readFailed(message);
}

} // namespace Nimbus::Test
