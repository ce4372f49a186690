#pragma once

#include <optional>

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include "core/crypto/aead.h"

namespace Nimbus::Test
{

/// The decoded packets of vectors/<capture>/packets.json (Python's `Infinity` tolerated); empty on error.
QList<QJsonObject> loadCapturePackets(const QString &capture);

/// A key installed by a rotation, as logged by the keylog build.
struct KeylogRotation {
    quint64 id = 0;
    int slot = 0;
    bool forSending = false;
    QByteArray key;
};

/// The KEYLOG lines of one node's stderr-X.txt.
struct KeylogSide {
    Algorithm algorithm = Algorithm::Plain;
    QByteArray sessionKey; ///< aead_key of init-master
    bool ownHalfHigh = false; ///< nonce_half
    QByteArray ownSaltedId;
    QByteArray peerSaltedId;
    QList<KeylogRotation> rotations;
};

/// Parses stderr-A.txt / stderr-B.txt of a keylog capture; nullopt if a mandatory line is missing or malformed.
std::optional<KeylogSide> parseKeylog(const QByteArray &text);

/// The value of `name=VALUE` in \a line (up to the next space or ')'), or empty.
QByteArray keylogField(const QByteArray &line, const QByteArray &name);

} // namespace Nimbus::Test
