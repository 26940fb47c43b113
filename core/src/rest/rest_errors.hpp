// How a failure of the core reaches a REST client: an HTTP status and a message of ours. Upstream
// text (cloud error bodies, exception messages) never reaches the client (gap G7); the detail
// goes to the log instead.
#pragma once

#include "util/error.hpp"

namespace elizacloud {

struct RestError {
    int http_status;
    const char *message;
};

// NotConnected → 401 "Not connected to Eliza Cloud", Timeout → 504, transport and cloud
// failures → 502 with a message naming the kind, cloud 402/404/409/429 kept, anything else 500.
RestError rest_error(Status status);

}  // namespace elizacloud
