#include "tests/support/cryptovectors.h"

#include <QJsonArray>
#include <QJsonDocument>

#include "tests/support/testsupport.h"

namespace Nimbus::Test
{

using namespace Qt::Literals::StringLiterals;

QList<QJsonObject> loadCapturePackets(const QString &capture)
{
    QByteArray text = readSharedFile(u"vectors/"_s + capture + u"/packets.json"_s);
    // Python's json module writes +inf (the plaintext marker's speed) as the non-standard token Infinity.
    text.replace("-Infinity", "\"-inf\"").replace("Infinity", "\"inf\"").replace("NaN", "\"nan\"");
    QJsonParseError error {};
    const QJsonDocument document = QJsonDocument::fromJson(text, &error);
    QList<QJsonObject> packets;
    if (error.error != QJsonParseError::NoError || !document.isArray()) {
        qWarning("cannot parse packets.json of %s: %s", qPrintable(capture), qPrintable(error.errorString()));
        return packets;
    }
    const QJsonArray array = document.array();
    for (const QJsonValue &value : array)
        packets.append(value.toObject());
    return packets;
}

QByteArray keylogField(const QByteArray &line, const QByteArray &name)
{
    const QByteArray key = name + '=';
    qsizetype start = -1;
    for (qsizetype from = 0; (start = line.indexOf(key, from)) >= 0; from = start + 1) {
        if (start == 0 || line[start - 1] == ' ' || line[start - 1] == '(' || line[start - 1] == ';')
            break;
    }
    if (start < 0)
        return {};
    start += key.size();
    qsizetype end = start;
    while (end < line.size() && line[end] != ' ' && line[end] != ')' && line[end] != ';')
        ++end;
    return line.mid(start, end - start);
}

std::optional<KeylogSide> parseKeylog(const QByteArray &text)
{
    KeylogSide side;
    bool haveMaster = false;
    bool haveCore = false;
    const QList<QByteArray> lines = text.split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith("KEYLOG init-master ")) {
            const std::optional<Algorithm> algorithm
                = parseAlgorithmName(QString::fromLatin1(keylogField(line, "algo")));
            side.sessionKey = QByteArray::fromHex(keylogField(line, "aead_key"));
            if (!algorithm || side.sessionKey.size() != keyLength(*algorithm))
                return std::nullopt;
            side.algorithm = *algorithm;
            haveMaster = true;
        } else if (line.startsWith("KEYLOG core ")) {
            const QByteArray half = keylogField(line, "nonce_half");
            if (half != "true" && half != "false")
                return std::nullopt;
            side.ownHalfHigh = half == "true";
            side.ownSaltedId = QByteArray::fromHex(keylogField(line, "salted_node_id_hash")); // "own salted_..."
            side.peerSaltedId = QByteArray::fromHex(keylogField(line, "peer"));
            if (side.ownSaltedId.size() != 20 || side.peerSaltedId.size() != 20)
                return std::nullopt;
            haveCore = true;
        } else if (line.startsWith("KEYLOG rotate")) {
            KeylogRotation rotation;
            bool idOk = false;
            bool slotOk = false;
            rotation.id = keylogField(line, "id").toULongLong(&idOk);
            rotation.slot = keylogField(line, "slot").toInt(&slotOk);
            rotation.forSending = keylogField(line, "use_for_sending") == "true";
            rotation.key = QByteArray::fromHex(keylogField(line, "aead_key"));
            if (!idOk || !slotOk || rotation.key.isEmpty())
                return std::nullopt;
            side.rotations.append(rotation);
        }
    }
    if (!haveMaster || !haveCore)
        return std::nullopt;
    return side;
}

} // namespace Nimbus::Test
