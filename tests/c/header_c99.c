/* The public header compiles as strict C99 (-std=c99 -pedantic -Werror, see CMakeLists.txt)
 * and every declaration is usable from C. Running it checks header and library agree. */
#include <elizacloud/elizacloud.h>
#include <stdio.h>
#include <string.h>

int main(void) {
    ec_cloud_options options;
    ec_event_fn fn = NULL;
    ec_log_fn log_fn = NULL;
    (void)fn;
    (void)log_fn;
    if (ec_cloud_options_init(&options, (uint32_t)sizeof options) != EC_OK) return 1;
    if (options.struct_size != sizeof options) return 1;
    if (ec_version() != EC_VERSION_NUM) return 1;
    if (strcmp(ec_version_string(), EC_VERSION_STRING) != 0) return 1;
    if (!EC_VERSION_AT_LEAST(0, 1, 0)) return 1;
    if (strcmp(ec_status_name(EC_ERR_REENTRANT), "EC_ERR_REENTRANT") != 0) return 1;
    printf("%s\n", ec_version_string());
    return 0;
}
