// Tests only: a whole CloudLogin waited for on the test's thread (the handle's OperationTable
// does the waiting for hosts).
#pragma once

#include <future>
#include <memory>

#include "session/login.hpp"

namespace elizacloud::test {

// Runs a login to its end; throws Error.
inline LoginResult run_login(CloudLogin &login, LoginCallbacks callbacks = {}) {
    auto outcome = std::make_shared<std::promise<LoginResult>>();
    auto future = outcome->get_future();
    login.start_async(std::move(callbacks), [outcome](ErrorInfo &&error, LoginResult &&result) {
        if (error.ok()) {
            outcome->set_value(std::move(result));
        } else {
            outcome->set_exception(std::make_exception_ptr(Error(std::move(error))));
        }
    });
    return future.get();
}

}  // namespace elizacloud::test
