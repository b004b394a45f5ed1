// The binary's operator new and delete (only where CMake defines MLSERVE_FAST_ALLOCATOR: not in sanitizer
// or fuzzer builds, whose own allocators must see every block).
//
// Why: a render is one short process that makes ~20,000 small allocations on a fresh heap, where glibc's
// malloc has nothing cached and takes ~100 instructions per malloc and per free: a quarter of all the
// instructions of `render -f model.yaml`. Here blocks up to 1 KiB come from 16-byte size classes carved out of
// one reserved address range: a free-list pop or a pointer bump to allocate, a push to free (~15 instructions
// each). Freed blocks are reused, so `render -f DIR` over thousands of specs stays as small as before; memory is
// never given back to the system, which a short-lived CLI does not need. Larger blocks, and everything once the
// range is used up or could not be reserved, go to malloc. While the process has one thread no lock is taken;
// once it has more, a spin lock guards the lists.

#ifdef MLSERVE_FAST_ALLOCATOR

#include <pthread.h>
#include <sys/mman.h>
#include <sys/single_threaded.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>

namespace {

constexpr std::size_t k_granule = 16;                   ///< class sizes are multiples: keeps 16-byte alignment
constexpr std::size_t k_classes = 64;                   ///< so blocks up to 1 KiB are small
constexpr std::size_t k_span = 4096;                    ///< the range is handed out in pages, each to one class
constexpr std::size_t k_range = std::size_t(1) << 30;   ///< reserved, not committed: pages are touched as used
constexpr std::size_t k_spans = k_range / k_span;
/// Pages are made present ahead of use, in chunks of this size at first and then as large as what is present
/// already, up to a MiB: a page fault per page costs more than one madvise for many (`version` uses about
/// 120 KiB, one render about a megabyte, made present in four calls).
constexpr std::size_t k_first_prefault = 128 * 1024;
constexpr std::size_t k_max_prefault = 1024 * 1024;

struct FreeBlock {
    FreeBlock* next;
};

struct Heap {
    std::atomic<std::uintptr_t> base{0}; ///< start of the reserved range; 0 until reserved
    bool unavailable = false;            ///< the reservation failed: everything goes to malloc
    std::size_t spans_used = 0;
    std::size_t present = 0; ///< bytes at the start of the range made present ahead of use
    FreeBlock* free[k_classes + 1] = {};
    char* cursor[k_classes + 1] = {}; ///< the next fresh block of each class's current span
    char* limit[k_classes + 1] = {};
    std::uint8_t span_class[k_spans] = {};
};

// Zero-initialised in .bss: no constructor runs, so static initialisers may allocate before main.
constinit Heap g_heap;
constinit std::atomic_flag g_lock = ATOMIC_FLAG_INIT;

void lock() noexcept {
    while (g_lock.test_and_set(std::memory_order_acquire)) {
    }
}
void unlock() noexcept { g_lock.clear(std::memory_order_release); }

/// Locks only while the process has more than one thread (glibc clears __libc_single_threaded for good at the
/// first pthread_create, which runs in the only thread there was, so no thread can be inside a guard then).
class Guard {
public:
    Guard() noexcept : m_locked(__libc_single_threaded == 0) {
        if (m_locked) lock();
    }
    ~Guard() {
        if (m_locked) unlock();
    }
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;

private:
    bool m_locked;
};

bool reserve() noexcept {
    void* range = mmap(nullptr, k_range, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (range == MAP_FAILED) {
        g_heap.unavailable = true;
        return false;
    }
    // A child forked while another thread holds the lock would otherwise wait for it forever.
    pthread_atfork(lock, unlock, unlock);
    g_heap.base.store(reinterpret_cast<std::uintptr_t>(range), std::memory_order_release);
    return true;
}

bool new_span(std::size_t cls) noexcept {
    if (g_heap.base.load(std::memory_order_relaxed) == 0 && (g_heap.unavailable || !reserve())) return false;
    if (g_heap.spans_used == k_spans) return false;
    char* base = reinterpret_cast<char*>(g_heap.base.load(std::memory_order_relaxed));
    const std::size_t offset = g_heap.spans_used * k_span;
#ifdef MADV_POPULATE_WRITE
    if (offset >= g_heap.present) {
        const std::size_t chunk =
            std::min({std::max(k_first_prefault, g_heap.present), k_max_prefault, k_range - g_heap.present});
        madvise(base + g_heap.present, chunk, MADV_POPULATE_WRITE); // Linux 5.14+; else pages fault in as used
        g_heap.present += chunk;
    }
#endif
    char* span = base + offset;
    g_heap.span_class[g_heap.spans_used++] = static_cast<std::uint8_t>(cls);
    g_heap.cursor[cls] = span; // what was left of the previous span, less than one block, stays unused
    g_heap.limit[cls] = span + k_span;
    return true;
}

std::size_t class_of(std::size_t size) noexcept { return (size + k_granule - 1) / k_granule + (size == 0); }

/// A block of class `cls` from its free list or its page, or nullptr when the page is used up.
[[gnu::always_inline]] inline void* take(std::size_t cls) noexcept {
    if (FreeBlock* block = g_heap.free[cls]) {
        g_heap.free[cls] = block->next;
        return block;
    }
    const std::size_t bytes = cls * k_granule;
    char* cursor = g_heap.cursor[cls];
    if (static_cast<std::size_t>(g_heap.limit[cls] - cursor) < bytes) return nullptr;
    g_heap.cursor[cls] = cursor + bytes;
    return cursor;
}

/// Everything but the single-threaded fast path, out of line so that the fast path needs no stack frame:
/// locking, starting a page, large blocks, running out of memory.
[[gnu::noinline]] void* allocate_slow(std::size_t size) {
    if (size <= k_granule * k_classes) {
        const std::size_t cls = class_of(size);
        Guard guard;
        if (void* block = take(cls)) return block;
        if (new_span(cls)) return take(cls);
    }
    while (true) {
        if (void* block = std::malloc(size == 0 ? 1 : size)) return block;
        std::new_handler handler = std::get_new_handler();
        if (!handler) throw std::bad_alloc();
        handler();
    }
}

[[gnu::always_inline]] inline void* allocate(std::size_t size) {
    if (size <= k_granule * k_classes && __libc_single_threaded)
        if (void* block = take(class_of(size))) return block;
    return allocate_slow(size);
}

void* allocate_nothrow(std::size_t size) noexcept {
    try {
        return allocate(size);
    } catch (...) {
        return nullptr;
    }
}

void push(void* pointer, std::size_t offset) noexcept {
    const std::size_t cls = g_heap.span_class[offset / k_span];
    auto* block = static_cast<FreeBlock*>(pointer);
    block->next = g_heap.free[cls];
    g_heap.free[cls] = block;
}

[[gnu::noinline]] void release_slow(void* pointer) noexcept {
    const std::uintptr_t base = g_heap.base.load(std::memory_order_acquire);
    const std::uintptr_t offset = reinterpret_cast<std::uintptr_t>(pointer) - base;
    if (base != 0 && offset < k_range) {
        Guard guard;
        push(pointer, offset);
        return;
    }
    std::free(pointer);
}

[[gnu::always_inline]] inline void release(void* pointer) noexcept {
    const std::uintptr_t base = g_heap.base.load(std::memory_order_relaxed);
    // Unsigned: a pointer below the range wraps around to a large offset, and so does nullptr.
    const std::uintptr_t offset = reinterpret_cast<std::uintptr_t>(pointer) - base;
    if (base != 0 && offset < k_range && __libc_single_threaded) {
        push(pointer, offset);
        return;
    }
    release_slow(pointer);
}

} // namespace

void* operator new(std::size_t size) { return allocate(size); }
void* operator new[](std::size_t size) { return allocate(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept { return allocate_nothrow(size); }
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept { return allocate_nothrow(size); }
void operator delete(void* pointer) noexcept { release(pointer); }
void operator delete[](void* pointer) noexcept { release(pointer); }
void operator delete(void* pointer, std::size_t) noexcept { release(pointer); }
void operator delete[](void* pointer, std::size_t) noexcept { release(pointer); }
void operator delete(void* pointer, const std::nothrow_t&) noexcept { release(pointer); }
void operator delete[](void* pointer, const std::nothrow_t&) noexcept { release(pointer); }

#endif // MLSERVE_FAST_ALLOCATOR
