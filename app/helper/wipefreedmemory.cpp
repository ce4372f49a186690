/// Freed heap memory is wiped before the allocator gets it back (docs/design-notes.md, "Secrets in memory").
///
/// A password or private key reaches the helper in a control frame, passes through Qt's socket buffers, the JSON
/// parser and QStrings before it becomes key material in guarded memory (SecureBytes); each of those copies is freed
/// in the ordinary way and its bytes stayed in the heap, where a memory dump or a later bug could find them. Wiping
/// each buffer that held a secret would mean reaching into Qt's internals; wiping every freed block covers them all.
/// These definitions interpose glibc's free() and realloc() for the whole process (Qt included). The cost is one
/// explicit_bzero of the freed block, paid off the data path (which does not allocate per packet).
///
/// Not built with sanitizers or the fuzzing build: they bring their own allocator.
#include <cstdlib>
#include <cstring>
#include <malloc.h>

extern "C" {

// glibc's own implementations, exported for exactly this use.
void __libc_free(void *pointer); // NOLINT(bugprone-reserved-identifier)
void *__libc_malloc(std::size_t size); // NOLINT(bugprone-reserved-identifier)

void free(void *pointer) noexcept
{
    if (pointer != nullptr)
        explicit_bzero(pointer, malloc_usable_size(pointer));
    __libc_free(pointer);
}

// glibc's realloc frees a block it moves without calling free(): moving is done here instead, through free().
void *realloc(void *pointer, std::size_t size) noexcept
{
    if (pointer == nullptr)
        return __libc_malloc(size);
    if (size == 0) {
        free(pointer);
        return nullptr;
    }
    const std::size_t usable = malloc_usable_size(pointer);
    if (size <= usable)
        return pointer;
    void *moved = __libc_malloc(size);
    if (moved == nullptr)
        return nullptr;
    std::memcpy(moved, pointer, usable);
    free(pointer);
    return moved;
}

} // extern "C"
