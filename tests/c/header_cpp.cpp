// The public header compiles as C++ (pedantic, warnings as errors) and its declarations are
// noexcept there.
#include <elizacloud/elizacloud.h>

#include <cstring>
#include <type_traits>

static_assert(noexcept(ec_version()), "ec_ functions are noexcept in C++");
static_assert(noexcept(ec_cloud_destroy(nullptr)), "ec_ functions are noexcept in C++");
static_assert(std::is_same<decltype(ec_status_name(EC_OK)), const char *>::value, "types");
static_assert(std::is_standard_layout<ec_event>::value, "ec_event is a C struct");

int main() {
    ec_engine_options options;
    if (ec_engine_options_init(&options, sizeof options) != EC_OK) return 1;
    return ec_version() == EC_VERSION_NUM &&
                   std::strcmp(ec_version_string(), EC_VERSION_STRING) == 0
               ? 0
               : 1;
}
