#include "ui/connection/controlclientinterface.h"

namespace Nimbus
{

ControlError ControlError::fromJson(const QJsonObject &error)
{
    ControlError e;
    e.code = error.value(QLatin1String("code")).toString();
    e.message = error.value(QLatin1String("message")).toString();
    e.hint = error.value(QLatin1String("hint")).toString();
    e.fields = error.value(QLatin1String("fields")).toArray();
    return e;
}

ControlReply ControlReply::success(const QJsonObject &result)
{
    ControlReply r;
    r.ok = true;
    r.result = result;
    return r;
}

ControlReply ControlReply::failure(const ControlError &error)
{
    ControlReply r;
    r.error = error;
    return r;
}

ControlClientInterface::ControlClientInterface(QObject *parent) : QObject(parent)
{
}

ControlClientInterface::~ControlClientInterface() = default;

} // namespace Nimbus
