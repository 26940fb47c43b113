// Every EC_* constant of elizacloud.h under its C name, plus name→code tables, so the Python layer
// never hard-codes an ABI number.
#include <elizacloud/elizacloud.h>
#include <pybind11/pybind11.h>

#include "bindings.hpp"

namespace py = pybind11;

namespace ecpy {

#define EC_CONST(name) \
    { #name, name }

namespace {
struct Constant {
    const char *name;
    int32_t value;
};

constexpr Constant kStatuses[] = {
    EC_CONST(EC_OK),
    EC_CONST(EC_ERR_INVALID_ARGUMENT),
    EC_CONST(EC_ERR_NO_MEMORY),
    EC_CONST(EC_ERR_INTERNAL),
    EC_CONST(EC_ERR_EMPTY),
    EC_CONST(EC_ERR_TIMEOUT),
    EC_CONST(EC_ERR_CANCELLED),
    EC_CONST(EC_ERR_NETWORK),
    EC_CONST(EC_ERR_REDIRECT_REFUSED),
    EC_CONST(EC_ERR_URL_BLOCKED),
    EC_CONST(EC_ERR_TLS),
    EC_CONST(EC_ERR_PROTOCOL),
    EC_CONST(EC_ERR_RESPONSE_TOO_LARGE),
    EC_CONST(EC_ERR_UNAUTHORIZED),
    EC_CONST(EC_ERR_FORBIDDEN),
    EC_CONST(EC_ERR_NOT_FOUND),
    EC_CONST(EC_ERR_CONFLICT),
    EC_CONST(EC_ERR_RATE_LIMITED),
    EC_CONST(EC_ERR_INSUFFICIENT_CREDITS),
    EC_CONST(EC_ERR_INVALID_REQUEST),
    EC_CONST(EC_ERR_SERVER),
    EC_CONST(EC_ERR_LOGIN_EXPIRED),
    EC_CONST(EC_ERR_KEY_ALREADY_RETRIEVED),
    EC_CONST(EC_ERR_NOT_CONNECTED),
    EC_CONST(EC_ERR_REENTRANT),
    EC_CONST(EC_ERR_BUSY),
    EC_CONST(EC_ERR_OVERFLOW),
    EC_CONST(EC_ERR_IO),
    EC_CONST(EC_ERR_INCOMPATIBLE),
    EC_CONST(EC_ERR_PROVISION_FAILED),
    EC_CONST(EC_ERR_AGENT),
};

constexpr Constant kOthers[] = {
    EC_CONST(EC_EVENT_STATE_CHANGED),
    EC_CONST(EC_EVENT_LOGIN_BROWSER_URL),
    EC_CONST(EC_EVENT_LOGIN_PROGRESS),
    EC_CONST(EC_EVENT_CREDENTIALS_CHANGED),
    EC_CONST(EC_EVENT_IDENTITY),
    EC_CONST(EC_EVENT_PROVISION_PROGRESS),
    EC_CONST(EC_EVENT_BACKUP_DONE),
    EC_CONST(EC_EVENT_BACKUP_FAILED),
    EC_CONST(EC_EVENT_STREAM_CHUNK),
    EC_CONST(EC_EVENT_STREAM_END),
    EC_CONST(EC_EVENT_REQUEST_COMPLETED),
    EC_CONST(EC_EVENT_LOG),
    EC_CONST(EC_EVENT_OVERFLOW),
    EC_CONST(EC_STATE_DISCONNECTED),
    EC_CONST(EC_STATE_CONNECTING),
    EC_CONST(EC_STATE_CONNECTED),
    EC_CONST(EC_STATE_RECONNECTING),
    EC_CONST(EC_STATE_ERROR),
    EC_CONST(EC_LOG_TRACE),
    EC_CONST(EC_LOG_DEBUG),
    EC_CONST(EC_LOG_INFO),
    EC_CONST(EC_LOG_WARN),
    EC_CONST(EC_LOG_ERROR),
    EC_CONST(EC_LOG_OFF),
};
}  // namespace

#undef EC_CONST

void bind_constants(py::module_ &m) {
    py::dict statuses;
    for (const Constant &c : kStatuses) {
        m.attr(c.name) = c.value;
        statuses[c.name] = c.value;
    }
    m.attr("STATUS_CODES") = statuses;
    for (const Constant &c : kOthers) m.attr(c.name) = c.value;
}

}  // namespace ecpy
