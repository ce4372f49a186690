#include "core/crypto/securebytes.h"

#include <cstring>
#include <utility>

#include <sodium.h>

#include <QtGlobal>

#include "core/crypto/sodiuminit_p.h"

namespace Nimbus
{

namespace Detail
{

bool ensureSodium()
{
    static const bool ok = sodium_init() >= 0;
    return ok;
}

} // namespace Detail

SecureBytes::SecureBytes(std::size_t size)
{
    if (size == 0)
        return;
    if (!Detail::ensureSodium())
        qFatal("libsodium could not be initialised");
    m_data = static_cast<unsigned char *>(sodium_malloc(size));
    if (!m_data)
        qFatal("out of memory for secret data");
    m_size = size;
    sodium_memzero(m_data, m_size);
}

SecureBytes::SecureBytes(QByteArrayView bytes) : SecureBytes(static_cast<std::size_t>(bytes.size()))
{
    if (m_size > 0)
        std::memcpy(m_data, bytes.data(), m_size);
}

SecureBytes::~SecureBytes()
{
    // sodium_free wipes the memory before releasing it.
    if (m_data)
        sodium_free(m_data);
}

SecureBytes::SecureBytes(SecureBytes &&other) noexcept
    : m_data(std::exchange(other.m_data, nullptr)), m_size(std::exchange(other.m_size, 0))
{
}

SecureBytes &SecureBytes::operator=(SecureBytes &&other) noexcept
{
    if (this != &other) {
        if (m_data)
            sodium_free(m_data);
        m_data = std::exchange(other.m_data, nullptr);
        m_size = std::exchange(other.m_size, 0);
    }
    return *this;
}

SecureBytes SecureBytes::clone() const
{
    return SecureBytes(view());
}

QByteArrayView SecureBytes::view() const
{
    return QByteArrayView(reinterpret_cast<const char *>(m_data), static_cast<qsizetype>(m_size));
}

QByteArray SecureBytes::toByteArrayUnsafe() const
{
    return view().toByteArray();
}

} // namespace Nimbus
