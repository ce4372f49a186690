#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>
#include <QTest>

#include "core/protocol/errorcode.h"
#include "core/protocol/result.h"

namespace Nimbus::Test
{

/// The checks every protocol value type gets (tst_types, tst_events, tst_protocolprofile): \a wire (as the helper
/// writes it) reads and writes back unchanged, an unknown member is ignored, each of \a required missing fails
/// with BAD_REQUEST naming it, and \a wrongType (a member set to a value of the wrong type) fails naming it.
template<typename T>
void checkValueType(const QJsonObject &wire, const QStringList &required, const QString &wrongType)
{
    const Result<T> parsed = T::fromJson(wire);
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
    QCOMPARE(parsed->toJson(), wire);
    const Result<T> again = T::fromJson(parsed->toJson());
    QVERIFY(again.ok());
    QVERIFY(*again == *parsed);

    QJsonObject future = wire;
    future.insert(QStringLiteral("futureField"), QJsonObject {{QStringLiteral("x"), 1}});
    const Result<T> withUnknown = T::fromJson(future);
    QVERIFY(withUnknown.ok());
    QVERIFY(*withUnknown == *parsed);

    for (const QString &field : required) {
        QJsonObject missing = wire;
        missing.remove(field);
        const Result<T> failed = T::fromJson(missing);
        QVERIFY2(!failed.ok(), qPrintable(field));
        QCOMPARE(failed.error().code, Protocol::errorCodeName(Protocol::ErrorCode::BadRequest));
        QCOMPARE(failed.error().message, field + QStringLiteral(": missing"));
        missing.insert(field, QJsonValue::Null);
        QVERIFY2(!T::fromJson(missing).ok(), qPrintable(field + QStringLiteral(" null")));
    }

    if (!wrongType.isEmpty()) {
        QJsonObject bad = wire;
        bad.insert(
            wrongType, wire.value(wrongType).isString() ? QJsonValue(QJsonArray {1}) : QJsonValue(QStringLiteral("x")));
        const Result<T> failed = T::fromJson(bad);
        QVERIFY2(!failed.ok(), qPrintable(wrongType));
        QVERIFY2(failed.error().message.startsWith(wrongType + u':'), qPrintable(failed.error().message));
    }
}

} // namespace Nimbus::Test
