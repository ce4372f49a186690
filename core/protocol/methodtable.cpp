#include "core/protocol/methodtable.h"

#include <array>
#include <iterator>

#include <QJsonArray>
#include <QJsonValue>

using namespace Qt::Literals::StringLiterals;

namespace Nimbus::Protocol
{

namespace
{

struct MethodRow {
    Method method;
    const char16_t *name;
    /// Indexed by Role: observer, operator, admin.
    std::array<bool, 3> allowed;
};

// The one method x role table (docs/control-protocol.md, "Hello and roles"). tst_methodtable checks every cell
// against the document.
constexpr MethodRow kTable[] = {
    {Method::Hello, u"hello", {true, true, true}},
    {Method::Status, u"status", {true, true, true}},
    {Method::PeersList, u"peers.list", {true, true, true}},
    {Method::ClaimsList, u"claims.list", {true, true, true}},
    {Method::EventsSubscribe, u"events.subscribe", {true, true, true}},
    {Method::Stats, u"stats", {true, true, true}},
    {Method::ProfilesValidate, u"profiles.validate", {true, true, true}},
    {Method::ProfilesImport, u"profiles.import", {true, true, true}},
    {Method::ProfilesExport, u"profiles.export", {true, true, true}},
    {Method::NetworksConnect, u"networks.connect", {false, true, true}},
    {Method::NetworksDisconnect, u"networks.disconnect", {false, true, true}},
    {Method::KeysGenerate, u"keys.generate", {false, true, true}},
    {Method::HelperShutdown, u"helper.shutdown", {false, false, true}},
};

const MethodRow *rowOf(Method method)
{
    for (const MethodRow &row : kTable) {
        if (row.method == method)
            return &row;
    }
    return nullptr;
}

std::size_t roleIndex(Role role)
{
    switch (role) {
    case Role::Observer:
        return 0;
    case Role::Operator:
        return 1;
    case Role::Admin:
        return 2;
    }
    return 0;
}

bool isEmptyValue(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return true;
    case QJsonValue::Bool:
        return !value.toBool();
    case QJsonValue::String:
        return value.toString().isEmpty();
    case QJsonValue::Array:
        return value.toArray().isEmpty();
    case QJsonValue::Object:
        return value.toObject().isEmpty();
    case QJsonValue::Double:
        return false;
    }
    return false;
}

} // namespace

QList<Method> allMethods()
{
    QList<Method> methods;
    methods.reserve(qsizetype(std::size(kTable)));
    for (const MethodRow &row : kTable)
        methods.append(row.method);
    return methods;
}

QString methodName(Method method)
{
    const MethodRow *row = rowOf(method);
    return row ? QStringView(row->name).toString() : QString();
}

std::optional<Method> methodFromName(QStringView name)
{
    for (const MethodRow &row : kTable) {
        if (name == QStringView(row.name))
            return row.method;
    }
    return std::nullopt;
}

bool isAllowed(Method method, Role role)
{
    const MethodRow *row = rowOf(method);
    return row && row->allowed[roleIndex(role)];
}

bool isAllowed(QStringView method, Role role)
{
    const std::optional<Method> m = methodFromName(method);
    return m && isAllowed(*m, role);
}

QStringList allowedMethods(Role role)
{
    QStringList names;
    for (const MethodRow &row : kTable) {
        if (row.allowed[roleIndex(role)])
            names.append(QStringView(row.name).toString());
    }
    return names;
}

QStringList privilegedProfileKeys(const QJsonObject &profile)
{
    // Keys that name a command to run or a path to open, or the account to run as (VpnCloud YAML keys in
    // camelCase, plus the flat forms of the nested `beacon` and `device` keys).
    static const QStringList topLevel = {
        u"beaconLoad"_s,
        u"beaconStore"_s,
        u"devicePath"_s,
        u"group"_s,
        u"hook"_s,
        u"hooks"_s,
        u"ifdown"_s,
        u"ifup"_s,
        u"logFile"_s,
        u"pidFile"_s,
        u"statsFile"_s,
        u"user"_s,
    };
    QStringList found;
    for (const QString &key : topLevel) {
        if (!isEmptyValue(profile.value(key)))
            found.append(key);
    }
    const QJsonObject beacon = profile.value(u"beacon"_s).toObject();
    for (const QString &key : {u"load"_s, u"store"_s}) {
        if (!isEmptyValue(beacon.value(key)))
            found.append(u"beacon."_s + key);
    }
    const QJsonObject device = profile.value(u"device"_s).toObject();
    if (!isEmptyValue(device.value(u"path"_s)))
        found.append(u"device.path"_s);
    found.sort();
    return found;
}

} // namespace Nimbus::Protocol
