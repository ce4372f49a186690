#include "tests/support/testsupport.h"

#include <QDir>
#include <QFile>
#include <QTest>

namespace Nimbus::Test
{

QString sharedDir()
{
    const QString env = qEnvironmentVariable("NIMBUS_SHARED_DIR");
    if (!env.isEmpty())
        return env;
    return QDir(qEnvironmentVariable("NIMBUS_SOURCE_DIR")).filePath(QStringLiteral("../shared"));
}

QByteArray readSharedFile(const QString &relativePath)
{
    QFile file(QDir(sharedDir()).filePath(relativePath));
    if (!file.open(QIODevice::ReadOnly)) {
        qWarning("cannot open shared file %s", qPrintable(file.fileName()));
        return {};
    }
    return file.readAll();
}

QByteArray fromHex(const QByteArray &hex)
{
    QByteArray compact = hex;
    compact.replace(' ', QByteArray()).replace('\n', QByteArray()).replace('\t', QByteArray());
    return QByteArray::fromHex(compact);
}

} // namespace Nimbus::Test
