#include <algorithm>
#include <cerrno>

#include <netinet/udp.h>
#include <sys/socket.h>

#include <QHostAddress>
#include <QList>
#include <QSet>
#include <QTest>

#include "core/wire/socketaddress.h"
#include "helper/platform/linux/linuxutil.h"
#include "helper/platform/linux/udpsocket.h"

using namespace Qt::Literals::StringLiterals;
using Nimbus::IcmpError;
using Nimbus::ReceivedDatagram;
using Nimbus::SocketAddress;
using Nimbus::UdpSocket;

namespace
{

SocketAddress address(const QString &host, quint16 port)
{
    return SocketAddress(QHostAddress(host), port);
}

// Collects what a socket hands over.
struct Collector {
    QList<ReceivedDatagram> datagrams;
    QList<int> batchSizes;
    QList<IcmpError> errors;
    QList<qsizetype> errorsBeforeBatch; ///< errors.size() when each batch arrived

    void attach(UdpSocket &socket)
    {
        socket.setDatagramHandler([this](const QList<ReceivedDatagram> &batch) {
            batchSizes.append(static_cast<int>(batch.size()));
            errorsBeforeBatch.append(errors.size());
            // The data refers to the socket's receive buffer: keep deep copies.
            for (const ReceivedDatagram &datagram : batch)
                datagrams.append(
                    ReceivedDatagram {datagram.source, QByteArray(datagram.data.constData(), datagram.data.size())});
        });
        socket.setIcmpErrorHandler([this](const IcmpError &error) { errors.append(error); });
    }
};

QByteArray numbered(int i)
{
    return QByteArray("datagram ").append(QByteArray::number(i));
}

bool ipv6LoopbackAvailable()
{
    UdpSocket probe;
    return probe.bind(u"[::1]:0"_s).ok();
}

// A loopback port nothing listens on: bind an ephemeral port, then release it.
quint16 closedPort(const QString &host)
{
    UdpSocket socket;
    if (!socket.bind(address(host, 0)))
        return 0;
    return socket.localAddress().port();
}

} // namespace

class tst_LinuxUdpSocket : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parseListenAddress_data();
    void parseListenAddress();
    void parseListenAddressRejects_data();
    void parseListenAddressRejects();
    void bindReportsEphemeralPort_data();
    void bindReportsEphemeralPort();
    void bindConflictIsAnError();
    void exchange_data();
    void exchange();
    void batchReceive();
    void wakeupPacer();
    void sparseTrafficReadsOneDatagramPerWakeup();
    void oversizedDatagramIsDropped();
    void icmpPortUnreachable_data();
    void icmpPortUnreachable();
    void sendAfterIcmpErrorSucceeds();
    void icmpErrorTakenBySendIsReadBeforeTheNextData();
    void bufferSizes();
    void closedSocket();
    void sendQueueInOrder();
    void sendQueueFaults_data();
    void sendQueueFaults();
    void sendQueueKernelRefusesOne();
    void sendQueueClosedSocket();
    void sendQueueSegmentationOffload();
    void sendQueueOffloadRefused_data();
    void sendQueueOffloadRefused();
    void receiveOffload_data();
    void receiveOffload();
};

void tst_LinuxUdpSocket::parseListenAddress_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");

    QTest::addRow("port") << u"3210"_s << u"::"_s << 3210;
    QTest::addRow("port 0") << u"0"_s << u"::"_s << 0;
    QTest::addRow("star") << u"*:4000"_s << u"::"_s << 4000;
    QTest::addRow("ipv4:port") << u"192.168.1.2:3211"_s << u"::ffff:192.168.1.2"_s << 3211;
    QTest::addRow("ipv4 only") << u"10.1.2.3"_s << u"10.1.2.3"_s << 3210;
    QTest::addRow("ipv6:port") << u"[2001:db8::1]:3212"_s << u"2001:db8::1"_s << 3212;
    QTest::addRow("ipv6 bracketed") << u"[::1]"_s << u"::1"_s << 3210;
    QTest::addRow("ipv6 bare") << u"fd00::7"_s << u"fd00::7"_s << 3210;
    QTest::addRow("mapped") << u"[::ffff:127.0.0.1]:5"_s << u"127.0.0.1"_s << 5;
    QTest::addRow("whitespace") << u"  3210 "_s << u"::"_s << 3210;
    QTest::addRow("max port") << u"65535"_s << u"::"_s << 65535;
}

void tst_LinuxUdpSocket::parseListenAddress()
{
    QFETCH(QString, text);
    QFETCH(QString, host);
    QFETCH(int, port);
    const auto parsed = UdpSocket::parseListenAddress(text);
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
    QCOMPARE(parsed->port(), port);
    QCOMPARE(*parsed, address(host, static_cast<quint16>(port)));
}

void tst_LinuxUdpSocket::parseListenAddressRejects_data()
{
    QTest::addColumn<QString>("text");

    QTest::addRow("empty") << QString();
    QTest::addRow("blank") << u"   "_s;
    QTest::addRow("websocket") << u"ws://example.com:3210"_s;
    QTest::addRow("host name") << u"example.com:3210"_s;
    QTest::addRow("host name only") << u"localhost"_s;
    QTest::addRow("port too big") << u"1.2.3.4:65536"_s;
    QTest::addRow("bare port too big") << u"99999"_s;
    QTest::addRow("missing port") << u"1.2.3.4:"_s;
    QTest::addRow("signed port") << u"1.2.3.4:+1"_s;
    QTest::addRow("missing host") << u":3210"_s;
    QTest::addRow("star without port") << u"*"_s;
    QTest::addRow("star bad port") << u"*:abc"_s;
    QTest::addRow("unclosed bracket") << u"[::1:3210"_s;
    QTest::addRow("junk after bracket") << u"[::1]x3210"_s;
    QTest::addRow("empty port after bracket") << u"[::1]:"_s;
    QTest::addRow("scoped") << u"[fe80::1%eth0]:3210"_s;
    QTest::addRow("bad ipv4") << u"300.1.2.3:3210"_s;
}

void tst_LinuxUdpSocket::parseListenAddressRejects()
{
    QFETCH(QString, text);
    const auto parsed = UdpSocket::parseListenAddress(text);
    QVERIFY2(!parsed.ok(), qPrintable(parsed.ok() ? parsed->toString() : QString()));
    QVERIFY(!parsed.error().message.isEmpty());
}

void tst_LinuxUdpSocket::bindReportsEphemeralPort_data()
{
    QTest::addColumn<QString>("listen");
    QTest::addColumn<QString>("host");

    QTest::addRow("any") << u"0"_s << u"::"_s;
    QTest::addRow("ipv4 loopback") << u"127.0.0.1:0"_s << u"127.0.0.1"_s;
    if (ipv6LoopbackAvailable())
        QTest::addRow("ipv6 loopback") << u"[::1]:0"_s << u"::1"_s;
}

void tst_LinuxUdpSocket::bindReportsEphemeralPort()
{
    QFETCH(QString, listen);
    QFETCH(QString, host);
    UdpSocket socket;
    const auto bound = socket.bind(listen);
    QVERIFY2(bound.ok(), qPrintable(bound.ok() ? QString() : bound.error().message));
    QVERIFY(socket.isOpen());
    QVERIFY(socket.descriptor() >= 0);
    QVERIFY(socket.localAddress().port() != 0);
    QCOMPARE(socket.localAddress(), address(host, socket.localAddress().port()));
}

void tst_LinuxUdpSocket::bindConflictIsAnError()
{
    UdpSocket first;
    QVERIFY(first.bind(u"127.0.0.1:0"_s).ok());
    UdpSocket second;
    const auto bound = second.bind(first.localAddress());
    QVERIFY(!bound.ok());
    QVERIFY2(bound.error().message.contains(u"Address already in use"_s), qPrintable(bound.error().message));
    QVERIFY2(bound.error().message.contains(first.localAddress().toString()), qPrintable(bound.error().message));
    QVERIFY(!second.isOpen());
}

void tst_LinuxUdpSocket::exchange_data()
{
    QTest::addColumn<QString>("loopback");

    QTest::addRow("ipv4") << u"127.0.0.1"_s;
    if (ipv6LoopbackAvailable())
        QTest::addRow("ipv6") << u"::1"_s;
}

void tst_LinuxUdpSocket::exchange()
{
    QFETCH(QString, loopback);
    UdpSocket server;
    UdpSocket client;
    Collector serverIn;
    Collector clientIn;
    serverIn.attach(server);
    clientIn.attach(client);
    // Both dual-stack on all addresses: the source must come out normalised either way.
    QVERIFY(server.bind(u"0"_s).ok());
    QVERIFY(client.bind(u"*:0"_s).ok());
    const quint16 serverPort = server.localAddress().port();
    const quint16 clientPort = client.localAddress().port();

    const auto sent = client.send(address(loopback, serverPort), "ping");
    QVERIFY2(sent.ok(), qPrintable(sent.ok() ? QString() : sent.error().message));
    QTRY_COMPARE(serverIn.datagrams.size(), 1);
    const ReceivedDatagram &request = serverIn.datagrams.first();
    QCOMPARE(request.data, QByteArray("ping"));
    QCOMPARE(request.source, address(loopback, clientPort));
    QCOMPARE(request.source.port(), clientPort);
    if (loopback == u"127.0.0.1"_s) {
        QVERIFY(request.source.isIpv4Mapped());
        QCOMPARE(request.source, address(u"::ffff:127.0.0.1"_s, clientPort));
        QCOMPARE(request.source.address(), QHostAddress(u"127.0.0.1"_s));
    } else {
        QVERIFY(!request.source.isIpv4Mapped());
    }

    QVERIFY(server.send(request.source, "pong").ok());
    QTRY_COMPARE(clientIn.datagrams.size(), 1);
    QCOMPARE(clientIn.datagrams.first().data, QByteArray("pong"));
    QCOMPARE(clientIn.datagrams.first().source, address(loopback, serverPort));
    QVERIFY(serverIn.errors.isEmpty());
    QVERIFY(clientIn.errors.isEmpty());
}

void tst_LinuxUdpSocket::batchReceive()
{
    constexpr int count = 100;
    UdpSocket server;
    UdpSocket client;
    Collector serverIn;
    serverIn.attach(server);
    QVERIFY(server.bind(u"127.0.0.1:0"_s).ok());
    QVERIFY(client.bind(u"127.0.0.1:0"_s).ok());
    // All are queued before the event loop runs, so the server must receive them in batches.
    for (int i = 0; i < count; ++i) {
        QVERIFY(client.send(server.localAddress(), numbered(i)).ok());
    }
    QTRY_COMPARE(serverIn.datagrams.size(), count);
    for (int i = 0; i < count; ++i) {
        QCOMPARE(serverIn.datagrams.at(i).data, numbered(i));
        QCOMPARE(serverIn.datagrams.at(i).source, client.localAddress());
    }
    QVERIFY2(serverIn.batchSizes.size() < count, "datagrams were not batched");
    for (const int size : std::as_const(serverIn.batchSizes)) {
        QVERIFY(size >= 1);
        QVERIFY(size <= UdpSocket::kBatchSize);
    }
}

void tst_LinuxUdpSocket::wakeupPacer()
{
    using Nimbus::Linux::WakeupPacer;
    WakeupPacer pacer;
    constexpr qint64 gap = WakeupPacer::kSparseGapNs;
    QVERIFY(pacer.sparse(5'000'000'000)); // the first wake-up
    QVERIFY(!pacer.sparse(5'000'000'000 + gap - 1)); // right after the previous one: dense traffic
    QVERIFY(!pacer.sparse(5'000'000'000 + 2 * gap - 2)); // measured from the previous wake-up, not the first
    QVERIFY(pacer.sparse(5'000'000'000 + 3 * gap - 2)); // a quiet spell of the gap
    QVERIFY(pacer.sparse(5'000'000'000 + 10 * gap));
    QVERIFY(!pacer.sparse(5'000'000'000 + 10 * gap)); // the same instant
    // Real time: the first call of a fresh pacer is sparse, and two calls in a row are not (unless the machine
    // stalls between them for a fifth of a millisecond).
    WakeupPacer real;
    QVERIFY(real.sparse(Nimbus::Linux::monotonicNs()));
    const qint64 a = Nimbus::Linux::monotonicNs();
    const qint64 b = Nimbus::Linux::monotonicNs();
    QVERIFY(b >= a);
}

void tst_LinuxUdpSocket::sparseTrafficReadsOneDatagramPerWakeup()
{
    UdpSocket server;
    UdpSocket client;
    Collector serverIn;
    serverIn.attach(server);
    QVERIFY(server.bind(u"127.0.0.1:0"_s).ok());
    QVERIFY(client.bind(u"127.0.0.1:0"_s).ok());
    for (int i = 0; i < 3; ++i)
        QVERIFY(client.send(server.localAddress(), numbered(i)).ok());
    // The socket's first wake-up counts as sparse traffic: it reads one datagram only and leaves the rest to
    // the next wake-up, which the event loop brings at once because the socket is still readable.
    server.readPending();
    QCOMPARE(serverIn.batchSizes, QList<int>({1}));
    QCOMPARE(serverIn.datagrams.size(), 1);
    QTRY_COMPARE(serverIn.datagrams.size(), 3);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(serverIn.datagrams.at(i).data, numbered(i));
}

void tst_LinuxUdpSocket::oversizedDatagramIsDropped()
{
    UdpSocket server;
    UdpSocket client;
    Collector serverIn;
    serverIn.attach(server);
    QVERIFY(server.bind(u"127.0.0.1:0"_s).ok());
    QVERIFY(client.bind(u"127.0.0.1:0"_s).ok());
    QVERIFY(client.setSendBufferSize(256 * 1024).ok());
    QVERIFY(server.setReceiveBufferSize(512 * 1024).ok());

    const QByteArray largest(UdpSocket::kMaxDatagramSize, 'a');
    const QByteArray tooLarge(UdpSocket::kMaxDatagramSize + 1, 'b');
    QVERIFY(client.send(server.localAddress(), largest).ok());
    QVERIFY(client.send(server.localAddress(), tooLarge).ok());
    QVERIFY(client.send(server.localAddress(), "end").ok());
    QTRY_COMPARE(serverIn.datagrams.size(), 2);
    QCOMPARE(serverIn.datagrams.at(0).data, largest);
    QCOMPARE(serverIn.datagrams.at(1).data, QByteArray("end"));
    QCOMPARE(server.truncatedDatagrams(), quint64(1));
}

void tst_LinuxUdpSocket::icmpPortUnreachable_data()
{
    QTest::addColumn<QString>("loopback");
    QTest::addColumn<bool>("icmpv6");
    QTest::addColumn<int>("type");
    QTest::addColumn<int>("code");

    QTest::addRow("ipv4") << u"127.0.0.1"_s << false << 3 << 3;
    if (ipv6LoopbackAvailable())
        QTest::addRow("ipv6") << u"::1"_s << true << 1 << 4;
}

void tst_LinuxUdpSocket::icmpPortUnreachable()
{
    QFETCH(QString, loopback);
    QFETCH(bool, icmpv6);
    QFETCH(int, type);
    QFETCH(int, code);

    const quint16 port = closedPort(loopback);
    QVERIFY(port != 0);
    UdpSocket client;
    Collector clientIn;
    clientIn.attach(client);
    QVERIFY(client.bind(u"0"_s).ok());
    const SocketAddress target = address(loopback, port);
    QVERIFY(client.send(target, "anyone there?").ok());

    QTRY_VERIFY(!clientIn.errors.isEmpty());
    const IcmpError &error = clientIn.errors.first();
    QCOMPARE(error.target, target);
    QCOMPARE(error.target.port(), port);
    QCOMPARE(error.icmpv6, icmpv6);
    QCOMPARE(error.type, type);
    QCOMPARE(error.code, code);
    QVERIFY(error.portUnreachable);
    QVERIFY(!error.hostUnreachable);
    QCOMPARE(error.offender, QHostAddress(loopback));
    QVERIFY(clientIn.datagrams.isEmpty());
}

void tst_LinuxUdpSocket::sendAfterIcmpErrorSucceeds()
{
    // An ICMP error about one peer must not make the next datagram to another peer fail.
    const quint16 port = closedPort(u"127.0.0.1"_s);
    QVERIFY(port != 0);
    UdpSocket server;
    UdpSocket client;
    Collector serverIn;
    Collector clientIn;
    serverIn.attach(server);
    clientIn.attach(client);
    QVERIFY(server.bind(u"127.0.0.1:0"_s).ok());
    QVERIFY(client.bind(u"0"_s).ok());
    for (int i = 0; i < 3; ++i) {
        QVERIFY(client.send(address(u"127.0.0.1"_s, port), "lost").ok());
        const auto sent = client.send(server.localAddress(), QByteArray::number(i));
        QVERIFY2(sent.ok(), qPrintable(sent.ok() ? QString() : sent.error().message));
    }
    QTRY_COMPARE(serverIn.datagrams.size(), 3);
    QTRY_VERIFY(!clientIn.errors.isEmpty());
    for (const IcmpError &error : std::as_const(clientIn.errors))
        QCOMPARE(error.target, address(u"127.0.0.1"_s, port));
}

void tst_LinuxUdpSocket::bufferSizes()
{
    UdpSocket socket;
    QVERIFY(!socket.setReceiveBufferSize(65536).ok());
    QVERIFY(socket.bind(u"127.0.0.1:0"_s).ok());
    const auto receive = socket.setReceiveBufferSize(1 << 20);
    QVERIFY2(receive.ok(), qPrintable(receive.ok() ? QString() : receive.error().message));
    QVERIFY(*receive > 0);
    const auto send = socket.setSendBufferSize(1 << 20);
    QVERIFY2(send.ok(), qPrintable(send.ok() ? QString() : send.error().message));
    QVERIFY(*send > 0);
    QVERIFY(!socket.setSendBufferSize(0).ok());
    QVERIFY(!socket.setReceiveBufferSize(-5).ok());
}

void tst_LinuxUdpSocket::closedSocket()
{
    UdpSocket socket;
    QVERIFY(!socket.isOpen());
    QCOMPARE(socket.descriptor(), -1);
    const auto sent = socket.send(address(u"127.0.0.1"_s, 9), "x");
    QVERIFY(!sent.ok());
    QVERIFY(!sent.error().message.isEmpty());
    socket.readPending(); // harmless while closed
    QVERIFY(socket.bind(u"127.0.0.1:0"_s).ok());
    socket.close();
    socket.close();
    QVERIFY(!socket.isOpen());
    QVERIFY(!socket.send(address(u"127.0.0.1"_s, 9), "x").ok());
}

namespace
{

QByteArray sized(int i)
{
    // Sizes vary so that a datagram cut short or mixed with another one is noticed.
    return numbered(i).append(QByteArray(i * 37 % 1400, char('a' + i % 26)));
}

// Binds a receiver and a sender on IPv4 loopback and collects what the receiver gets.
struct QueuePair {
    UdpSocket server;
    UdpSocket client;
    Collector in;
    bool bind()
    {
        in.attach(server);
        return server.bind(u"127.0.0.1:0"_s).ok() && client.bind(u"*:0"_s).ok();
    }
};

} // namespace

void tst_LinuxUdpSocket::sendQueueInOrder()
{
    constexpr int count = 150; // more than two automatic flushes
    QueuePair pair;
    QVERIFY(pair.bind());
    QVERIFY(pair.client.batchSendAvailable());
    // Small datagrams, so that all of them fit into the receiver's socket buffer before it reads.
    (void)pair.server.setReceiveBufferSize(1 << 20);
    for (int i = 0; i < count; ++i) {
        QVERIFY(pair.client.queue(pair.server.localAddress(), numbered(i)).ok());
        QVERIFY(pair.client.queuedCount() >= 1);
        QVERIFY(pair.client.queuedCount() <= UdpSocket::kSendBatchSize);
    }
    QCOMPARE(pair.client.flush(), 0);
    QCOMPARE(pair.client.queuedCount(), 0);
    QCOMPARE(pair.client.flush(), 0); // nothing left
    QTRY_COMPARE(pair.in.datagrams.size(), count);
    for (int i = 0; i < count; ++i)
        QCOMPARE(pair.in.datagrams.at(i).data, numbered(i));
    // The queue is reusable, and direct sends still work in between.
    QVERIFY(pair.client.send(pair.server.localAddress(), "direct").ok());
    QVERIFY(pair.client.queue(pair.server.localAddress(), "queued").ok());
    QCOMPARE(pair.client.flush(), 0);
    QTRY_COMPARE(pair.in.datagrams.size(), count + 2);
    QCOMPARE(pair.in.datagrams.at(count).data, QByteArray("direct"));
    QCOMPARE(pair.in.datagrams.at(count + 1).data, QByteArray("queued"));
}

void tst_LinuxUdpSocket::sendQueueFaults_data()
{
    // fault: what the fake sendmmsg() does; expected: which of the 10 datagrams arrive; dropped: flush() result.
    QTest::addColumn<QString>("fault");
    QTest::addColumn<QList<int>>("expected");
    QTest::addColumn<int>("dropped");
    QTest::addColumn<bool>("batchAfter");
    const QList<int> all {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    QTest::newRow("one per call") << u"partial"_s << all << 0 << true;
    QTest::newRow("third refused") << u"eperm-at-2"_s << QList<int> {0, 1, 3, 4, 5, 6, 7, 8, 9} << 1 << true;
    QTest::newRow("icmp error reported once") << u"econnrefused-once"_s << all << 0 << true;
    QTest::newRow("send buffer full") << u"eagain-at-3"_s << QList<int> {0, 1, 2} << 7 << true;
    QTest::newRow("interrupted") << u"eintr-once"_s << all << 0 << true;
    QTest::newRow("no sendmmsg") << u"enosys"_s << all << 0 << false;
}

void tst_LinuxUdpSocket::sendQueueFaults()
{
    QFETCH(QString, fault);
    QFETCH(QList<int>, expected);
    QFETCH(int, dropped);
    QFETCH(bool, batchAfter);
    QueuePair pair;
    QVERIFY(pair.bind());
    int index = 0; // index in the queue of the first message of the current call
    int calls = 0;
    pair.client.setSendBatchFunctionForTesting([&](int fd, ::mmsghdr *messages, unsigned int count, int flags) {
        ++calls;
        const auto fail = [](int error) {
            errno = error;
            return -1;
        };
        // Sends messages [0, n) of this call for real and returns how many went out.
        const auto real = [&](unsigned int n) {
            const int sent = ::sendmmsg(fd, messages, n, flags);
            if (sent > 0)
                index += sent;
            return sent;
        };
        if (fault == u"partial"_s)
            return real(1);
        if (fault == u"eperm-at-2"_s || fault == u"eagain-at-3"_s) {
            const int at = fault == u"eperm-at-2"_s ? 2 : 3;
            if (index < at)
                return real(std::min(count, unsigned(at - index)));
            if (index == at) {
                ++index; // the failing message is skipped by the caller
                return fail(fault == u"eperm-at-2"_s ? EPERM : EAGAIN);
            }
            return real(count);
        }
        if (fault == u"econnrefused-once"_s || fault == u"eintr-once"_s) {
            if (calls == 1)
                return fail(fault == u"eintr-once"_s ? EINTR : ECONNREFUSED);
            return real(count);
        }
        return fail(ENOSYS);
    });
    for (int i = 0; i < 10; ++i)
        QVERIFY(pair.client.queue(pair.server.localAddress(), sized(i)).ok());
    QCOMPARE(pair.client.flush(), dropped);
    QCOMPARE(pair.client.queuedCount(), 0);
    QCOMPARE(pair.client.batchSendAvailable(), batchAfter);
    QTRY_COMPARE(pair.in.datagrams.size(), expected.size());
    for (int i = 0; i < expected.size(); ++i)
        QCOMPARE(pair.in.datagrams.at(i).data, sized(expected.at(i)));
    if (!batchAfter) {
        // Stays on the single-datagram path without calling sendmmsg() again.
        const int before = calls;
        QVERIFY(pair.client.queue(pair.server.localAddress(), "after").ok());
        QCOMPARE(pair.client.flush(), 0);
        QCOMPARE(calls, before);
        QTRY_COMPARE(pair.in.datagrams.size(), expected.size() + 1);
        QCOMPARE(pair.in.datagrams.last().data, QByteArray("after"));
    }
}

void tst_LinuxUdpSocket::sendQueueKernelRefusesOne()
{
    // The real kernel refuses a broadcast without SO_BROADCAST (EACCES) in the middle of a batch: that one
    // datagram is dropped, the others still go out.
    QueuePair pair;
    QVERIFY(pair.bind());
    for (int i = 0; i < 3; ++i)
        QVERIFY(pair.client.queue(pair.server.localAddress(), sized(i)).ok());
    QVERIFY(pair.client.queue(address(u"255.255.255.255"_s, pair.server.localAddress().port()), "broadcast").ok());
    for (int i = 3; i < 6; ++i)
        QVERIFY(pair.client.queue(pair.server.localAddress(), sized(i)).ok());
    QCOMPARE(pair.client.flush(), 1);
    QVERIFY(pair.client.batchSendAvailable());
    QTRY_COMPARE(pair.in.datagrams.size(), 6);
    for (int i = 0; i < 6; ++i)
        QCOMPARE(pair.in.datagrams.at(i).data, sized(i));
}

void tst_LinuxUdpSocket::sendQueueClosedSocket()
{
    UdpSocket socket;
    QVERIFY(!socket.queue(address(u"127.0.0.1"_s, 9), "x").ok());
    QCOMPARE(socket.flush(), 0);
    QVERIFY(socket.bind(u"127.0.0.1:0"_s).ok());
    QVERIFY(socket.queue(address(u"127.0.0.1"_s, 9), "x").ok());
    QVERIFY(socket.queue(address(u"127.0.0.1"_s, 9), "y").ok());
    socket.close();
    QCOMPARE(socket.flush(), 2); // queued datagrams of a closed socket are dropped and counted
    QCOMPARE(socket.queuedCount(), 0);
}

namespace
{

// A datagram of exactly \a size bytes that names \a i.
QByteArray fixedSize(int i, int size)
{
    QByteArray data = numbered(i).append(':');
    data.append(QByteArray(size - data.size(), char('A' + i % 26)));
    return data;
}

bool isSegmented(const ::mmsghdr &message)
{
    auto *header = const_cast<msghdr *>(&message.msg_hdr);
    for (cmsghdr *cmsg = CMSG_FIRSTHDR(header); cmsg; cmsg = CMSG_NXTHDR(header, cmsg)) {
        if (cmsg->cmsg_level == SOL_UDP && cmsg->cmsg_type == UDP_SEGMENT)
            return true;
    }
    return false;
}

} // namespace

void tst_LinuxUdpSocket::sendQueueSegmentationOffload()
{
    QueuePair pair;
    QVERIFY(pair.bind());
    UdpSocket other;
    Collector otherIn;
    otherIn.attach(other);
    QVERIFY(other.bind(u"127.0.0.1:0"_s).ok());
    if (!pair.client.segmentationOffloadActive())
        QSKIP("the kernel has no UDP segmentation offload");
    int messages = 0;
    int segmented = 0;
    pair.client.setSendBatchFunctionForTesting([&](int fd, ::mmsghdr *m, unsigned int count, int flags) {
        const int sent = ::sendmmsg(fd, m, count, flags);
        for (int i = 0; i < sent; ++i) {
            ++messages;
            segmented += isSegmented(m[i]) ? 1 : 0;
        }
        return sent;
    });
    // Runs of equal datagrams (one ending in a shorter one), broken by a datagram to another socket and by a
    // longer one: every datagram must arrive on its own, complete and in order.
    QList<QByteArray> toServer;
    QList<QByteArray> toOther;
    const auto queue = [&](int i, int size, bool server) {
        const QByteArray data = fixedSize(i, size);
        (server ? toServer : toOther).append(data);
        return pair.client.queue(server ? pair.server.localAddress() : other.localAddress(), data).ok();
    };
    int i = 0;
    for (; i < 20; ++i)
        QVERIFY(queue(i, 1200, true));
    QVERIFY(queue(i++, 700, true)); // ends the run
    for (; i < 30; ++i)
        QVERIFY(queue(i, 1200, true));
    QVERIFY(queue(i++, 1200, false)); // another destination
    for (; i < 40; ++i)
        QVERIFY(queue(i, 1200, true));
    QVERIFY(queue(i++, 1300, true)); // longer: a new run
    QVERIFY(queue(i++, 1300, true));
    QCOMPARE(pair.client.flush(), 0);
    QTRY_COMPARE(pair.in.datagrams.size(), toServer.size());
    QTRY_COMPARE(otherIn.datagrams.size(), toOther.size());
    for (int k = 0; k < toServer.size(); ++k)
        QCOMPARE(pair.in.datagrams.at(k).data, toServer.at(k));
    QCOMPARE(otherIn.datagrams.first().data, toOther.first());
    QVERIFY(segmented >= 3);
    QVERIFY(messages < toServer.size() + toOther.size());
    QVERIFY(pair.client.segmentationOffloadActive());

    // Switched off, every datagram is a message of its own.
    pair.client.setSegmentationOffload(false);
    QVERIFY(!pair.client.segmentationOffloadActive());
    segmented = 0;
    for (int k = 0; k < 10; ++k)
        QVERIFY(queue(100 + k, 1000, true));
    QCOMPARE(pair.client.flush(), 0);
    QCOMPARE(segmented, 0);
    QTRY_COMPARE(pair.in.datagrams.size(), toServer.size());
    QCOMPARE(pair.in.datagrams.last().data, toServer.last());
}

void tst_LinuxUdpSocket::sendQueueOffloadRefused_data()
{
    QTest::addColumn<int>("error");
    QTest::addColumn<bool>("activeAfter");
    QTest::newRow("no checksum offload (EIO)") << EIO << false;
    QTest::newRow("too big for the path (EINVAL)") << EINVAL << true;
    QTest::newRow("too big for the path (EMSGSIZE)") << EMSGSIZE << true;
}

void tst_LinuxUdpSocket::sendQueueOffloadRefused()
{
    // The kernel refuses segmented messages: their datagrams go out one by one, nothing is lost.
    QFETCH(int, error);
    QFETCH(bool, activeAfter);
    QueuePair pair;
    QVERIFY(pair.bind());
    if (!pair.client.segmentationOffloadActive())
        QSKIP("the kernel has no UDP segmentation offload");
    int segmentedCalls = 0;
    pair.client.setSendBatchFunctionForTesting([&](int fd, ::mmsghdr *m, unsigned int count, int flags) {
        if (isSegmented(m[0])) {
            ++segmentedCalls;
            errno = error;
            return -1;
        }
        unsigned int plain = 0;
        while (plain < count && !isSegmented(m[plain]))
            ++plain;
        return ::sendmmsg(fd, m, plain, flags);
    });
    QList<QByteArray> sent;
    const auto queueRun = [&](int first, int size) {
        for (int k = first; k < first + 8; ++k) {
            sent.append(fixedSize(k, size));
            QVERIFY(pair.client.queue(pair.server.localAddress(), sent.last()).ok());
        }
    };
    queueRun(0, 1000);
    QCOMPARE(pair.client.flush(), 0);
    QCOMPARE(pair.client.segmentationOffloadActive(), activeAfter);
    const int afterFirst = segmentedCalls;
    QVERIFY(afterFirst >= 1);
    // The same size again: no new attempt. Smaller datagrams still use it unless it is off for good.
    queueRun(8, 1000);
    QCOMPARE(pair.client.flush(), 0);
    QCOMPARE(segmentedCalls, afterFirst);
    queueRun(16, 500);
    QCOMPARE(pair.client.flush(), 0);
    QCOMPARE(segmentedCalls > afterFirst, activeAfter);
    QTRY_COMPARE(pair.in.datagrams.size(), sent.size());
    for (int k = 0; k < sent.size(); ++k)
        QCOMPARE(pair.in.datagrams.at(k).data, sent.at(k));
}

void tst_LinuxUdpSocket::receiveOffload_data()
{
    QTest::addColumn<bool>("gro");
    QTest::newRow("coalesced (UDP GRO)") << true;
    QTest::newRow("one by one") << false;
}

void tst_LinuxUdpSocket::receiveOffload()
{
    // Segmented sends reach a GRO socket as coalesced messages, which it splits into the original datagrams
    // again; without GRO the kernel splits them. Either way the handler sees every datagram, intact and in order.
    QFETCH(bool, gro);
    QueuePair pair;
    QVERIFY(pair.bind());
    (void)pair.server.setReceiveBufferSize(1 << 20);
    pair.server.setReceiveOffload(gro);
    if (gro && !pair.server.receiveOffloadActive())
        QSKIP("the kernel has no UDP receive offload");
    QCOMPARE(pair.server.receiveOffloadActive(), gro);
    if (!pair.client.segmentationOffloadActive())
        QSKIP("the kernel has no UDP segmentation offload");
    QList<QByteArray> sent;
    const auto queue = [&](int i, int size) {
        sent.append(fixedSize(i, size));
        return pair.client.queue(pair.server.localAddress(), sent.last()).ok();
    };
    int i = 0;
    for (; i < 30; ++i)
        QVERIFY(queue(i, 1400));
    QVERIFY(queue(i++, 333)); // the shorter last one of a run
    for (; i < 40; ++i)
        QVERIFY(queue(i, 900));
    QVERIFY(queue(i++, 1400)); // a run of one
    QCOMPARE(pair.client.flush(), 0);
    QTRY_COMPARE(pair.in.datagrams.size(), sent.size());
    for (int k = 0; k < sent.size(); ++k) {
        QCOMPARE(pair.in.datagrams.at(k).data, sent.at(k));
        QCOMPARE(pair.in.datagrams.at(k).source, address(u"::ffff:127.0.0.1"_s, pair.client.localAddress().port()));
    }
    if (gro)
        QVERIFY(pair.server.coalescedDatagrams() >= 31);
    else
        QCOMPARE(pair.server.coalescedDatagrams(), 0u);
    QCOMPARE(pair.server.truncatedDatagrams(), 0u);
}

void tst_LinuxUdpSocket::icmpErrorTakenBySendIsReadBeforeTheNextData()
{
    // The socket reads its error queue only when a call reported an ICMP error or a wake-up had nothing to
    // receive. Here a send reports (and so takes) the error, and the next wake-up brings data: the report must
    // still be read, before that data.
    const quint16 port = closedPort(u"127.0.0.1"_s);
    QVERIFY(port != 0);
    UdpSocket client;
    UdpSocket server;
    Collector clientIn;
    clientIn.attach(client);
    QVERIFY(client.bind(u"0"_s).ok());
    QVERIFY(server.bind(u"127.0.0.1:0"_s).ok());
    // On loopback the port-unreachable error arrives during this send ...
    QVERIFY(client.send(address(u"127.0.0.1"_s, port), "lost").ok());
    // ... and this one reports it and sends anyway.
    QVERIFY(client.send(server.localAddress(), "question").ok());
    // An answer waits before the client's event loop runs.
    QVERIFY(server.send(address(u"127.0.0.1"_s, client.localAddress().port()), "answer").ok());
    QTRY_COMPARE(clientIn.datagrams.size(), 1);
    QCOMPARE(clientIn.datagrams.first().data, QByteArray("answer"));
    QCOMPARE(clientIn.errors.size(), 1);
    QCOMPARE(clientIn.errorsBeforeBatch.first(), 1);
    QCOMPARE(clientIn.errors.first().target, address(u"127.0.0.1"_s, port));
    QVERIFY(clientIn.errors.first().portUnreachable);
}

QTEST_GUILESS_MAIN(tst_LinuxUdpSocket)
#include "tst_linuxudpsocket.moc"
