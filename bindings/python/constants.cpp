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
#define EC_STATUS_CONST_(suffix, name, code, doc) {"EC_" #suffix, EC_##suffix},
    EC_STATUS_MAP(EC_STATUS_CONST_)
#undef EC_STATUS_CONST_
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
