// Every export of libelizacloud.so. Each one is noexcept; nothing C++ crosses the boundary.
#include <elizacloud/elizacloud.h>

#include <string>

#include "error.hpp"

namespace {
thread_local std::string t_last_error;
}  // namespace

extern "C" {

EC_API const char *ec_status_name(ec_status status) {
    return elizacloud::status_name(static_cast<elizacloud::Status>(status));
}

EC_API const char *ec_last_error_message(void) { return t_last_error.c_str(); }

EC_API uint32_t ec_version(void) { return EC_VERSION_NUM; }

EC_API const char *ec_version_string(void) { return EC_VERSION_STRING; }

}  // extern "C"
