// The gate that library callbacks (I/O thread, worker) pass to reach a Cloud. Cloud::shutdown
// closes it and waits for the callbacks inside, so no callback touches a Cloud being destroyed.
#pragma once

#include <atomic>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <utility>

namespace elizacloud {

// Logs a failure that escaped a completion or an observer; nothing else can be done there.
void report_callback_failure(const char *what) noexcept;

// Entering and leaving are two atomic operations, no lock: every stream chunk passes the gate.
// The lock and the condition variable serve close() only. Sequentially consistent order makes
// "a scope counted itself before it saw the gate open" and "close() marked the gate closed before
// it read the count" exclusive in the bad case: either the scope sees closed and backs out, or
// close() sees the scope and waits for it.
struct Gate {
    std::mutex mutex;
    std::condition_variable idle;
    std::atomic<int> active{0};
    std::atomic<bool> closed{false};

    // After close() returns no scope opens and none is open.
    void close() {
        closed.store(true);
        std::unique_lock<std::mutex> lock(mutex);
        idle.wait(lock, [this] { return active.load() == 0; });
    }
    void leave() {
        // The last one out wakes a close() in progress; under the lock, so that close() cannot
        // miss it between checking the count and waiting.
        if (active.fetch_sub(1) == 1 && closed.load()) {
            std::lock_guard<std::mutex> lock(mutex);
            idle.notify_all();
        }
    }
};

class GateScope {
public:
    explicit GateScope(Gate &gate) : gate_(gate) {
        gate_.active.fetch_add(1);
        open_ = !gate_.closed.load();
        if (!open_) gate_.leave();
    }
    ~GateScope() {
        if (open_) gate_.leave();
    }
    GateScope(const GateScope &) = delete;
    GateScope &operator=(const GateScope &) = delete;
    explicit operator bool() const { return open_; }

private:
    Gate &gate_;
    bool open_ = false;
};

// Wraps a callback so that it runs only while the gate is open. Nothing escapes into the
// component that called it (only std::bad_alloc is realistic here); it is logged instead.
template <typename F>
auto gated(const std::shared_ptr<Gate> &gate, F fn) {
    return [gate, fn = std::move(fn)](auto &&...args) mutable {
        GateScope scope(*gate);
        if (!scope) return;
        try {
            fn(std::forward<decltype(args)>(args)...);
        } catch (const std::exception &e) {
            report_callback_failure(e.what());
        } catch (...) {
            report_callback_failure("unknown exception");
        }
    };
}

}  // namespace elizacloud
