#include "bench/scale/securemem.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>

#include <sodium.h>

namespace Nimbus::Bench
{

namespace
{

SecureMemMode g_mode = SecureMemMode::Plain;
long g_allocations = 0;
std::size_t g_bytes = 0;
constexpr std::size_t kHeader = 16; // keeps the 16-byte alignment libsodium's AES-GCM state needs

/// The size of glibc's malloc chunk for a request of \a size bytes (8 bytes of header, 16-byte granularity).
std::size_t chunkSize(std::size_t size)
{
    return std::max<std::size_t>((size + kHeader + 8 + 15) & ~std::size_t(15), 32);
}

using MallocFn = void *(*)(std::size_t);
using FreeFn = void (*)(void *);

template<typename Fn>
Fn next(const char *name)
{
    void *symbol = dlsym(RTLD_NEXT, name);
    if (!symbol)
        std::abort();
    Fn fn = nullptr;
    static_assert(sizeof fn == sizeof symbol);
    std::memcpy(&fn, &symbol, sizeof fn);
    return fn;
}

} // namespace

void setSecureMemMode(SecureMemMode mode)
{
    g_mode = mode;
}

long secureAllocations()
{
    return g_allocations;
}

std::size_t secureHeapBytes()
{
    return g_bytes;
}

} // namespace Nimbus::Bench

using Nimbus::Bench::SecureMemMode;

extern "C" void *sodium_malloc(std::size_t size)
{
    using namespace Nimbus::Bench;
    if (g_mode == SecureMemMode::Guarded) {
        static const MallocFn real = next<MallocFn>("sodium_malloc");
        void *p = real(size);
        if (p)
            ++g_allocations;
        return p;
    }
    auto *block = static_cast<unsigned char *>(std::malloc(size + kHeader));
    if (!block)
        return nullptr;
    std::memcpy(block, &size, sizeof size);
    ++g_allocations;
    g_bytes += chunkSize(size);
    return block + kHeader;
}

extern "C" void sodium_free(void *ptr)
{
    using namespace Nimbus::Bench;
    if (!ptr)
        return;
    if (g_mode == SecureMemMode::Guarded) {
        static const FreeFn real = next<FreeFn>("sodium_free");
        --g_allocations;
        real(ptr);
        return;
    }
    unsigned char *block = static_cast<unsigned char *>(ptr) - kHeader;
    std::size_t size = 0;
    std::memcpy(&size, block, sizeof size);
    sodium_memzero(ptr, size);
    --g_allocations;
    g_bytes -= chunkSize(size);
    std::free(block);
}
