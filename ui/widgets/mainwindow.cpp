#include "ui/widgets/mainwindow.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QCoreApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>
#include <QVBoxLayout>

#include "ui/common/appsettings.h"
#include "ui/common/autostart.h"
#include "ui/common/format.h"
#include "ui/connection/connectioncontroller.h"
#include "ui/connection/errortext.h"
#include "ui/models/availabilitymodel.h"
#include "ui/models/claimmodel.h"
#include "ui/models/eventmodel.h"
#include "ui/models/nodenames.h"
#include "ui/models/peermodel.h"
#include "ui/profiles/nodelabels.h"
#include "ui/profiles/profilelistmodel.h"
#include "ui/profiles/profilemanager.h"
#include "ui/profiles/profilestore.h"
#include "ui/tray/iconprovider.h"
#include "ui/widgets/availabilityview.h"
#include "ui/widgets/copyabletableview.h"
#include "ui/widgets/settingsdialog.h"
#include "ui/widgets/trafficchart.h"
#include "ui/widgets/widgetuserprompter.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

namespace
{

constexpr int kSortRole = Qt::UserRole + 1;
static_assert(
    PeerModel::SortRole == kSortRole && ClaimModel::SortRole == kSortRole && EventModel::SortRole == kSortRole);

QSortFilterProxyModel *proxyFor(QAbstractItemModel *source, QObject *parent)
{
    auto *proxy = new QSortFilterProxyModel(parent);
    proxy->setSourceModel(source);
    proxy->setSortRole(kSortRole);
    proxy->setFilterKeyColumn(-1);
    proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    proxy->setSortCaseSensitivity(Qt::CaseInsensitive);
    proxy->setDynamicSortFilter(true);
    return proxy;
}

} // namespace

MainWindow::MainWindow(ConnectionController &controller,
    ProfileManager &profileManager,
    ProfileStore &profiles,
    AppSettings &settings,
    Autostart &autostart,
    QWidget *parent)
    : QMainWindow(parent)
    , m_controller(controller)
    , m_profileManager(profileManager)
    , m_profiles(profiles)
    , m_settings(settings)
    , m_autostart(autostart)
    , m_profileModel(new ProfileListModel(profiles, controller, this))
    , m_names(new NodeNames(this))
{
    setWindowTitle(tr("Nimbus"));
    setWindowIcon(IconProvider::appIcon());
    // Labels live in the application's settings unless the caller hands over its own store (setNodeLabels).
    m_labelSettings = new QSettings(this);
    m_ownLabels = new NodeLabels(*m_labelSettings, this);
    m_names->setLabels(m_ownLabels);
    m_controller.peerModel()->setNodeNames(m_names);
    m_controller.claimModel()->setNodeNames(m_names);
    m_controller.eventModel()->setNodeNames(m_names);
    auto prompter = std::make_unique<WidgetUserPrompter>(m_controller.client());
    prompter->setParentWidget(this);
    m_ownPrompter = std::move(prompter);
    m_prompter = m_ownPrompter.get();
    m_availabilityModel = new AvailabilityModel(
        *m_controller.claimModel(), *m_controller.peerModel(), *m_controller.eventModel(), this);
    m_availabilityModel->setNodeNames(m_names);
    connect(m_names, &NodeNames::changed, this, &MainWindow::updateDetails);
    buildActions();
    buildUi();
    connect(&m_controller, &ConnectionController::linkChanged, this, &MainWindow::updateStatus);
    connect(&m_controller, &ConnectionController::lastErrorChanged, this, &MainWindow::updateStatus);
    connect(&m_controller, &ConnectionController::networksChanged, this, [this] {
        updateActions();
        updateDetails();
    });
    connect(&m_controller, &ConnectionController::pendingChanged, this, &MainWindow::updateActions);
    connect(&m_profileManager, &ProfileManager::profileSaved, this, &MainWindow::selectProfile);
    connect(m_availabilityModel, &AvailabilityModel::changed, this, &MainWindow::updateTabTitles);
    for (QAbstractItemModel *model : {static_cast<QAbstractItemModel *>(m_controller.peerModel()),
             static_cast<QAbstractItemModel *>(m_controller.claimModel()),
             static_cast<QAbstractItemModel *>(m_controller.eventModel())}) {
        connect(model, &QAbstractItemModel::rowsInserted, this, &MainWindow::updateTabTitles);
        connect(model, &QAbstractItemModel::rowsRemoved, this, &MainWindow::updateTabTitles);
        connect(model, &QAbstractItemModel::modelReset, this, &MainWindow::updateTabTitles);
    }
    if (m_profileModel->rowCount() > 0)
        selectProfile(m_profileModel->nameAt(0));
    updateStatus();
    updateActions();
    updateTabTitles();
    updateDetails();
    resize(1000, 640);
}

MainWindow::~MainWindow() = default;

void MainWindow::buildActions()
{
    m_connectAction = new QAction(tr("&Connect"), this);
    m_connectAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    connect(m_connectAction, &QAction::triggered, this, [this] {
        const QString name = selectedProfile();
        if (!name.isEmpty())
            m_controller.toggle(name);
    });
    m_newAction = new QAction(tr("&New Profile…"), this);
    m_newAction->setShortcut(QKeySequence::New);
    connect(m_newAction, &QAction::triggered, &m_profileManager, &ProfileManager::createProfile);
    m_editAction = new QAction(tr("&Edit Profile…"), this);
    m_editAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    connect(m_editAction, &QAction::triggered, this, [this] { m_profileManager.editProfile(selectedProfile()); });
    m_duplicateAction = new QAction(tr("D&uplicate Profile…"), this);
    m_duplicateAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    connect(
        m_duplicateAction, &QAction::triggered, this, [this] { m_profileManager.duplicateProfile(selectedProfile()); });
    m_deleteAction = new QAction(tr("&Delete Profile…"), this);
    m_deleteAction->setShortcut(QKeySequence::Delete);
    m_deleteAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(m_deleteAction, &QAction::triggered, this, [this] { m_profileManager.deleteProfile(selectedProfile()); });
    m_importAction = new QAction(tr("&Import VpnCloud File…"), this);
    m_importAction->setShortcut(QKeySequence::Open);
    connect(m_importAction, &QAction::triggered, &m_profileManager, &ProfileManager::importProfile);
    m_exportAction = new QAction(tr("E&xport Profile…"), this);
    m_exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    connect(m_exportAction, &QAction::triggered, this, [this] { m_profileManager.exportProfile(selectedProfile()); });
    m_nameNodeAction = new QAction(tr("&Name Selected Node…"), this);
    m_nameNodeAction->setShortcut(QKeySequence(Qt::Key_F2));
    m_nameNodeAction->setStatusTip(tr("Give the node selected in Peers or Addresses a name of your own."));
    connect(m_nameNodeAction, &QAction::triggered, this, &MainWindow::nameSelectedNode);

    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *settingsAction = file->addAction(tr("&Settings…"), this, &MainWindow::openSettings);
    settingsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    file->addSeparator();
    file->addAction(tr("&Close Window"), QKeySequence::Close, this, &QWidget::close);
    QAction *quit = file->addAction(tr("&Quit"), QKeySequence::Quit, this, &MainWindow::quitRequested);
    quit->setStatusTip(tr("Quit Nimbus; connected networks keep running."));

    QMenu *profile = menuBar()->addMenu(tr("&Profile"));
    profile->addAction(m_connectAction);
    profile->addSeparator();
    profile->addActions({m_newAction, m_editAction, m_duplicateAction, m_deleteAction});
    profile->addSeparator();
    profile->addActions({m_importAction, m_exportAction});

    // The view menu reaches every tab and the filter from the keyboard (the tables' own menus: Menu key, Shift+F10).
    QMenu *view = menuBar()->addMenu(tr("&View"));
    const auto tabAction = [&](const QString &text, int key, std::function<QWidget *()> page) {
        QAction *a = view->addAction(text);
        a->setShortcut(QKeySequence(Qt::CTRL | key));
        connect(a, &QAction::triggered, this, [this, page] { showTab(page()); });
    };
    tabAction(tr("&Peers"), Qt::Key_1, [this] { return m_peers; });
    tabAction(tr("&Addresses"), Qt::Key_2, [this] { return m_claims; });
    tabAction(tr("&Events"), Qt::Key_3, [this] { return m_events; });
    tabAction(tr("A&vailability"), Qt::Key_4, [this] { return m_availability; });
    view->addSeparator();
    QAction *findAction = view->addAction(tr("&Filter…"));
    findAction->setShortcut(QKeySequence::Find);
    connect(findAction, &QAction::triggered, this, [this] {
        m_filter->setFocus(Qt::ShortcutFocusReason);
        m_filter->selectAll();
    });
    view->addAction(m_nameNodeAction);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Nimbus"), this, [this] {
        QMessageBox::about(this,
            tr("About Nimbus"),
            tr("<b>Nimbus</b> %1<br>A desktop mesh VPN speaking the VpnCloud 2.x protocol.")
                .arg(QCoreApplication::applicationVersion()));
    });

    QToolBar *toolbar = addToolBar(tr("Profiles"));
    toolbar->setObjectName(u"profilesToolbar"_s);
    toolbar->setMovable(false);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    toolbar->addActions({m_newAction, m_editAction, m_duplicateAction, m_deleteAction});
    toolbar->addSeparator();
    toolbar->addActions({m_importAction, m_exportAction});
}

CopyableTableView *MainWindow::makeTable(QSortFilterProxyModel *proxy, int sortColumn, Qt::SortOrder order)
{
    auto *view = new CopyableTableView;
    view->setModel(proxy);
    view->sortByColumn(sortColumn, order);
    connect(m_filter, &QLineEdit::textChanged, proxy, &QSortFilterProxyModel::setFilterFixedString);
    return view;
}

void MainWindow::buildUi()
{
    auto *splitter = new QSplitter(Qt::Horizontal, this);

    // Left: profiles.
    auto *left = new QWidget;
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(6, 6, 0, 6);
    auto *profilesLabel = new QLabel(tr("&Profiles"));
    leftLayout->addWidget(profilesLabel);
    m_profileList = new QListView;
    m_profileList->setModel(m_profileModel);
    m_profileList->setAccessibleName(tr("Profiles"));
    m_profileList->addAction(m_deleteAction);
    profilesLabel->setBuddy(m_profileList);
    leftLayout->addWidget(m_profileList, 1);
    m_details = new QLabel;
    m_details->setWordWrap(true);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    leftLayout->addWidget(m_details);
    m_connectButton = new QPushButton(tr("Connect"));
    m_connectButton->setDefault(true);
    connect(m_connectButton, &QPushButton::clicked, m_connectAction, &QAction::trigger);
    leftLayout->addWidget(m_connectButton);
    connect(m_profileList->selectionModel(), &QItemSelectionModel::currentChanged, this, [this] {
        updateActions();
        updateDetails();
    });
    connect(m_profileList, &QListView::activated, m_connectAction, &QAction::trigger);
    connect(m_profileModel, &QAbstractItemModel::modelReset, this, [this] {
        updateActions();
        updateDetails();
    });
    splitter->addWidget(left);

    // Right: status, traffic, tables.
    auto *right = new QWidget;
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 6, 6, 6);
    m_banner = new QLabel;
    m_banner->setWordWrap(true);
    m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_banner->setContentsMargins(8, 6, 8, 6);
    m_banner->setAutoFillBackground(true);
    rightLayout->addWidget(m_banner);
    m_chart = new TrafficChart(*m_controller.trafficHistory());
    rightLayout->addWidget(m_chart);
    auto *filterRow = new QHBoxLayout;
    m_filter = new QLineEdit;
    m_filter->setPlaceholderText(tr("Filter peers, addresses and events"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setAccessibleName(tr("Filter"));
    auto *filterLabel = new QLabel(tr("F&ilter:"));
    filterLabel->setBuddy(m_filter);
    filterRow->addWidget(filterLabel);
    filterRow->addWidget(m_filter, 1);
    rightLayout->addLayout(filterRow);

    m_tabs = new QTabWidget;
    m_peers = makeTable(proxyFor(m_controller.peerModel(), this), PeerModel::Address, Qt::AscendingOrder);
    m_peers->setAccessibleName(tr("Peers"));
    m_peers->setAccessibleDescription(tr("The connected peers of every network: name, address, claimed addresses, "
                                         "since when, traffic and encryption. F2 names the selected node."));
    m_claims = makeTable(proxyFor(m_controller.claimModel(), this), ClaimModel::Range, Qt::AscendingOrder);
    m_claims->setAccessibleName(tr("Claimed addresses"));
    m_claims->setAccessibleDescription(tr("Every claimed address range, the node that serves it now and the other "
                                          "claimants. F2 names the serving node."));
    m_events = makeTable(proxyFor(m_controller.eventModel(), this), EventModel::Time, Qt::DescendingOrder);
    m_events->setAccessibleName(tr("Events"));
    m_events->setAccessibleDescription(tr("The timeline, newest first: route changes with when a failure was "
                                          "detected and how long traffic had no path, peers connecting and leaving, "
                                          "network states."));
    for (CopyableTableView *view : {m_peers, m_claims}) {
        view->addAction(m_nameNodeAction);
        connect(
            view, &CopyableTableView::contextMenuAboutToShow, this, [this, view](QMenu *menu, const QModelIndex &i) {
                addNodeActions(menu, view, i);
            });
    }
    m_availability = new AvailabilityView(*m_availabilityModel);
    connect(m_filter, &QLineEdit::textChanged, m_availability, &AvailabilityView::setFilterText);
    m_events->horizontalHeader()->moveSection(EventModel::Duration, EventModel::Details);
    const int digit = fontMetrics().horizontalAdvance(u'0');
    m_peers->horizontalHeader()->resizeSection(PeerModel::NodeId, 10 * digit);
    m_peers->horizontalHeader()->resizeSection(PeerModel::Address, 16 * digit);
    m_peers->horizontalHeader()->resizeSection(PeerModel::Network, 9 * digit);
    m_peers->horizontalHeader()->resizeSection(PeerModel::Claims, 18 * digit);
    m_peers->horizontalHeader()->resizeSection(PeerModel::ConnectedSince, 19 * digit);
    m_peers->horizontalHeader()->resizeSection(PeerModel::Received, 10 * digit);
    m_peers->horizontalHeader()->resizeSection(PeerModel::Sent, 10 * digit);
    m_claims->horizontalHeader()->resizeSection(ClaimModel::Range, 16 * digit);
    m_claims->horizontalHeader()->resizeSection(ClaimModel::ServedBy, 25 * digit);
    m_claims->horizontalHeader()->resizeSection(ClaimModel::OtherClaimants, 30 * digit);
    m_claims->horizontalHeader()->resizeSection(ClaimModel::Used, 16 * digit);
    m_events->horizontalHeader()->resizeSection(EventModel::Time, 19 * digit);
    m_events->horizontalHeader()->resizeSection(EventModel::Network, 9 * digit);
    m_events->horizontalHeader()->resizeSection(EventModel::Event, 16 * digit);
    m_events->horizontalHeader()->resizeSection(EventModel::Duration, 13 * digit);
    m_tabs->addTab(m_peers, tr("Peers"));
    m_tabs->addTab(m_claims, tr("Addresses"));
    m_tabs->addTab(m_events, tr("Events"));
    m_tabs->addTab(m_availability, tr("Availability"));
    m_tabs->setAccessibleName(tr("Views"));
    rightLayout->addWidget(m_tabs, 1);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({220, 780});
    setCentralWidget(splitter);

    m_linkLabel = new QLabel;
    m_linkLabel->setAccessibleName(tr("Helper link"));
    statusBar()->addPermanentWidget(m_linkLabel);

    m_details->setAccessibleName(tr("Profile details"));
    m_banner->setAccessibleName(tr("Status message"));
    m_chart->setFocusPolicy(Qt::TabFocus);
    // Left to right, top to bottom: the profile, what it is, connect; then the right side from the top.
    setTabOrder(m_profileList, m_details);
    setTabOrder(m_details, m_connectButton);
    setTabOrder(m_connectButton, m_banner);
    setTabOrder(m_banner, m_chart);
    setTabOrder(m_chart, m_filter);
    setTabOrder(m_filter, m_tabs);
    setTabOrder(m_tabs, m_peers);
}

QString MainWindow::selectedProfile() const
{
    return m_profileModel->nameAt(m_profileList->currentIndex().row());
}

void MainWindow::selectProfile(const QString &name)
{
    const int row = m_profileModel->rowOf(name);
    if (row >= 0)
        m_profileList->setCurrentIndex(m_profileModel->index(row));
}

CopyableTableView *MainWindow::peersView() const
{
    return m_peers;
}

CopyableTableView *MainWindow::claimsView() const
{
    return m_claims;
}

CopyableTableView *MainWindow::eventsView() const
{
    return m_events;
}

AvailabilityView *MainWindow::availabilityView() const
{
    return m_availability;
}

AvailabilityModel *MainWindow::availabilityModel() const
{
    return m_availabilityModel;
}

QTabWidget *MainWindow::tabs() const
{
    return m_tabs;
}

NodeNames *MainWindow::nodeNames() const
{
    return m_names;
}

void MainWindow::setNodeLabels(NodeLabels *labels)
{
    m_names->setLabels(labels ? labels : m_ownLabels);
}

void MainWindow::setUserPrompter(UserPrompter *prompter)
{
    m_prompter = prompter ? prompter : m_ownPrompter.get();
}

void MainWindow::showTab(QWidget *page)
{
    m_tabs->setCurrentWidget(page);
    page->setFocus(Qt::ShortcutFocusReason);
}

void MainWindow::nameNode(const QString &network, const QString &nodeId, const QString &address)
{
    if (!m_names->labels())
        return;
    const NodeDisplay shown = m_names->resolve(network, nodeId, address);
    const QString current
        = m_names->labels()->labelFor(network, nodeId, address, m_names->claimsOf(network, nodeId, address));
    const std::optional<QString> label = m_prompter->askText(tr("Name This Node"),
        tr("A name for %1 in %2 (empty: no name). It stays with the node's address and claims when the node "
           "restarts.\n%3")
            .arg(shown.text, network, shown.toolTip),
        current);
    if (label)
        m_names->setLabel(network, nodeId, address, *label);
}

void MainWindow::addNodeActions(QMenu *menu, CopyableTableView *view, const QModelIndex &index)
{
    if (!index.isValid())
        return;
    const auto *proxy = qobject_cast<const QSortFilterProxyModel *>(view->model());
    const QModelIndex source = proxy ? proxy->mapToSource(index) : index;
    if (view == m_peers) {
        const QString network = source.data(PeerModel::NetworkRole).toString();
        const QString nodeId = source.data(PeerModel::NodeIdRole).toString();
        const QString address = source.data(PeerModel::AddressRole).toString();
        menu->addAction(
            tr("&Name This Node…"), this, [this, network, nodeId, address] { nameNode(network, nodeId, address); });
        return;
    }
    const ClaimRow *claim = m_controller.claimModel()->claimAt(source.row());
    if (!claim)
        return;
    // One entry per claimant: the serving node first.
    QList<Protocol::NodeRef> nodes;
    if (claim->servedBy)
        nodes.append(*claim->servedBy);
    for (const Protocol::Claimant &c : claim->claimants) {
        if (!claim->servedBy || c.node.nodeId != claim->servedBy->nodeId)
            nodes.append(c.node);
    }
    for (const Protocol::NodeRef &node : std::as_const(nodes)) {
        const QString network = claim->network;
        const QString text
            = nodes.size() == 1 ? tr("&Name This Node…") : tr("Name %1…").arg(m_names->text(network, node));
        menu->addAction(text, this, [this, network, node] { nameNode(network, node.nodeId, node.address); });
    }
}

void MainWindow::nameSelectedNode()
{
    CopyableTableView *view = m_tabs->currentWidget() == m_claims ? m_claims : m_peers;
    const QModelIndex index = view->currentIndex();
    if (!index.isValid()) {
        showTab(view);
        return;
    }
    const auto *proxy = qobject_cast<const QSortFilterProxyModel *>(view->model());
    const QModelIndex source = proxy->mapToSource(index);
    if (view == m_peers) {
        nameNode(source.data(PeerModel::NetworkRole).toString(),
            source.data(PeerModel::NodeIdRole).toString(),
            source.data(PeerModel::AddressRole).toString());
        return;
    }
    const ClaimRow *claim = m_controller.claimModel()->claimAt(source.row());
    if (!claim)
        return;
    const std::optional<Protocol::NodeRef> node = claim->servedBy
        ? claim->servedBy
        : (claim->claimants.isEmpty() ? std::nullopt : std::optional<Protocol::NodeRef>(claim->claimants.first().node));
    if (node)
        nameNode(claim->network, node->nodeId, node->address);
}

void MainWindow::setHideOnClose(bool hide)
{
    m_hideOnClose = hide;
}

void MainWindow::toggleVisible()
{
    if (isVisible() && !isMinimized())
        hide();
    else
        showAndRaise();
}

void MainWindow::showAndRaise()
{
    show();
    setWindowState((windowState() & ~Qt::WindowMinimized) | Qt::WindowActive);
    raise();
    activateWindow();
}

void MainWindow::openSettings()
{
    UiSettings initial;
    initial.notifications = m_settings.notificationsEnabled();
    initial.autostart = m_autostart.isEnabled();
    initial.startMinimized = m_settings.startMinimized();
    initial.trayTheme = m_settings.trayTheme();
    SettingsDialog dialog(initial, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const UiSettings values = dialog.values();
    m_settings.setNotificationsEnabled(values.notifications);
    m_settings.setStartMinimized(values.startMinimized);
    m_settings.setTrayTheme(values.trayTheme);
    if (values.autostart != initial.autostart
        && !m_autostart.setEnabled(values.autostart, QCoreApplication::applicationFilePath())) {
        QMessageBox::warning(this, tr("Settings"), tr("Could not change %1.").arg(m_autostart.filePath()));
    }
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_hideOnClose) {
        hide();
        event->ignore();
        return;
    }
    QMainWindow::closeEvent(event);
}

void MainWindow::updateActions()
{
    const QString name = selectedProfile();
    const bool isProfile = m_profiles.contains(name);
    const std::optional<NetworkStatus> status = m_controller.network(name);
    const bool active = status && status->isActive();
    const bool pending = m_controller.isPending(name);
    const bool canControl = m_controller.canControlNetworks();
    m_connectAction->setText(active ? tr("&Disconnect") : tr("&Connect"));
    m_connectAction->setEnabled(!name.isEmpty() && canControl && !pending && (active || isProfile));
    m_connectButton->setText(pending ? tr("Working…") : (active ? tr("Disconnect") : tr("Connect")));
    m_connectButton->setEnabled(m_connectAction->isEnabled());
    if (!canControl && m_controller.link() == ControlClient::State::Ready)
        m_connectButton->setToolTip(tr("Your user may only watch. Add it to group nimbus to connect networks."));
    else
        m_connectButton->setToolTip(QString());
    for (QAction *a : {m_editAction, m_duplicateAction, m_deleteAction, m_exportAction})
        a->setEnabled(isProfile);
}

void MainWindow::updateStatus()
{
    const ControlClient::State link = m_controller.link();
    ControlClientInterface &client = m_controller.client();
    QString role = client.role();
    QString text = ErrorText::linkLabel(link);
    if (link == ControlClient::State::Ready && !role.isEmpty())
        text += u" · "_s + tr("role: %1").arg(role);
    m_linkLabel->setText(text);

    QString banner;
    QColor background;
    if (link != ControlClient::State::Ready) {
        banner = ErrorText::forLink(link, client.socketPath(), client.linkDetail());
        background = link == ControlClient::State::Connecting || link == ControlClient::State::Idle
            ? QColor(0xdb, 0xe9, 0xfa)
            : QColor(0xfd, 0xe2, 0xe1);
    } else if (!m_controller.lastError().isEmpty()) {
        banner = m_controller.lastError();
        background = QColor(0xfd, 0xe2, 0xe1);
    } else if (role == u"observer") {
        banner = tr("You can watch the networks but not connect them. To connect, add your user to group nimbus: "
                    "sudo usermod -aG nimbus $USER");
        background = QColor(0xfd, 0xf3, 0xd0);
    }
    m_banner->setText(banner);
    QPalette pal = m_banner->palette();
    pal.setColor(QPalette::Window, background);
    pal.setColor(QPalette::WindowText, QColor(0x24, 0x1f, 0x31));
    m_banner->setPalette(pal);
    m_banner->setVisible(!banner.isEmpty());
    updateActions();
}

void MainWindow::updateTabTitles()
{
    m_tabs->setTabText(0, tr("Peers (%1)").arg(m_controller.peerModel()->rowCount()));
    m_tabs->setTabText(1, tr("Addresses (%1)").arg(m_controller.claimModel()->rowCount()));
    m_tabs->setTabText(2, tr("Events (%1)").arg(m_controller.eventModel()->rowCount()));
    m_tabs->setTabText(3, tr("Availability (%1)").arg(m_availabilityModel->entries().size()));
}

void MainWindow::updateDetails()
{
    const QString name = selectedProfile();
    if (name.isEmpty()) {
        m_details->setText(
            m_profiles.names().isEmpty() ? tr("No profiles yet. Create one or import a VpnCloud file.") : QString());
        return;
    }
    const std::optional<NetworkStatus> status = m_controller.network(name);
    QStringList lines;
    lines.append(u"<b>"_s + name.toHtmlEscaped() + u"</b>: "_s
        + Format::networkState(status ? status->state : QString()).toHtmlEscaped());
    if (status && status->isActive()) {
        if (!status->ip.isEmpty())
            lines.append(tr("Address: %1").arg(status->ip).toHtmlEscaped());
        lines.append(
            (status->configuredPeers > 0 ? tr("Peers: %1 of %2").arg(status->peerCount).arg(status->configuredPeers)
                                         : tr("Peers: %1").arg(status->peerCount))
                .toHtmlEscaped());
        if (!status->unresolvedPeers.isEmpty())
            lines.append(tr("Cannot resolve: %1").arg(status->unresolvedPeers.join(u", "_s)).toHtmlEscaped());
        if (!status->device.isEmpty())
            lines.append(tr("Device: %1").arg(status->device).toHtmlEscaped());
        if (const std::optional<Protocol::FailoverEvent> &f = status->lastFailover) {
            const QString kind = Format::routeChangeKind(*f);
            const QString from = m_names->text(name, f->from);
            const QString address = f->address.isEmpty() ? f->range.section(u'/', 0, 0) : f->address;
            QString line = tr("Last route change of %1: %2")
                               .arg(f->range, Format::routeChange(kind, from, m_names->text(name, f->to), address));
            if (kind == u"failover")
                line += u", "_s + tr("no path for %1").arg(Format::noPath(f->noPathMs));
            lines.append(line.toHtmlEscaped());
        }
        if (!status->error.isEmpty())
            lines.append(tr("Error: %1").arg(status->error).toHtmlEscaped());
    }
    m_details->setText(lines.join(u"<br>"_s));
}

} // namespace Nimbus
