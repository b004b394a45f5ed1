#pragma once
// Work done once per process, also when several threads ask for it at the same time.

#include <atomic>
#include <mutex>

namespace mlserve::core {

/// Like std::once_flag with std::call_once, without the system call glibc's pthread_once makes (a futex wake)
/// each time a call completes: one render completes dozens (every template and template branch it compiles).
class Once {
public:
    /// Runs `work` unless a call already completed; other callers wait until it has. If `work` throws, the
    /// next call runs it again, as with std::call_once.
    template <class Work>
    void run(Work&& work) {
        if (m_done.load(std::memory_order_acquire)) return;
        std::lock_guard lock(m_mutex);
        if (m_done.load(std::memory_order_relaxed)) return;
        work();
        m_done.store(true, std::memory_order_release);
    }

private:
    std::atomic<bool> m_done{false};
    std::mutex m_mutex;
};

} // namespace mlserve::core
