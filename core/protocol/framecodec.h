#pragma once

#include <optional>

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QString>

#include "core/protocol/result.h"

namespace Nimbus::Protocol
{

/// Encodes \a object as one frame: a 4-byte big-endian length, then compact UTF-8 JSON.
/// Returns an empty array if the JSON would be longer than kMaxFrameSize (the caller must not send it).
QByteArray encodeFrame(const QJsonObject &object);

/// Incremental frame decoder: feed() it the bytes as they arrive, then call next() until it returns nullopt.
/// No I/O, no event loop; safe for any input (fuzzed).
///
/// A header announcing 0 bytes or more than kMaxFrameSize is a protocol violation: the decoder fails for good
/// (failed() turns true, next() returns nullopt and further input is ignored) and the connection must be closed.
/// A frame of valid size whose payload is not a JSON object is reported by next() as an Error with code
/// `BAD_JSON`; the decoder then goes on with the next frame.
///
/// Consumed bytes are wiped from the internal buffer, since frames may carry secrets.
class FrameDecoder
{
public:
    FrameDecoder() = default;
    ~FrameDecoder();
    FrameDecoder(const FrameDecoder &) = delete;
    FrameDecoder &operator=(const FrameDecoder &) = delete;

    /// Appends \a bytes. Ignored after failure.
    void feed(QByteArrayView bytes);
    /// The next complete frame (a JSON object or a BAD_JSON error), or nullopt if more bytes are needed or the
    /// decoder failed.
    std::optional<Result<QJsonObject>> next();

    /// True after a protocol violation (empty or oversized frame).
    bool failed() const { return !m_error.isEmpty(); }
    /// Why the decoder failed; empty while it has not.
    QString errorString() const { return m_error; }
    /// Bytes received but not yet returned as frames.
    qsizetype bufferedBytes() const { return m_buffer.size() - m_offset; }

private:
    void fail(const QString &error);
    void compact();

    QByteArray m_buffer;
    qsizetype m_offset = 0;
    QString m_error;
};

} // namespace Nimbus::Protocol
