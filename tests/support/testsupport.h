#pragma once

#include <QByteArray>
#include <QString>

namespace Nimbus::Test
{

/// Path of the shared spec/vectors folder (`../shared` beside the checkout, or $NIMBUS_SHARED_DIR).
QString sharedDir();
/// Reads a file below sharedDir(); fails the calling test (QFAIL-style, returns empty) if it is missing.
QByteArray readSharedFile(const QString &relativePath);
/// Decodes hex, ignoring whitespace.
QByteArray fromHex(const QByteArray &hex);

} // namespace Nimbus::Test
