#pragma once

#include <optional>

#include <QList>
#include <QObject>

#include "ui/profiles/clientprofile.h"

class QSettings;

namespace Nimbus
{

/// The user's profiles, kept in QSettings under "profiles" (never with a secret).
/// Names are unique; the list keeps the order profiles were created in.
class ProfileStore final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProfileStore)

public:
    explicit ProfileStore(QSettings &settings, QObject *parent = nullptr);
    ~ProfileStore() override;

    QList<ClientProfile> profiles() const;
    QStringList names() const;
    std::optional<ClientProfile> find(const QString &name) const;
    bool contains(const QString &name) const;

    /// Adds a new profile or replaces the one called `originalName` (which may differ from profile.name: rename).
    /// Returns false if profile.name is empty or already used by another profile.
    bool save(const ClientProfile &profile, const QString &originalName = QString());
    bool remove(const QString &name);
    /// Sets ClientProfile::autoConnectPaused of `name`; false if there is no such profile.
    bool setAutoConnectPaused(const QString &name, bool paused);
    /// A name not used yet, derived from `base` ("office (2)").
    QString uniqueName(const QString &base) const;

Q_SIGNALS:
    void changed();

private:
    void load();
    void write();

    QSettings &m_settings;
    QList<ClientProfile> m_profiles;
};

} // namespace Nimbus
