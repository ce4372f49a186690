#include "ui/profiles/profilelistmodel.h"

#include <QPainter>
#include <QPixmap>

#include "ui/common/format.h"
#include "ui/connection/connectioncontroller.h"
#include "ui/profiles/profilestore.h"
#include "ui/tray/iconprovider.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

namespace
{

TrayState trayStateFor(const QString &state)
{
    if (state == u"connecting")
        return TrayState::Connecting;
    if (state == u"connected")
        return TrayState::Connected;
    if (state == u"degraded")
        return TrayState::Degraded;
    if (state == u"failover")
        return TrayState::Failover;
    if (state == u"error")
        return TrayState::Error;
    return TrayState::Disconnected;
}

QIcon dotIcon(const QColor &color)
{
    QPixmap pixmap(16, 16);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(color.darker(140), 1));
    p.setBrush(color);
    p.drawEllipse(QRectF(3, 3, 10, 10));
    return QIcon(pixmap);
}

} // namespace

ProfileListModel::ProfileListModel(ProfileStore &profiles, ConnectionController &controller, QObject *parent)
    : QAbstractListModel(parent), m_profiles(profiles), m_controller(controller)
{
    m_names = m_profiles.names();
    connect(&m_profiles, &ProfileStore::changed, this, &ProfileListModel::reload);
    connect(&m_controller, &ConnectionController::networksChanged, this, &ProfileListModel::reload);
    connect(&m_controller, &ConnectionController::pendingChanged, this, &ProfileListModel::reload);
}

ProfileListModel::~ProfileListModel() = default;

int ProfileListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_names.size());
}

QVariant ProfileListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() < 0 || index.row() >= m_names.size())
        return QVariant();
    const QString &name = m_names.at(index.row());
    const std::optional<NetworkStatus> status = m_controller.network(name);
    const QString state = status ? status->state : u"disconnected"_s;
    const bool pending = m_controller.isPending(name);
    const QString stateText = pending ? tr("Working…") : Format::networkState(state);
    switch (role) {
    case Qt::DisplayRole:
        return name;
    case Qt::ToolTipRole:
    case Qt::AccessibleDescriptionRole:
        return stateText;
    case Qt::DecorationRole:
        return dotIcon(IconProvider::stateColor(pending ? TrayState::Connecting : trayStateFor(state)));
    case NameRole:
        return name;
    case StateRole:
        return state;
    case ActiveRole:
        return status && status->isActive();
    default:
        return QVariant();
    }
}

int ProfileListModel::rowOf(const QString &name) const
{
    return static_cast<int>(m_names.indexOf(name));
}

QString ProfileListModel::nameAt(int row) const
{
    return row >= 0 && row < m_names.size() ? m_names.at(row) : QString();
}

void ProfileListModel::reload()
{
    QStringList names = m_profiles.names();
    // System networks (started with the helper) appear too, so they can be watched.
    for (const NetworkStatus &n : m_controller.networks()) {
        if (!names.contains(n.name) && n.isActive())
            names.append(n.name);
    }
    if (names != m_names) {
        beginResetModel();
        m_names = names;
        endResetModel();
        return;
    }
    if (!m_names.isEmpty())
        Q_EMIT dataChanged(index(0), index(static_cast<int>(m_names.size()) - 1));
}

} // namespace Nimbus
