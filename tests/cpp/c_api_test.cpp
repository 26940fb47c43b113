// The C ABI as a host misuses it: NULL handles and arguments, calls from inside callbacks,
// old (smaller) options structs, queue overflow, and event order through the pull API and the
// wake fd. Links libelizacloud.so only, like a real host; the emulator (tests/c/emu.h) serves
// the few cases that need real operations.
#include <elizacloud/elizacloud.h>
#include <gtest/gtest.h>
#include <poll.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "emu.h"

namespace {

struct CloudDeleter {
    void operator()(ec_cloud *c) const { ec_cloud_destroy(c); }
};
using CloudPtr = std::unique_ptr<ec_cloud, CloudDeleter>;

struct EventDeleter {
    void operator()(ec_event *e) const { ec_event_free(e); }
};
using EventPtr = std::unique_ptr<ec_event, EventDeleter>;

struct Owned {
    char *p = nullptr;
    ~Owned() { ec_free(p); }
    std::string str() const { return p ? p : ""; }
};

ec_cloud_options offline_options() {
    ec_cloud_options o;
    EXPECT_EQ(ec_cloud_options_init(&o, sizeof o), EC_OK);
    o.no_config_file = 1;  // never touch the user's ~/.milady
    return o;
}

CloudPtr make_cloud(ec_cloud_options o) {
    ec_cloud *c = nullptr;
    EXPECT_EQ(ec_cloud_create(&o, &c), EC_OK) << ec_last_error_message();
    return CloudPtr(c);
}

CloudPtr offline_cloud() {
    return make_cloud(offline_options());
}

EventPtr wait_event(ec_cloud *c, int32_t timeout_ms = 10'000) {
    ec_event *e = nullptr;
    const ec_status s = ec_cloud_wait_event(c, timeout_ms, &e);
    if (s != EC_OK) return nullptr;
    return EventPtr(e);
}

TEST(CApi, NullHandlesAreInvalidArguments) {
    uint64_t id = 0;
    char *out = nullptr;
    ec_event *ev = nullptr;
    int32_t alive = 0;
    const char *agent = "00000000-0000-4000-8000-000000000001";
    EXPECT_EQ(ec_cloud_next_event(nullptr, &ev), EC_ERR_INVALID_ARGUMENT);
    EXPECT_STRNE(ec_last_error_message(), "");
    EXPECT_EQ(ec_cloud_wait_event(nullptr, 0, &ev), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_event_fd(nullptr), -1);
    EXPECT_EQ(ec_cloud_set_event_callback(nullptr, nullptr, nullptr, nullptr),
              EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_cancel(nullptr, 1), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_call(nullptr, "status", nullptr, &id), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_call_sync(nullptr, "status", nullptr, 0, &out), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_login(nullptr, &id), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_login_sync(nullptr, 0, &out), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_logout_sync(nullptr, 0), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_api_key(nullptr, &out), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_config_path(nullptr, &out), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_status(nullptr, &id), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_status_sync(nullptr, 0, &out), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_credits(nullptr, 0, &id), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_credits_sync(nullptr, 0, 0, &out), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_identity(nullptr, &id), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_identity_sync(nullptr, 0, &out), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_agents_list(nullptr, &id), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_agents_list_sync(nullptr, 0, &out), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_agent_create(nullptr, "{}", &id), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_agent_create_sync(nullptr, "{}", 0, &out), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_agent_get(nullptr, agent, &id), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_agent_get_sync(nullptr, agent, 0, &out), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_agent_delete(nullptr, agent, &id), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_agent_delete_sync(nullptr, agent, 0), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_agent_provision(nullptr, agent, &id), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_agent_provision_sync(nullptr, agent, 0, &out), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_agent_suspend(nullptr, agent, &id), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_agent_suspend_sync(nullptr, agent, 0, &out), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_agent_resume(nullptr, agent, &id), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_agent_resume_sync(nullptr, agent, 0, &out), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_connect(nullptr, agent, &id), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_connect_sync(nullptr, agent, 0, &out), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_disconnect(nullptr, &id), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_disconnect_sync(nullptr, 0), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_state(nullptr), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_active_agent(nullptr, &out), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_send(nullptr, "x", nullptr, nullptr, &id), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_send_sync(nullptr, "x", nullptr, nullptr, 0, &out), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_stream(nullptr, "x", nullptr, nullptr, &id), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_agent_status_sync(nullptr, 0, &out), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_is_alive_sync(nullptr, 0, &alive), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_snapshot(nullptr, nullptr, &id), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_snapshot_sync(nullptr, nullptr, 0, &out), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_backups_list(nullptr, nullptr, &id), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_backups_list_sync(nullptr, nullptr, 0, &out), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_restore(nullptr, nullptr, nullptr, &id), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_restore_sync(nullptr, nullptr, nullptr, 0, &out), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(out, nullptr);
    // Destroy and free functions accept NULL.
    ec_cloud_destroy(nullptr);
    ec_engine_destroy(nullptr);
    ec_event_free(nullptr);
    ec_free(nullptr);
}

TEST(CApi, NullArgumentsAreInvalidArguments) {
    auto cloud = offline_cloud();
    ec_cloud *c = cloud.get();
    uint64_t id = 0;
    char *out = nullptr;
    EXPECT_EQ(ec_cloud_create(nullptr, nullptr), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_engine_create(nullptr, nullptr), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_options_init(nullptr, sizeof(ec_cloud_options)), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_engine_options_init(nullptr, sizeof(ec_engine_options)), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_next_event(c, nullptr), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_wait_event(c, 0, nullptr), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_status(c, nullptr), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_call(c, nullptr, nullptr, &id), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_api_key(c, nullptr), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_config_path(c, nullptr), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_active_agent(c, nullptr), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_agent_get(c, nullptr, &id), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_agent_create(c, nullptr, &id), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_connect_sync(c, nullptr, 0, &out), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_send(c, nullptr, nullptr, nullptr, &id), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_is_alive_sync(c, 0, nullptr), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_log_set_level(5), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_log_set_level(-1), EC_ERR_INVALID_ARGUMENT);
    // Result pointers may be NULL when the result is not wanted.
    EXPECT_EQ(ec_cloud_status_sync(c, 0, nullptr), EC_OK);
}

TEST(CApi, ArgumentsAreCheckedBeforeAnyRequest) {
    auto cloud = offline_cloud();
    ec_cloud *c = cloud.get();
    uint64_t id = 0;
    EXPECT_EQ(ec_cloud_agent_get(c, "../../etc/passwd", &id), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_connect(c, "not-a-uuid", &id), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_send(c, "", nullptr, nullptr, &id), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_send(c, "hi", nullptr, "SHOUT", &id), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_agent_create(c, "[1]", &id), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_agent_create(c, "{\"agentName\":\"\"}", &id), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_restore(c, nullptr, "x", &id), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_call(c, "no.such.method", nullptr, &id), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_call(c, "status", "{not json", &id), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_call(c, "status", "[]", &id), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_call(c, "connect", "{\"agentID\":\"x\"}", &id), EC_ERR_INVALID_ARGUMENT);
    EXPECT_NE(std::string(ec_last_error_message()).find("agentID"), std::string::npos);
    EXPECT_EQ(ec_cloud_call(c, "credits", "{\"fresh\":\"yes\"}", &id), EC_ERR_INVALID_ARGUMENT);
    // None of them queued an event.
    ec_event *ev = nullptr;
    EXPECT_EQ(ec_cloud_next_event(c, &ev), EC_ERR_EMPTY);
}

TEST(CApi, OperationsWithoutAKeyAreNotConnected) {
    auto cloud = offline_cloud();
    ec_cloud *c = cloud.get();
    uint64_t id = 0;
    Owned out;
    EXPECT_EQ(ec_cloud_agents_list(c, &id), EC_ERR_NOT_CONNECTED);
    EXPECT_EQ(ec_cloud_identity_sync(c, 1000, &out.p), EC_ERR_NOT_CONNECTED);
    EXPECT_EQ(ec_cloud_connect(c, "00000000-0000-4000-8000-000000000001", &id),
              EC_ERR_NOT_CONNECTED);
    EXPECT_EQ(ec_cloud_send(c, "hi", nullptr, nullptr, &id), EC_ERR_NOT_CONNECTED);
    EXPECT_EQ(ec_cloud_snapshot(c, nullptr, &id), EC_ERR_NOT_CONNECTED);
    EXPECT_EQ(ec_cloud_api_key(c, &out.p), EC_ERR_NOT_CONNECTED);
    EXPECT_EQ(ec_cloud_active_agent(c, &out.p), EC_ERR_NOT_CONNECTED);
    EXPECT_EQ(ec_cloud_state(c), EC_STATE_DISCONNECTED);
    EXPECT_EQ(ec_cloud_config_path(c, &out.p), EC_OK);
    EXPECT_EQ(out.str(), "");
    EXPECT_EQ(ec_cloud_disconnect_sync(c, 1000), EC_OK);  // nothing to disconnect
}

TEST(CApi, StatusAndCreditsWithoutAKey) {
    auto cloud = offline_cloud();
    Owned status, credits;
    ASSERT_EQ(ec_cloud_status_sync(cloud.get(), -1, &status.p), EC_OK);
    EXPECT_EQ(status.str(),
              R"({"connected":false,"enabled":false,"hasApiKey":false,)"
              R"("topUpUrl":"https://www.elizacloud.ai/dashboard/settings?tab=billing",)"
              R"("apiGeneration":null,"reason":"runtime_not_started"})");
    ASSERT_EQ(ec_cloud_credits_sync(cloud.get(), 1, -1, &credits.p), EC_OK);
    EXPECT_EQ(credits.str(),
              R"({"connected":false,"balance":null,"low":false,"critical":false,)"
              R"("topUpUrl":"https://www.elizacloud.ai/dashboard/settings?tab=billing"})");
}

TEST(CApi, OptionsInitAndOldCallers) {
    ec_cloud_options o;
    std::memset(&o, 0xAB, sizeof o);
    EXPECT_EQ(ec_cloud_options_init(&o, 2), EC_ERR_INVALID_ARGUMENT);
    ASSERT_EQ(ec_cloud_options_init(&o, sizeof o), EC_OK);
    EXPECT_EQ(o.struct_size, sizeof o);
    EXPECT_EQ(o.base_url, nullptr);
    EXPECT_EQ(o.event_queue_capacity, 0u);

    // A caller compiled against an older header: its struct ends before the timings. Whatever
    // lies beyond struct_size (here: bytes that would be invalid negative timings) is ignored.
    std::memset(&o, 0xFF, sizeof o);
    const auto old_size = static_cast<uint32_t>(offsetof(ec_cloud_options, heartbeat_interval_ms));
    ASSERT_EQ(ec_cloud_options_init(&o, old_size), EC_OK);
    EXPECT_EQ(o.struct_size, old_size);
    EXPECT_EQ(o.heartbeat_interval_ms, -1);  // untouched: beyond the caller's struct
    o.no_config_file = 1;
    ec_cloud *c = nullptr;
    ASSERT_EQ(ec_cloud_create(&o, &c), EC_OK) << ec_last_error_message();
    ec_cloud_destroy(c);

    // The same bytes inside the struct are refused.
    ASSERT_EQ(ec_cloud_options_init(&o, sizeof o), EC_OK);
    o.no_config_file = 1;
    o.heartbeat_interval_ms = -1;
    EXPECT_EQ(ec_cloud_create(&o, &c), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(c, nullptr);

    ec_engine_options eo;
    ASSERT_EQ(ec_engine_options_init(&eo, sizeof eo), EC_OK);
    ec_engine *engine = nullptr;
    ASSERT_EQ(ec_engine_create(&eo, &engine), EC_OK);
    ASSERT_EQ(ec_cloud_options_init(&o, sizeof o), EC_OK);
    o.no_config_file = 1;
    o.engine = engine;
    ASSERT_EQ(ec_cloud_create(&o, &c), EC_OK);
    ec_engine_destroy(engine);  // the cloud keeps it alive
    EXPECT_EQ(ec_cloud_status_sync(c, 1000, nullptr), EC_OK);
    ec_cloud_destroy(c);
}

// The options table: every setting by name from text, checked; the catalogue lists them all.
TEST(CApi, OptionsAreSetByNameThroughTheTable) {
    ec_cloud_options o;
    ASSERT_EQ(ec_cloud_options_init(&o, sizeof o), EC_OK);
    const char *url = "https://example.test";
    EXPECT_EQ(ec_cloud_options_set(&o, "base_url", url), EC_OK);
    EXPECT_EQ(o.base_url, url);  // borrowed, not copied
    EXPECT_EQ(ec_cloud_options_set(&o, "heartbeat_interval_ms", "1500"), EC_OK);
    EXPECT_EQ(o.heartbeat_interval_ms, 1500);
    EXPECT_EQ(ec_cloud_options_set(&o, "heartbeat_max_failures", "7"), EC_OK);
    EXPECT_EQ(o.heartbeat_max_failures, 7);
    EXPECT_EQ(ec_cloud_options_set(&o, "event_queue_capacity", "4294967295"), EC_OK);
    EXPECT_EQ(o.event_queue_capacity, 4294967295u);
    EXPECT_EQ(ec_cloud_options_set(&o, "no_config_file", "true"), EC_OK);
    EXPECT_EQ(o.no_config_file, 1);
    EXPECT_EQ(ec_cloud_options_set(&o, "insecure_local", "-1"), EC_OK);
    EXPECT_EQ(o.insecure_local, -1);
    struct Bad {
        const char *name, *value, *message;
    };
    for (const Bad &b : {
             Bad{"heartbeat_intervals_ms", "1", "unknown option \"heartbeat_intervals_ms\""},
             Bad{"engine", "1", "unknown option"},
             Bad{"heartbeat_interval_ms", "-1", "must be an integer from 0"},
             Bad{"heartbeat_interval_ms", "12ms", "must be an integer from 0"},
             Bad{"heartbeat_max_failures", "2147483648", "must be an integer from 0 to 2147483647"},
             Bad{"event_queue_capacity", "4294967296", "must be an integer from 0"},
             Bad{"forward_logs", "-1", "must be 0, 1, true or false"},
             Bad{"insecure_local", "yes", "(or -1: never)"},
             Bad{"job_timeout_ms", nullptr, "needs a value"},
         }) {
        EXPECT_EQ(ec_cloud_options_set(&o, b.name, b.value), EC_ERR_INVALID_ARGUMENT) << b.name;
        EXPECT_NE(std::string(ec_last_error_message()).find(b.message), std::string::npos)
            << ec_last_error_message();
    }
    EXPECT_EQ(o.heartbeat_interval_ms, 1500);  // nothing changed by a refusal
    // A caller built against an older, shorter struct cannot have newer members written.
    ec_cloud_options old;
    ASSERT_EQ(ec_cloud_options_init(&old, offsetof(ec_cloud_options, event_queue_capacity)), EC_OK);
    EXPECT_EQ(ec_cloud_options_set(&old, "forward_logs", "1"), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_options_set(&old, "job_timeout_ms", "1"), EC_OK);
    EXPECT_EQ(ec_cloud_options_set(nullptr, "job_timeout_ms", "1"), EC_ERR_INVALID_ARGUMENT);

    Owned catalogue;
    ASSERT_EQ(ec_cloud_operations_json(&catalogue.p), EC_OK);
    for (const char *name : {"base_url", "insecure_local", "heartbeat_interval_ms",
                             "event_queue_capacity", "forward_logs", "job_timeout_ms"})
        EXPECT_NE(catalogue.str().find(std::string(R"({"name":")") + name + "\""),
                  std::string::npos)
            << name;
}

TEST(CApi, EngineConnectionCapOption) {
    ec_engine_options eo;
    ASSERT_EQ(ec_engine_options_init(&eo, sizeof eo), EC_OK);
    EXPECT_EQ(eo.max_host_connections, 0);  // the default cap
    ec_engine *engine = nullptr;
    for (int32_t cap : {0, -1, 1, 8}) {
        eo.max_host_connections = cap;
        ASSERT_EQ(ec_engine_create(&eo, &engine), EC_OK) << cap;
        ec_engine_destroy(engine);
    }
    eo.max_host_connections = -2;
    EXPECT_EQ(ec_engine_create(&eo, &engine), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(engine, nullptr);
    // A caller built against the header before the field existed: the default applies.
    eo.struct_size = static_cast<uint32_t>(offsetof(ec_engine_options, max_host_connections));
    ASSERT_EQ(ec_engine_create(&eo, &engine), EC_OK);
    ec_engine_destroy(engine);
}

TEST(CApi, BaseUrlIsCheckedAtCreate) {
    ec_cloud_options o = offline_options();
    ec_cloud *c = nullptr;
    o.base_url = "http://evil.example";
    EXPECT_NE(ec_cloud_create(&o, &c), EC_OK);
    EXPECT_EQ(c, nullptr);
    o.base_url = "https://www.elizacloud.ai/api/v1/";
    ASSERT_EQ(ec_cloud_create(&o, &c), EC_OK);
    ec_cloud_destroy(c);
}

TEST(CApi, ThousandEventsInOrderThroughThePullApi) {
    auto cloud = offline_cloud();
    std::vector<uint64_t> ids;
    for (int i = 0; i < 1000; ++i) {
        uint64_t id = 0;
        ASSERT_EQ(ec_cloud_status(cloud.get(), &id), EC_OK);
        ids.push_back(id);
    }
    for (uint64_t expected : ids) {
        auto ev = wait_event(cloud.get());
        ASSERT_TRUE(ev);
        ASSERT_EQ(ev->type, EC_EVENT_REQUEST_COMPLETED);
        ASSERT_EQ(ev->request_id, expected);
        ASSERT_EQ(ev->status, EC_OK);
        ASSERT_EQ(ev->struct_size, sizeof(ec_event));
        ASSERT_EQ(std::strlen(ev->json), ev->json_len);
    }
    ec_event *none = nullptr;
    EXPECT_EQ(ec_cloud_wait_event(cloud.get(), 0, &none), EC_ERR_TIMEOUT);
    EXPECT_EQ(ec_cloud_next_event(cloud.get(), &none), EC_ERR_EMPTY);
}

TEST(CApi, ThousandEventsInOrderThroughTheWakeFd) {
    auto cloud = offline_cloud();
    const int fd = ec_cloud_event_fd(cloud.get());
    ASSERT_GE(fd, 0);
    pollfd p{fd, POLLIN, 0};
    EXPECT_EQ(poll(&p, 1, 0), 0);  // empty: not readable
    std::vector<uint64_t> ids;
    std::thread producer([&] {
        for (int i = 0; i < 1000; ++i) {
            uint64_t id = 0;
            ASSERT_EQ(ec_cloud_status(cloud.get(), &id), EC_OK);
            ids.push_back(id);
        }
    });
    std::vector<uint64_t> seen;
    while (seen.size() < 1000) {
        p = {fd, POLLIN, 0};
        ASSERT_EQ(poll(&p, 1, 10'000), 1) << "wake fd not readable";
        for (;;) {
            ec_event *ev = nullptr;
            const ec_status s = ec_cloud_next_event(cloud.get(), &ev);
            if (s == EC_ERR_EMPTY) break;
            ASSERT_EQ(s, EC_OK);
            seen.push_back(ev->request_id);
            ec_event_free(ev);
        }
    }
    producer.join();
    EXPECT_EQ(seen, ids);
    p = {fd, POLLIN, 0};
    EXPECT_EQ(poll(&p, 1, 0), 0);  // drained: not readable any more
}

TEST(CApi, NonDroppableEventsAreKeptAboveCapacity) {
    ec_cloud_options o = offline_options();
    o.event_queue_capacity = 4;
    auto cloud = make_cloud(o);
    for (int i = 0; i < 100; ++i) {
        uint64_t id = 0;
        ASSERT_EQ(ec_cloud_status(cloud.get(), &id), EC_OK);
    }
    int completed = 0;
    while (auto ev = wait_event(cloud.get(), 100)) {
        EXPECT_EQ(ev->type, EC_EVENT_REQUEST_COMPLETED);  // no OVERFLOW: nothing was dropped
        ++completed;
    }
    EXPECT_EQ(completed, 100);
}

struct CallbackProbe {
    ec_cloud *cloud = nullptr;
    std::atomic<int> events{0};
    std::atomic<int> freed{0};
    std::atomic<ec_status> sync_status{EC_OK};
    std::atomic<ec_status> async_status{EC_ERR_INTERNAL};
    std::atomic<bool> destroy_refused{false};
    std::atomic<bool> returned{false};

    static void count_free(void *u) { ++static_cast<CallbackProbe *>(u)->freed; }
    // Waits (up to 5 s) until the callback has run n times.
    bool wait_events(int n) const {
        for (int i = 0; i < 1000 && events < n; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        return events >= n;
    }
};

// An offline cloud whose events go to fn with the probe as user data.
CloudPtr cloud_with_callback(CallbackProbe &probe, ec_event_fn fn) {
    auto cloud = offline_cloud();
    probe.cloud = cloud.get();
    EXPECT_EQ(ec_cloud_set_event_callback(cloud.get(), fn, &probe, &CallbackProbe::count_free),
              EC_OK);
    return cloud;
}

TEST(CApi, SyncCallInsideACallbackIsReentrant) {
    CallbackProbe probe;
    auto cloud = cloud_with_callback(probe, [](const ec_event *, void *u) {
        auto *p = static_cast<CallbackProbe *>(u);
        if (p->events++ > 0) return;
        char *json = nullptr;
        p->sync_status = ec_cloud_status_sync(p->cloud, 1000, &json);
        ec_free(json);
        p->sync_status =
            p->sync_status == EC_ERR_REENTRANT &&
                    std::string(ec_last_error_message()).find("callback") != std::string::npos
                ? EC_ERR_REENTRANT
                : EC_ERR_INTERNAL;
        uint64_t id = 0;  // the asynchronous form is fine in a callback
        p->async_status = ec_cloud_status(p->cloud, &id);
    });
    uint64_t id = 0;
    ASSERT_EQ(ec_cloud_status(cloud.get(), &id), EC_OK);
    EXPECT_TRUE(probe.wait_events(2));  // the first event, then the async call's completion
    EXPECT_EQ(probe.sync_status, EC_ERR_REENTRANT);
    EXPECT_EQ(probe.async_status, EC_OK);
    cloud.reset();
    EXPECT_EQ(probe.freed, 1);
}

TEST(CApi, DestroyInsideItsOwnCallbackIsRefused) {
    CallbackProbe probe;
    auto cloud = cloud_with_callback(probe, [](const ec_event *, void *u) {
        auto *p = static_cast<CallbackProbe *>(u);
        ec_cloud_destroy(p->cloud);  // refused: the handle stays valid
        p->destroy_refused =
            std::string(ec_last_error_message()).find("refused") != std::string::npos;
        ++p->events;
    });
    uint64_t id = 0;
    ASSERT_EQ(ec_cloud_status(cloud.get(), &id), EC_OK);
    ASSERT_TRUE(probe.wait_events(1));
    EXPECT_TRUE(probe.destroy_refused);
    // Still usable.
    ASSERT_EQ(ec_cloud_status(cloud.get(), &id), EC_OK);
    EXPECT_TRUE(probe.wait_events(2));
    cloud.reset();
    EXPECT_EQ(probe.freed, 1);
}

TEST(CApi, DestroyReturnsAfterTheLastCallbackReturned) {
    CallbackProbe probe;
    auto cloud = cloud_with_callback(probe, [](const ec_event *, void *u) {
        auto *p = static_cast<CallbackProbe *>(u);
        ++p->events;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        p->returned = true;
    });
    uint64_t id = 0;
    ASSERT_EQ(ec_cloud_status(cloud.get(), &id), EC_OK);
    ASSERT_TRUE(probe.wait_events(1));
    cloud.reset();  // while the callback sleeps
    EXPECT_TRUE(probe.returned);
    EXPECT_EQ(probe.freed, 1);
}

TEST(CApi, ReplacingTheCallbackFreesThePreviousUserData) {
    auto cloud = offline_cloud();
    int freed_a = 0, freed_b = 0;
    auto nop = [](const ec_event *, void *) {};
    ASSERT_EQ(ec_cloud_set_event_callback(cloud.get(), nop, &freed_a,
                                          [](void *u) { ++*static_cast<int *>(u); }),
              EC_OK);
    ASSERT_EQ(ec_cloud_set_event_callback(cloud.get(), nop, &freed_b,
                                          [](void *u) { ++*static_cast<int *>(u); }),
              EC_OK);
    EXPECT_EQ(freed_a, 1);
    ASSERT_EQ(ec_cloud_set_event_callback(cloud.get(), nullptr, nullptr, nullptr), EC_OK);
    EXPECT_EQ(freed_b, 1);
    // Back to pull delivery.
    uint64_t id = 0;
    ASSERT_EQ(ec_cloud_status(cloud.get(), &id), EC_OK);
    auto ev = wait_event(cloud.get());
    ASSERT_TRUE(ev);
    EXPECT_EQ(ev->request_id, id);
}

TEST(CApi, CancelOfUnknownOrFinishedIdsIsOk) {
    auto cloud = offline_cloud();
    EXPECT_EQ(ec_cloud_cancel(cloud.get(), 0), EC_OK);
    EXPECT_EQ(ec_cloud_cancel(cloud.get(), 987654), EC_OK);
    uint64_t id = 0;
    ASSERT_EQ(ec_cloud_status(cloud.get(), &id), EC_OK);
    ASSERT_TRUE(wait_event(cloud.get()));
    EXPECT_EQ(ec_cloud_cancel(cloud.get(), id), EC_OK);
    ec_event *none = nullptr;
    EXPECT_EQ(ec_cloud_next_event(cloud.get(), &none), EC_ERR_EMPTY);  // no second outcome
}

TEST(CApi, LogSinkReplacementFreesUserData) {
    int freed_a = 0, freed_b = 0;
    auto sink = [](int32_t, const char *, void *) {};
    ASSERT_EQ(ec_log_set_sink(sink, &freed_a, [](void *u) { ++*static_cast<int *>(u); }), EC_OK);
    ASSERT_EQ(ec_log_set_sink(sink, &freed_b, [](void *u) { ++*static_cast<int *>(u); }), EC_OK);
    EXPECT_EQ(freed_a, 1);
    ASSERT_EQ(ec_log_set_sink(nullptr, nullptr, nullptr), EC_OK);
    EXPECT_EQ(freed_b, 1);
    EXPECT_EQ(ec_log_set_level(EC_LOG_WARN), EC_OK);
    EXPECT_EQ(ec_log_set_level(EC_LOG_INFO), EC_OK);
}

TEST(CApi, StatusNamesAndVersion) {
    EXPECT_STREQ(ec_status_name(EC_OK), "EC_OK");
    EXPECT_STREQ(ec_status_name(EC_ERR_OVERFLOW), "EC_ERR_OVERFLOW");
    EXPECT_NE(ec_status_name(-9999), nullptr);
    EXPECT_EQ(ec_version(), static_cast<uint32_t>(EC_VERSION_NUM));
    EXPECT_STREQ(ec_version_string(), EC_VERSION_STRING);
}

// ---- against the emulator ---------------------------------------------------------------

// Starts the emulator with flags (NULL-terminated) and mints an API key of its default user.
void start_emulator(emu &e, const char *const *flags, std::string &key) {
    ASSERT_EQ(emu_start(&e, EC_EMULATOR_PATH, flags), 0);
    char *body = nullptr;
    ASSERT_EQ(emu_request(&e, "POST", "/__emulator/keys", "{}", &body), 201);
    char minted[128];
    ASSERT_EQ(emu_json_string(body, "apiKey", minted, sizeof minted), 0);
    free(body);
    key = minted;
}

class CApiEmulator : public ::testing::Test {
protected:
    void SetUp() override {
        static const char *const flags[] = {
            "--provision-ms", "30", "--job-poll-interval-ms", "10", "--stream-chunk-chars", "1",
            nullptr};
        start_emulator(emu_, flags, key_);
    }
    void TearDown() override { emu_stop(&emu_); }

    CloudPtr cloud(uint32_t capacity = 0, bool forward_logs = false) {
        ec_cloud_options o = offline_options();
        o.forward_logs = forward_logs ? 1 : 0;
        o.base_url = emu_.url;
        o.api_key = key_.c_str();
        o.insecure_local = 1;
        o.event_queue_capacity = capacity;
        o.job_poll_interval_ms = 10;
        return make_cloud(o);
    }

    std::string connected_agent(ec_cloud *c) {
        Owned created, connected;
        EXPECT_EQ(ec_cloud_agent_create_sync(c, R"({"agentName":"t"})", -1, &created.p), EC_OK)
            << ec_last_error_message();
        char id[64] = "";
        EXPECT_EQ(emu_json_string(created.p, "id", id, sizeof id), 0);
        EXPECT_EQ(ec_cloud_connect_sync(c, id, 10'000, &connected.p), EC_OK)
            << ec_last_error_message();
        return id;
    }

    emu emu_{};
    std::string key_;
};

// How often the cloud's queue paused its streams (ec_cloud_event_stats).
uint64_t stream_pauses(ec_cloud *c) {
    Owned stats;
    EXPECT_EQ(ec_cloud_event_stats(c, &stats.p), EC_OK);
    const std::string json = stats.str();
    const std::string key = "\"streamPauses\":";
    const size_t at = json.find(key);
    EXPECT_NE(at, std::string::npos) << json;
    return at == std::string::npos ? 0 : std::stoull(json.substr(at + key.size()));
}

// Waits (generously: the machine may be loaded) until the queue has paused a stream.
bool wait_for_pause(ec_cloud *c) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (stream_pauses(c) == 0) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

// Pulls every event of stream `id` until its end; returns the text and the end's status.
std::pair<std::string, ec_status> collect_stream(ec_cloud *c, uint64_t id, size_t *chunks) {
    std::string text;
    while (auto ev = wait_event(c, 30'000)) {
        if (ev->request_id != id) continue;
        if (ev->type == EC_EVENT_STREAM_CHUNK) {
            text.append(ev->text, ev->text_len);
            ++*chunks;
            continue;
        }
        EXPECT_EQ(ev->type, EC_EVENT_STREAM_END);
        return {text, ev->status};
    }
    ADD_FAILURE() << "no STREAM_END";
    return {text, EC_ERR_TIMEOUT};
}

TEST(CApi, NextEventsChecksItsArguments) {
    auto c = offline_cloud();
    ec_event *events[4] = {};
    size_t n = 99;
    EXPECT_EQ(ec_cloud_next_events(nullptr, events, 4, &n), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_next_events(c.get(), nullptr, 4, &n), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(n, 0u);
    EXPECT_EQ(ec_cloud_next_events(c.get(), events, 4, nullptr), EC_ERR_INVALID_ARGUMENT);
    n = 99;
    EXPECT_EQ(ec_cloud_next_events(c.get(), events, 0, &n), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(n, 0u);
    EXPECT_EQ(ec_cloud_next_events(c.get(), events, 4, &n), EC_ERR_EMPTY);
    EXPECT_EQ(n, 0u);
}

// A stream drained in small batches: every chunk once, in order, the end last, and each event
// the caller's own (freed one by one, in another order than taken; ASan checks the ownership).
TEST_F(CApiEmulator, StreamDrainedInBatchesArrivesWholeAndInOrder) {
    auto c = cloud();
    connected_agent(c.get());
    while (auto ev = wait_event(c.get(), 200)) {
    }
    // Plain characters (read without a parser) and ones JSON escapes (read by the parser).
    const std::string text = std::string(300, 'y') + "say \"hi\" \\ back\n\ttab \u00e9 \u2713";
    uint64_t id = 0;
    ASSERT_EQ(ec_cloud_stream(c.get(), text.c_str(), nullptr, nullptr, &id), EC_OK);
    std::string got;
    size_t chunks = 0, batches = 0;
    bool ended = false;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!ended && std::chrono::steady_clock::now() < deadline) {
        ec_event *batch[7] = {};
        size_t n = 0;
        const ec_status s = ec_cloud_next_events(c.get(), batch, 7, &n);
        if (s == EC_ERR_EMPTY) {
            EXPECT_EQ(n, 0u);
            pollfd p{ec_cloud_event_fd(c.get()), POLLIN, 0};
            ::poll(&p, 1, 1000);
            continue;
        }
        ASSERT_EQ(s, EC_OK) << ec_last_error_message();
        ASSERT_GE(n, 1u);
        ASSERT_LE(n, 7u);
        ++batches;
        for (size_t i = 0; i < n; ++i) {
            ASSERT_FALSE(ended) << "an event after STREAM_END";
            if (batch[i]->request_id != id) continue;
            if (batch[i]->type == EC_EVENT_STREAM_CHUNK) {
                got.append(batch[i]->text, batch[i]->text_len);
                ++chunks;
            } else if (batch[i]->type == EC_EVENT_STREAM_END) {
                EXPECT_EQ(batch[i]->status, EC_OK) << batch[i]->message;
                ended = true;
            }
        }
        for (size_t i = n; i-- > 0;) ec_event_free(batch[i]);
    }
    EXPECT_TRUE(ended);
    EXPECT_EQ(got, "echo: " + text);
    size_t characters = 0;  // one per chunk: UTF-8 lead bytes
    for (const char ch : got) characters += (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
    EXPECT_EQ(chunks, characters);
    EXPECT_GT(batches, 1u);
}

// How many requests the emulator's first fault rule has seen ("matched").
int fault_matches(emu &e) {
    char *body = nullptr;
    EXPECT_EQ(emu_request(&e, "GET", "/__emulator/faults", nullptr, &body), 200);
    const std::string json = body ? body : "";
    std::free(body);
    const size_t at = json.find("\"matched\":");
    return at == std::string::npos ? -1 : std::stoi(json.substr(at + 10));
}

// Status calls that arrive while an identity check is in flight share it: every one is
// answered from it, and the cloud is asked once. A later call asks again.
TEST_F(CApiEmulator, ConcurrentStatusCallsShareTheIdentityCheckInFlight) {
    auto c = cloud();
    char *body = nullptr;
    ASSERT_EQ(emu_request(&emu_, "POST", "/__emulator/faults",
                          R"({"method":"GET","path":"/api/v1/user","always":true,)"
                          R"("action":"delay","delayMs":500})",
                          &body),
              201);
    std::free(body);
    uint64_t id = 0;
    ASSERT_EQ(ec_cloud_status(c.get(), &id), EC_OK);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (fault_matches(emu_) < 1 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    ASSERT_EQ(fault_matches(emu_), 1);  // the first check is in flight (delayed)
    for (int i = 0; i < 10; ++i) ASSERT_EQ(ec_cloud_status(c.get(), &id), EC_OK);
    int completed = 0;
    while (completed < 11) {
        auto ev = wait_event(c.get(), 30'000);
        ASSERT_NE(ev, nullptr);
        if (ev->type != EC_EVENT_REQUEST_COMPLETED) continue;
        ++completed;
        EXPECT_EQ(ev->status, EC_OK) << ev->message;
        EXPECT_NE(std::string(ev->json).find("\"userId\""), std::string::npos) << ev->json;
    }
    EXPECT_EQ(fault_matches(emu_), 1);
    Owned again;
    ASSERT_EQ(ec_cloud_status_sync(c.get(), 30'000, &again.p), EC_OK);
    EXPECT_EQ(fault_matches(emu_), 2);
}

TEST_F(CApiEmulator, StreamThatOutrunsTheConsumerIsPausedNotCancelled) {
    auto c = cloud(8);
    connected_agent(c.get());
    while (auto ev = wait_event(c.get(), 200)) {
    }  // drain the connect's events
    uint64_t id = 0;
    const std::string text(300, 'x');
    ASSERT_EQ(ec_cloud_stream(c.get(), text.c_str(), nullptr, nullptr, &id), EC_OK);
    // Not draining: the chunks fill the queue and the stream waits for the host.
    ASSERT_TRUE(wait_for_pause(c.get()));
    size_t chunks = 0;
    auto [got, status] = collect_stream(c.get(), id, &chunks);
    EXPECT_EQ(status, EC_OK);
    EXPECT_EQ(got, "echo: " + text);  // one character per chunk, none lost
    EXPECT_EQ(chunks, got.size());
}

TEST_F(CApiEmulator, APausedStreamCanBeCancelledAndTheCloudDestroyed) {
    auto c = cloud(8);
    connected_agent(c.get());
    while (auto ev = wait_event(c.get(), 200)) {
    }
    uint64_t cancelled = 0, left = 0;
    const std::string text(300, 'x');
    ASSERT_EQ(ec_cloud_stream(c.get(), text.c_str(), nullptr, nullptr, &cancelled), EC_OK);
    ASSERT_TRUE(wait_for_pause(c.get()));
    ASSERT_EQ(ec_cloud_cancel(c.get(), cancelled), EC_OK);
    size_t chunks = 0;
    auto [got, status] = collect_stream(c.get(), cancelled, &chunks);
    EXPECT_EQ(status, EC_ERR_CANCELLED);  // the end is queued even above the capacity
    EXPECT_LT(got.size(), text.size());
    // Destroying with a paused stream is prompt: the paused transfer is simply removed.
    ASSERT_EQ(ec_cloud_stream(c.get(), text.c_str(), nullptr, nullptr, &left), EC_OK);
    const uint64_t before = stream_pauses(c.get());
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (stream_pauses(c.get()) == before && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    const auto start = std::chrono::steady_clock::now();
    c.reset();
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

// A 1 MiB reply in 8-character chunks (131072 chunk events) with the default queue capacity.
class CApiLongStream : public CApiEmulator {
protected:
    std::string script_long_reply() {
        char *body = nullptr;
        EXPECT_EQ(
            emu_request(&emu_, "POST", "/__emulator/config", R"({"streamChunkChars":8})", &body),
            200);
        free(body);
        EXPECT_EQ(emu_request(&emu_, "POST", "/__emulator/bridge/script",
                              R"({"agentId":"*","replies":[{"text":"0123456789abcdef",)"
                              R"("repeat":65536}]})",
                              &body),
                  200);
        free(body);
        std::string expected;
        for (int i = 0; i < 65536; ++i) expected += "0123456789abcdef";
        return expected;
    }
};

TEST_F(CApiLongStream, OneMebibyteReplyThroughThePullQueueArrivesWhole) {
    auto c = cloud();
    connected_agent(c.get());
    while (auto ev = wait_event(c.get(), 200)) {
    }
    const std::string expected = script_long_reply();
    uint64_t id = 0;
    ASSERT_EQ(ec_cloud_stream(c.get(), "long", nullptr, nullptr, &id), EC_OK);
    ASSERT_TRUE(wait_for_pause(c.get()));  // the host is late at first: back-pressure, no loss
    size_t chunks = 0;
    auto [got, status] = collect_stream(c.get(), id, &chunks);
    EXPECT_EQ(status, EC_OK);
    EXPECT_EQ(chunks, 131072u);
    EXPECT_TRUE(got == expected) << "got " << got.size() << " bytes";
}

TEST_F(CApiLongStream, OneMebibyteReplyThroughThePushCallbackArrivesWhole) {
    auto c = cloud();
    connected_agent(c.get());
    while (auto ev = wait_event(c.get(), 200)) {
    }
    const std::string expected = script_long_reply();
    struct Sink {
        ec_cloud *cloud = nullptr;
        std::mutex mutex;
        std::condition_variable cv;
        std::string text;
        size_t chunks = 0;
        bool ended = false;
        ec_status status = EC_OK;
        bool paused_seen = false;
    } sink;
    sink.cloud = c.get();
    auto on_event = [](const ec_event *ev, void *user) {
        auto *s = static_cast<Sink *>(user);
        // The dispatcher is late at first, so the stream must wait for it.
        if (!s->paused_seen) s->paused_seen = wait_for_pause(s->cloud);
        std::lock_guard<std::mutex> lock(s->mutex);
        if (ev->type == EC_EVENT_STREAM_CHUNK) {
            s->text.append(ev->text, ev->text_len);
            ++s->chunks;
        } else if (ev->type == EC_EVENT_STREAM_END) {
            s->ended = true;
            s->status = ev->status;
            s->cv.notify_all();
        }
    };
    ASSERT_EQ(ec_cloud_set_event_callback(c.get(), on_event, &sink, nullptr), EC_OK);
    uint64_t id = 0;
    ASSERT_EQ(ec_cloud_stream(c.get(), "long", nullptr, nullptr, &id), EC_OK);
    {
        std::unique_lock<std::mutex> lock(sink.mutex);
        ASSERT_TRUE(sink.cv.wait_for(lock, std::chrono::seconds(120), [&] { return sink.ended; }));
    }
    ASSERT_EQ(ec_cloud_set_event_callback(c.get(), nullptr, nullptr, nullptr), EC_OK);
    EXPECT_TRUE(sink.paused_seen);
    EXPECT_EQ(sink.status, EC_OK);
    EXPECT_EQ(sink.chunks, 131072u);
    EXPECT_TRUE(sink.text == expected) << "got " << sink.text.size() << " bytes";
}

TEST_F(CApiEmulator, SyncAndGenericFormsAgree) {
    auto c = cloud();
    const std::string agent = connected_agent(c.get());
    Owned reply, generic, alive_json, active, status;
    ASSERT_EQ(ec_cloud_send_sync(c.get(), "hi", nullptr, nullptr, 10'000, &reply.p), EC_OK);
    EXPECT_EQ(reply.str(), "echo: hi");
    ASSERT_EQ(ec_cloud_call_sync(c.get(), "send", R"({"text":"yo","channelType":"API"})", 10'000,
                                 &generic.p),
              EC_OK)
        << ec_last_error_message();
    EXPECT_NE(generic.str().find(R"("text":"echo: yo")"), std::string::npos);
    int32_t alive = 0;
    ASSERT_EQ(ec_cloud_is_alive_sync(c.get(), 10'000, &alive), EC_OK);
    EXPECT_EQ(alive, 1);
    ASSERT_EQ(ec_cloud_active_agent(c.get(), &active.p), EC_OK);
    EXPECT_EQ(active.str(), agent);
    ASSERT_EQ(ec_cloud_status_sync(c.get(), 10'000, &status.p), EC_OK);
    EXPECT_NE(status.str().find(R"("connected":true)"), std::string::npos) << status.str();
    EXPECT_NE(status.str().find(R"("userId":")"), std::string::npos);
    EXPECT_EQ(status.str().find("reason"), std::string::npos);
    // No REQUEST_COMPLETED from sync forms; only state changes (and progress) were queued.
    while (auto ev = wait_event(c.get(), 100)) EXPECT_NE(ev->type, EC_EVENT_REQUEST_COMPLETED);
}

// Provisioning progress belongs to the request that caused it: a connect's and an
// agents.provision's events carry their request ids, so bindings never guess the owner.
TEST_F(CApiEmulator, ProgressEventsCarryTheirRequestId) {
    auto c = cloud();
    Owned created;
    ASSERT_EQ(ec_cloud_agent_create_sync(c.get(), R"({"agentName":"t"})", -1, &created.p), EC_OK);
    char agent[64] = "";
    ASSERT_EQ(emu_json_string(created.p, "id", agent, sizeof agent), 0);
    for (const char *method : {"agents.provision", "connect"}) {
        if (std::string(method) == "connect") {
            Owned suspended;
            ASSERT_EQ(ec_cloud_agent_suspend_sync(c.get(), agent, -1, &suspended.p), EC_OK);
        }
        uint64_t id = 0;
        const std::string params = std::string(R"({"agentId":")") + agent + "\"}";
        ASSERT_EQ(ec_cloud_call(c.get(), method, params.c_str(), &id), EC_OK)
            << ec_last_error_message();
        int progress = 0;
        for (;;) {
            auto ev = wait_event(c.get());
            ASSERT_TRUE(ev) << method;
            if (ev->type == EC_EVENT_PROVISION_PROGRESS) {
                EXPECT_EQ(ev->request_id, id) << method;
                ++progress;
            }
            if (ev->type == EC_EVENT_REQUEST_COMPLETED) {
                EXPECT_EQ(ev->request_id, id);
                EXPECT_EQ(ev->status, EC_OK) << ev->message;
                break;
            }
        }
        EXPECT_GT(progress, 0) << method;
    }
}

// An operation that exists only as a registry row (no typed export) runs through the generic
// entry: jobs.get, with the job id of a provisioning call.
TEST_F(CApiEmulator, ARowWithoutATypedExportRunsThroughTheGenericEntry) {
    auto c = cloud();
    Owned created, job, missing;
    ASSERT_EQ(ec_cloud_agent_create_sync(c.get(), R"({"agentName":"t"})", -1, &created.p), EC_OK);
    char agent[64] = "";
    ASSERT_EQ(emu_json_string(created.p, "id", agent, sizeof agent), 0);
    uint64_t id = 0;
    ASSERT_EQ(ec_cloud_agent_provision(c.get(), agent, &id), EC_OK);
    std::string job_id;
    while (job_id.empty()) {
        auto ev = wait_event(c.get());
        ASSERT_TRUE(ev);
        if (ev->type == EC_EVENT_PROVISION_PROGRESS && ev->json) {
            char buffer[64] = "";
            if (emu_json_string(ev->json, "jobId", buffer, sizeof buffer) == 0) job_id = buffer;
        }
    }
    const std::string params = R"({"jobId":")" + job_id + "\"}";
    ASSERT_EQ(ec_cloud_call_sync(c.get(), "jobs.get", params.c_str(), 10'000, &job.p), EC_OK)
        << ec_last_error_message();
    EXPECT_NE(job.str().find(job_id), std::string::npos) << job.str();
    EXPECT_EQ(ec_cloud_call_sync(c.get(), "jobs.get", R"({"jobId":"nope"})", 10'000, &missing.p),
              EC_ERR_NOT_FOUND);
    EXPECT_EQ(ec_cloud_call_sync(c.get(), "jobs.get", "{}", 10'000, &missing.p),
              EC_ERR_INVALID_ARGUMENT);
    EXPECT_STREQ(ec_last_error_message(), "jobId is required");
}

// user.update (PATCH /api/v1/user): a row and an emulator route, nothing else by hand.
TEST_F(CApiEmulator, UserUpdateChangesTheProfile) {
    auto c = cloud();
    Owned updated, identity, refused;
    ASSERT_EQ(ec_cloud_call_sync(c.get(), "user.update",
                                 R"({"nickname":"neo","work_function":"data",)"
                                 R"("email_notifications":false,"name":"Thomas"})",
                                 10'000, &updated.p),
              EC_OK)
        << ec_last_error_message();
    EXPECT_NE(updated.str().find(R"("nickname":"neo")"), std::string::npos) << updated.str();
    EXPECT_NE(updated.str().find(R"("email_notifications":false)"), std::string::npos);
    ASSERT_EQ(ec_cloud_identity_sync(c.get(), 10'000, &identity.p), EC_OK);
    EXPECT_NE(identity.str().find(R"("name":"Thomas")"), std::string::npos) << identity.str();
    EXPECT_NE(identity.str().find(R"("work_function":"data")"), std::string::npos);
    // Checked against the row before any request.
    EXPECT_EQ(ec_cloud_call_sync(c.get(), "user.update", R"({"work_function":"ceo"})", 10'000,
                                 &refused.p),
              EC_ERR_INVALID_ARGUMENT);
    EXPECT_NE(std::string(ec_last_error_message()).find("work_function must be one of developer"),
              std::string::npos);
    const std::string long_nickname = R"({"nickname":")" + std::string(51, 'x') + "\"}";
    EXPECT_EQ(ec_cloud_call_sync(c.get(), "user.update", long_nickname.c_str(), 10'000, &refused.p),
              EC_ERR_INVALID_ARGUMENT);
}

// A login the host drives itself (what the local REST API does): create a session, poll it; the
// key the browser login produced is adopted by the handle, never shown to the host.
TEST_F(CApiEmulator, HostDrivenLoginAdoptsTheKeyOnce) {
    ec_cloud_options o = offline_options();
    o.base_url = emu_.url;
    o.insecure_local = 1;
    auto c = make_cloud(o);
    Owned session, pending, done, again, refused;
    ASSERT_EQ(ec_cloud_call_sync(c.get(), "login_session.create", nullptr, 10'000, &session.p),
              EC_OK)
        << ec_last_error_message();
    char id[64] = "";
    ASSERT_EQ(emu_json_string(session.p, "sessionId", id, sizeof id), 0) << session.str();
    EXPECT_NE(session.str().find(std::string("/auth/cli-login?session=") + id), std::string::npos)
        << session.str();
    const std::string params = std::string(R"({"sessionId":")") + id + "\"}";
    ASSERT_EQ(ec_cloud_call_sync(c.get(), "login_session.poll", params.c_str(), 10'000, &pending.p),
              EC_OK)
        << ec_last_error_message();
    EXPECT_EQ(pending.str(), R"({"status":"pending"})");
    EXPECT_EQ(ec_cloud_api_key(c.get(), &refused.p), EC_ERR_NOT_CONNECTED);

    char *body = nullptr;
    ASSERT_EQ(
        emu_request(&emu_, "POST", (std::string("/__emulator/sessions/") + id + "/approve").c_str(),
                    "{}", &body),
        200);
    char key[128] = "";
    ASSERT_EQ(emu_json_string(body, "apiKey", key, sizeof key), 0);
    free(body);
    ASSERT_EQ(ec_cloud_call_sync(c.get(), "login_session.poll", params.c_str(), 10'000, &done.p),
              EC_OK)
        << ec_last_error_message();
    EXPECT_NE(done.str().find(R"("status":"authenticated")"), std::string::npos) << done.str();
    EXPECT_NE(done.str().find(std::string(R"("keyPrefix":")") + std::string(key, 12)),
              std::string::npos)
        << done.str();
    EXPECT_EQ(done.str().find(key), std::string::npos)
        << "the key itself must not be in the result";
    Owned adopted;
    ASSERT_EQ(ec_cloud_api_key(c.get(), &adopted.p), EC_OK);
    EXPECT_EQ(adopted.str(), key);
    bool credentials_changed = false;
    while (auto ev = wait_event(c.get(), 200)) {
        if (ev->type == EC_EVENT_CREDENTIALS_CHANGED) credentials_changed = true;
    }
    EXPECT_TRUE(credentials_changed);
    // The cloud hands a key out once; an id it does not know is an expired login.
    EXPECT_EQ(ec_cloud_call_sync(c.get(), "login_session.poll", params.c_str(), 10'000, &again.p),
              EC_ERR_KEY_ALREADY_RETRIEVED)
        << again.str();
    EXPECT_EQ(ec_cloud_call_sync(c.get(), "login_session.poll",
                                 R"({"sessionId":"00000000-0000-4000-8000-000000000000"})", 10'000,
                                 &again.p),
              EC_ERR_LOGIN_EXPIRED);
    EXPECT_EQ(ec_cloud_call_sync(c.get(), "login_session.poll", R"({"sessionId":"../x"})", 10'000,
                                 &again.p),
              EC_ERR_INVALID_ARGUMENT);
}

// The cloud's API generation: told once per handle (api_generation=auto), before the first call
// whose route depends on it; forced generations are used as given.
class CApiGenerations : public ::testing::Test {
protected:
    void start(const char *generation) {
        const char *const flags[] = {"--generation",           generation, "--provision-ms", "30",
                                     "--job-poll-interval-ms", "10",       nullptr};
        start_emulator(emu_, flags, key_);
    }
    void TearDown() override { emu_stop(&emu_); }

    // The dedicated price the emulator quotes, as a host passes it once the user accepted it.
    static constexpr const char *kElizaPrice = "dedicated-compute-v1:USD:0.150000:0.300000";

    CloudPtr cloud(const char *api_generation, const char *confirm_price = nullptr) {
        ec_cloud_options o = offline_options();
        o.base_url = emu_.url;
        o.api_key = key_.c_str();
        o.insecure_local = 1;
        o.job_poll_interval_ms = 10;
        o.confirm_price = confirm_price;
        EXPECT_EQ(ec_cloud_options_set(&o, "api_generation", api_generation), EC_OK);
        return make_cloud(o);
    }

    std::string status_of(ec_cloud *c) {
        Owned status;
        EXPECT_EQ(ec_cloud_status_sync(c, 10'000, &status.p), EC_OK);
        return status.str();
    }

    emu emu_{};
    std::string key_;
};

TEST_F(CApiGenerations, AutoDetectsElizaAndTheWholeSessionWorks) {
    start("eliza");
    auto c = cloud("auto", kElizaPrice);
    EXPECT_NE(status_of(c.get()).find(R"("apiGeneration":null)"), std::string::npos);
    Owned created, connected, reply, backups;
    ASSERT_EQ(
        ec_cloud_call_sync(c.get(), "agents.create", R"({"agentName":"e"})", 10'000, &created.p),
        EC_OK)
        << ec_last_error_message();
    char id[64] = "";
    ASSERT_EQ(emu_json_string(created.p, "id", id, sizeof id), 0);
    ASSERT_EQ(ec_cloud_connect_sync(c.get(), id, 10'000, &connected.p), EC_OK)
        << ec_last_error_message();
    ASSERT_EQ(ec_cloud_call_sync(c.get(), "send", R"({"text":"hello"})", 10'000, &reply.p), EC_OK)
        << ec_last_error_message();
    EXPECT_NE(reply.str().find("hello"), std::string::npos) << reply.str();
    EXPECT_NE(status_of(c.get()).find(R"("apiGeneration":"eliza")"), std::string::npos);
    // Every request found its route (the milady ones do not exist here); the health probe ran
    // once for the handle's life.
    char *state = nullptr;
    ASSERT_EQ(emu_request(&emu_, "GET", "/__emulator/state", nullptr, &state), 200);
    const std::string text = state ? state : "";
    free(state);
    EXPECT_NE(text.find(R"("GET /api/health":1,)"), std::string::npos) << text;
    EXPECT_NE(text.find(R"("POST /api/v1/eliza/agents/{id}/bridge":1,)"), std::string::npos)
        << text;
    EXPECT_NE(text.find(R"x("GET (unmatched)":0,)x"), std::string::npos) << text;
    EXPECT_NE(text.find(R"x("POST (unmatched)":0,)x"), std::string::npos) << text;
    // The rest of the session: stream (a dedicated agent's reply comes through the bridge),
    // backups (the snapshot is a job there), disconnect with its final backup, credits.
    Owned streamed, snapshot, restored, credits;
    ASSERT_EQ(ec_cloud_call_sync(c.get(), "stream", R"({"text":"streamed"})", 10'000, &streamed.p),
              EC_OK)
        << ec_last_error_message();
    EXPECT_NE(streamed.str().find("echo: streamed"), std::string::npos) << streamed.str();
    ASSERT_EQ(ec_cloud_snapshot_sync(c.get(), nullptr, 10'000, &snapshot.p), EC_OK)
        << ec_last_error_message();
    char backup_id[64] = "";
    ASSERT_EQ(emu_json_string(snapshot.p, "backupId", backup_id, sizeof backup_id), 0)
        << snapshot.str();
    ASSERT_EQ(ec_cloud_backups_list_sync(c.get(), nullptr, 10'000, &backups.p), EC_OK);
    EXPECT_NE(backups.str().find(backup_id), std::string::npos) << backups.str();
    EXPECT_NE(backups.str().find("backupKind"), std::string::npos) << backups.str();
    ASSERT_EQ(ec_cloud_restore_sync(c.get(), nullptr, backup_id, 10'000, &restored.p), EC_OK)
        << ec_last_error_message();
    ASSERT_EQ(ec_cloud_disconnect_sync(c.get(), 10'000), EC_OK) << ec_last_error_message();
    ASSERT_EQ(ec_cloud_credits_sync(c.get(), 1, 10'000, &credits.p), EC_OK);
    EXPECT_NE(credits.str().find(R"("balance":25)"), std::string::npos) << credits.str();
}

TEST_F(CApiGenerations, AutoDetectsMilady) {
    start("milady");
    auto c = cloud("auto");
    Owned list;
    ASSERT_EQ(ec_cloud_call_sync(c.get(), "agents.list", nullptr, 10'000, &list.p), EC_OK)
        << ec_last_error_message();
    EXPECT_NE(status_of(c.get()).find(R"("apiGeneration":"milady")"), std::string::npos);
}

TEST_F(CApiGenerations, AForcedWrongGenerationFailsClearly) {
    start("eliza");
    auto c = cloud("milady");
    EXPECT_NE(status_of(c.get()).find(R"("apiGeneration":"milady")"), std::string::npos);
    Owned list;
    EXPECT_EQ(ec_cloud_call_sync(c.get(), "agents.list", nullptr, 10'000, &list.p),
              EC_ERR_GENERATION);
    EXPECT_NE(std::string(ec_last_error_message()).find("milady API generation"), std::string::npos)
        << ec_last_error_message();
    ec_cloud_options o = offline_options();
    EXPECT_EQ(ec_cloud_options_set(&o, "api_generation", "bogus"), EC_OK);  // checked at create
    ec_cloud *refused = nullptr;
    EXPECT_EQ(ec_cloud_create(&o, &refused), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(refused, nullptr);
}

TEST_F(CApiGenerations, CallsThatStartTogetherShareOneDetection) {
    start("eliza");
    auto c = cloud("auto");
    std::vector<std::thread> callers;
    std::atomic<int> ok{0};
    for (int i = 0; i < 6; ++i)
        callers.emplace_back([&] {
            char *out = nullptr;
            if (ec_cloud_call_sync(c.get(), "agents.list", nullptr, 10'000, &out) == EC_OK) ++ok;
            ec_free(out);
        });
    for (auto &t : callers) t.join();
    EXPECT_EQ(ok.load(), 6);
    char *state = nullptr;
    ASSERT_EQ(emu_request(&emu_, "GET", "/__emulator/state", nullptr, &state), 200);
    const std::string text = state ? state : "";
    free(state);
    EXPECT_NE(text.find(R"("GET /api/health":1,)"), std::string::npos) << text;
}

TEST_F(CApiGenerations, AForcedElizaOnTheSeedsCloudFailsClearly) {
    start("milady");
    auto c = cloud("eliza");
    Owned list;
    // The milady cloud answers an eliza route with its (Next.js) HTML 404 page.
    EXPECT_EQ(ec_cloud_call_sync(c.get(), "agents.list", nullptr, 10'000, &list.p),
              EC_ERR_GENERATION);
    EXPECT_NE(std::string(ec_last_error_message()).find("eliza API generation"), std::string::npos)
        << ec_last_error_message();
}

TEST_F(CApiGenerations, AnAmbiguousHealthAnswerFallsBackToTheAgentsList) {
    for (const char *generation : {"eliza", "milady"}) {
        start(generation);
        // A health answer without the markers of either (a proxy's, a future one's).
        ASSERT_EQ(emu_request(&emu_, "POST", "/__emulator/faults",
                              R"({"method":"GET","path":"/api/health","action":"status",)"
                              R"("status":200,"body":{"ok":true}})",
                              nullptr),
                  201);
        auto c = cloud("auto");
        Owned list;
        ASSERT_EQ(ec_cloud_call_sync(c.get(), "agents.list", nullptr, 10'000, &list.p), EC_OK)
            << generation << ": " << ec_last_error_message();
        EXPECT_NE(status_of(c.get()).find(std::string(R"("apiGeneration":")") + generation),
                  std::string::npos)
            << generation;
        c.reset();
        emu_stop(&emu_);
    }
}

// The streaming twin streams what streams and refuses the rest before any request.
TEST_F(CApiEmulator, TheStreamingTwinStreamsOrRefuses) {
    auto c = cloud();
    connected_agent(c.get());
    uint64_t id = 0;
    EXPECT_EQ(ec_cloud_call_stream(c.get(), "agents.list", "{}", &id), EC_ERR_INVALID_ARGUMENT);
    EXPECT_NE(std::string(ec_last_error_message()).find("does not stream"), std::string::npos);
    ASSERT_EQ(ec_cloud_call_stream(c.get(), "stream", R"({"text":"hey"})", &id), EC_OK)
        << ec_last_error_message();
    std::string text;
    for (;;) {
        auto ev = wait_event(c.get());
        ASSERT_TRUE(ev);
        if (ev->request_id != id) continue;
        if (ev->type == EC_EVENT_STREAM_CHUNK) text += ev->text;
        if (ev->type == EC_EVENT_STREAM_END) {
            EXPECT_EQ(ev->status, EC_OK) << ev->message;
            break;
        }
    }
    EXPECT_EQ(text, "echo: hey");
}

TEST_F(CApiEmulator, CancelCompletesWithCancelledAndSyncTimeouts) {
    auto c = cloud();
    // Every agents list answer is delayed: the call can be cancelled while in flight.
    char *body = nullptr;
    ASSERT_EQ(emu_request(&emu_, "POST", "/__emulator/faults",
                          R"({"path":"/api/v1/milady/agents","method":"GET","action":"delay",)"
                          R"("delayMs":3000,"always":true})",
                          &body),
              201);
    free(body);
    uint64_t id = 0;
    ASSERT_EQ(ec_cloud_agents_list(c.get(), &id), EC_OK);
    ASSERT_EQ(ec_cloud_cancel(c.get(), id), EC_OK);
    auto ev = wait_event(c.get(), 2000);
    ASSERT_TRUE(ev);
    EXPECT_EQ(ev->request_id, id);
    EXPECT_EQ(ev->status, EC_ERR_CANCELLED);
    Owned out;
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(ec_cloud_agents_list_sync(c.get(), 200, &out.p), EC_ERR_TIMEOUT);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(2500));
    EXPECT_EQ(out.p, nullptr);
}

// A synchronous send runs on the caller's own thread (Engine::run_inline); its time limit, the
// retry of a cold bridge and a cancel from another thread keep working there, and the next
// call finds the connection free again.
TEST_F(CApiEmulator, SyncSendsKeepTheirTimeLimitAndCancelOnTheCallersThread) {
    auto c = cloud();
    const std::string agent = connected_agent(c.get());
    const std::string bridge = "/api/v1/milady/agents/" + agent + "/bridge";
    Owned reply;
    ASSERT_EQ(ec_cloud_send_sync(c.get(), "one", nullptr, nullptr, 10'000, &reply.p), EC_OK)
        << ec_last_error_message();
    EXPECT_STREQ(reply.p, "echo: one");

    char *body = nullptr;
    ASSERT_EQ(emu_request(
                  &emu_, "POST", "/__emulator/faults",
                  (R"({"path":")" + bridge + R"(","action":"delay","delayMs":3000,"always":true})")
                      .c_str(),
                  &body),
              201);
    free(body);
    Owned late;
    auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(ec_cloud_send_sync(c.get(), "two", nullptr, nullptr, 300, &late.p), EC_ERR_TIMEOUT);
    EXPECT_NE(std::string(ec_last_error_message()).find("timed out after 300 ms"),
              std::string::npos)
        << ec_last_error_message();
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(2500));

    // Destroying the handle from another thread cancels a synchronous call that waits: here
    // the disconnect of another thread ends it as cancelled, long before the delay.
    std::thread other([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        EXPECT_EQ(ec_cloud_disconnect_sync(c.get(), 10'000), EC_OK) << ec_last_error_message();
    });
    start = std::chrono::steady_clock::now();
    Owned cut;
    const ec_status cut_status =
        ec_cloud_send_sync(c.get(), "three", nullptr, nullptr, 10'000, &cut.p);
    other.join();
    EXPECT_EQ(cut_status, EC_ERR_CANCELLED) << ec_last_error_message();
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(2500));

    ASSERT_EQ(emu_request(&emu_, "DELETE", "/__emulator/faults", "", &body), 200);
    free(body);
    Owned direct;
    ASSERT_EQ(ec_cloud_call_sync(c.get(), "send",
                                 (R"({"agentId":")" + agent + R"(","text":"four"})").c_str(),
                                 10'000, &direct.p),
              EC_OK)
        << ec_last_error_message();
    EXPECT_NE(std::string(direct.p).find("echo: four"), std::string::npos) << direct.p;
}

TEST_F(CApiEmulator, DestroyWhileOperationsAreInFlight) {
    auto c = cloud();
    connected_agent(c.get());
    char *body = nullptr;
    ASSERT_EQ(emu_request(&emu_, "POST", "/__emulator/faults",
                          R"({"path":"/api/v1/**","action":"delay","delayMs":2000,"always":true})",
                          &body),
              201);
    free(body);
    for (int i = 0; i < 5; ++i) {
        uint64_t id = 0;
        ASSERT_EQ(ec_cloud_agents_list(c.get(), &id), EC_OK);
        ASSERT_EQ(ec_cloud_stream(c.get(), "hello", nullptr, nullptr, &id), EC_OK);
    }
    const auto start = std::chrono::steady_clock::now();
    c.reset();  // cancels everything, no final snapshot
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1500));
}

TEST_F(CApiEmulator, DroppedLogEventsAreReportedByOneOverflowEvent) {
    ASSERT_EQ(ec_log_set_level(EC_LOG_DEBUG), EC_OK);
    auto c = cloud(4, true);  // a tiny queue, nobody draining while connecting
    connected_agent(c.get());
    ASSERT_EQ(ec_log_set_level(EC_LOG_INFO), EC_OK);
    uint64_t dropped = 0;
    int overflow_events = 0, states = 0;
    while (auto ev = wait_event(c.get(), 300)) {
        if (ev->type == EC_EVENT_OVERFLOW) {
            ++overflow_events;
            dropped += ev->dropped;
        }
        if (ev->type == EC_EVENT_STATE_CHANGED) ++states;
    }
    EXPECT_GE(overflow_events, 1);
    EXPECT_GT(dropped, 0u);
    EXPECT_EQ(states, 2);  // connecting, connected: never dropped
}

TEST_F(CApiEmulator, ForwardedLogsAndEventsNeverCarryTheKey) {
    ASSERT_EQ(ec_log_set_level(EC_LOG_DEBUG), EC_OK);
    auto c = cloud(0, true);
    connected_agent(c.get());
    Owned json;
    ASSERT_EQ(ec_cloud_identity_sync(c.get(), 10'000, &json.p), EC_OK);
    uint64_t id = 0;
    ASSERT_EQ(ec_cloud_send(c.get(), "hi", nullptr, nullptr, &id), EC_OK);
    int logs = 0;
    bool monitor_line = false;
    while (auto ev = wait_event(c.get(), 300)) {
        for (const char *field : {ev->text, ev->json, ev->message, ev->agent_id})
            EXPECT_EQ(std::string(field).find(key_), std::string::npos) << field;
        if (ev->type == EC_EVENT_LOG) {
            ++logs;
            EXPECT_GE(ev->log_level, EC_LOG_DEBUG);
            if (std::string(ev->text).find("cloud-monitor") != std::string::npos)
                monitor_line = true;
        }
    }
    EXPECT_GT(logs, 0);
    EXPECT_TRUE(monitor_line);
    EXPECT_EQ(ec_log_set_level(EC_LOG_INFO), EC_OK);
}

}  // namespace
