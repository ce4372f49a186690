#include "ui/connection/errortext.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>

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

QString forError(const ControlError &error)
{
    const QString &c = error.code;
    QString text;
    if (c == u"BAD_REQUEST")
        text = QCoreApplication::translate("Nimbus::ErrorText", "The helper did not understand the request.");
    else if (c == u"UNSUPPORTED_VERSION")
        text = QCoreApplication::translate(
            "Nimbus::ErrorText", "The helper speaks a different protocol version. Update Nimbus.");
    else if (c == u"HELLO_REQUIRED")
        text = QCoreApplication::translate("Nimbus::ErrorText", "The connection to the helper was not set up.");
    else if (c == u"UNKNOWN_METHOD")
        text = QCoreApplication::translate("Nimbus::ErrorText", "The helper does not support this action.");
    else if (c == u"PERMISSION_DENIED")
        text = QCoreApplication::translate("Nimbus::ErrorText",
            "You are not allowed to do this. Add your user to group nimbus: "
            "sudo usermod -aG nimbus %1 (then log out and in again).")
                   .arg(userName());
    else if (c == u"INVALID_PROFILE")
        text = QCoreApplication::translate("Nimbus::ErrorText", "The profile is not valid.");
    else if (c == u"NOT_FOUND")
        text = QCoreApplication::translate("Nimbus::ErrorText", "The helper does not know this network.");
    else if (c == u"ALREADY_CONNECTED")
        text = QCoreApplication::translate("Nimbus::ErrorText", "This network is already connected.");
    else if (c == u"NETWORK_FAILED")
        text = QCoreApplication::translate("Nimbus::ErrorText", "The network could not be started.");
    else if (c == u"BUSY")
        text = QCoreApplication::translate("Nimbus::ErrorText", "The helper is busy. Try again in a moment.");
    else if (c == u"INTERNAL")
        text = QCoreApplication::translate("Nimbus::ErrorText", "The helper hit an internal error.");
    else if (c == QLatin1String(ControlError::kConnectionLost))
        text = QCoreApplication::translate("Nimbus::ErrorText", "The connection to the helper was lost.");
    else
        text = QCoreApplication::translate("Nimbus::ErrorText", "The helper reported an error (%1).").arg(c);

    QStringList details;
    if (!error.message.isEmpty() && c != u"PERMISSION_DENIED")
        details.append(error.message);
    for (const QJsonValue &f : error.fields) {
        const QJsonObject field = f.toObject();
        details.append(field.value(u"field"_s).toString() + u": "_s + field.value(u"message"_s).toString());
    }
    if (!error.hint.isEmpty())
        details.append(error.hint);
    if (!details.isEmpty())
        text += u"\n"_s + details.join(u'\n');
    return text;
}

QString forLink(HelperLink link, const QString &socketPath, const QString &detail)
{
    switch (link) {
    case HelperLink::Idle:
    case HelperLink::Connecting:
        return QCoreApplication::translate("Nimbus::ErrorText", "Connecting to the Nimbus helper at %1…")
            .arg(socketPath);
    case HelperLink::Ready:
        return QCoreApplication::translate("Nimbus::ErrorText", "Connected to the Nimbus helper.");
    case HelperLink::NotRunning:
        return QCoreApplication::translate("Nimbus::ErrorText",
            "The Nimbus helper is not running (nothing listens at %1). Start it "
            "with: sudo systemctl start nimbus-helper. Nimbus reconnects by itself.")
            .arg(socketPath);
    case HelperLink::PermissionDenied:
        return QCoreApplication::translate("Nimbus::ErrorText",
            "You may not open the helper's socket %1. Add your user to group "
            "nimbus: sudo usermod -aG nimbus %2 (then log out and in again).")
            .arg(socketPath, userName());
    case HelperLink::Untrusted:
        return QCoreApplication::translate("Nimbus::ErrorText",
            "The process behind %1 does not run as root or as the nimbus service user, "
            "so Nimbus does not talk to it (%2).")
            .arg(socketPath, detail);
    case HelperLink::Incompatible:
        return QCoreApplication::translate("Nimbus::ErrorText",
            "The Nimbus helper at %1 speaks an incompatible protocol (%2). Install "
            "matching versions of Nimbus and its helper.")
            .arg(socketPath, detail);
    }
    return QString();
}

QString linkLabel(HelperLink link)
{
    switch (link) {
    case HelperLink::Idle:
    case HelperLink::Connecting:
        return QCoreApplication::translate("Nimbus::ErrorText", "Connecting to helper");
    case HelperLink::Ready:
        return QCoreApplication::translate("Nimbus::ErrorText", "Helper connected");
    case HelperLink::NotRunning:
        return QCoreApplication::translate("Nimbus::ErrorText", "Helper not running");
    case HelperLink::PermissionDenied:
        return QCoreApplication::translate("Nimbus::ErrorText", "No permission for the helper");
    case HelperLink::Untrusted:
        return QCoreApplication::translate("Nimbus::ErrorText", "Untrusted helper");
    case HelperLink::Incompatible:
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
