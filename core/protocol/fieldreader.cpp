#include "core/protocol/fieldreader.h"

#include <cmath>

using namespace Qt::Literals::StringLiterals;

namespace Nimbus::Protocol
{

namespace
{

// JSON numbers are exact integers up to 2^53.
constexpr double kMaxExactInteger = 9007199254740992.0;

bool isWholeNumber(const QJsonValue &v)
{
    if (!v.isDouble())
        return false;
    const double d = v.toDouble();
    return std::isfinite(d) && std::floor(d) == d && std::fabs(d) <= kMaxExactInteger;
}

} // namespace

Error fieldError(const QString &path, const QString &problem)
{
    return Error {errorCodeName(ErrorCode::BadRequest), path + u": "_s + problem};
}

void FieldReader::fail(const QString &key, const QString &problem)
{
    if (!m_error)
        m_error = fieldError(key, problem);
}

void FieldReader::failNested(const QString &path, const Error &nested)
{
    if (!m_error)
        m_error = Error {nested.code, path + u'.' + nested.message};
}

QJsonValue FieldReader::member(const QString &key, Need need)
{
    const QJsonValue v = m_object.value(key);
    if (need == Need::Required && (v.isUndefined() || v.isNull()))
        fail(key, u"missing"_s);
    return v;
}

QString FieldReader::string(const QString &key, Need need, const QString &fallback)
{
    const QJsonValue v = member(key, need);
    if (v.isUndefined() || v.isNull())
        return fallback;
    if (!v.isString()) {
        fail(key, u"expected a string"_s);
        return fallback;
    }
    return v.toString();
}

std::optional<QString> FieldReader::optionalString(const QString &key)
{
    const QString text = string(key, Need::Optional);
    if (text.isEmpty())
        return std::nullopt;
    return text;
}

qint64 FieldReader::integer(const QString &key, Need need, qint64 fallback)
{
    const QJsonValue v = member(key, need);
    if (v.isUndefined() || v.isNull())
        return fallback;
    if (!isWholeNumber(v)) {
        fail(key, u"expected a whole number"_s);
        return fallback;
    }
    return static_cast<qint64>(v.toDouble());
}

std::optional<qint64> FieldReader::optionalInteger(const QString &key)
{
    const QJsonValue v = m_object.value(key);
    if (v.isUndefined() || v.isNull())
        return std::nullopt;
    return integer(key, Need::Optional);
}

bool FieldReader::boolean(const QString &key, Need need, bool fallback)
{
    const QJsonValue v = member(key, need);
    if (v.isUndefined() || v.isNull())
        return fallback;
    if (!v.isBool()) {
        fail(key, u"expected true or false"_s);
        return fallback;
    }
    return v.toBool();
}

QStringList FieldReader::stringList(const QString &key, Need need)
{
    QStringList out;
    const QJsonValue v = member(key, need);
    if (v.isUndefined() || v.isNull())
        return out;
    if (!v.isArray()) {
        fail(key, u"expected a list of strings"_s);
        return out;
    }
    const QJsonArray array = v.toArray();
    out.reserve(array.size());
    for (qsizetype i = 0; i < array.size(); ++i) {
        if (!array.at(i).isString()) {
            fail(key + u'[' + QString::number(i) + u']', u"expected a string"_s);
            return {};
        }
        out.append(array.at(i).toString());
    }
    return out;
}

} // namespace Nimbus::Protocol
