// cli/allocator.cpp, the binary's operator new/delete (built into the tests too, except in sanitizer builds).
// Every other test runs on it as well; these check what it promises directly.
#include <doctest/doctest.h>

#ifdef MLSERVE_FAST_ALLOCATOR

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <new>
#include <set>
#include <thread>
#include <vector>

namespace {

bool aligned(const void* pointer) { return reinterpret_cast<std::uintptr_t>(pointer) % 16 == 0; }

} // namespace

TEST_CASE("the allocator gives distinct 16-byte aligned blocks that keep what is written to them") {
    std::vector<std::pair<unsigned char*, size_t>> blocks;
    for (size_t size : {0, 1, 7, 8, 15, 16, 17, 31, 32, 100, 256, 257, 512, 1000, 1023, 1024, 1025, 2048, 2049, 4096,
                        20000, 32768, 32769, 100000}) {
        for (int i = 0; i < 50; ++i) {
            auto* block = static_cast<unsigned char*>(::operator new(size));
            REQUIRE(block != nullptr);
            CHECK(aligned(block));
            std::memset(block, static_cast<int>(blocks.size() & 0xff), size);
            blocks.emplace_back(block, size);
        }
    }
    // No two blocks overlap: every block still holds its own pattern.
    for (size_t i = 0; i < blocks.size(); ++i) {
        const auto [block, size] = blocks[i];
        CHECK(std::all_of(block, block + size, [&](unsigned char c) { return c == (i & 0xff); }));
    }
    for (auto [block, size] : blocks) ::operator delete(block, size);
}

TEST_CASE("the allocator reuses freed blocks instead of growing") {
    std::set<void*> first;
    std::vector<void*> blocks;
    for (int i = 0; i < 10000; ++i) blocks.push_back(::operator new(48));
    first.insert(blocks.begin(), blocks.end());
    for (void* block : blocks) ::operator delete(block);
    blocks.clear();
    for (int i = 0; i < 10000; ++i) blocks.push_back(::operator new(40)); // same 48-byte class
    CHECK(std::all_of(blocks.begin(), blocks.end(), [&](void* b) { return first.count(b) == 1; }));
    for (void* block : blocks) ::operator delete[](block);
    // Blocks up to 32 KiB are reused the same way.
    void* big = ::operator new(20000);
    ::operator delete(big, 20000);
    void* again = ::operator new(17000); // the same 32 KiB class
    CHECK(again == big);
    ::operator delete(again);
}

TEST_CASE("the allocator throws bad_alloc, or returns null for nothrow, when memory cannot be had") {
    const size_t huge = static_cast<size_t>(-1) / 2;
    CHECK_THROWS_AS(static_cast<void>(::operator new(huge)), std::bad_alloc);
    CHECK(::operator new(huge, std::nothrow) == nullptr);
    CHECK(::operator new[](huge, std::nothrow) == nullptr);
    ::operator delete(nullptr);
}

TEST_CASE("the allocator stays consistent while threads allocate and free at once") {
    constexpr int k_threads = 8;
    std::vector<std::thread> threads;
    std::vector<int> bad(k_threads, 0);
    for (int t = 0; t < k_threads; ++t) {
        threads.emplace_back([t, &bad] {
            std::vector<std::pair<unsigned char*, size_t>> mine;
            for (int round = 0; round < 20000; ++round) {
                const size_t size = static_cast<size_t>(round % 50 == 0 ? 40000 - round : (round * 37 + t * 11) % 1100);
                auto* block = static_cast<unsigned char*>(::operator new(size));
                std::memset(block, t, size);
                mine.emplace_back(block, size);
                if (mine.size() > 64) {
                    // Free an older block after checking that no other thread wrote into it.
                    auto [old, old_size] = mine[static_cast<size_t>(round) % mine.size()];
                    if (!std::all_of(old, old + old_size, [t](unsigned char c) { return c == t; })) ++bad[static_cast<size_t>(t)];
                    ::operator delete(old);
                    mine[static_cast<size_t>(round) % mine.size()] = mine.back();
                    mine.pop_back();
                }
            }
            for (auto [block, size] : mine) ::operator delete(block, size);
        });
    }
    for (auto& thread : threads) thread.join();
    CHECK(std::count(bad.begin(), bad.end(), 0) == k_threads);
    // A block freed by another thread is reused like any other.
    void* block = nullptr;
    std::thread([&block] { block = ::operator new(24); }).join();
    ::operator delete(block);
    void* again = ::operator new(24);
    CHECK(again == block);
    ::operator delete(again);
}

#endif // MLSERVE_FAST_ALLOCATOR
