/// The Profile of the control protocol (docs/control-protocol.md, "Value types"): the data of a network as the
/// GUI stores and sends it and as the helper imports, validates and exports it. Only the data and its JSON live
/// here; core/config adds the checks of each value and the conversion to and from a VpnCloud config.
#pragma once

#include <optional>

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include "core/protocol/result.h"
#include "core/protocol/types.h"

namespace Nimbus::Protocol
{

/// A network profile. Defaults are VpnCloud's. Secrets are never part of it (see Secret).
struct Profile {
    QString name; ///< required
    QString ip; ///< "addr/prefix"; "" = none
    QStringList claims;
    bool autoClaim = true;
    QStringList peers;
    QString listen = QStringLiteral("3210"); ///< a port or "addr:port" (a JSON number is read as a port)
    quint32 peerTimeout = 300; ///< seconds
    std::optional<quint32> keepalive; ///< seconds; null = derived
    quint32 switchTimeout = 300; ///< seconds
    QString mode = QStringLiteral("normal");
    QString deviceType = QStringLiteral("tun");
    QString deviceName; ///< "" = the default name
    QStringList algorithms; ///< VpnCloud config names; empty = the helper's default set
    QStringList trustedKeys;
    QString publicKey;
    QStringList advertiseAddresses;
    bool balance = false;
    bool fastFailover = true;
    bool portForwarding = true;
    bool fixRpFilter = false;
    // Admin-only (docs/control-protocol.md, "Hello and roles"): absent = unset.
    std::optional<QString> devicePath;
    std::optional<QString> ifup;
    std::optional<QString> ifdown;
    std::optional<QString> statsFile;
    std::optional<QString> pidFile;
    std::optional<QString> user;
    std::optional<QString> group;

    /// Every key but the unset admin-only ones; keepalive null when derived.
    QJsonObject toJson() const;
    /// Checks types only (core/config's validateProfile() checks the values). Null counts as absent.
    static Result<Profile> fromJson(const QJsonObject &json);
    bool operator==(const Profile &) const = default;
};

/// The secret of a profile: `{"password"}` or `{"privateKey"}`; it travels only in networks.connect and back
/// from profiles.import.
struct Secret {
    enum class Kind {
        Password,
        PrivateKey,
    };

    Kind kind = Kind::Password;
    QString value;

    bool isEmpty() const { return value.isEmpty(); }
    QJsonObject toJson() const;
    /// A privateKey wins over a password (as in VpnCloud); an error if neither is a string.
    static Result<Secret> fromJson(const QJsonObject &json);
    bool operator==(const Secret &) const = default;
};

/// The `profiles.validate` result.
struct ValidationResult {
    bool valid = false; ///< required
    QList<FieldError> errors;

    QJsonObject toJson() const;
    static Result<ValidationResult> fromJson(const QJsonObject &json);
    bool operator==(const ValidationResult &) const = default;
};

/// The `profiles.import` result.
struct ImportResult {
    Profile profile; ///< required
    std::optional<Secret> secret; ///< the secret found in the file, for its sender only
    QStringList warnings;

    QJsonObject toJson() const;
    static Result<ImportResult> fromJson(const QJsonObject &json);
    bool operator==(const ImportResult &) const = default;
};

/// The `profiles.export` result: `{"yaml": "..."}`, a VpnCloud 2.x file without secrets.
struct ExportResult {
    QString yaml; ///< required

    QJsonObject toJson() const;
    static Result<ExportResult> fromJson(const QJsonObject &json);
    bool operator==(const ExportResult &) const = default;
};

} // namespace Nimbus::Protocol
