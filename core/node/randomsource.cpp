#include "core/node/randomsource.h"

#include <algorithm>
#include <cstring>

#include <QRandomGenerator>

#include "core/crypto/identity.h"

namespace Nimbus
{

quint32 RandomSource::bounded(quint32 bound)
{
    return quint32((quint64(generate()) * bound) >> 32);
}

void RandomSource::fill(void *data, qsizetype size)
{
    auto *out = static_cast<unsigned char *>(data);
    while (size > 0) {
        const quint32 value = generate();
        const qsizetype n = std::min<qsizetype>(size, qsizetype(sizeof value));
        std::memcpy(out, &value, size_t(n));
        out += n;
        size -= n;
    }
}

quint32 SystemRandomSource::generate()
{
    return QRandomGenerator::global()->generate();
}

quint32 SystemRandomSource::bounded(quint32 bound)
{
    return QRandomGenerator::global()->bounded(bound);
}

void SystemRandomSource::fill(void *data, qsizetype size)
{
    const QByteArray random = randomBytes(int(size));
    std::memcpy(data, random.constData(), size_t(random.size()));
}

quint32 SeededRandomSource::generate()
{
    m_state ^= m_state >> 12;
    m_state ^= m_state << 25;
    m_state ^= m_state >> 27;
    return quint32((m_state * 0x2545F4914F6CDD1DULL) >> 32);
}

} // namespace Nimbus
