#pragma once

#include <optional>

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include "core/protocol/errorcode.h"
#include "core/protocol/result.h"

namespace Nimbus::Protocol
{

/// Whether a member must be present. Optional members may also be null (= absent).
enum class Need {
    Required,
    Optional,
};

/// Reads the members of one JSON object for the value types' fromJson(): each getter returns the member or its
/// fallback, and the first problem (a required member missing, or any member of the wrong type) is kept as an
/// Error with code BAD_REQUEST and the message "path: problem", e.g. `claimants[1].nodeId: missing`.
/// Members nobody asks for are ignored (docs/control-protocol.md: unknown fields are ignored everywhere).
class FieldReader
{
public:
    explicit FieldReader(const QJsonObject &object) : m_object(object) { }

    QString string(const QString &key, Need need, const QString &fallback = {});
    /// A whole number (JSON numbers are doubles; fractions are refused).
    qint64 integer(const QString &key, Need need, qint64 fallback = 0);
    /// As integer(), but null (or absent) gives nullopt.
    std::optional<qint64> optionalInteger(const QString &key);
    bool boolean(const QString &key, Need need, bool fallback = false);
    QStringList stringList(const QString &key, Need need);
    /// The string member, or nullopt when absent, null or "".
    std::optional<QString> optionalString(const QString &key);

    /// A nested object read by T::fromJson(); nullopt when absent or null (an error too if required).
    template<typename T>
    std::optional<T> object(const QString &key, Need need)
    {
        const QJsonValue v = member(key, need);
        if (v.isUndefined() || v.isNull())
            return std::nullopt;
        if (!v.isObject()) {
            fail(key, QStringLiteral("expected an object"));
            return std::nullopt;
        }
        Result<T> parsed = T::fromJson(v.toObject());
        if (!parsed) {
            failNested(key, parsed.error());
            return std::nullopt;
        }
        return std::move(parsed).value();
    }

    /// A list of objects read by T::fromJson().
    template<typename T>
    QList<T> list(const QString &key, Need need)
    {
        QList<T> out;
        const QJsonValue v = member(key, need);
        if (v.isUndefined() || v.isNull())
            return out;
        if (!v.isArray()) {
            fail(key, QStringLiteral("expected a list"));
            return out;
        }
        const QJsonArray array = v.toArray();
        out.reserve(array.size());
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QString path = key + u'[' + QString::number(i) + u']';
            if (!array.at(i).isObject()) {
                fail(path, QStringLiteral("expected an object"));
                return {};
            }
            Result<T> parsed = T::fromJson(array.at(i).toObject());
            if (!parsed) {
                failNested(path, parsed.error());
                return {};
            }
            out.append(std::move(parsed).value());
        }
        return out;
    }

    bool ok() const { return !m_error.has_value(); }
    const std::optional<Error> &error() const { return m_error; }

    /// \a value, or the first problem met while reading it.
    template<typename T>
    Result<T> finish(T value) const
    {
        if (m_error)
            return *m_error;
        return value;
    }

    /// Records a problem of \a key found by the caller (e.g. a value out of its range).
    void fail(const QString &key, const QString &problem);

private:
    QJsonValue member(const QString &key, Need need);
    void failNested(const QString &path, const Error &nested);

    const QJsonObject &m_object;
    std::optional<Error> m_error;
};

/// A BAD_REQUEST error "path: problem" (what FieldReader reports).
Error fieldError(const QString &path, const QString &problem);

} // namespace Nimbus::Protocol
