// Tests only: one engine request waited for on the test's thread. The library never waits for a
// single request this way (the handle's OperationTable is its one synchronous wait).
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "net/engine.hpp"

namespace elizacloud::test {

// Submits request and waits for its completion; after wait_ms (> 0) the request is cancelled and
// the answer is Timeout.
inline HttpResponse perform(Engine &engine, HttpRequest request, int wait_ms) {
    struct State {
        std::mutex mutex;
        std::condition_variable cv;
        std::optional<HttpResponse> response;
    };
    auto state = std::make_shared<State>();
    const RequestId id = engine.submit(std::move(request), [state](HttpResponse &&response) {
        std::lock_guard<std::mutex> lock(state->mutex);
        state->response = std::move(response);
        state->cv.notify_all();
    });
    std::unique_lock<std::mutex> lock(state->mutex);
    auto done = [&] { return state->response.has_value(); };
    if (wait_ms > 0 && !state->cv.wait_for(lock, std::chrono::milliseconds(wait_ms), done)) {
        lock.unlock();
        engine.cancel(id);
        lock.lock();
        state->cv.wait(lock, done);  // the completion always runs, promptly after cancel
        if (state->response->error.status == Status::Cancelled) {
            state->response->error = ErrorInfo::make(
                Status::Timeout, "no response within " + std::to_string(wait_ms) + " ms");
        }
    }
    state->cv.wait(lock, done);
    return std::move(*state->response);
}

}  // namespace elizacloud::test
