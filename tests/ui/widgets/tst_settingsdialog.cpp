#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "ui/common/appsettings.h"
#include "ui/common/clientoptions.h"
#include "ui/widgets/settingsdialog.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

class tst_SettingsDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTripsValues_data();
    void roundTripsValues();
    void editsReturnNewValues();
    void appSettingsPersist();
    void socketOption_data();
    void socketOption();
};

void tst_SettingsDialog::roundTripsValues_data()
{
    QTest::addColumn<UiSettings>("values");
    QTest::addRow("defaults") << UiSettings {};
    QTest::addRow("all on") << UiSettings {true, true, true, TrayTheme::Dark};
    QTest::addRow("all off") << UiSettings {false, false, false, TrayTheme::Monochrome};
    QTest::addRow("light") << UiSettings {true, false, true, TrayTheme::Light};
}

void tst_SettingsDialog::roundTripsValues()
{
    QFETCH(UiSettings, values);
    SettingsDialog dialog(values);
    QCOMPARE(dialog.values(), values);
}

void tst_SettingsDialog::editsReturnNewValues()
{
    SettingsDialog dialog(UiSettings {});
    const QList<QCheckBox *> boxes = dialog.findChildren<QCheckBox *>();
    QCOMPARE(boxes.size(), 3);
    for (QCheckBox *box : boxes)
        box->click();
    auto *combo = dialog.findChild<QComboBox *>();
    combo->setCurrentIndex(combo->count() - 1);
    const UiSettings v = dialog.values();
    QCOMPARE(v.notifications, false);
    QCOMPARE(v.autostart, true);
    QCOMPARE(v.startMinimized, true);
    QCOMPARE(v.trayTheme, TrayTheme::Dark);
}

void tst_SettingsDialog::appSettingsPersist()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"s.ini"_s);
    {
        QSettings settings(path, QSettings::IniFormat);
        AppSettings app(settings);
        QVERIFY(app.notificationsEnabled());
        QVERIFY(!app.startMinimized());
        QCOMPARE(app.trayTheme(), TrayTheme::Auto);
        QSignalSpy changed(&app, &AppSettings::changed);
        app.setNotificationsEnabled(false);
        app.setNotificationsEnabled(false);
        app.setStartMinimized(true);
        app.setTrayTheme(TrayTheme::Light);
        QCOMPARE(changed.count(), 3);
    }
    QSettings settings(path, QSettings::IniFormat);
    AppSettings app(settings);
    QVERIFY(!app.notificationsEnabled());
    QVERIFY(app.startMinimized());
    QCOMPARE(app.trayTheme(), TrayTheme::Light);
}

void tst_SettingsDialog::socketOption_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("environment");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<bool>("minimized");
    QTest::addRow("default") << QStringList {u"nimbus"_s} << QString() << u"/run/nimbus/control.sock"_s << false;
    QTest::addRow("environment") << QStringList {u"nimbus"_s} << u"/tmp/env.sock"_s << u"/tmp/env.sock"_s << false;
    QTest::addRow("option wins") << QStringList {u"nimbus"_s, u"--socket"_s, u"/tmp/opt.sock"_s, u"--minimized"_s}
                                 << u"/tmp/env.sock"_s << u"/tmp/opt.sock"_s << true;
    QTest::addRow("equals form") << QStringList {u"nimbus"_s, u"--socket=/tmp/eq.sock"_s} << QString()
                                 << u"/tmp/eq.sock"_s << false;
}

void tst_SettingsDialog::socketOption()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, environment);
    QFETCH(QString, expected);
    QFETCH(bool, minimized);
    QProcessEnvironment env;
    if (!environment.isEmpty())
        env.insert(u"NIMBUS_SOCKET"_s, environment);
    const ClientOptions options = ClientOptions::parse(arguments, env);
    QCOMPARE(options.socketPath, expected);
    QCOMPARE(options.minimized, minimized);
}

} // namespace Nimbus

QTEST_MAIN(Nimbus::tst_SettingsDialog)
#include "tst_settingsdialog.moc"
