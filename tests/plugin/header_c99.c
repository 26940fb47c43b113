/* Compiles the plugin header alone as strict C99: a host written in C must be able to use it. */
#include "elizacloud/elizacloud_plugin.h"

/* Every member a host touches, so a typo or C++-only construct in the header fails the build. */
int plugin_header_c99_probe(const ec_plugin_api *api, ec_host_api *host);
int plugin_header_c99_probe(const ec_plugin_api *api, ec_host_api *host) {
    ec_plugin_query_fn query = 0;
    host->struct_size = (uint32_t)sizeof *host;
    host->abi_version = EC_PLUGIN_ABI_VERSION;
    host->host_data = 0;
    host->log = 0;
    host->request_dispatch = 0;
    host->on_event = 0;
    host->persist_secret = 0;
    (void)query;
    return api->create != 0 && api->destroy != 0 && api->dispatch != 0 && api->invoke != 0 &&
           api->cancel != 0 && api->last_error != 0 && api->name != 0;
}
