#pragma once

#include <QtGlobal>

namespace Nimbus
{

/// Where the engine's random numbers come from: its node id, the jitter of its probes and the subset of peers it
/// announces. Passed in like time (NodeConfig::random), so a test can fix them. Not thread-safe.
class RandomSource
{
public:
    virtual ~RandomSource() = default;

    /// A uniformly distributed 32-bit value.
    virtual quint32 generate() = 0;
    /// A value in [0, \a bound) (\a bound > 0). Default: from generate() (multiply and shift).
    virtual quint32 bounded(quint32 bound);
    /// Fills \a size bytes at \a data. Default: from generate(), four bytes at a time.
    virtual void fill(void *data, qsizetype size);
};

/// Real randomness: libsodium's generator for fill() (node ids), QRandomGenerator::global() for numbers.
class SystemRandomSource final : public RandomSource
{
public:
    quint32 generate() override;
    quint32 bounded(quint32 bound) override;
    void fill(void *data, qsizetype size) override;
};

/// A deterministic generator (xorshift64*): the same seed gives the same sequence. For tests, and for the probe
/// jitter of a node without a RandomSource (seeded from its node id).
class SeededRandomSource final : public RandomSource
{
public:
    /// Distinct seeds give distinct sequences; seed 0 (which would stick at zero) is replaced by a fixed constant.
    explicit SeededRandomSource(quint64 seed) : m_state(seed != 0 ? seed : 0x9E3779B97F4A7C15ULL) { }
    quint32 generate() override;

private:
    quint64 m_state;
};

} // namespace Nimbus
