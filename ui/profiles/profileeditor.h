#pragma once

#include <QHash>
#include <QObject>
#include <QStringList>

#include "ui/widgets/userprompter.h"

namespace Nimbus
{

class ControlClientInterface;

/// Field keys used for validation messages: the protocol's Profile keys plus "secret".
namespace ProfileField
{
inline constexpr const char *Name = "name";
inline constexpr const char *Secret = "secret";
} // namespace ProfileField

/// The presenter behind the profile dialog: validates a ProfileEdit locally (instantly) and through the
/// helper's profiles.validate, and generates key pairs through keys.generate when the helper offers it.
class ProfileEditor final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProfileEditor)

public:
    /// `takenNames` are the names of the other profiles.
    ProfileEditor(ControlClientInterface &client, const QStringList &takenNames, QObject *parent = nullptr);
    ~ProfileEditor() override;

    /// Checks that need no helper: a name, a unique name, a secret for a new profile.
    QHash<QString, QString> localErrors(const ProfileEdit &edit) const;
    /// Runs the local checks and, if the helper is there, profiles.validate; emits validated() once with
    /// the combined errors (field key → message). A newer call supersedes an older one.
    void validate(const ProfileEdit &edit);
    /// Whether the helper can be asked (otherwise only local checks run).
    bool helperAvailable() const;

    /// Whether the key-pair generator can be used (the helper advertises keys.generate).
    bool canGenerateKeys() const;
    /// Asks the helper for a key pair; emits keysGenerated() or keyGenerationFailed().
    void generateKeys();

Q_SIGNALS:
    void validated(const QHash<QString, QString> &errors);
    void keysGenerated(const QString &privateKey, const QString &publicKey);
    void keyGenerationFailed(const QString &text);

private:
    ControlClientInterface &m_client;
    QStringList m_takenNames;
    quint64 m_generation = 0;
};

} // namespace Nimbus
