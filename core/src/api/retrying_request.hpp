// One request of an operation, sent again after a transient failure (SPEC §2.9): for requests
// that are safe to repeat (idempotent rows, the bridge's messages with their clientMessageId).
#pragma once

#include <functional>
#include <string>

#include "api/cloud_errors.hpp"
#include "net/operation.hpp"

namespace elizacloud {

// Sends request on op; while the answer is a transient failure (is_transient) and fewer than
// max_retries retries were made, waits retry_delay_ms and sends it again (logged with what).
// answer gets the last response and its error (error_from_response with family).
void send_with_retries(Operation &op, HttpRequest request, int max_retries, ErrorFamily family,
                       std::string what, std::function<void(HttpResponse &&, ErrorInfo &&)> answer);

}  // namespace elizacloud
