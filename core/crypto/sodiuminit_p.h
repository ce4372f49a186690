#pragma once

namespace Nimbus::Detail
{

/// Initialises libsodium once (thread-safe, idempotent); true on success. Called by every function that needs
/// libsodium, so that nothing breaks if the application forgets initCrypto().
bool ensureSodium();

/// Writes \a value as \a n big-endian bytes to \a out.
template<typename T>
void putBigEndian(unsigned char *out, T value, int n)
{
    for (int i = n - 1; i >= 0; --i) {
        out[i] = static_cast<unsigned char>(value & 0xff);
        value >>= 8;
    }
}

} // namespace Nimbus::Detail
