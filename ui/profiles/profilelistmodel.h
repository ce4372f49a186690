#pragma once

#include <QAbstractListModel>
#include <QStringList>

namespace Nimbus
{

class ConnectionController;
class ProfileStore;

/// The profiles with the state of their networks, for the main window's list.
class ProfileListModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProfileListModel)

public:
    enum Role {
        NameRole = Qt::UserRole + 1,
        StateRole,
        ActiveRole,
    };

    ProfileListModel(ProfileStore &profiles, ConnectionController &controller, QObject *parent = nullptr);
    ~ProfileListModel() override;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    /// The row of `name`, or -1.
    int rowOf(const QString &name) const;
    QString nameAt(int row) const;

private:
    void reload();

    ProfileStore &m_profiles;
    ConnectionController &m_controller;
    QStringList m_names;
};

} // namespace Nimbus
