// Helpers for the synchronous forms of the orchestration components: a one-shot slot that a
// callback on the I/O thread fills and another thread waits on, and "run this on the I/O thread
// and wait". Waiting on the I/O thread itself would deadlock the thread that must do the work,
// so it is refused with Status::Reentrant.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "net/engine.hpp"
#include "util/error.hpp"

namespace elizacloud {

inline void refuse_on_io_thread(const Engine &engine, const char *what) {
    if (engine.in_io_thread()) {
        throw Error(Status::Reentrant, std::string(what) +
                                           " would wait on the engine's I/O thread; use the "
                                           "asynchronous form from callbacks");
    }
}

template <typename T>
class Waiter {
public:
    // A copyable callable storing the value; only the first value counts. The shared state keeps
    // a late callback (after the waiter gave up) safe.
    auto setter() const {
        return [state = state_](T value) {
            std::lock_guard<std::mutex> lock(state->mutex);
            if (!state->value) state->value.emplace(std::move(value));
            state->ready.notify_all();
        };
    }

    // Waits up to timeout_ms (< 0 = no limit); nullopt when the time ran out.
    std::optional<T> wait(int64_t timeout_ms) {
        std::unique_lock<std::mutex> lock(state_->mutex);
        auto have = [this] { return state_->value.has_value(); };
        if (timeout_ms < 0) {
            state_->ready.wait(lock, have);
        } else if (!state_->ready.wait_for(lock, std::chrono::milliseconds(timeout_ms), have)) {
            return std::nullopt;
        }
        return std::move(state_->value);
    }

private:
    struct State {
        std::mutex mutex;
        std::condition_variable ready;
        std::optional<T> value;
    };
    std::shared_ptr<State> state_ = std::make_shared<State>();
};

// Runs fn on the engine's I/O thread and returns once it has run: inline when already there,
// else posted and waited for (the caller keeps the engine alive, so the task does run).
template <typename F>
void run_on_io(Engine &engine, F fn) {
    if (engine.in_io_thread()) {
        fn();
        return;
    }
    Waiter<bool> done;
    engine.post([fn = std::move(fn), set = done.setter()]() mutable {
        // Signal even if fn throws, so the waiting thread is never stranded; and only after fn
        // (with whatever it captured) is destroyed, so the caller's references are the last.
        struct Signal {
            decltype(set) &signal;
            ~Signal() { signal(true); }
        } guard{set};
        F local = std::move(fn);
        local();
    });
    done.wait(-1);
}

}  // namespace elizacloud
