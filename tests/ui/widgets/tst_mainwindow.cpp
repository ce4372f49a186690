#include <QAbstractItemModelTester>
#include <QClipboard>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QSettings>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include "tests/fakes/ui/fakecontrolclient.h"
#include "tests/fakes/ui/fakesecretstore.h"
#include "tests/fakes/ui/fakeuserprompter.h"
#include "tests/support/sampledata.h"
#include "ui/common/appsettings.h"
#include "ui/common/autostart.h"
#include "ui/connection/connectioncontroller.h"
#include "ui/profiles/profilemanager.h"
#include "ui/profiles/profilestore.h"
#include "ui/widgets/copyabletableview.h"
#include "ui/widgets/mainwindow.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

class tst_MainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void showsLiveData();
    void copiesEventsWithCtrlC();
    void filterAppliesToTables();
    void connectButtonTogglesSelectedProfile();
    void closeHidesWhenTrayExists();
    void helperProblemIsExplained();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<Test::FakeControlClient> m_client;
    std::unique_ptr<Test::FakeSecretStore> m_secrets;
    std::unique_ptr<Test::FakeUserPrompter> m_prompter;
    std::unique_ptr<ProfileStore> m_store;
    std::unique_ptr<AppSettings> m_appSettings;
    std::unique_ptr<Autostart> m_autostart;
    std::unique_ptr<ConnectionController> m_controller;
    std::unique_ptr<ProfileManager> m_manager;
    std::unique_ptr<MainWindow> m_window;
};

void tst_MainWindow::init()
{
    m_settings = std::make_unique<QSettings>(m_dir.filePath(u"s.ini"_s), QSettings::IniFormat);
    m_settings->clear();
    m_client = std::make_unique<Test::FakeControlClient>();
    m_secrets = std::make_unique<Test::FakeSecretStore>();
    m_prompter = std::make_unique<Test::FakeUserPrompter>();
    m_store = std::make_unique<ProfileStore>(*m_settings);
    m_appSettings = std::make_unique<AppSettings>(*m_settings);
    m_autostart = std::make_unique<Autostart>(m_dir.filePath(u"autostart"_s));
    for (const QString &name : {u"office"_s, u"lab"_s}) {
        ClientProfile p;
        p.name = name;
        QVERIFY(m_store->save(p));
    }
    m_controller = std::make_unique<ConnectionController>(*m_client, *m_store, *m_secrets, *m_prompter);
    m_controller->setPeerRefreshInterval(0);
    m_manager = std::make_unique<ProfileManager>(*m_store, *m_secrets, *m_prompter, *m_client);
    m_window = std::make_unique<MainWindow>(*m_controller, *m_manager, *m_store, *m_appSettings, *m_autostart);
    m_client->setSnapshot(Test::Sample::snapshot(250, 1'700'000'000'000));
    m_client->setLink(ControlClient::State::Ready);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void tst_MainWindow::cleanup()
{
    m_window.reset();
    m_manager.reset();
    m_controller.reset();
}

void tst_MainWindow::showsLiveData()
{
    QCOMPARE(m_window->peersView()->model()->rowCount(), 252);
    QAbstractItemModelTester tester(
        m_window->peersView()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(m_window->claimsView()->model()->rowCount() > 3);
    QCOMPARE(m_window->eventsView()->model()->rowCount(), 6);
    QVERIFY(m_window->tabs()->tabText(0).contains(u"252"_s));
    m_client->sendEvent(u"peer.connected"_s, Test::Sample::peer(u"office"_s, 300, 1'700'000'000'000));
    QCOMPARE(m_window->peersView()->model()->rowCount(), 253);
    QVERIFY(m_window->tabs()->tabText(0).contains(u"253"_s));
    // Newest events first.
    m_client->sendEvent(
        u"route.failover"_s, Test::Sample::failover(u"office"_s, u"10.0.0.1/32"_s, 1, 0, 700), 1'800'000'000'000);
    QVERIFY(m_window->eventsView()->model()->index(0, 3).data().toString().contains(u"10.0.0.1/32"_s));
}

void tst_MainWindow::copiesEventsWithCtrlC()
{
    m_window->tabs()->setCurrentIndex(2);
    CopyableTableView *view = m_window->eventsView();
    view->setFocus();
    view->selectRow(0);
    QGuiApplication::clipboard()->clear();
    QTest::keySequence(view, QKeySequence::Copy);
    const QString text = QGuiApplication::clipboard()->text();
    QVERIFY2(text.contains(u"office"_s) || text.contains(u"lab"_s), qPrintable(text));
    QCOMPARE(text.count(u'\n'), 1);
    view->selectAll();
    QCOMPARE(view->selectedText().count(u'\n'), 6);
}

void tst_MainWindow::filterAppliesToTables()
{
    auto *filter = m_window->findChild<QLineEdit *>();
    QVERIFY(filter);
    filter->setText(Test::Sample::address(7));
    QCOMPARE(m_window->peersView()->model()->rowCount(), 1);
    filter->clear();
    QCOMPARE(m_window->peersView()->model()->rowCount(), 252);
}

void tst_MainWindow::connectButtonTogglesSelectedProfile()
{
    m_window->selectProfile(u"office"_s);
    QPushButton *button = nullptr;
    for (QPushButton *b : m_window->findChildren<QPushButton *>())
        if (b->text() == u"Disconnect"_s)
            button = b;
    QVERIFY(button);
    QVERIFY(button->isEnabled());
    button->click();
    QCOMPARE(m_client->requests().constLast().method, u"networks.disconnect"_s);
    QVERIFY(!button->isEnabled());
}

void tst_MainWindow::closeHidesWhenTrayExists()
{
    m_window->setHideOnClose(true);
    m_window->close();
    QVERIFY(!m_window->isVisible());
    m_window->showAndRaise();
    QVERIFY(m_window->isVisible());
    m_window->setHideOnClose(false);
    QVERIFY(m_window->close());
}

void tst_MainWindow::helperProblemIsExplained()
{
    m_client->setLink(ControlClient::State::PermissionDenied);
    bool found = false;
    for (QLabel *label : m_window->findChildren<QLabel *>())
        found = found || (label->isVisible() && label->text().contains(u"usermod -aG nimbus"_s));
    QVERIFY(found);
    QCOMPARE(m_window->peersView()->model()->rowCount(), 0);
}

} // namespace Nimbus

QTEST_MAIN(Nimbus::tst_MainWindow)
#include "tst_mainwindow.moc"
