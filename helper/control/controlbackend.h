#pragma once

#include <optional>

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include "core/protocol/profile.h"
#include "core/protocol/result.h"
#include "core/protocol/role.h"

namespace Nimbus
{

/// Who sent a request, from the kernel's credentials of the control connection (never from the client).
struct ControlCaller {
    Protocol::Role role = Protocol::Role::Observer;
    quint32 uid = 0;
    quint32 gid = 0;
    qint64 pid = 0;
};

/// What the control protocol needs from the helper (docs/control-protocol.md, "Methods"). The helper service
/// implements it; ControlSession does the framing, hello, the method x role table, parameter checks and the
/// refusal of privileged profile keys from non-admins before it calls in here.
///
/// The answers a client only reads (status, lists, import) stay JSON, so that tests can make a backend send what a
/// broken helper would; the session checks and builds the rest through the types of core/protocol.
///
/// Everything runs on the helper's event loop thread; calls must not block. Errors are Nimbus::Error whose code
/// is a wire name of Protocol::ErrorCode (make them with Protocol::protocolError()); any other code is reported
/// to the client as INTERNAL. Messages are English, never contain secrets, and are shown to the user as they are.
class ControlBackend
{
public:
    virtual ~ControlBackend() = default;

    /// `service` or `network` (how the helper was started).
    virtual QString mode() const = 0;
    /// The `status` result: `{"helper": version, "mode": ..., "networks": [NetworkStatus...]}`.
    virtual QJsonObject status() const = 0;
    /// The Peer objects of \a network, or of every network when \a network is empty. NOT_FOUND for an unknown
    /// network.
    virtual Result<QJsonArray> peers(const QString &network) const = 0;
    /// The Claim objects of \a network, or of every network when empty. NOT_FOUND for an unknown network.
    virtual Result<QJsonArray> claims(const QString &network) const = 0;
    /// The per-network counters of `stats` (`{"network", "rxBytes", ...}` each), of \a network or of all.
    virtual Result<QJsonArray> stats(const QString &network) const = 0;
    /// The `profiles.validate` result. The session adds errors for privileged keys sent by non-admins itself.
    virtual Protocol::ValidationResult validateProfile(
        const QJsonObject &profile, const ControlCaller &caller) const = 0;
    /// Parses VpnCloud YAML: `{"profile": Profile, "secret": Secret | null, "warnings": [...]}` or INVALID_PROFILE.
    /// Must not open any path or run anything named in the YAML.
    virtual Result<QJsonObject> importProfile(const QString &yaml, const ControlCaller &caller) = 0;
    /// The `profiles.export` file: \a profile as VpnCloud 2.x YAML. The profile has passed validateProfile()
    /// (privileged keys are written as they are: exporting runs and opens nothing). The file holds a secret only
    /// when the caller sent one in \a secret, and then only that one. Errors: INVALID_PROFILE.
    virtual Result<QString> exportProfile(const QJsonObject &profile,
        const std::optional<Protocol::Secret> &secret,
        const ControlCaller &caller) const = 0;
    /// Starts a network from \a profile with \a secret (`{"password"}` or `{"privateKey"}`) and returns its name.
    /// The profile has passed validateProfile() and, for non-admins, carries no privileged key. The backend moves
    /// the secret into secure memory at once and never returns, logs or publishes it.
    /// Errors: INVALID_PROFILE, ALREADY_CONNECTED, NETWORK_FAILED (the message says why), BUSY.
    virtual Result<QString> connectNetwork(
        const QJsonObject &profile, const QJsonObject &secret, const ControlCaller &caller)
        = 0;
    /// Sends CLOSE to every peer of \a network and stops it. NOT_FOUND if unknown; PERMISSION_DENIED if the caller
    /// is not an admin and the network was not connected over the socket (a network-mode network).
    virtual Result<Ok> disconnectNetwork(const QString &network, const ControlCaller &caller) = 0;
    /// Closes every network in order and makes the helper exit 0. Called from the event loop after the
    /// `helper.shutdown` answer has been handed to the socket; may return before the work is done.
    virtual void shutdown() = 0;
    /// A fresh random key pair in base62 (keys.generate). Nothing is kept.
    virtual Protocol::KeyPair generateKeys() = 0;
    /// Recent notable events for the `events.subscribe` snapshot, oldest first, each
    /// `{"event": name, "time": MS, "data": {...}}` (no seq). The session keeps the newest 200.
    virtual QJsonArray recentEvents() const = 0;
};

} // namespace Nimbus
