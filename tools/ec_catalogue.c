/* ec_catalogue: prints the operation catalogue of the library it is linked with
 * (ec_cloud_operations_json), the input of tools/gen_surfaces.py. */
#include <elizacloud/elizacloud.h>
#include <stdio.h>

int main(void) {
    char *json = NULL;
    ec_status status = ec_cloud_operations_json(&json);
    if (status != EC_OK) {
        fprintf(stderr, "ec_catalogue: %s: %s\n", ec_status_name(status), ec_last_error_message());
        return 1;
    }
    puts(json);
    ec_free(json);
    return 0;
}
