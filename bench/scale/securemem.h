#pragma once

#include <cstddef>

namespace Nimbus::Bench
{

/// bench_scale_sim replaces libsodium's guarded allocator (sodium_malloc/sodium_free, which SecureBytes uses) with
/// a counting one. Every guarded allocation costs an mmap of at least four pages (two resident) and four kernel
/// mappings; a simulation of hundreds of engines in one process would run out of mappings (vm.max_map_count) long
/// before it runs out of memory. In Plain mode secrets live on the ordinary heap (wiped on free); in Guarded mode
/// the calls go to libsodium. Either way the live allocations are counted. Set the mode before the first call.
enum class SecureMemMode {
    Plain,
    Guarded,
};

void setSecureMemMode(SecureMemMode mode);
/// Guarded allocations currently live.
long secureAllocations();
/// Heap bytes (malloc chunks, as mallinfo2 counts them) the live allocations hold (Plain mode only; else 0).
std::size_t secureHeapBytes();

} // namespace Nimbus::Bench
