// The binary's operator new and delete (only where CMake defines MLSERVE_FAST_ALLOCATOR: not in sanitizer
// or fuzzer builds, whose own allocators must see every block).
//
// Why: a render is one short process that makes ~20,000 small allocations on a fresh heap, where glibc's
// malloc has nothing cached and takes ~100 instructions per malloc and per free: a quarter of all the
// instructions of `render -f model.yaml`. Here blocks up to 1 KiB come from 16-byte size classes, and blocks up
// to 32 KiB from power-of-two classes, carved out of one reserved address range: a free-list pop or a pointer
// bump to allocate, a push to free (~15 instructions each). Freed blocks are reused, so `render -f DIR` over
// thousands of specs stays as small as before; memory is never given back to the system, which a short-lived CLI
// does not need. Larger blocks, and everything once the range is used up or could not be reserved, go to malloc.
// While the process has one thread no lock is taken; once it has more, a spin lock guards the lists.
//
// Each new page costs a short process dearly (~2 us to fault in and free here, as much as ~5,000 instructions),
// so the range is packed densely: classes take it in spans of 1 KiB (4 KiB for blocks over 256 bytes), so that
// classes share pages instead of leaving one part-used page each, and pages are made present ahead of use.

#ifdef MLSERVE_FAST_ALLOCATOR

#include <pthread.h>
#include <sys/mman.h>
#include <sys/single_threaded.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstdint>
#include <cstdlib>
#include <new>

namespace {

constexpr std::size_t k_granule = 16;                 ///< small class sizes are multiples: keeps 16-byte alignment
constexpr std::size_t k_small_classes = 64;           ///< classes 1..64: blocks of 16..1024 bytes
constexpr std::size_t k_max_small = k_granule * k_small_classes;
constexpr std::size_t k_classes = k_small_classes + 5; ///< classes 65..69: blocks of 2, 4, 8, 16 and 32 KiB
constexpr std::size_t k_max_block = std::size_t(32) << 10;
constexpr std::size_t k_unit = 1024;                  ///< the range is handed out in spans of whole units
constexpr std::size_t k_range = std::size_t(1) << 30; ///< reserved, not committed: pages are touched as used
constexpr std::size_t k_units = k_range / k_unit;
/// Pages are made present ahead of use, this many bytes at a time: one madvise for 32 pages costs less than 32
/// page faults, and what is made present but never used costs as much (`version` uses about 100 KiB, one render
/// 0.6 to 1 MiB).
constexpr std::size_t k_prefault = 128 * 1024;

struct FreeBlock {
    FreeBlock* next;
};

struct Heap {
    std::atomic<std::uintptr_t> base{0}; ///< start of the reserved range; 0 until reserved
    bool unavailable = false;            ///< the reservation failed: everything goes to malloc
    std::size_t units_used = 0;
    std::size_t present = 0; ///< bytes at the start of the range made present ahead of use
    FreeBlock* free[k_classes + 1] = {};
    char* cursor[k_classes + 1] = {}; ///< the next fresh block of each class's current span
    char* limit[k_classes + 1] = {};
    std::uint8_t unit_class[k_units] = {}; ///< the class of the span each unit belongs to
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

constexpr std::size_t block_bytes(std::size_t cls) noexcept {
    return cls <= k_small_classes ? cls * k_granule : k_max_small << (cls - k_small_classes);
}

constexpr std::size_t span_bytes(std::size_t cls) noexcept {
    const std::size_t bytes = block_bytes(cls);
    return bytes <= 256 ? k_unit : std::max<std::size_t>(4096, bytes);
}

bool new_span(std::size_t cls) noexcept {
    if (g_heap.base.load(std::memory_order_relaxed) == 0 && (g_heap.unavailable || !reserve())) return false;
    const std::size_t units = span_bytes(cls) / k_unit;
    if (k_units - g_heap.units_used < units) return false;
    char* base = reinterpret_cast<char*>(g_heap.base.load(std::memory_order_relaxed));
    const std::size_t offset = g_heap.units_used * k_unit;
#ifdef MADV_POPULATE_WRITE
    while (offset + units * k_unit > g_heap.present) {
        const std::size_t chunk = std::min(k_prefault, k_range - g_heap.present);
        madvise(base + g_heap.present, chunk, MADV_POPULATE_WRITE); // Linux 5.14+; else pages fault in as used
        g_heap.present += chunk;
    }
#endif
    std::fill_n(g_heap.unit_class + g_heap.units_used, units, static_cast<std::uint8_t>(cls));
    g_heap.units_used += units;
    g_heap.cursor[cls] = base + offset; // what was left of the previous span, less than one block, stays unused
    g_heap.limit[cls] = base + offset + units * k_unit;
    return true;
}

/// The class of a block of `size` bytes, if it is at most k_max_small.
std::size_t small_class(std::size_t size) noexcept { return (size + k_granule - 1) / k_granule + (size == 0); }

/// The class of a block of more than k_max_small bytes, if it is at most k_max_block.
std::size_t large_class(std::size_t size) noexcept {
    return k_small_classes + static_cast<std::size_t>(std::bit_width(size - 1)) - std::bit_width(k_max_small) + 1;
}

/// A block of class `cls` from its free list or its span, or nullptr when the span is used up.
[[gnu::always_inline]] inline void* take(std::size_t cls, std::size_t bytes) noexcept {
    if (FreeBlock* block = g_heap.free[cls]) {
        g_heap.free[cls] = block->next;
        return block;
    }
    char* cursor = g_heap.cursor[cls];
    if (static_cast<std::size_t>(g_heap.limit[cls] - cursor) < bytes) return nullptr;
    g_heap.cursor[cls] = cursor + bytes;
    return cursor;
}

/// Everything but the single-threaded fast path, out of line so that the fast path needs no stack frame:
/// locking, starting a span, larger blocks, running out of memory.
[[gnu::noinline]] void* allocate_slow(std::size_t size) {
    if (size <= k_max_block) {
        const std::size_t cls = size <= k_max_small ? small_class(size) : large_class(size);
        const std::size_t bytes = block_bytes(cls);
        Guard guard;
        if (void* block = take(cls, bytes)) return block;
        if (new_span(cls)) return take(cls, bytes);
    }
    while (true) {
        if (void* block = std::malloc(size == 0 ? 1 : size)) return block;
        std::new_handler handler = std::get_new_handler();
        if (!handler) throw std::bad_alloc();
        handler();
    }
}

[[gnu::always_inline]] inline void* allocate(std::size_t size) {
    if (size <= k_max_small && __libc_single_threaded) {
        const std::size_t cls = small_class(size);
        if (void* block = take(cls, cls * k_granule)) return block;
    }
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
    const std::size_t cls = g_heap.unit_class[offset / k_unit];
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
