// The host reader of the address policy (helper/platform/linux/hostaddresses.h) and the policy in the helper's
// networks.connect, in a private network namespace (root; label integration): operators are refused device
// addresses that would take over the host's routes, admins are not.
#include <QJsonArray>
#include <QProcess>
#include <QTest>

#include "core/protocol/errorcode.h"
#include "helper/helperservice.h"
#include "helper/platform/linux/hostaddresses.h"
#include "tests/support/netnsguard.h"

using namespace Qt::Literals::StringLiterals;
using namespace Nimbus;

namespace
{

bool hasRoute(const QList<HostRoute> &routes, const QString &prefix, int length, const QString &device)
{
    const Ipv4Prefix wanted = Ipv4Prefix::parse(prefix).value();
    for (const HostRoute &route : routes) {
        if (route.prefix.address == wanted.address && route.prefix.length == length && route.interface == device)
            return true;
    }
    return false;
}

QString run(const QStringList &args)
{
    QProcess process;
    process.start(u"ip"_s, args);
    if (!process.waitForFinished(5000) || process.exitCode() != 0)
        return u"ip %1: %2"_s.arg(args.join(u' '), QString::fromLocal8Bit(process.readAllStandardError()));
    return QString();
}

QJsonObject profile(const QString &name, const QString &ip, int listen)
{
    return QJsonObject {{u"name"_s, name},
        {u"ip"_s, ip},
        {u"listen"_s, QString::number(listen)},
        {u"deviceName"_s, QString(name + u"%d"_s)}};
}

const QJsonObject kSecret {{u"password"_s, u"pw"_s}};

} // namespace

class tst_LinuxHostAddresses : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parseRouteTable();
    void initTestCase();
    void readsAddressesAndRoutes();
    void operatorIsRefusedHostRoutes_data();
    void operatorIsRefusedHostRoutes();
    void operatorMayUsePrivateRanges();
    void adminMayUseAnyAddress();

private:
    QString m_namespaceFailure;
};

void tst_LinuxHostAddresses::parseRouteTable()
{
    // As the kernel prints it (little-endian host): default via 192.168.1.1, 192.168.1.0/24, 10.8.0.0/16.
    const QByteArray table = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
                             "wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0\n"
                             "wlan0\t0001A8C0\t00000000\t0001\t0\t0\t600\t00FFFFFF\t0\t0\t0\n"
                             "tun0\t0000080A\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n"
                             "garbage\n";
    const QList<HostRoute> routes = HostAddresses::parseRouteTable(table);
    QCOMPARE(routes.size(), 3);
    QVERIFY(hasRoute(routes, u"0.0.0.0"_s, 0, u"wlan0"_s));
    QVERIFY(hasRoute(routes, u"192.168.1.0"_s, 24, u"wlan0"_s));
    QVERIFY(hasRoute(routes, u"10.8.0.0"_s, 16, u"tun0"_s));
}

void tst_LinuxHostAddresses::initTestCase()
{
    if (!Test::runningAsRoot()) {
        m_namespaceFailure = u"needs root (a private network namespace)"_s;
        return;
    }
    m_namespaceFailure = Test::enterPrivateNetworkNamespace();
    QVERIFY2(m_namespaceFailure.isEmpty(), qPrintable(m_namespaceFailure));
    for (const QString &command : {u"link add lan0 type veth peer name lan1"_s,
             u"link set lan1 up"_s,
             u"addr add 192.168.77.1/24 dev lan0"_s,
             u"link set lan0 up"_s,
             u"route add 172.20.0.0/16 dev lan0"_s,
             u"route add default via 192.168.77.254"_s}) {
        const QString failure = run(command.split(u' '));
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
    }
}

void tst_LinuxHostAddresses::readsAddressesAndRoutes()
{
    if (!m_namespaceFailure.isEmpty())
        QSKIP(qPrintable(m_namespaceFailure));
    const Result<QList<HostRoute>> host = HostAddresses::read();
    QVERIFY2(host, qPrintable(host ? QString() : host.error().message));
    QVERIFY(hasRoute(*host, u"127.0.0.1"_s, 8, u"lo"_s));
    QVERIFY(hasRoute(*host, u"192.168.77.1"_s, 24, u"lan0"_s));
    QVERIFY(hasRoute(*host, u"192.168.77.0"_s, 24, u"lan0"_s));
    QVERIFY(hasRoute(*host, u"172.20.0.0"_s, 16, u"lan0"_s));
    QVERIFY(hasRoute(*host, u"0.0.0.0"_s, 0, u"lan0"_s));
}

void tst_LinuxHostAddresses::operatorIsRefusedHostRoutes_data()
{
    QTest::addColumn<QString>("ip");
    QTest::addColumn<QString>("rule");
    QTest::addRow("half the Internet") << u"128.0.0.1/1"_s << u"wider than /8"_s;
    QTest::addRow("a quarter") << u"64.0.0.1/2"_s << u"wider than /8"_s;
    QTest::addRow("a public host") << u"8.8.8.8/32"_s << u"not in a private range"_s;
    QTest::addRow("the gateway") << u"192.168.77.254/32"_s << u"overlaps 192.168.77.0/24"_s;
    QTest::addRow("the LAN") << u"192.168.77.50/24"_s << u"overlaps"_s;
    QTest::addRow("a routed range") << u"172.20.1.1/24"_s << u"overlaps 172.20.0.0/16"_s;
}

void tst_LinuxHostAddresses::operatorIsRefusedHostRoutes()
{
    if (!m_namespaceFailure.isEmpty())
        QSKIP(qPrintable(m_namespaceFailure));
    QFETCH(QString, ip);
    QFETCH(QString, rule);
    HelperService service(HelperService::Mode::Service);
    const Result<QString> connected
        = service.connectNetwork(profile(u"op"_s, ip, 3301), kSecret, ControlCaller {Protocol::Role::Operator, 1000});
    QVERIFY2(!connected, "an operator connected a network that takes over host routes");
    QCOMPARE(connected.error().code, Protocol::errorCodeName(Protocol::ErrorCode::PermissionDenied));
    QVERIFY2(connected.error().message.contains(rule), qPrintable(connected.error().message));
    QCOMPARE(service.status().value(u"networks"_s).toArray().size(), 0);
}

void tst_LinuxHostAddresses::operatorMayUsePrivateRanges()
{
    if (!m_namespaceFailure.isEmpty())
        QSKIP(qPrintable(m_namespaceFailure));
    HelperService service(HelperService::Mode::Service);
    const ControlCaller op {Protocol::Role::Operator, 1000};
    Result<QString> connected = service.connectNetwork(profile(u"one"_s, u"10.9.0.1/24"_s, 3302), kSecret, op);
    QVERIFY2(connected, qPrintable(connected ? QString() : connected.error().message));
    // A second network: the first one's device and route are now on the host, and do not count against it.
    connected = service.connectNetwork(profile(u"two"_s, u"100.64.3.1/24"_s, 3303), kSecret, op);
    QVERIFY2(connected, qPrintable(connected ? QString() : connected.error().message));
    // An admin-allowed range.
    service.setAddressPolicy(AddressPolicySettings {{Ipv4Prefix::parse(u"198.51.100.0/24"_s).value()}});
    connected = service.connectNetwork(profile(u"three"_s, u"198.51.100.9/24"_s, 3304), kSecret, op);
    QVERIFY2(connected, qPrintable(connected ? QString() : connected.error().message));
    service.closeAll();
}

void tst_LinuxHostAddresses::adminMayUseAnyAddress()
{
    if (!m_namespaceFailure.isEmpty())
        QSKIP(qPrintable(m_namespaceFailure));
    HelperService service(HelperService::Mode::Service);
    const Result<QString> connected = service.connectNetwork(
        profile(u"adm"_s, u"128.0.0.1/1"_s, 3305), kSecret, ControlCaller {Protocol::Role::Admin, 0});
    QVERIFY2(connected, qPrintable(connected ? QString() : connected.error().message));
    service.closeAll();
}

QTEST_GUILESS_MAIN(tst_LinuxHostAddresses)
#include "tst_linuxhostaddresses.moc"
