// NodeNames and HostsFile: a node is named after the configured peer name whose resolution gave its address (host
// part, the port only when two names differ by it alone), else after the hosts file (a real file, re-read when it
// changes; loopback entries ignored), and keeps its name when it restarts with a new node id (keyed by address).
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "helper/nodenames.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

namespace
{

SocketAddress at(const QString &text)
{
    const std::optional<SocketAddress> parsed = SocketAddress::parse(text);
    Q_ASSERT(parsed);
    return *parsed;
}

bool writeFile(const QString &path, const QByteArray &text)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(text) == text.size();
}

} // namespace

class tst_NodeNames : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parseHostsFile();
    void hostsFileReReadWhenChanged();
    void configuredNameWinsOverHostsFile();
    void portShownOnlyWhenNamesDifferByPort();
    void configuredChangesNeedRefresh();

private:
    QTemporaryDir m_dir;
};

void tst_NodeNames::parseHostsFile()
{
    const QHash<QHostAddress, QString> names = HostsFile::parse("127.0.0.1\tlocalhost\n"
                                                                "127.0.1.1 laptop.example laptop\n"
                                                                "::1 localhost ip6-localhost ip6-loopback\n"
                                                                "# 192.0.2.9 commented-out\n"
                                                                "  192.0.2.11   server-a server-a.example # primary\n"
                                                                "192.0.2.11 second-line-ignored\n"
                                                                "2001:db8::12 server-b\n"
                                                                "not-an-address name\n"
                                                                "192.0.2.13\n");
    QCOMPARE(names.size(), 2);
    QCOMPARE(names.value(QHostAddress(u"192.0.2.11"_s)), u"server-a"_s);
    QCOMPARE(names.value(QHostAddress(u"2001:db8::12"_s)), u"server-b"_s);
    QVERIFY(!names.contains(QHostAddress(u"127.0.0.1"_s)));
    QVERIFY(!names.contains(QHostAddress(u"127.0.1.1"_s)));
    QVERIFY(!names.contains(QHostAddress(u"::1"_s)));
}

void tst_NodeNames::hostsFileReReadWhenChanged()
{
    const QString path = m_dir.filePath(u"hosts-reread"_s);
    QVERIFY(writeFile(path, "192.0.2.11 server-a\n"));
    HostsFile hosts(path, 0);
    QVERIFY(hosts.refresh());
    // An IPv4-mapped address (how the engine stores IPv4) finds the IPv4 entry.
    QCOMPARE(hosts.nameFor(at(u"192.0.2.11:3210"_s).address()), u"server-a"_s);
    QVERIFY(!hosts.refresh()); // unchanged
    QVERIFY(writeFile(path, "192.0.2.11 server-a-new\n192.0.2.12 server-b\n"));
    QVERIFY(hosts.refresh());
    QCOMPARE(hosts.nameFor(QHostAddress(u"192.0.2.11"_s)), u"server-a-new"_s);
    QCOMPARE(hosts.nameFor(QHostAddress(u"192.0.2.12"_s)), u"server-b"_s);
    // Gone: no names, and no error.
    QVERIFY(QFile::remove(path));
    QVERIFY(hosts.refresh());
    QCOMPARE(hosts.nameFor(QHostAddress(u"192.0.2.11"_s)), QString());

    // With a check interval, a change is seen once the interval passed.
    QVERIFY(writeFile(path, "192.0.2.11 one\n"));
    HostsFile slow(path, 300);
    QVERIFY(slow.refresh());
    QVERIFY(writeFile(path, "192.0.2.11 two-is-longer\n"));
    QVERIFY(!slow.refresh());
    QCOMPARE(slow.nameFor(QHostAddress(u"192.0.2.11"_s)), u"one"_s);
    QTest::qWait(350);
    QVERIFY(slow.refresh());
    QCOMPARE(slow.nameFor(QHostAddress(u"192.0.2.11"_s)), u"two-is-longer"_s);
}

void tst_NodeNames::configuredNameWinsOverHostsFile()
{
    const QString path = m_dir.filePath(u"hosts-precedence"_s);
    QVERIFY(writeFile(path, "192.0.2.11 hosts-a\n192.0.2.13 hosts-c\n"));
    NodeNames::ConfiguredPeers configured {
        {u"server-a:3210"_s, {at(u"192.0.2.11:3210"_s)}},
        {u"192.0.2.13:3210"_s, {at(u"192.0.2.13:3210"_s)}}, // an address names nothing: the hosts file does
        {u"unresolved.example"_s, {}},
    };
    NodeNames names(configured, path, 0);
    QVERIFY(names.refresh());
    QCOMPARE(names.nameFor(at(u"192.0.2.11:3210"_s)), (NodeNames::Name {u"server-a"_s, u"peer"_s}));
    QCOMPARE(names.nameFor(at(u"192.0.2.13:3210"_s)), (NodeNames::Name {u"hosts-c"_s, u"hosts"_s}));
    // The configured name belongs to the address it resolved to (with its port); the hosts file to the IP.
    QCOMPARE(names.nameFor(at(u"192.0.2.11:4000"_s)), (NodeNames::Name {u"hosts-a"_s, u"hosts"_s}));
    QCOMPARE(names.nameFor(at(u"198.51.100.1:3210"_s)), NodeNames::Name {});
}

void tst_NodeNames::portShownOnlyWhenNamesDifferByPort()
{
    NodeNames::ConfiguredPeers configured {
        {u"gateway:3210"_s, {at(u"192.0.2.21:3210"_s)}},
        {u"gateway:3211"_s, {at(u"192.0.2.21:3211"_s)}},
        {u"server-b"_s, {at(u"192.0.2.12:3210"_s), at(u"[2001:db8::12]:3210"_s)}},
    };
    NodeNames names(configured, m_dir.filePath(u"no-such-hosts-file"_s), 0);
    names.refresh();
    QCOMPARE(names.nameFor(at(u"192.0.2.21:3210"_s)).name, u"gateway:3210"_s);
    QCOMPARE(names.nameFor(at(u"192.0.2.21:3211"_s)).name, u"gateway:3211"_s);
    QCOMPARE(names.nameFor(at(u"192.0.2.12:3210"_s)).name, u"server-b"_s);
    QCOMPARE(names.nameFor(at(u"[2001:db8::12]:3210"_s)).name, u"server-b"_s);
}

void tst_NodeNames::configuredChangesNeedRefresh()
{
    // A name that resolves later (or to a new address) names the node after configuredChanged() and refresh().
    NodeNames::ConfiguredPeers configured {{u"server-a:3210"_s, {}}};
    NodeNames names(configured, m_dir.filePath(u"no-such-hosts-file"_s), 0);
    QVERIFY(!names.refresh());
    QCOMPARE(names.nameFor(at(u"192.0.2.11:3210"_s)), NodeNames::Name {});
    configured[u"server-a:3210"_s] = {at(u"192.0.2.11:3210"_s)};
    QVERIFY(!names.refresh()); // not told yet
    names.configuredChanged();
    QVERIFY(names.refresh());
    QCOMPARE(names.nameFor(at(u"192.0.2.11:3210"_s)).name, u"server-a"_s);
    names.configuredChanged();
    QVERIFY(!names.refresh()); // told, but nothing changed
}

} // namespace Nimbus

QTEST_GUILESS_MAIN(Nimbus::tst_NodeNames)
#include "tst_nodenames.moc"
