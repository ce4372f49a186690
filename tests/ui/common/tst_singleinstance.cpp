#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "ui/common/singleinstance.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

class tst_SingleInstance : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void secondLaunchRaisesFirst();
    void staleSocketIsReplaced();
    void defaultNameInRuntimeDir();
};

void tst_SingleInstance::secondLaunchRaisesFirst()
{
    QTemporaryDir dir;
    const QString name = dir.filePath(u"instance"_s);
    SingleInstance first(name);
    QVERIFY(first.claim());
    QSignalSpy activated(&first, &SingleInstance::activationRequested);
    SingleInstance second(name);
    QVERIFY(!second.claim());
    QVERIFY(activated.wait(5000));
    QCOMPARE(activated.count(), 1);
}

void tst_SingleInstance::staleSocketIsReplaced()
{
    QTemporaryDir dir;
    const QString name = dir.filePath(u"instance"_s);
    {
        QFile stale(name);
        QVERIFY(stale.open(QIODevice::WriteOnly));
    }
    SingleInstance first(name);
    QVERIFY(first.claim());
    SingleInstance second(name);
    QVERIFY(!second.claim());
}

void tst_SingleInstance::defaultNameInRuntimeDir()
{
    QVERIFY(SingleInstance::defaultServerName().endsWith(u"/org.nimbusvpn.Nimbus.instance"_s));
}

} // namespace Nimbus

QTEST_GUILESS_MAIN(Nimbus::tst_SingleInstance)
#include "tst_singleinstance.moc"
