/*
 * elizacloud plugin entry point: load elizacloud_plugin.so with dlopen, negotiate an ABI version,
 * and drive Eliza Cloud through one small function table. C99.
 *
 *   void *so = dlopen("elizacloud_plugin.so", RTLD_NOW | RTLD_LOCAL);
 *   ec_plugin_query_fn query;            (fetch EC_PLUGIN_QUERY_SYMBOL with dlsym)
 *   const ec_plugin_api *api;
 *   query(EC_PLUGIN_ABI_VERSION, &api);  (api->abi_version = the agreed version)
 *   ec_host_api host = {sizeof host, api->abi_version, my_data, my_log, my_wake, my_event,
 *                       my_persist};
 *   api->create(&host, "{\"base_url\":\"https://www.elizacloud.ai\"}", &plugin);
 *   ... my_wake() asks for a dispatch; the host thread calls api->dispatch(plugin, 0) ...
 *   api->destroy(plugin); dlclose(so);
 *
 * Rules (docs/plugin.md has the full text):
 *  - The module exports exactly one symbol, ec_plugin_query. It links against no host symbol:
 *    everything the plugin needs from the host arrives in ec_host_api.
 *  - Both tables start with struct_size. Members are only ever appended; a reader uses a member
 *    only when it lies entirely within struct_size, and treats a missing one as NULL.
 *  - A breaking change would get a new entry symbol (ec_plugin_query_v2); names are never reused.
 *  - Events, statuses and state values are those of elizacloud.h; only its types are used here,
 *    the host does not link libelizacloud.
 */
#ifndef ELIZACLOUD_PLUGIN_H
#define ELIZACLOUD_PLUGIN_H

#include <stdint.h>

#include "elizacloud/elizacloud.h"

/* The ABI version this header describes. Hosts pass it to ec_plugin_query. */
#define EC_PLUGIN_ABI_VERSION 1u

/* Name of the single exported entry symbol, for dlsym. */
#define EC_PLUGIN_QUERY_SYMBOL "ec_plugin_query"

/* The secret name passed to persist_secret: the API key, as the agent runtime calls it. */
#define EC_PLUGIN_SECRET_API_KEY "ELIZAOS_CLOUD_API_KEY"

#if defined(_WIN32)
#define EC_PLUGIN_EXPORT __declspec(dllexport)
#else
#define EC_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ec_plugin ec_plugin; /* one plugin instance: one cloud handle */

/*
 * What the host gives the plugin. Filled by the host, borrowed by create() only (the plugin
 * copies it). Any function pointer may be NULL. abi_version must be the version of the table the
 * host is calling (ec_plugin_api.abi_version).
 */
typedef struct ec_host_api {
    uint32_t struct_size; /* sizeof(ec_host_api) as compiled by the host */
    uint32_t abi_version; /* the negotiated version */
    void *host_data;      /* passed back as the first argument of every call below */

    /* [any thread] One log line (EC_LOG_* level), already redacted: never an API key. May be
     * called concurrently from plugin threads; must be quick and must not call into the plugin. */
    void (*log)(void *host_data, int32_t level, const char *msg);

    /* [any thread] "Call dispatch() soon on your thread." Coalesced: the plugin does not ask
     * again until dispatch() has run. Must not call into the plugin; just schedule. */
    void (*request_dispatch)(void *host_data);

    /* [inside dispatch] One event, borrowed for the call (types and fields: elizacloud.h).
     * Runs on the thread that called dispatch(). Any plugin call except dispatch() and destroy()
     * is allowed from here. */
    void (*on_event)(void *host_data, const ec_event *event);

    /* Last on purpose, to keep the append-only rule honest from day one: a host table that ends
     * before it still works (struct_size is checked); such a host just never hears of keys.
     * [inside dispatch] The credentials changed: name = EC_PLUGIN_SECRET_API_KEY, value = the new
     * key, or NULL when it was removed (logout). Both strings are borrowed for the call. Called
     * just before the matching EC_EVENT_CREDENTIALS_CHANGED reaches on_event. */
    void (*persist_secret)(void *host_data, const char *name, const char *value);
} ec_host_api;

/*
 * What the plugin gives the host: a static table, valid until dlclose.
 * Thread tags: [any thread] may be called concurrently; [host thread] one thread at a time.
 */
typedef struct ec_plugin_api {
    uint32_t struct_size; /* sizeof(ec_plugin_api) as compiled into the plugin */
    uint32_t abi_version; /* the negotiated version */
    const char *name;     /* "elizacloud" */
    const char *version;  /* the library version, e.g. "0.2.0" */

    /* [any thread] Creates an instance; no network traffic happens here. config_json (may be
     * NULL or "{}") is an object whose keys name ec_cloud_options fields: base_url, api_key,
     * config_path, no_config_file, insecure_local, ca_file, allowed_hosts, the *_ms timings,
     * heartbeat_max_failures, reconnect_max_attempts, event_queue_capacity, plus log_level
     * ("trace".."off"). Unknown keys and wrong types are EC_ERR_INVALID_ARGUMENT. */
    ec_status (*create)(const ec_host_api *host, const char *config_json, ec_plugin **out);

    /* [host thread, not inside dispatch] Cancels everything, joins every plugin thread and returns
     * after the last host callback of this instance has returned: dlclose is safe afterwards once
     * every instance is destroyed. NULL is a no-op. */
    void (*destroy)(ec_plugin *plugin);

    /* [host thread] Delivers up to max_events queued events (0 = until the queue is empty) through
     * persist_secret and on_event, on the calling thread. EC_ERR_REENTRANT from inside on_event,
     * EC_ERR_BUSY if another thread is dispatching. If events remain, request_dispatch is called
     * again. */
    ec_status (*dispatch)(ec_plugin *plugin, uint32_t max_events);

    /* [any thread] Starts an operation by name (the methods of ec_cloud_call, docs/c-api.md) with
     * JSON parameters (NULL = "{}") and returns at once with its request id. The result arrives
     * through dispatch as EC_EVENT_REQUEST_COMPLETED (stream: STREAM_CHUNK..., STREAM_END). */
    ec_status (*invoke)(ec_plugin *plugin, const char *method, const char *params_json,
                        uint64_t *request_id);

    /* [any thread] Cancels an operation; it completes with EC_ERR_CANCELLED. Unknown id: EC_OK. */
    ec_status (*cancel)(ec_plugin *plugin, uint64_t request_id);

    /* [any thread] Detail of the last failed plugin call on the calling thread ("" if none);
     * valid until the next plugin call on this thread. */
    const char *(*last_error)(void);
} ec_plugin_api;

/*
 * The entry point. host_max_abi is the highest version the host speaks (EC_PLUGIN_ABI_VERSION).
 * Sets *out to the static table for min(host_max_abi, the plugin's version); a host newer than
 * the plugin gets the plugin's version. EC_ERR_INCOMPATIBLE (and *out = NULL) when that is below
 * the oldest version the plugin still serves, e.g. 0. [any thread]
 */
EC_PLUGIN_EXPORT ec_status ec_plugin_query(uint32_t host_max_abi, const ec_plugin_api **out);

typedef ec_status (*ec_plugin_query_fn)(uint32_t host_max_abi, const ec_plugin_api **out);

#ifdef __cplusplus
}
#endif

#endif /* ELIZACLOUD_PLUGIN_H */
