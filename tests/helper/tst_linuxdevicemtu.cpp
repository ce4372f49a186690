#include <initializer_list>

#include <QTemporaryDir>
#include <QTest>

#include "helper/platform/linux/tundevice.h"

using namespace Qt::Literals::StringLiterals;
using Nimbus::DeviceType;

namespace
{

const QByteArray kHeader = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n";

QByteArray routeLine(const char *iface, const char *destination, const char *gateway, const char *mask)
{
    return QByteArray(iface) + '\t' + destination + '\t' + gateway + "\t0003\t0\t0\t0\t" + mask + "\t0\t0\t0\n";
}

// Joins the lines of a route table (QByteArray + QByteArray would be a QStringBuilder, not a QByteArray).
QByteArray table(std::initializer_list<QByteArray> lines)
{
    QByteArray result;
    for (const QByteArray &line : lines)
        result.append(line);
    return result;
}

QString writeRouteFile(const QTemporaryDir &dir, const QByteArray &content)
{
    const QString path = dir.filePath(u"route"_s);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
        return QString();
    return path;
}

} // namespace

class tst_LinuxDeviceMtu : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaultInterfaceFromRouteTable_data();
    void defaultInterfaceFromRouteTable();
    void overhead();
    void defaultInterfaceMtuFromFile();
    void defaultInterfaceMtuFallback_data();
    void defaultInterfaceMtuFallback();
    void tunMtuFollowsDefaultInterface();
    void interfaceQueriesRejectBadNames_data();
    void interfaceQueriesRejectBadNames();
    void removeStaleDeviceWithoutDevice();
};

void tst_LinuxDeviceMtu::defaultInterfaceFromRouteTable_data()
{
    QTest::addColumn<QByteArray>("table");
    QTest::addColumn<QString>("expected");

    QTest::addRow("typical") << table({kHeader,
        routeLine("eth0", "00000000", "0101A8C0", "00000000"),
        routeLine("eth0", "0001A8C0", "00000000", "00FFFFFF")})
                             << u"eth0"_s;
    QTest::addRow("default not first") << table({kHeader,
        routeLine("docker0", "000011AC", "00000000", "0000FFFF"),
        routeLine("wlp2s0", "00000000", "FE01A8C0", "00000000"),
        routeLine("eth1", "00000000", "0102A8C0", "00000000")})
                                       << u"wlp2s0"_s;
    QTest::addRow("default without gateway")
        << table({kHeader, routeLine("ppp0", "00000000", "00000000", "00000000")}) << u"ppp0"_s;
    QTest::addRow("last gateway route") << table({kHeader,
        routeLine("eth0", "0000000A", "0100000A", "000000FF"),
        routeLine("eth1", "0001A8C0", "00000000", "00FFFFFF"),
        routeLine("eth2", "0000100A", "0100100A", "0000FFFF"),
        routeLine("eth3", "0002A8C0", "00000000", "00FFFFFF")})
                                        << u"eth2"_s;
    QTest::addRow("no route with a gateway")
        << table({kHeader, routeLine("eth0", "0001A8C0", "00000000", "00FFFFFF")}) << QString();
    QTest::addRow("header only") << kHeader << QString();
    QTest::addRow("empty") << QByteArray() << QString();
    QTest::addRow("no trailing newline") << table(
        {kHeader, routeLine("eth0", "00000000", "0101A8C0", "00000000").chopped(1)})
                                         << u"eth0"_s;
    QTest::addRow("malformed lines skipped") << table(
        {kHeader, "garbage\n", "eth9\tzzzzzzzz\t00000000\n", "eth8\n", routeLine("eth0", "00000000", "0101A8C0", "0")})
                                             << u"eth0"_s;
    QTest::addRow("binary junk") << QByteArray("\0\xff\n\t\t\n", 6) << QString();
}

void tst_LinuxDeviceMtu::defaultInterfaceFromRouteTable()
{
    QFETCH(QByteArray, table);
    QFETCH(QString, expected);
    QCOMPARE(Nimbus::defaultInterfaceFromRouteTable(table), expected);
}

void tst_LinuxDeviceMtu::overhead()
{
    // Spec §1.6: 1500-byte uplink gives 1427 (TUN) / 1413 (TAP).
    QCOMPARE(Nimbus::deviceOverhead(DeviceType::Tun), 73);
    QCOMPARE(Nimbus::deviceOverhead(DeviceType::Tap), 87);
    QCOMPARE(Nimbus::kFallbackUplinkMtu - Nimbus::deviceOverhead(DeviceType::Tun), 1427);
    QCOMPARE(Nimbus::kFallbackUplinkMtu - Nimbus::deviceOverhead(DeviceType::Tap), 1413);
}

void tst_LinuxDeviceMtu::defaultInterfaceMtuFromFile()
{
    // The loopback interface exists everywhere; point the "default route" at it.
    const auto loMtu = Nimbus::interfaceMtu(u"lo"_s);
    QVERIFY2(loMtu.ok(), qPrintable(loMtu.ok() ? QString() : loMtu.error().message));
    QVERIFY(*loMtu > 0);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = writeRouteFile(dir, table({kHeader, routeLine("lo", "00000000", "00000000", "00000000")}));
    QVERIFY(!path.isEmpty());
    QCOMPARE(Nimbus::defaultInterfaceMtu(path), *loMtu);
}

void tst_LinuxDeviceMtu::defaultInterfaceMtuFallback_data()
{
    QTest::addColumn<QByteArray>("table");
    QTest::addColumn<bool>("createFile");

    QTest::addRow("missing file") << QByteArray() << false;
    QTest::addRow("no default route") << kHeader << true;
    QTest::addRow("unknown interface") << table({kHeader, routeLine("nimbusnone0", "00000000", "0101A8C0", "00000000")})
                                       << true;
    QTest::addRow("invalid interface name")
        << table({kHeader, routeLine("a/b", "00000000", "0101A8C0", "00000000")}) << true;
}

void tst_LinuxDeviceMtu::defaultInterfaceMtuFallback()
{
    QFETCH(QByteArray, table);
    QFETCH(bool, createFile);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = createFile ? writeRouteFile(dir, table) : dir.filePath(u"missing"_s);
    QVERIFY(!path.isEmpty());
    QCOMPARE(Nimbus::defaultInterfaceMtu(path), 1500);
}

void tst_LinuxDeviceMtu::tunMtuFollowsDefaultInterface()
{
    const int uplink = Nimbus::defaultInterfaceMtu();
    QVERIFY(uplink > 0);
    QCOMPARE(Nimbus::tunMtu(DeviceType::Tun), uplink - 73);
    QCOMPARE(Nimbus::tunMtu(DeviceType::Tap), uplink - 87);
}

void tst_LinuxDeviceMtu::interfaceQueriesRejectBadNames_data()
{
    QTest::addColumn<QString>("name");

    QTest::addRow("empty") << QString();
    QTest::addRow("too long") << u"abcdefghijklmnop"_s;
    QTest::addRow("slash") << u"a/b"_s;
    QTest::addRow("space") << u"a b"_s;
    QTest::addRow("pattern") << u"nimbus%d"_s;
    QTest::addRow("missing") << u"nimbusnone0"_s;
}

void tst_LinuxDeviceMtu::interfaceQueriesRejectBadNames()
{
    QFETCH(QString, name);
    const auto mtu = Nimbus::interfaceMtu(name);
    QVERIFY(!mtu.ok());
    QVERIFY(!mtu.error().message.isEmpty());
    const auto address = Nimbus::interfaceIpv4Address(name);
    QVERIFY(!address.ok());
    QVERIFY(!address.error().message.isEmpty());
}

void tst_LinuxDeviceMtu::removeStaleDeviceWithoutDevice()
{
    // Nothing of that name: nothing to do, and no privileges needed to find that out.
    const auto removed = Nimbus::removeStaleDevice(u"nimbusnone0"_s);
    QVERIFY2(removed.ok(), qPrintable(removed.ok() ? QString() : removed.error().message));
    QCOMPARE(*removed, false);
    QVERIFY(!Nimbus::removeStaleDevice(u"bad/name"_s).ok());
    QVERIFY(!Nimbus::removeStaleDevice(u"nimbus%d"_s).ok());
}

QTEST_GUILESS_MAIN(tst_LinuxDeviceMtu)
#include "tst_linuxdevicemtu.moc"
