#include "ui/connection/errortext.h"

#include <QCoreApplication>

using namespace Qt::Literals::StringLiterals;

namespace Nimbus::ErrorText
{

namespace
{

QString userName()
{
    QString user = qEnvironmentVariable("USER");
    if (user.isEmpty())
        user = qEnvironmentVariable("LOGNAME");
    return user.isEmpty() ? u"$USER"_s : user;
}

} // namespace

QString forError(const Protocol::ErrorInfo &error)
{
    using Protocol::ErrorCode;
    const QString &c = error.code;
    const std::optional<ErrorCode> code = error.knownCode();
    QString text;
    if (code) {
        switch (*code) {
        case ErrorCode::BadRequest:
            text = QCoreApplication::translate("Nimbus::ErrorText", "The helper did not understand the request.");
            break;
        case ErrorCode::UnsupportedVersion:
            text = QCoreApplication::translate(
                "Nimbus::ErrorText", "The helper speaks a different protocol version. Update Nimbus.");
            break;
        case ErrorCode::HelloRequired:
            text = QCoreApplication::translate("Nimbus::ErrorText", "The connection to the helper was not set up.");
            break;
        case ErrorCode::UnknownMethod:
            text = QCoreApplication::translate("Nimbus::ErrorText", "The helper does not support this action.");
            break;
        case ErrorCode::PermissionDenied:
            text = QCoreApplication::translate("Nimbus::ErrorText",
                "You are not allowed to do this. Add your user to group nimbus: "
                "sudo usermod -aG nimbus %1 (then log out and in again).")
                       .arg(userName());
            break;
        case ErrorCode::InvalidProfile:
            text = QCoreApplication::translate("Nimbus::ErrorText", "The profile is not valid.");
            break;
        case ErrorCode::NotFound:
            text = QCoreApplication::translate("Nimbus::ErrorText", "The helper does not know this network.");
            break;
        case ErrorCode::AlreadyConnected:
            text = QCoreApplication::translate("Nimbus::ErrorText", "This network is already connected.");
            break;
        case ErrorCode::NetworkFailed:
            text = QCoreApplication::translate("Nimbus::ErrorText", "The network could not be started.");
            break;
        case ErrorCode::Busy:
            text = QCoreApplication::translate("Nimbus::ErrorText", "The helper is busy. Try again in a moment.");
            break;
        case ErrorCode::LimitExceeded:
            text = QCoreApplication::translate("Nimbus::ErrorText", "This goes beyond a limit of the helper.");
            break;
        case ErrorCode::Internal:
            text = QCoreApplication::translate("Nimbus::ErrorText", "The helper hit an internal error.");
            break;
        }
    } else if (c == ControlClientReply::connectionLost()) {
        text = QCoreApplication::translate("Nimbus::ErrorText", "The connection to the helper was lost.");
    } else {
        text = QCoreApplication::translate("Nimbus::ErrorText", "The helper reported an error (%1).").arg(c);
    }
    QStringList details;
    if (!error.message.isEmpty() && code != ErrorCode::PermissionDenied)
        details.append(error.message);
    for (const Protocol::FieldError &field : error.fields())
        details.append(field.field + u": "_s + field.message);
    if (!error.hint.isEmpty())
        details.append(error.hint);
    if (!details.isEmpty())
        text += u"\n"_s + details.join(u'\n');
    return text;
}

QString forLink(ControlClient::State link, const QString &socketPath, const QString &detail)
{
    switch (link) {
    case ControlClient::State::Idle:
    case ControlClient::State::Connecting:
        return QCoreApplication::translate("Nimbus::ErrorText", "Connecting to the Nimbus helper at %1…")
            .arg(socketPath);
    case ControlClient::State::Ready:
        return QCoreApplication::translate("Nimbus::ErrorText", "Connected to the Nimbus helper.");
    case ControlClient::State::NotRunning:
        return QCoreApplication::translate("Nimbus::ErrorText",
            "The Nimbus helper is not running (nothing listens at %1). Start it "
            "with: sudo systemctl start nimbus-helper. Nimbus reconnects by itself.")
            .arg(socketPath);
    case ControlClient::State::PermissionDenied:
        return QCoreApplication::translate("Nimbus::ErrorText",
            "You may not open the helper's socket %1. Add your user to group "
            "nimbus: sudo usermod -aG nimbus %2 (then log out and in again).")
            .arg(socketPath, userName());
    case ControlClient::State::Untrusted:
        return QCoreApplication::translate("Nimbus::ErrorText",
            "The process behind %1 does not run as root or as the nimbus service user, "
            "so Nimbus does not talk to it (%2).")
            .arg(socketPath, detail);
    case ControlClient::State::Incompatible:
        return QCoreApplication::translate("Nimbus::ErrorText",
            "The Nimbus helper at %1 speaks an incompatible protocol (%2). Install "
            "matching versions of Nimbus and its helper.")
            .arg(socketPath, detail);
    }
    return QString();
}

QString linkLabel(ControlClient::State link)
{
    switch (link) {
    case ControlClient::State::Idle:
    case ControlClient::State::Connecting:
        return QCoreApplication::translate("Nimbus::ErrorText", "Connecting to helper");
    case ControlClient::State::Ready:
        return QCoreApplication::translate("Nimbus::ErrorText", "Helper connected");
    case ControlClient::State::NotRunning:
        return QCoreApplication::translate("Nimbus::ErrorText", "Helper not running");
    case ControlClient::State::PermissionDenied:
        return QCoreApplication::translate("Nimbus::ErrorText", "No permission for the helper");
    case ControlClient::State::Untrusted:
        return QCoreApplication::translate("Nimbus::ErrorText", "Untrusted helper");
    case ControlClient::State::Incompatible:
        return QCoreApplication::translate("Nimbus::ErrorText", "Incompatible helper");
    }
    return QString();
}

QString forSecret(const SecretResult &result)
{
    QString text;
    switch (result.status) {
    case SecretStatus::Ok:
        return QString();
    case SecretStatus::NotFound:
        text = QCoreApplication::translate("Nimbus::ErrorText", "No secret is stored for this profile.");
        break;
    case SecretStatus::NoKeychain:
        text = QCoreApplication::translate(
            "Nimbus::ErrorText", "No keychain is available on this desktop (Secret Service or KWallet).");
        break;
    case SecretStatus::Denied:
        text = QCoreApplication::translate("Nimbus::ErrorText", "The keychain refused access.");
        break;
    case SecretStatus::Failed:
        text = QCoreApplication::translate("Nimbus::ErrorText", "The keychain reported an error.");
        break;
    }
    if (!result.message.isEmpty())
        text += u" ("_s + result.message + u')';
    return text;
}

} // namespace Nimbus::ErrorText
