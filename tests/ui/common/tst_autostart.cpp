#include <QFile>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include "ui/common/autostart.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

class tst_Autostart : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void enableAndDisable();
    void quotesPaths();
    void defaultDirectoryIsXdgAutostart();
};

void tst_Autostart::enableAndDisable()
{
    QTemporaryDir dir;
    Autostart autostart(dir.filePath(u"autostart"_s));
    QVERIFY(!autostart.isEnabled());
    QVERIFY(autostart.setEnabled(true, u"/usr/bin/nimbus"_s));
    QVERIFY(autostart.isEnabled());
    QCOMPARE(autostart.filePath(), dir.filePath(u"autostart/org.nimbusvpn.Nimbus.desktop"_s));
    QSettings entry(autostart.filePath(), QSettings::IniFormat);
    entry.beginGroup(u"Desktop Entry"_s);
    QCOMPARE(entry.value(u"Type"_s).toString(), u"Application"_s);
    QCOMPARE(entry.value(u"Exec"_s).toString(), u"/usr/bin/nimbus --minimized"_s);
    QCOMPARE(entry.value(u"Icon"_s).toString(), u"org.nimbusvpn.Nimbus"_s);
    QVERIFY(autostart.setEnabled(false, QString()));
    QVERIFY(!autostart.isEnabled());
    QVERIFY(!QFile::exists(autostart.filePath()));
    QVERIFY(autostart.setEnabled(false, QString()));
}

void tst_Autostart::quotesPaths()
{
    const QString text = QString::fromUtf8(Autostart::entry(u"/opt/my apps/nimbus"_s));
    QVERIFY(text.contains(u"Exec=\"/opt/my apps/nimbus\" --minimized\n"_s));
    QVERIFY(QString::fromUtf8(Autostart::entry(u"/opt/$x/nimbus"_s)).contains(u"Exec=\"/opt/\\$x/nimbus\""_s));
}

void tst_Autostart::defaultDirectoryIsXdgAutostart()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(Autostart::defaultDirectory().endsWith(u"/autostart"_s));
}

} // namespace Nimbus

QTEST_GUILESS_MAIN(Nimbus::tst_Autostart)
#include "tst_autostart.moc"
