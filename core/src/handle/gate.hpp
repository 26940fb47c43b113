// The gate that library callbacks (I/O thread, worker) pass to reach a Cloud. Cloud::shutdown
// closes it and waits for the callbacks inside, so no callback touches a Cloud being destroyed.
#pragma once

#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <utility>

namespace elizacloud {

// Logs a failure that escaped a completion or an observer; nothing else can be done there.
void report_callback_failure(const char *what) noexcept;

struct Gate {
    std::mutex mutex;
    std::condition_variable idle;
    int active = 0;
    bool closed = false;

    // After close() returns no scope opens and none is open.
    void close() {
        std::unique_lock<std::mutex> lock(mutex);
        closed = true;
        idle.wait(lock, [this] { return active == 0; });
    }
};

class GateScope {
public:
    explicit GateScope(Gate &gate) : gate_(gate) {
        std::lock_guard<std::mutex> lock(gate_.mutex);
        open_ = !gate_.closed;
        if (open_) ++gate_.active;
    }
    ~GateScope() {
        if (!open_) return;
        std::lock_guard<std::mutex> lock(gate_.mutex);
        if (--gate_.active == 0) gate_.idle.notify_all();
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
