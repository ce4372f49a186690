#pragma once

#include <optional>

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include "core/protocol/profile.h"

namespace Nimbus
{

/// A user profile as the GUI stores it (no secret) and sends it (control-protocol.md "Profile").
/// The keys of toJson() are the protocol's camelCase keys. The helper turns a profile into a VpnCloud file
/// (profiles.export); the GUI writes no YAML itself.
struct ClientProfile {
    enum class SecretKind {
        Password,
        PrivateKey,
    };

    QString name;
    QString ip;
    QStringList claims;
    bool autoClaim = true;
    QStringList peers;
    QString listen = QStringLiteral("3210");
    int peerTimeout = 300;
    std::optional<int> keepalive;
    int switchTimeout = 300;
    QString mode = QStringLiteral("normal");
    QString deviceType = QStringLiteral("tun");
    QString deviceName;
    QStringList algorithms;
    QStringList trustedKeys;
    QString publicKey;
    QStringList advertiseAddresses;
    bool balance = false;
    bool fastFailover = true;
    /// Which kind of secret the keychain holds for this profile.
    SecretKind secretKind = SecretKind::Password;
    /// Profile keys this GUI does not edit (added by newer helpers, e.g. from an import); sent back unchanged.
    QJsonObject extra;

    /// The protocol's Profile object (never contains a secret).
    QJsonObject toJson() const;
    /// The GUI's profile of a protocol Profile (e.g. from profiles.import); the keys this GUI does not edit
    /// (portForwarding, fixRpFilter, the admin-only ones) go to `extra` as their JSON.
    static ClientProfile fromProfile(const Protocol::Profile &profile);
    /// Reads a protocol Profile; missing keys keep their defaults, unknown keys are kept in `extra`.
    static ClientProfile fromJson(const QJsonObject &json);

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
