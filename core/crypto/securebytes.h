#pragma once

#include <cstddef>

#include <QByteArray>
#include <QByteArrayView>

namespace Nimbus
{

/// Secret bytes in guarded memory (sodium_malloc), wiped on destruction. Move-only.
class SecureBytes
{
public:
    SecureBytes() = default;
    explicit SecureBytes(std::size_t size);
    explicit SecureBytes(QByteArrayView bytes);
    ~SecureBytes();
    SecureBytes(SecureBytes &&other) noexcept;
    SecureBytes &operator=(SecureBytes &&other) noexcept;
    SecureBytes(const SecureBytes &) = delete;
    SecureBytes &operator=(const SecureBytes &) = delete;

    SecureBytes clone() const;
    unsigned char *data() { return m_data; }
    const unsigned char *data() const { return m_data; }
    std::size_t size() const { return m_size; }
    bool isEmpty() const { return m_size == 0; }
    QByteArrayView view() const;
    /// A non-secure copy; only for tests and for passing to APIs that need a QByteArray. Avoid in product code.
    QByteArray toByteArrayUnsafe() const;

private:
    unsigned char *m_data = nullptr;
    std::size_t m_size = 0;
};

} // namespace Nimbus
