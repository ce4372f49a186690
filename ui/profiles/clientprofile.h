#pragma once

#include <optional>

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include "core/protocol/profile.h"

namespace Nimbus
{

/// A user profile as the GUI stores it (no secret) and sends it (control-protocol.md "Profile"): the protocol's
/// Profile, the one profile data type, plus what only the GUI has. It derives from Protocol::Profile rather than
/// holding one as a member so that the profile's fields read the same everywhere (`edit.profile.ip`, not
/// `edit.profile.profile.ip`); it adds no field of its own that the protocol has.
/// The keys of toJson() are the protocol's camelCase keys. The helper turns a profile into a VpnCloud file
/// (profiles.export); the GUI writes no YAML itself.
struct ClientProfile : Protocol::Profile {
    enum class SecretKind {
        Password,
        PrivateKey,
    };

    /// Which kind of secret the keychain holds for this profile (the secret itself lives in the keychain under
    /// the profile's name).
    SecretKind secretKind = SecretKind::Password;
    /// "Connect automatically": the GUI connects the profile when it starts and whenever the helper comes back
    /// after going away, with the keychain secret and without asking (never sent to the helper).
    bool autoConnect = false;
    /// The user disconnected the profile themselves: no automatic connect until they connect it again. Kept
    /// across restarts of the GUI (a login does not undo the user's own disconnect).
    bool autoConnectPaused = false;
    /// Profile keys this GUI does not know (added by newer helpers, e.g. from an import); sent back unchanged.
    QJsonObject extra;

    /// The protocol's Profile object with the `extra` keys (never contains a secret).
    QJsonObject toJson() const;
    /// The GUI's profile of a protocol Profile (e.g. from profiles.import).
    static ClientProfile fromProfile(const Protocol::Profile &profile);
    /// Reads a protocol Profile leniently: a missing or mistyped key keeps its default, unknown keys are kept in
    /// `extra`, keys that look like secrets are dropped.
    static ClientProfile fromJson(const QJsonObject &json);

    /// The keys ProfileStore keeps under settings keys of their own; the rest of toJson() goes into its `extra`.
    static const QStringList &storedKeys();

    bool operator==(const ClientProfile &other) const = default;
};

/// The secret of a profile: {"password": "..."} or {"privateKey": "..."}.
struct ProfileSecret {
    ClientProfile::SecretKind kind = ClientProfile::SecretKind::Password;
    QString value;

    bool isEmpty() const { return value.isEmpty(); }
    QJsonObject toJson() const;
    static std::optional<ProfileSecret> fromJson(const QJsonObject &json);
    static ProfileSecret fromSecret(const Protocol::Secret &secret);

    bool operator==(const ProfileSecret &other) const = default;
};

/// The algorithm names the profile dialog offers (VpnCloud's CLI names): what the helper can advertise. Not
/// aes128, which the helper never offers; a stored profile may still list it (it is a valid VpnCloud name).
QStringList knownAlgorithms();
/// The modes VpnCloud knows.
QStringList knownModes();

} // namespace Nimbus
