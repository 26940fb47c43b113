// Status names, from the one list of status codes (EC_STATUS_MAP in elizacloud.h).
#include "util/error.hpp"

namespace elizacloud {

const char *status_name(Status status) noexcept {
    switch (status) {
#define EC_STATUS_NAME_(suffix, name, code, doc) \
    case Status::name:                           \
        return "EC_" #suffix;
        EC_STATUS_MAP(EC_STATUS_NAME_)
#undef EC_STATUS_NAME_
    }
    return "EC_ERR_UNKNOWN";
}

}  // namespace elizacloud
