#pragma once

#include <QMainWindow>

class QAction;
class QLabel;
class QLineEdit;
class QListView;
class QPushButton;
class QSortFilterProxyModel;
class QTabWidget;

namespace Nimbus
{

class AppSettings;
class Autostart;
class ConnectionController;
class CopyableTableView;
class ProfileListModel;
class ProfileManager;
class ProfileStore;
class TrafficChart;

/// The main window: profiles with their state on the left; on the right the helper's status, a traffic chart
/// and tabs with the peers, the claimed addresses and the events timeline, all live from ConnectionController.
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
    QTabWidget *tabs() const;

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
    QLabel *m_linkLabel = nullptr;

    QAction *m_connectAction = nullptr;
    QAction *m_newAction = nullptr;
    QAction *m_editAction = nullptr;
    QAction *m_duplicateAction = nullptr;
    QAction *m_deleteAction = nullptr;
    QAction *m_importAction = nullptr;
    QAction *m_exportAction = nullptr;
};

} // namespace Nimbus
