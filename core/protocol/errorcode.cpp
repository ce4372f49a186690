#include "core/protocol/errorcode.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus::Protocol
{

QString errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::BadRequest:
        return u"BAD_REQUEST"_s;
    case ErrorCode::UnsupportedVersion:
        return u"UNSUPPORTED_VERSION"_s;
    case ErrorCode::HelloRequired:
        return u"HELLO_REQUIRED"_s;
    case ErrorCode::UnknownMethod:
        return u"UNKNOWN_METHOD"_s;
    case ErrorCode::PermissionDenied:
        return u"PERMISSION_DENIED"_s;
    case ErrorCode::InvalidProfile:
        return u"INVALID_PROFILE"_s;
    case ErrorCode::NotFound:
        return u"NOT_FOUND"_s;
    case ErrorCode::AlreadyConnected:
        return u"ALREADY_CONNECTED"_s;
    case ErrorCode::NetworkFailed:
        return u"NETWORK_FAILED"_s;
    case ErrorCode::Busy:
        return u"BUSY"_s;
    case ErrorCode::LimitExceeded:
        return u"LIMIT_EXCEEDED"_s;
    case ErrorCode::Internal:
        return u"INTERNAL"_s;
    }
    return u"INTERNAL"_s;
}

std::optional<ErrorCode> errorCodeFromName(QStringView name)
{
    for (const ErrorCode code : kAllErrorCodes) {
        if (name == errorCodeName(code))
            return code;
    }
    return std::nullopt;
}

Error protocolError(ErrorCode code, const QString &message)
{
    return Error {errorCodeName(code), message};
}

} // namespace Nimbus::Protocol
