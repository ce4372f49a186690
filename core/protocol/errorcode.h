#pragma once

#include <optional>

#include <QString>
#include <QStringView>

#include "core/protocol/result.h"

namespace Nimbus::Protocol
{

/// The closed list of error codes a helper answers with (docs/control-protocol.md, "Envelope").
/// Only ui/ turns them into translated text.
enum class ErrorCode : quint16 {
    BadRequest,
    UnsupportedVersion,
    HelloRequired,
    UnknownMethod,
    PermissionDenied,
    InvalidProfile,
    NotFound,
    AlreadyConnected,
    NetworkFailed,
    Busy,
    LimitExceeded,
    Internal,
};

/// Every code, in declaration order (for tests and tables).
inline constexpr ErrorCode kAllErrorCodes[] = {
    ErrorCode::BadRequest,
    ErrorCode::UnsupportedVersion,
    ErrorCode::HelloRequired,
    ErrorCode::UnknownMethod,
    ErrorCode::PermissionDenied,
    ErrorCode::InvalidProfile,
    ErrorCode::NotFound,
    ErrorCode::AlreadyConnected,
    ErrorCode::NetworkFailed,
    ErrorCode::Busy,
    ErrorCode::LimitExceeded,
    ErrorCode::Internal,
};

/// The wire name of \a code, e.g. `BAD_REQUEST`.
QString errorCodeName(ErrorCode code);
/// The code named \a name (exact, case-sensitive), or nullopt for a name not in the list.
std::optional<ErrorCode> errorCodeFromName(QStringView name);

/// A Nimbus::Error whose code is the wire name of \a code; what ControlBackend implementations return.
Error protocolError(ErrorCode code, const QString &message);

} // namespace Nimbus::Protocol
