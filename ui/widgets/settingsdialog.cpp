#include "ui/widgets/settingsdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QVBoxLayout>

namespace Nimbus
{

SettingsDialog::SettingsDialog(const UiSettings &initial, QWidget *parent)
    : QDialog(parent)
    , m_notifications(new QCheckBox(tr("Show &notifications on connect, disconnect and failover")))
    , m_autostart(new QCheckBox(tr("Start Nimbus when I &log in")))
    , m_startMinimized(new QCheckBox(tr("Start &minimized to the tray")))
    , m_trayTheme(new QComboBox)
{
    setWindowTitle(tr("Nimbus Settings"));
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    form->addRow(m_notifications);
    form->addRow(m_autostart);
    form->addRow(m_startMinimized);
    m_trayTheme->addItem(tr("Colour"), static_cast<int>(TrayTheme::Auto));
    m_trayTheme->addItem(tr("Monochrome, following the desktop"), static_cast<int>(TrayTheme::Monochrome));
    m_trayTheme->addItem(tr("Monochrome light (for dark panels)"), static_cast<int>(TrayTheme::Light));
    m_trayTheme->addItem(tr("Monochrome dark (for light panels)"), static_cast<int>(TrayTheme::Dark));
    form->addRow(tr("&Tray icon:"), m_trayTheme);
    layout->addLayout(form);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);

    m_notifications->setChecked(initial.notifications);
    m_autostart->setChecked(initial.autostart);
    m_startMinimized->setChecked(initial.startMinimized);
    m_trayTheme->setCurrentIndex(m_trayTheme->findData(static_cast<int>(initial.trayTheme)));
}

SettingsDialog::~SettingsDialog() = default;

UiSettings SettingsDialog::values() const
{
    UiSettings s;
    s.notifications = m_notifications->isChecked();
    s.autostart = m_autostart->isChecked();
    s.startMinimized = m_startMinimized->isChecked();
    s.trayTheme = static_cast<TrayTheme>(m_trayTheme->currentData().toInt());
    return s;
}

} // namespace Nimbus
