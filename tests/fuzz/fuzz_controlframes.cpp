/// libFuzzer harness: the control protocol as the helper and the clients read it. The byte stream is fed to one
/// FrameDecoder in pieces of varying size and to another in one go: both must produce the same frames and fail
/// alike. Every frame goes through the request and server-message parsers, version negotiation, the method x
/// role table and secret redaction (no secret member may survive it at any depth), and re-encoding a frame
/// must decode to the same object.
///
/// Input: a byte that seeds the piece sizes, then the stream (4-byte big-endian length + JSON per frame).
#include <QJsonArray>
#include <QJsonDocument>

#include "core/protocol/constants.h"
#include "core/protocol/envelope.h"
#include "core/protocol/framecodec.h"
#include "core/protocol/methodtable.h"
#include "tests/fuzz/fuzzsupport.h"

using namespace Qt::Literals::StringLiterals;
using namespace Nimbus;
using namespace Nimbus::Fuzz;
using namespace Nimbus::Protocol;

namespace
{

using Frames = QList<Result<QJsonObject>>;

void drain(FrameDecoder &decoder, Frames &frames)
{
    while (std::optional<Result<QJsonObject>> frame = decoder.next())
        frames.append(std::move(*frame));
}

bool sameFrame(const Result<QJsonObject> &a, const Result<QJsonObject> &b)
{
    if (a.ok() != b.ok())
        return false;
    return a.ok() ? *a == *b : a.error().code == b.error().code;
}

bool noSecretsLeft(const QJsonValue &value)
{
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        return std::all_of(array.begin(), array.end(), [](const QJsonValue &v) { return noSecretsLeft(v); });
    }
    if (!value.isObject())
        return true;
    const QJsonObject object = value.toObject();
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        const bool secret = it.key() == u"secret"_s || it.key() == u"password"_s || it.key() == u"privateKey"_s
            || it.key() == u"yaml"_s;
        if (secret && !it.value().isNull() && it.value() != QJsonValue(u"<redacted>"_s))
            return false;
        if (!noSecretsLeft(it.value()))
            return false;
    }
    return true;
}

void inspect(const QJsonObject &object)
{
    if (const Result<Request> request = parseRequest(object)) {
        check(request->id >= 1 && request->id <= kMaxRequestId, "request ids are in range");
        if (const std::optional<Method> method = methodFromName(request->method)) {
            check(methodName(*method) == request->method, "method names round-trip");
            for (const Role role : kAllRoles)
                (void)isAllowed(*method, role);
        }
        for (const Role role : kAllRoles)
            (void)isAllowed(request->method, role);
        const QStringList keys = privilegedProfileKeys(request->params.value(u"profile"_s).toObject());
        QStringList sorted = keys;
        sorted.sort();
        check(keys == sorted, "privileged profile keys are sorted");
    }
    if (const Result<ServerMessage> message = parseServerMessage(object)) {
        if (const Event *event = std::get_if<Event>(&*message))
            check(event->seq >= 1 && !event->name.isEmpty(), "events have a name and a sequence number");
    }
    (void)readId(object);
    if (const std::optional<int> version = negotiateVersion(object.value(u"versions"_s)))
        check(*version == kProtocolVersion, "only a spoken version is negotiated");
    check(noSecretsLeft(redactSecrets(object)), "redaction removes every secret");

    const QByteArray frame = encodeFrame(object);
    if (frame.isEmpty())
        return;
    FrameDecoder decoder;
    decoder.feed(frame);
    const std::optional<Result<QJsonObject>> again = decoder.next();
    check(again && again->ok() && **again == object, "an encoded frame decodes to the same object");
    check(!decoder.next() && decoder.bufferedBytes() == 0, "one frame is one frame");
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    initDeterminism();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    InputReader input(data, size);
    quint32 piece = input.u8() | 1u;
    const QByteArrayView stream = input.rest();

    Frames whole;
    FrameDecoder all;
    all.feed(stream);
    drain(all, whole);

    Frames pieces;
    FrameDecoder incremental;
    for (qsizetype pos = 0; pos < stream.size();) {
        piece = piece * 1103515245u + 12345u; // a fixed LCG: piece sizes 1..64, reproducible per input
        const qsizetype length = std::min<qsizetype>(1 + (piece >> 16) % 64, stream.size() - pos);
        incremental.feed(stream.sliced(pos, length));
        pos += length;
        drain(incremental, pieces);
    }

    check(whole.size() == pieces.size(), "piecewise and whole feeding give the same number of frames");
    for (qsizetype i = 0; i < whole.size(); ++i)
        check(sameFrame(whole[i], pieces[i]), "piecewise and whole feeding give the same frames");
    check(all.failed() == incremental.failed(), "piecewise and whole feeding fail alike");
    check(all.bufferedBytes() == incremental.bufferedBytes(), "piecewise and whole feeding keep the same rest");
    for (const Result<QJsonObject> &frame : std::as_const(whole)) {
        if (frame)
            inspect(*frame);
        else
            check(frame.error().code == u"BAD_JSON"_s, "bad frames are BAD_JSON");
    }
    return 0;
}
