// Tests only: a whole CloudLogin waited for on the test's thread (the handle's OperationTable
// does the waiting for hosts).
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>

#include "session/login.hpp"

namespace elizacloud::test {

// Runs a login to its end; throws Error. The error is thrown on the caller's thread from a copy,
// never shared with the I/O thread (an exception_ptr crossing threads would be).
inline LoginResult run_login(CloudLogin &login, LoginCallbacks callbacks = {}) {
    struct State {
        std::mutex mutex;
        std::condition_variable cv;
        std::optional<ErrorInfo> error;
        LoginResult result;
    };
    auto state = std::make_shared<State>();
    login.start_async(std::move(callbacks), [state](ErrorInfo &&error, LoginResult &&result) {
        std::lock_guard<std::mutex> lock(state->mutex);
        state->result = std::move(result);
        state->error = std::move(error);
        state->cv.notify_all();
    });
    std::unique_lock<std::mutex> lock(state->mutex);
    state->cv.wait(lock, [&] { return state->error.has_value(); });
    if (!state->error->ok()) throw Error(std::move(*state->error));
    return std::move(state->result);
}

}  // namespace elizacloud::test
