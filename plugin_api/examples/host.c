/*
 * Example host for elizacloud_plugin.so (C99 + POSIX).
 *
 *   elizacloud_plugin_host <path/to/elizacloud_plugin.so> <cloud base URL> [ca_file]
 *
 * Loads the plugin with dlopen, negotiates the ABI, creates an instance and runs the whole
 * lifecycle through invoke(): login -> agents.create -> connect -> send -> stream ->
 * backups.snapshot -> disconnect -> logout, printing every event. The event loop is the usual
 * single-threaded one: the plugin's request_dispatch (any thread) writes a byte to a self-pipe; the
 * main thread polls that pipe and calls dispatch(), which delivers events on the main thread. Exits
 * 0 when every step succeeded. Pointed at the emulator (elizacloud-emulator --auto-approve), login
 * completes without a browser.
 */
#define _POSIX_C_SOURCE 200809L

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "elizacloud/elizacloud_plugin.h"

#define STEP_TIMEOUT_MS 30000

typedef struct host {
    int wake[2];       /* self-pipe: [0] polled by the main loop, [1] written by any thread */
    uint64_t awaited;  /* request id of the running step */
    int finished;      /* its REQUEST_COMPLETED / STREAM_END arrived */
    ec_status status;  /* ... with this status */
    char result[2048]; /* ... and this JSON result (truncated) */
    int key_persisted; /* persist_secret said: 1 = a key was stored, 0 = removed */
    unsigned chunks;   /* stream chunks of the running step */
} host;

static const char *event_name(int32_t type) {
    static const char *const names[] = {"?",
                                        "STATE_CHANGED",
                                        "LOGIN_BROWSER_URL",
                                        "LOGIN_PROGRESS",
                                        "CREDENTIALS_CHANGED",
                                        "IDENTITY",
                                        "PROVISION_PROGRESS",
                                        "BACKUP_DONE",
                                        "BACKUP_FAILED",
                                        "STREAM_CHUNK",
                                        "STREAM_END",
                                        "REQUEST_COMPLETED",
                                        "LOG",
                                        "OVERFLOW"};
    return (type > 0 && type <= EC_EVENT_OVERFLOW) ? names[type] : names[0];
}

static const char *state_name(int32_t state) {
    static const char *const names[] = {"disconnected", "connecting", "connected", "reconnecting",
                                        "error"};
    return (state >= 0 && state <= EC_STATE_ERROR) ? names[state] : "?";
}

/* ---- host callbacks ---------------------------------------------------------------------- */

static void host_log(void *data, int32_t level, const char *msg) {
    (void)data;
    fprintf(stderr, "[plugin log %d] %s\n", (int)level, msg); /* lines arrive already redacted */
}

static void host_request_dispatch(void *data) {
    host *h = (host *)data;
    const char byte = 1;
    /* Non-blocking: a full pipe already means "dispatch pending". */
    if (write(h->wake[1], &byte, 1) < 0 && errno != EAGAIN) perror("wake pipe");
}

static void host_on_event(void *data, const ec_event *ev) {
    host *h = (host *)data;
    printf("event %-19s req=%llu status=%d", event_name(ev->type),
           (unsigned long long)ev->request_id, (int)ev->status);
    if (ev->type == EC_EVENT_STATE_CHANGED) {
        printf(" %s -> %s", state_name(ev->previous_state), state_name(ev->state));
    }
    if (ev->message[0] != '\0') printf(" message=\"%s\"", ev->message);
    if (ev->text_len > 0) printf(" text=\"%.*s\"", (int)ev->text_len, ev->text);
    if (ev->json_len > 0) printf(" json=%.*s", (int)ev->json_len, ev->json);
    printf("\n");

    if (ev->request_id != h->awaited || h->awaited == 0) return;
    if (ev->type == EC_EVENT_STREAM_CHUNK) h->chunks++;
    if (ev->type == EC_EVENT_REQUEST_COMPLETED || ev->type == EC_EVENT_STREAM_END) {
        size_t n = ev->json_len < sizeof h->result - 1 ? ev->json_len : sizeof h->result - 1;
        memcpy(h->result, ev->json, n);
        h->result[n] = '\0';
        h->status = ev->status;
        h->finished = 1;
    }
}

static void host_persist_secret(void *data, const char *name, const char *value) {
    host *h = (host *)data;
    /* A real host writes value to its secret store. Never print a key: its prefix is enough. */
    if (value != NULL) {
        printf("persist_secret %s = %.12s... (stored)\n", name, value);
        h->key_persisted = 1;
    } else {
        printf("persist_secret %s = NULL (removed)\n", name);
        h->key_persisted = 0;
    }
}

/* ---- the event loop ------------------------------------------------------------------------ */

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Runs one operation and the event loop until its completion event; returns its status. */
static ec_status run_step(const ec_plugin_api *api, ec_plugin *p, host *h, const char *method,
                          const char *params) {
    uint64_t id = 0;
    long long deadline = now_ms() + STEP_TIMEOUT_MS;
    printf("== %s %s\n", method, params);
    h->finished = 0;
    h->chunks = 0;
    h->result[0] = '\0';
    ec_status s = api->invoke(p, method, params, &id);
    if (s != EC_OK) {
        printf("invoke %s failed: %d %s\n", method, (int)s, api->last_error());
        return s;
    }
    h->awaited = id;
    while (!h->finished) {
        struct pollfd pfd;
        char drain[64];
        long long left = deadline - now_ms();
        if (left <= 0) {
            printf("%s: no completion within %d ms\n", method, STEP_TIMEOUT_MS);
            api->cancel(p, id);
            return EC_ERR_TIMEOUT;
        }
        pfd.fd = h->wake[0];
        pfd.events = POLLIN;
        pfd.revents = 0;
        if (poll(&pfd, 1, (int)left) < 0 && errno != EINTR) return EC_ERR_INTERNAL;
        while (read(h->wake[0], drain, sizeof drain) > 0) {
        }
        s = api->dispatch(p, 64);
        if (s != EC_OK) {
            printf("dispatch failed: %d %s\n", (int)s, api->last_error());
            return s;
        }
    }
    h->awaited = 0;
    if (h->status != EC_OK) printf("%s failed with status %d\n", method, (int)h->status);
    return h->status;
}

/* The first "id":"…" value of a JSON text: enough for an example reading agents.create. */
static int first_id(const char *json, char *out, size_t size) {
    const char *p = strstr(json, "\"id\":\"");
    size_t n = 0;
    if (p == NULL) return 0;
    p += 6;
    while (p[n] != '\0' && p[n] != '"' && n + 1 < size) n++;
    memcpy(out, p, n);
    out[n] = '\0';
    return n > 0;
}

static int lifecycle(const ec_plugin_api *api, ec_plugin *p, host *h) {
    char agent[64];
    char params[256];
    if (run_step(api, p, h, "login", "{}") != EC_OK) return 0;
    if (!h->key_persisted) {
        printf("login finished but persist_secret was not called with the key\n");
        return 0;
    }
    if (run_step(api, p, h, "agents.create", "{\"agentName\":\"plugin-example\"}") != EC_OK) {
        return 0;
    }
    if (!first_id(h->result, agent, sizeof agent)) {
        printf("agents.create returned no id: %s\n", h->result);
        return 0;
    }
    snprintf(params, sizeof params, "{\"agentId\":\"%s\"}", agent);
    if (run_step(api, p, h, "connect", params) != EC_OK) return 0;
    if (run_step(api, p, h, "send", "{\"text\":\"hello from a C host\"}") != EC_OK) return 0;
    if (run_step(api, p, h, "stream", "{\"text\":\"stream to a C host\"}") != EC_OK) return 0;
    if (h->chunks == 0) {
        printf("stream ended without chunks\n");
        return 0;
    }
    if (run_step(api, p, h, "backups.snapshot", "{}") != EC_OK) return 0;
    if (run_step(api, p, h, "disconnect", "{}") != EC_OK) return 0;
    if (run_step(api, p, h, "logout", "{}") != EC_OK) return 0;
    if (h->key_persisted) {
        printf("logout finished but persist_secret was not called with NULL\n");
        return 0;
    }
    return 1;
}

/* ---- loading and negotiation -------------------------------------------------------------- */

static const ec_plugin_api *negotiate(void *so) {
    ec_plugin_query_fn query;
    const ec_plugin_api *api = NULL;
    void *sym = dlsym(so, EC_PLUGIN_QUERY_SYMBOL);
    ec_status s;
    if (sym == NULL) {
        fprintf(stderr, "dlsym: %s\n", dlerror());
        return NULL;
    }
    memcpy(&query, &sym, sizeof query); /* ISO C has no cast from object to function pointer */
    s = query(EC_PLUGIN_ABI_VERSION, &api);
    if (s != EC_OK) {
        fprintf(stderr, "ec_plugin_query refused ABI %u: %d\n", EC_PLUGIN_ABI_VERSION, (int)s);
        return NULL;
    }
    /* Use a member only if the plugin's table is large enough to hold it. */
    if (api->struct_size < offsetof(ec_plugin_api, last_error) + sizeof api->last_error) {
        fprintf(stderr, "plugin table too small (%u bytes)\n", (unsigned)api->struct_size);
        return NULL;
    }
    printf("loaded %s %s, ABI %u\n", api->name, api->version, (unsigned)api->abi_version);
    return api;
}

static int make_config(char *out, size_t size, const char *url, const char *ca_file) {
    /* An example keeps JSON escaping out of the picture by refusing what would need it. */
    if (strpbrk(url, "\"\\") != NULL || (ca_file != NULL && strpbrk(ca_file, "\"\\") != NULL)) {
        return 0;
    }
    /* no_config_file: this host keeps the key itself, through persist_secret. Plain http:// (a
     * local emulator) is the developer's explicit choice: ELIZACLOUD_INSECURE_LOCAL=1 in the
     * environment, which the library reads; this host never turns it on by itself. */
    int n = snprintf(out, size, "{\"base_url\":\"%s\",\"no_config_file\":true%s%s%s}", url,
                     ca_file ? ",\"ca_file\":\"" : "", ca_file ? ca_file : "", ca_file ? "\"" : "");
    return n > 0 && (size_t)n < size;
}

int main(int argc, char **argv) {
    host h;
    char config[1024];
    void *so;
    const ec_plugin_api *api;
    ec_plugin *plugin = NULL;
    ec_host_api table;
    int ok;

    if (argc < 3 || argc > 4) {
        fprintf(stderr,
                "usage: %s <elizacloud_plugin.so> <base_url> [ca_file]\n"
                "(a plain http:// base URL, such as a local emulator's, needs "
                "ELIZACLOUD_INSECURE_LOCAL=1 in the environment)\n",
                argv[0]);
        return 2;
    }
    if (!make_config(config, sizeof config, argv[2], argc == 4 ? argv[3] : NULL)) {
        fprintf(stderr, "unusable base URL or CA file path\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    memset(&h, 0, sizeof h);
    if (pipe(h.wake) != 0 || fcntl(h.wake[0], F_SETFL, O_NONBLOCK) != 0 ||
        fcntl(h.wake[1], F_SETFL, O_NONBLOCK) != 0) {
        perror("pipe");
        return 1;
    }

    so = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (so == NULL) {
        fprintf(stderr, "dlopen: %s\n", dlerror());
        return 1;
    }
    api = negotiate(so);
    if (api == NULL) return 1;

    memset(&table, 0, sizeof table);
    table.struct_size = sizeof table;
    table.abi_version = api->abi_version;
    table.host_data = &h;
    table.log = host_log;
    table.request_dispatch = host_request_dispatch;
    table.on_event = host_on_event;
    table.persist_secret = host_persist_secret;
    if (api->create(&table, config, &plugin) != EC_OK) {
        fprintf(stderr, "create failed: %s\n", api->last_error());
        if (strncmp(argv[2], "http://", 7) == 0) {
            fprintf(stderr, "(a local emulator's http:// URL: set ELIZACLOUD_INSECURE_LOCAL=1)\n");
        }
        return 1;
    }

    ok = lifecycle(api, plugin, &h);

    api->destroy(plugin); /* joins every plugin thread: dlclose is safe afterwards */
    dlclose(so);
    close(h.wake[0]);
    close(h.wake[1]);
    printf(ok ? "lifecycle complete\n" : "lifecycle FAILED\n");
    return ok ? 0 : 1;
}
