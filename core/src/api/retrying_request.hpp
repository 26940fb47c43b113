// One request of an operation, sent again after a transient failure (SPEC §2.9): for requests
// that are safe to repeat (idempotent rows, the bridge's messages with their clientMessageId, the
// generic request's idempotent calls).
#pragma once

#include <functional>
#include <string>

#include "api/cloud_errors.hpp"
#include "net/operation.hpp"

namespace elizacloud {

struct RetryHooks {
    // Runs before each attempt on its copy of the request (a stream's fresh on_data and state).
    std::function<void(HttpRequest &)> before_each;
    // Whether a failed attempt may still be repeated (a stream: not once bytes were handed on).
    std::function<bool()> may_retry;
};

// Sends request on op; while the answer is a transient failure (is_transient), fewer than
// max_retries retries were made and hooks.may_retry allows it, waits retry_delay_ms and sends it
// again (logged with what). answer gets the last response, its error (error_from_response with
// family) and the number of requests sent.
void send_with_retries(Operation &op, HttpRequest request, int max_retries, ErrorFamily family,
                       std::string what,
                       std::function<void(HttpResponse &&, ErrorInfo &&, int attempts)> answer,
                       RetryHooks hooks = {});

}  // namespace elizacloud
