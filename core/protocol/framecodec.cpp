#include "core/protocol/framecodec.h"

#include <algorithm>
#include <utility>

#include <QJsonDocument>
#include <QJsonParseError>
#include <QtEndian>

#include "core/protocol/constants.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus::Protocol
{

namespace
{

void wipe(QByteArray &bytes, qsizetype from, qsizetype to)
{
    // Frames can carry passwords: overwrite what has been consumed before the memory is reused or freed.
    if (to > from)
        std::fill(bytes.begin() + from, bytes.begin() + to, '\0');
}

} // namespace

QByteArray encodeFrame(const QJsonObject &object)
{
    const QByteArray json = QJsonDocument(object).toJson(QJsonDocument::Compact);
    if (json.size() > kMaxFrameSize)
        return {};
    QByteArray frame(kFrameHeaderSize, Qt::Uninitialized);
    qToBigEndian<quint32>(quint32(json.size()), frame.data());
    frame.append(json);
    return frame;
}

FrameDecoder::~FrameDecoder()
{
    wipe(m_buffer, 0, m_buffer.size());
}

void FrameDecoder::feed(QByteArrayView bytes)
{
    if (failed() || bytes.isEmpty())
        return;
    compact();
    m_buffer.append(bytes.data(), bytes.size());
    // Check the header at once, so an oversized frame is refused before its body is buffered.
    if (bufferedBytes() >= kFrameHeaderSize) {
        const quint32 length = qFromBigEndian<quint32>(m_buffer.constData() + m_offset);
        if (length == 0)
            fail(u"empty frame"_s);
        else if (length > quint32(kMaxFrameSize))
            fail(u"frame of %1 bytes is larger than the limit of %2"_s.arg(length).arg(kMaxFrameSize));
    }
}

std::optional<Result<QJsonObject>> FrameDecoder::next()
{
    if (failed() || bufferedBytes() < kFrameHeaderSize)
        return std::nullopt;
    const quint32 length = qFromBigEndian<quint32>(m_buffer.constData() + m_offset);
    if (length == 0) {
        fail(u"empty frame"_s);
        return std::nullopt;
    }
    if (length > quint32(kMaxFrameSize)) {
        fail(u"frame of %1 bytes is larger than the limit of %2"_s.arg(length).arg(kMaxFrameSize));
        return std::nullopt;
    }
    if (bufferedBytes() - kFrameHeaderSize < qsizetype(length))
        return std::nullopt;

    const qsizetype start = m_offset + kFrameHeaderSize;
    const QByteArray payload = QByteArray::fromRawData(m_buffer.constData() + start, qsizetype(length));
    QJsonParseError parseError {};
    const QJsonDocument document = QJsonDocument::fromJson(payload, &parseError);
    wipe(m_buffer, m_offset, start + qsizetype(length));
    m_offset = start + qsizetype(length);

    if (parseError.error != QJsonParseError::NoError)
        return Result<QJsonObject>(Error {
            u"BAD_JSON"_s, u"invalid JSON at offset %1: %2"_s.arg(parseError.offset).arg(parseError.errorString())});
    if (!document.isObject())
        return Result<QJsonObject>(Error {u"BAD_JSON"_s, u"the frame holds JSON but not an object"_s});
    return Result<QJsonObject>(document.object());
}

void FrameDecoder::fail(const QString &error)
{
    m_error = error;
    wipe(m_buffer, 0, m_buffer.size());
    m_buffer.clear();
    m_offset = 0;
}

void FrameDecoder::compact()
{
    if (m_offset == 0)
        return;
    // Everything before m_offset is already wiped; drop it once it is at least half the buffer, so feeding byte by
    // byte stays linear. Best effort only: reallocations of the buffer can leave copies behind.
    if (m_offset == m_buffer.size()) {
        m_buffer.clear();
        m_offset = 0;
    } else if (m_offset >= m_buffer.size() / 2) {
        QByteArray rest = m_buffer.sliced(m_offset);
        wipe(m_buffer, m_offset, m_buffer.size());
        m_buffer = std::move(rest);
        m_offset = 0;
    }
}

} // namespace Nimbus::Protocol
