#include <QAbstractItemModelTester>
#include <QAccessible>
#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QSettings>
#include <QTabBar>
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
#include "ui/models/availabilitymodel.h"
#include "ui/models/nodenames.h"
#include "ui/profiles/nodelabels.h"
#include "ui/profiles/profilemanager.h"
#include "ui/profiles/profilestore.h"
#include "ui/widgets/availabilityview.h"
#include "ui/widgets/copyabletableview.h"
#include "ui/widgets/mainwindow.h"
#include "ui/widgets/trafficchart.h"

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
    void accessibleNamesAndRoles();
    void tabOrder();
    void everyViewByShortcut();
    void nameNodeFromKeyboard();
    void nameNodeInContextMenus();
    void namesInStatusAndAvailability();

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
    std::unique_ptr<NodeLabels> m_labels;
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
    m_labels = std::make_unique<NodeLabels>(*m_settings);
    m_window->setNodeLabels(m_labels.get());
    m_window->setUserPrompter(m_prompter.get());
    m_client->setSnapshot(Test::Sample::snapshot(250, 1'700'000'000'000));
    m_client->setLink(ControlClient::State::Ready);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void tst_MainWindow::cleanup()
{
    m_window.reset();
    m_labels.reset();
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

void tst_MainWindow::accessibleNamesAndRoles()
{
    struct Expected {
        QWidget *widget;
        QString name;
        QAccessible::Role role;
    };
    const QList<Expected> expected {
        {m_window->peersView(), u"Peers"_s, QAccessible::Table},
        {m_window->claimsView(), u"Claimed addresses"_s, QAccessible::Table},
        {m_window->eventsView(), u"Events"_s, QAccessible::Table},
        {m_window->availabilityView(), u"Availability"_s, QAccessible::Client},
        {m_window->findChild<TrafficChart *>(), u"Traffic of the last minute"_s, QAccessible::Chart},
        {m_window->findChild<QLineEdit *>(), u"Filter"_s, QAccessible::EditableText},
    };
    for (const Expected &e : expected) {
        QVERIFY(e.widget);
        QAccessibleInterface *a = QAccessible::queryAccessibleInterface(e.widget);
        QVERIFY2(a, qPrintable(e.name));
        QCOMPARE(a->text(QAccessible::Name), e.name);
        QCOMPARE(a->role(), e.role);
        if (e.role != QAccessible::EditableText)
            QVERIFY2(!a->text(QAccessible::Description).isEmpty(), qPrintable(e.name));
    }
    // The chart says what it shows in words.
    QVERIFY(QAccessible::queryAccessibleInterface(m_window->findChild<TrafficChart *>())
                ->text(QAccessible::Description)
                .startsWith(u"Receiving "_s));
}

void tst_MainWindow::tabOrder()
{
    m_window->activateWindow();
    QTRY_VERIFY(m_window->isActiveWindow());
    auto *profiles = m_window->findChild<QListView *>();
    profiles->setFocus(Qt::TabFocusReason);
    QTRY_COMPARE(QApplication::focusWidget(), profiles);
    QList<QWidget *> order;
    for (int i = 0; i < 8; ++i) {
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        order.append(QApplication::focusWidget());
    }
    QPushButton *connect = nullptr;
    for (QPushButton *b : m_window->findChildren<QPushButton *>())
        if (b->text() == u"Disconnect"_s || b->text() == u"Connect"_s)
            connect = b;
    const QList<QWidget *> wanted {connect,
        m_window->findChild<TrafficChart *>(),
        m_window->findChild<QLineEdit *>(),
        m_window->tabs()->tabBar(),
        m_window->peersView()};
    // In this order (the details label may sit between the list and the button).
    qsizetype at = -1;
    for (QWidget *w : wanted) {
        const qsizetype next = order.indexOf(w, at + 1);
        QVERIFY2(next > at, w ? w->metaObject()->className() : "null");
        at = next;
    }
    // Back again with Shift+Tab.
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Backtab);
    QVERIFY(QApplication::focusWidget() != m_window->peersView());
}

void tst_MainWindow::everyViewByShortcut()
{
    m_window->activateWindow();
    QTRY_VERIFY(m_window->isActiveWindow());
    const QList<std::pair<Qt::Key, QWidget *>> views {{Qt::Key_3, m_window->eventsView()},
        {Qt::Key_4, m_window->availabilityView()},
        {Qt::Key_2, m_window->claimsView()},
        {Qt::Key_1, m_window->peersView()}};
    for (const auto &[key, view] : views) {
        QTest::keyClick(m_window.get(), key, Qt::ControlModifier);
        QCOMPARE(m_window->tabs()->currentWidget(), view);
        QTRY_COMPARE(QApplication::focusWidget(), view);
    }
    QTest::keySequence(m_window.get(), QKeySequence::Find);
    QTRY_COMPARE(QApplication::focusWidget(), m_window->findChild<QLineEdit *>());
    // Every menu entry but About has a shortcut or is in a menu reachable with Alt.
    for (QAction *menu : m_window->menuBar()->actions())
        QVERIFY2(menu->text().contains(u'&'), qPrintable(menu->text()));
}

void tst_MainWindow::nameNodeFromKeyboard()
{
    m_window->activateWindow();
    QTest::keyClick(m_window.get(), Qt::Key_1, Qt::ControlModifier);
    CopyableTableView *peers = m_window->peersView();
    QTRY_COMPARE(QApplication::focusWidget(), peers);
    peers->selectRow(0);
    const QString before = peers->model()->index(0, PeerModel::NodeId).data().toString();
    const QString address = peers->model()->index(0, PeerModel::Address).data().toString();
    m_prompter->textAnswer = u"Gateway"_s;
    QTest::keyClick(peers, Qt::Key_F2);
    QCOMPARE(m_prompter->textRequests.size(), 1);
    QVERIFY2(m_prompter->textRequests.at(0).contains(before), qPrintable(m_prompter->textRequests.at(0)));
    QCOMPARE(peers->model()->index(0, PeerModel::NodeId).data().toString(), u"Gateway"_s);
    QCOMPARE(m_labels->labels(u"office"_s).size(), 1);
    QCOMPARE(m_labels->labels(u"office"_s).at(0).address, address);
    // Cancelling changes nothing; an empty answer removes the label.
    m_prompter->textAnswer.reset();
    QTest::keyClick(peers, Qt::Key_F2);
    QCOMPARE(peers->model()->index(0, PeerModel::NodeId).data().toString(), u"Gateway"_s);
    m_prompter->textAnswer = QString();
    QTest::keyClick(peers, Qt::Key_F2);
    QCOMPARE(peers->model()->index(0, PeerModel::NodeId).data().toString(), before);
}

void tst_MainWindow::nameNodeInContextMenus()
{
    QMenu menu;
    CopyableTableView *peers = m_window->peersView();
    Q_EMIT peers->contextMenuAboutToShow(&menu, peers->model()->index(0, 0));
    QCOMPARE(menu.actions().size(), 1);
    QCOMPARE(menu.actions().at(0)->text(), u"&Name This Node…"_s);
    // A shared address: one entry per claimant, the serving node first.
    QMenu claimsMenu;
    CopyableTableView *claims = m_window->claimsView();
    m_window->findChild<QLineEdit *>()->setText(u"10.0.0.1/32"_s);
    QCOMPARE(claims->model()->rowCount(), 1);
    Q_EMIT claims->contextMenuAboutToShow(&claimsMenu, claims->model()->index(0, 0));
    QCOMPARE(claimsMenu.actions().size(), 2);
    QCOMPARE(claimsMenu.actions().at(0)->text(), u"Name %1…"_s.arg(Test::Sample::nodeId(1).left(8)));
    m_prompter->textAnswer = u"Primary"_s;
    claimsMenu.actions().at(1)->trigger();
    QCOMPARE(claims->model()->index(0, ClaimModel::OtherClaimants).data().toString(), u"Primary"_s);
}

void tst_MainWindow::namesInStatusAndAvailability()
{
    m_client->setSnapshot(Test::Sample::namedSnapshot(5, QDateTime::currentMSecsSinceEpoch()));
    m_controller->resubscribe();
    QTRY_VERIFY(m_window->availabilityModel()->entry(u"office"_s, u"10.0.0.1/32"_s).has_value());
    QCOMPARE(m_window->availabilityModel()->entry(u"office"_s, u"10.0.0.1/32"_s)->nodes.at(0).name, u"server-b"_s);
    QVERIFY(m_window->tabs()->tabText(3).startsWith(u"Availability ("_s));
    QVERIFY(m_window->availabilityView()->card(u"office"_s, u"10.0.0.1/32"_s));
    m_window->findChild<QLineEdit *>()->setText(u"server-c"_s);
    QCOMPARE(m_window->availabilityView()->shownKeys().size(), 1);
    m_window->findChild<QLineEdit *>()->clear();
    m_window->selectProfile(u"office"_s);
    bool found = false;
    for (QLabel *label : m_window->findChildren<QLabel *>()) {
        found = found
            || label->text().contains(
                u"Last route change of 10.0.0.1/32: Failover: server-a → server-b, no path for 420 ms"_s);
    }
    QVERIFY(found);
}

} // namespace Nimbus

QTEST_MAIN(Nimbus::tst_MainWindow)
#include "tst_mainwindow.moc"
