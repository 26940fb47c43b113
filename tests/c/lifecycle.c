/* The whole lifecycle through the C ABI only, against the emulator:
 *   login → create agent → connect → send → stream → snapshot → heartbeat failures (fault
 *   injection) → reconnect → disconnect (final backup) → logout,
 * asserting the order of the events. Run one of three ways, the event delivery under test:
 *   lifecycle <emulator> pull   ec_cloud_wait_event
 *   lifecycle <emulator> fd     poll() on ec_cloud_event_fd + ec_cloud_next_event
 *   lifecycle <emulator> push   ec_cloud_set_event_callback on the dispatcher thread */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <elizacloud/elizacloud.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "emu.h"

#define WAIT_MS 20000

static const char *g_mode;
static ec_cloud *g_cloud;
static emu g_emu; /* stopped on failure too: it shares our stderr, which CTest waits on */

/* A deep copy of an event: pull and push modes hand out events with different lifetimes. */
typedef struct copied {
    int32_t type;
    uint64_t request_id;
    ec_status status;
    int32_t state, previous_state, attempt;
    char *message, *text, *json, *agent_id;
} copied;

static char *dup_string(const char *s) {
    size_t n = strlen(s);
    char *out = (char *)malloc(n + 1);
    memcpy(out, s, n + 1);
    return out;
}

static copied copy_event(const ec_event *ev) {
    copied c;
    c.type = ev->type;
    c.request_id = ev->request_id;
    c.status = ev->status;
    c.state = ev->state;
    c.previous_state = ev->previous_state;
    c.attempt = ev->attempt;
    c.message = dup_string(ev->message);
    c.text = dup_string(ev->text);
    c.json = dup_string(ev->json);
    c.agent_id = dup_string(ev->agent_id);
    return c;
}

static void free_copied(copied *c) {
    free(c->message);
    free(c->text);
    free(c->json);
    free(c->agent_id);
}

static void fail(const char *what) {
    fprintf(stderr, "lifecycle [%s]: FAILED: %s\n", g_mode, what);
    emu_stop(&g_emu);
    exit(1);
}

static void check(ec_status s, const char *what) {
    if (s != EC_OK) {
        fprintf(stderr, "lifecycle [%s]: %s -> %s: %s\n", g_mode, what, ec_status_name(s),
                ec_last_error_message());
        emu_stop(&g_emu);
        exit(1);
    }
}

/* ---- push mode: the callback appends to a list the main thread waits on ---- */
#define MAX_PUSHED 4096
static pthread_mutex_t g_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_cond = PTHREAD_COND_INITIALIZER;
static copied g_pushed[MAX_PUSHED];
static int g_pushed_count, g_pushed_taken, g_freed, g_reentrant_checked;

static void on_event(const ec_event *ev, void *user_data) {
    (void)user_data;
    if (!g_reentrant_checked) {
        /* A sync call from the dispatcher thread must be refused, not deadlock. */
        char *json = NULL;
        g_reentrant_checked = 1;
        if (ec_cloud_status_sync(g_cloud, 1000, &json) != EC_ERR_REENTRANT)
            fail("sync call inside a callback was not refused");
    }
    pthread_mutex_lock(&g_mutex);
    if (g_pushed_count < MAX_PUSHED) g_pushed[g_pushed_count++] = copy_event(ev);
    pthread_cond_broadcast(&g_cond);
    pthread_mutex_unlock(&g_mutex);
}

static void on_free(void *user_data) {
    (void)user_data;
    ++g_freed;
}

static int next_event(copied *out, int timeout_ms) {
    if (strcmp(g_mode, "push") == 0) {
        struct timespec deadline;
        int ok = 0;
        clock_gettime(CLOCK_REALTIME, &deadline);
        deadline.tv_sec += timeout_ms / 1000;
        pthread_mutex_lock(&g_mutex);
        while (g_pushed_taken == g_pushed_count) {
            if (pthread_cond_timedwait(&g_cond, &g_mutex, &deadline) != 0) break;
        }
        if (g_pushed_taken < g_pushed_count) {
            *out = g_pushed[g_pushed_taken++];
            ok = 1;
        }
        pthread_mutex_unlock(&g_mutex);
        return ok;
    }
    for (;;) {
        ec_event *ev = NULL;
        ec_status s;
        if (strcmp(g_mode, "fd") == 0) {
            struct pollfd p;
            p.fd = ec_cloud_event_fd(g_cloud);
            p.events = POLLIN;
            if (poll(&p, 1, timeout_ms) <= 0) return 0;
            s = ec_cloud_next_event(g_cloud, &ev);
            if (s == EC_ERR_EMPTY) continue; /* level-triggered: cannot stay readable if empty */
        } else {
            s = ec_cloud_wait_event(g_cloud, timeout_ms, &ev);
            if (s == EC_ERR_TIMEOUT) return 0;
        }
        check(s, "taking an event");
        *out = copy_event(ev);
        ec_event_free(ev);
        return 1;
    }
}

/* Events that may come at any point and are not part of the asserted order. */
static int incidental(const copied *ev) {
    return ev->type == EC_EVENT_LOG || ev->type == EC_EVENT_LOGIN_PROGRESS ||
           ev->type == EC_EVENT_PROVISION_PROGRESS || ev->type == EC_EVENT_OVERFLOW;
}

/* The next non-incidental event, which must be of this type. Caller frees it. */
static copied expect(int32_t type, const char *what) {
    copied ev;
    for (;;) {
        if (!next_event(&ev, WAIT_MS)) fail(what);
        if (!incidental(&ev)) break;
        free_copied(&ev);
    }
    if (ev.type != type) {
        fprintf(stderr, "lifecycle [%s]: %s: expected event %d, got %d (status %s, %s)\n", g_mode,
                what, type, ev.type, ec_status_name(ev.status), ev.message);
        fail("event order");
    }
    return ev;
}

static copied expect_completed(uint64_t id, const char *what) {
    copied ev = expect(EC_EVENT_REQUEST_COMPLETED, what);
    if (ev.request_id != id) fail("completion of another request");
    if (ev.status != EC_OK) {
        fprintf(stderr, "lifecycle [%s]: %s failed: %s %s\n", g_mode, what,
                ec_status_name(ev.status), ev.message);
        fail("request failed");
    }
    return ev;
}

static void expect_state(int32_t state, const char *what) {
    copied ev = expect(EC_EVENT_STATE_CHANGED, what);
    if (ev.state != state) {
        fprintf(stderr, "lifecycle [%s]: %s: expected state %d, got %d (%s)\n", g_mode, what, state,
                ev.state, ev.message);
        fail("state order");
    }
    free_copied(&ev);
}

static int file_contains(const char *path, const char *needle) {
    char buf[8192];
    size_t n;
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return strstr(buf, needle) != NULL;
}

static void remove_dir(const char *dir) {
    char path[512];
    struct dirent *entry;
    DIR *d = opendir(dir);
    while (d && (entry = readdir(d)) != NULL) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0) continue;
        snprintf(path, sizeof path, "%s/%s", dir, entry->d_name);
        unlink(path);
    }
    if (d) closedir(d);
    rmdir(dir);
}

int main(int argc, char **argv) {
    static const char *const flags[] = {"--auto-approve",
                                        "--provision-ms",
                                        "60",
                                        "--job-poll-interval-ms",
                                        "20",
                                        "--stream-chunk-chars",
                                        "4",
                                        NULL};
    ec_cloud_options o;
    char dir[] = "/tmp/ec-lifecycle-XXXXXX", config[256], agent[64], prefix[64], *body = NULL;
    uint64_t id;
    copied ev;
    char streamed[256] = "";

    if (argc != 3) {
        fprintf(stderr, "usage: %s <elizacloud-emulator> pull|fd|push\n", argv[0]);
        return 2;
    }
    g_mode = argv[2];
    if (ec_version() != EC_VERSION_NUM) fail("library and header versions differ");
    if (emu_start(&g_emu, argv[1], flags) != 0) fail("cannot start the emulator");
    if (!mkdtemp(dir)) fail("mkdtemp");
    snprintf(config, sizeof config, "%s/milady.json", dir);

    check(ec_cloud_options_init(&o, sizeof o), "options init");
    o.base_url = g_emu.url;
    o.config_path = config;
    /* The loopback emulator needs the development opt-in: by option or by environment. */
    if (strcmp(g_mode, "fd") == 0) {
        setenv("ELIZACLOUD_INSECURE_LOCAL", "1", 1);
    } else {
        o.insecure_local = 1;
    }
    o.heartbeat_interval_ms = 50;
    o.heartbeat_max_failures = 2;
    o.reconnect_initial_delay_ms = 20;
    o.backup_interval_ms = 600000; /* no periodic backup during the test */
    o.login_poll_interval_ms = 20;
    o.job_poll_interval_ms = 20;
    check(ec_cloud_create(&o, &g_cloud), "create");
    if (strcmp(g_mode, "push") == 0)
        check(ec_cloud_set_event_callback(g_cloud, on_event, NULL, on_free), "set callback");

    /* Login: URL, then the key's prefix, the identity, the result. */
    check(ec_cloud_login(g_cloud, &id), "login");
    ev = expect(EC_EVENT_LOGIN_BROWSER_URL, "browser URL");
    if (!strstr(ev.text, "/auth/cli-login?session=")) fail("browser URL shape");
    free_copied(&ev);
    ev = expect(EC_EVENT_CREDENTIALS_CHANGED, "credentials");
    if (strncmp(ev.text, "eliza_", 6) != 0 || strlen(ev.text) != 12) fail("key prefix");
    snprintf(prefix, sizeof prefix, "%s", ev.text);
    free_copied(&ev);
    ev = expect(EC_EVENT_IDENTITY, "identity");
    if (!strstr(ev.json, "\"userId\":\"")) fail("identity json");
    free_copied(&ev);
    ev = expect_completed(id, "login");
    if (!strstr(ev.json, prefix) || strstr(ev.json, "apiKey")) fail("login result");
    free_copied(&ev);
    if (!file_contains(config, "\"apiKey\"") || !file_contains(config, prefix))
        fail("key not saved to the config file");

    /* Create an agent. */
    check(ec_cloud_agent_create(g_cloud, "{\"agentName\":\"lifecycle\"}", &id), "create agent");
    ev = expect_completed(id, "create agent");
    if (emu_json_string(ev.json, "id", agent, sizeof agent) != 0) fail("agent id");
    free_copied(&ev);

    /* Connect: connecting → connected, then the completion. */
    check(ec_cloud_connect(g_cloud, agent, &id), "connect");
    expect_state(EC_STATE_CONNECTING, "connecting");
    expect_state(EC_STATE_CONNECTED, "connected");
    ev = expect_completed(id, "connect");
    free_copied(&ev);
    if (ec_cloud_state(g_cloud) != EC_STATE_CONNECTED) fail("state after connect");

    /* Send. */
    check(ec_cloud_send(g_cloud, "hello", NULL, NULL, &id), "send");
    ev = expect_completed(id, "send");
    if (!strstr(ev.json, "echo: hello")) fail("send reply");
    free_copied(&ev);

    /* Stream: chunks in order, then the end (no REQUEST_COMPLETED). */
    check(ec_cloud_stream(g_cloud, "hello stream", NULL, NULL, &id), "stream");
    for (;;) {
        if (!next_event(&ev, WAIT_MS)) fail("stream events");
        if (incidental(&ev)) {
            free_copied(&ev);
            continue;
        }
        if (ev.request_id != id) fail("stream event of another request");
        if (ev.type == EC_EVENT_STREAM_END) {
            if (ev.status != EC_OK) fail("stream ended with a failure");
            free_copied(&ev);
            break;
        }
        if (ev.type != EC_EVENT_STREAM_CHUNK) fail("unexpected event in a stream");
        strncat(streamed, ev.text, sizeof streamed - strlen(streamed) - 1);
        free_copied(&ev);
    }
    if (strcmp(streamed, "echo: hello stream") != 0) fail("streamed text");

    /* Snapshot of the connected agent. */
    check(ec_cloud_snapshot(g_cloud, NULL, &id), "snapshot");
    ev = expect_completed(id, "snapshot");
    if (!strstr(ev.json, "backupId")) fail("snapshot record");
    free_copied(&ev);

    /* Two failed heartbeats (the threshold): reconnecting, then connected again. */
    if (emu_request(&g_emu, "POST", "/__emulator/heartbeat-failures", "{\"count\":2}", NULL) != 201)
        fail("heartbeat fault");
    for (;;) { /* the monitor may report "error" before "reconnecting" */
        ev = expect(EC_EVENT_STATE_CHANGED, "reconnecting");
        if (ev.state == EC_STATE_RECONNECTING) break;
        if (ev.state != EC_STATE_ERROR) fail("unexpected state before reconnecting");
        free_copied(&ev);
    }
    if (ev.attempt < 1) fail("reconnect attempt number");
    free_copied(&ev);
    expect_state(EC_STATE_CONNECTED, "reconnected");

    /* Disconnect: the final backup, then disconnected, then the completion. */
    check(ec_cloud_disconnect(g_cloud, &id), "disconnect");
    ev = expect(EC_EVENT_BACKUP_DONE, "final backup");
    if (strcmp(ev.agent_id, agent) != 0) fail("final backup agent");
    free_copied(&ev);
    expect_state(EC_STATE_DISCONNECTED, "disconnected");
    ev = expect_completed(id, "disconnect");
    free_copied(&ev);

    /* Logout: the key leaves memory and the config file. */
    if (strcmp(g_mode, "push") != 0)
        check(ec_cloud_logout_sync(g_cloud, WAIT_MS), "logout");
    else
        check(ec_cloud_call(g_cloud, "logout", NULL, &id), "logout");
    ev = expect(EC_EVENT_CREDENTIALS_CHANGED, "credentials removed");
    if (ev.text[0] != '\0') fail("credentials event after logout");
    free_copied(&ev);
    if (file_contains(config, "apiKey")) fail("key still in the config file");
    {
        char *key = NULL;
        if (ec_cloud_api_key(g_cloud, &key) != EC_ERR_NOT_CONNECTED) fail("key after logout");
    }

    ec_cloud_destroy(g_cloud);
    if (strcmp(g_mode, "push") == 0) {
        int i;
        if (g_freed != 1) fail("free_user_data not called exactly once by destroy");
        for (i = g_pushed_taken; i < g_pushed_count; ++i) free_copied(&g_pushed[i]);
    }
    emu_stop(&g_emu);
    remove_dir(dir);
    free(body);
    printf("lifecycle [%s]: ok\n", g_mode);
    return 0;
}
