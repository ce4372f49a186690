#pragma once

#include <memory>

#include <QMainWindow>

class QAction;
class QLabel;
class QLineEdit;
class QListView;
class QPushButton;
class QMenu;
class QSettings;
class QSortFilterProxyModel;
class QTabWidget;

namespace Nimbus
{

class AppSettings;
class AvailabilityModel;
class AvailabilityView;
class Autostart;
class ConnectionController;
class CopyableTableView;
class ProfileListModel;
class ProfileManager;
class NodeLabels;
class NodeNames;
class ProfileStore;
class TrafficChart;
class UserPrompter;

/// The main window: profiles with their state on the left; on the right the helper's status, a traffic chart
/// and tabs with the peers, the claimed addresses, their availability and the events timeline, all live from
/// ConnectionController. Nodes are named alike everywhere (NodeNames); "Name This Node…" labels one. Every action
/// has a menu entry and most a shortcut; the tab order runs profiles, details, connect, chart, filter, tabs, view.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    MainWindow(ConnectionController &controller,
        ProfileManager &profileManager,
        ProfileStore &profiles,
        AppSettings &settings,
        Autostart &autostart,
        QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Whether closing the window only hides it (a tray icon keeps the app reachable).
    void setHideOnClose(bool hide);
    QString selectedProfile() const;
    void selectProfile(const QString &name);

    CopyableTableView *peersView() const;
    CopyableTableView *claimsView() const;
    CopyableTableView *eventsView() const;
    AvailabilityView *availabilityView() const;
    AvailabilityModel *availabilityModel() const;
    QTabWidget *tabs() const;
    /// How nodes are named in this window (for the notifications and the tray to name them alike).
    NodeNames *nodeNames() const;

    /// The user's node labels; by default the window keeps them in the application's QSettings.
    void setNodeLabels(NodeLabels *labels);
    /// Asks for node labels; by default real dialogs.
    void setUserPrompter(UserPrompter *prompter);
    /// Asks for a label of the node (`network`, `nodeId`, `address`) and stores it.
    void nameNode(const QString &network, const QString &nodeId, const QString &address);

public Q_SLOTS:
    void toggleVisible();
    void showAndRaise();
    void openSettings();

Q_SIGNALS:
    void quitRequested();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildActions();
    void buildUi();
    CopyableTableView *makeTable(QSortFilterProxyModel *proxy, int sortColumn, Qt::SortOrder order);
    void updateActions();
    void updateStatus();
    void updateTabTitles();
    void updateDetails();
    void addNodeActions(QMenu *menu, CopyableTableView *view, const QModelIndex &index);
    void nameSelectedNode();
    void showTab(QWidget *page);

    ConnectionController &m_controller;
    ProfileManager &m_profileManager;
    ProfileStore &m_profiles;
    AppSettings &m_settings;
    Autostart &m_autostart;
    ProfileListModel *m_profileModel;
    bool m_hideOnClose = false;

    QListView *m_profileList = nullptr;
    QLabel *m_details = nullptr;
    QPushButton *m_connectButton = nullptr;
    QLabel *m_banner = nullptr;
    TrafficChart *m_chart = nullptr;
    QLineEdit *m_filter = nullptr;
    QTabWidget *m_tabs = nullptr;
    CopyableTableView *m_peers = nullptr;
    CopyableTableView *m_claims = nullptr;
    CopyableTableView *m_events = nullptr;
    AvailabilityView *m_availability = nullptr;
    AvailabilityModel *m_availabilityModel = nullptr;
    NodeNames *m_names = nullptr;
    NodeLabels *m_ownLabels = nullptr;
    QSettings *m_labelSettings = nullptr;
    UserPrompter *m_prompter = nullptr;
    std::unique_ptr<UserPrompter> m_ownPrompter;
    QLabel *m_linkLabel = nullptr;

    QAction *m_connectAction = nullptr;
    QAction *m_newAction = nullptr;
    QAction *m_editAction = nullptr;
    QAction *m_duplicateAction = nullptr;
    QAction *m_deleteAction = nullptr;
    QAction *m_importAction = nullptr;
    QAction *m_exportAction = nullptr;
    QAction *m_nameNodeAction = nullptr;
};

} // namespace Nimbus
