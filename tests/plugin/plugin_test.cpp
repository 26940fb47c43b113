// elizacloud_plugin.so seen from a host: dlopen, version negotiation, host-table sizes, the
// dispatch contract, persist_secret, and dlclose after destroy. Every test loads the module
// afresh and unloads it at the end, so ASan checks the dlclose path each time.
#include <dlfcn.h>
#include <elizacloud/elizacloud_plugin.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "../cpp/emulator_process.hpp"

namespace {

using namespace std::chrono_literals;

struct Module {
    void *so = nullptr;
    ec_plugin_query_fn query = nullptr;
    const ec_plugin_api *api = nullptr;

    Module() {
        so = dlopen(EC_PLUGIN_PATH, RTLD_NOW | RTLD_LOCAL);
        if (so == nullptr) throw std::runtime_error(dlerror());
        void *sym = dlsym(so, EC_PLUGIN_QUERY_SYMBOL);
        if (sym == nullptr) throw std::runtime_error("no " EC_PLUGIN_QUERY_SYMBOL);
        std::memcpy(&query, &sym, sizeof query);
        if (query(EC_PLUGIN_ABI_VERSION, &api) != EC_OK) throw std::runtime_error("query");
    }
    Module(const Module &) = delete;
    Module &operator=(const Module &) = delete;
    ~Module() { EXPECT_EQ(dlclose(so), 0) << dlerror(); }
};

struct Event {
    int32_t type;
    uint64_t request_id;
    ec_status status;
    std::string text, json;
    std::thread::id thread;
};

// A host: a self-pipe event loop, recording what the plugin hands over.
struct TestHost {
    const ec_plugin_api *api;
    ec_plugin *plugin = nullptr;
    ec_host_api table{};
    int wake[2] = {-1, -1};

    std::mutex mu;  // log and request_dispatch arrive on plugin threads
    std::vector<std::string> logs;
    std::atomic<int> dispatch_requests{0};
    // Touched inside dispatch only, i.e. on the test thread.
    std::vector<Event> events;
    std::vector<std::optional<std::string>> secrets;
    std::vector<std::thread::id> secret_threads;
    std::function<void(const ec_event &)> on_event_hook;

    explicit TestHost(const ec_plugin_api *a) : api(a) {
        EXPECT_EQ(pipe2(wake, O_CLOEXEC | O_NONBLOCK), 0);
        table.struct_size = sizeof table;
        table.abi_version = api->abi_version;
        table.host_data = this;
        table.log = [](void *d, int32_t, const char *msg) {
            auto *h = static_cast<TestHost *>(d);
            std::lock_guard lock(h->mu);
            h->logs.emplace_back(msg);
        };
        table.request_dispatch = [](void *d) {
            auto *h = static_cast<TestHost *>(d);
            h->dispatch_requests++;
            const char byte = 1;
            [[maybe_unused]] auto n = write(h->wake[1], &byte, 1);
        };
        table.on_event = [](void *d, const ec_event *ev) {
            auto *h = static_cast<TestHost *>(d);
            h->events.push_back({ev->type, ev->request_id, ev->status,
                                 std::string(ev->text, ev->text_len),
                                 std::string(ev->json, ev->json_len), std::this_thread::get_id()});
            if (h->on_event_hook) h->on_event_hook(*ev);
        };
        table.persist_secret = [](void *d, const char *name, const char *value) {
            auto *h = static_cast<TestHost *>(d);
            EXPECT_STREQ(name, "ELIZAOS_CLOUD_API_KEY");
            h->secrets.emplace_back(value != nullptr ? std::optional<std::string>(value)
                                                     : std::nullopt);
            h->secret_threads.push_back(std::this_thread::get_id());
        };
    }
    TestHost(const TestHost &) = delete;
    TestHost &operator=(const TestHost &) = delete;
    ~TestHost() {
        api->destroy(plugin);
        close(wake[0]);
        close(wake[1]);
    }

    ec_status create(const char *config) { return api->create(&table, config, &plugin); }
    ec_status create(const std::string &config) { return create(config.c_str()); }

    // The host's event loop: wait for a wake-up, dispatch, until done() or the timeout.
    bool run_until(const std::function<bool()> &done, std::chrono::milliseconds timeout = 30s) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (!done()) {
            if (std::chrono::steady_clock::now() > deadline) return false;
            pollfd p{wake[0], POLLIN, 0};
            poll(&p, 1, 100);
            char buf[64];
            while (read(wake[0], buf, sizeof buf) > 0) {
            }
            EXPECT_EQ(api->dispatch(plugin, 0), EC_OK) << api->last_error();
        }
        return true;
    }

    // invoke + wait for the request's REQUEST_COMPLETED (or STREAM_END).
    Event call(const char *method, const std::string &params) {
        uint64_t id = 0;
        const ec_status s = api->invoke(plugin, method, params.c_str(), &id);
        EXPECT_EQ(s, EC_OK) << method << ": " << api->last_error();
        if (s != EC_OK) return Event{EC_EVENT_REQUEST_COMPLETED, 0, s, "", "", {}};
        std::optional<Event> result;
        const bool finished = run_until([&] {
            for (const Event &e : events) {
                if (e.request_id == id &&
                    (e.type == EC_EVENT_REQUEST_COMPLETED || e.type == EC_EVENT_STREAM_END)) {
                    result = e;
                    return true;
                }
            }
            return false;
        });
        EXPECT_TRUE(finished) << method << " did not complete";
        return result.value_or(Event{EC_EVENT_REQUEST_COMPLETED, id, EC_ERR_TIMEOUT, "", "", {}});
    }

    bool saw(int32_t type) const {
        for (const Event &e : events) {
            if (e.type == type) return true;
        }
        return false;
    }
};

// Headless login, fast provisioning jobs and job polls.
const std::vector<std::string> kEmulatorFlags = {"--auto-approve", "--provision-ms", "50",
                                                 "--job-poll-interval-ms", "50"};

// Threads of this process: destroy must join every thread an instance started.
size_t thread_count() {
    size_t n = 0;
    for ([[maybe_unused]] const auto &entry :
         std::filesystem::directory_iterator("/proc/self/task")) {
        ++n;
    }
    return n;
}

std::string cloud_config(const std::string &url) {
    return "{\"base_url\":\"" + url +
           "\",\"insecure_local\":true,\"no_config_file\":true,\"login_poll_interval_ms\":50,"
           "\"log_level\":\"debug\"}";
}

// ---- negotiation --------------------------------------------------------------------------

TEST(PluginNegotiation, CurrentHostGetsVersion1Table) {
    Module m;
    const ec_plugin_api *api = nullptr;
    ASSERT_EQ(m.query(EC_PLUGIN_ABI_VERSION, &api), EC_OK);
    EXPECT_EQ(api->abi_version, 1u);
    EXPECT_EQ(api->struct_size, sizeof(ec_plugin_api));
    EXPECT_STREQ(api->name, "elizacloud");
    EXPECT_STREQ(api->version, EC_VERSION_STRING);
    for (auto fn :
         {reinterpret_cast<void (*)()>(api->create), reinterpret_cast<void (*)()>(api->destroy),
          reinterpret_cast<void (*)()>(api->dispatch), reinterpret_cast<void (*)()>(api->invoke),
          reinterpret_cast<void (*)()>(api->cancel),
          reinterpret_cast<void (*)()>(api->last_error)}) {
        EXPECT_NE(fn, nullptr);
    }
}

TEST(PluginNegotiation, FutureHostGetsThePluginsVersion) {
    Module m;
    const ec_plugin_api *api = nullptr;
    ASSERT_EQ(m.query(99, &api), EC_OK);
    ASSERT_NE(api, nullptr);
    EXPECT_EQ(api->abi_version, EC_PLUGIN_ABI_VERSION);
}

TEST(PluginNegotiation, VersionZeroIsIncompatible) {
    Module m;
    const ec_plugin_api *api = m.api;  // must be overwritten with NULL
    EXPECT_EQ(m.query(0, &api), EC_ERR_INCOMPATIBLE);
    EXPECT_EQ(api, nullptr);
    EXPECT_NE(std::string(m.api->last_error()), "");
    EXPECT_EQ(m.query(1, nullptr), EC_ERR_INVALID_ARGUMENT);
}

TEST(PluginNegotiation, CreateRefusesAVersionThatWasNotAgreed) {
    Module m;
    TestHost host(m.api);
    host.table.abi_version = 0;
    EXPECT_EQ(host.create("{}"), EC_ERR_INCOMPATIBLE);
    host.table.abi_version = EC_PLUGIN_ABI_VERSION + 1;
    EXPECT_EQ(host.create("{}"), EC_ERR_INCOMPATIBLE);
    EXPECT_EQ(host.plugin, nullptr);
}

// ---- create / destroy without a cloud -------------------------------------------------------

TEST(PluginCreate, RejectsBadArguments) {
    Module m;
    TestHost host(m.api);
    ec_plugin *p = nullptr;
    EXPECT_EQ(m.api->create(nullptr, "{}", &p), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(m.api->create(&host.table, "{}", nullptr), EC_ERR_INVALID_ARGUMENT);
    host.table.struct_size = 4;
    EXPECT_EQ(host.create("{}"), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(host.plugin, nullptr);
}

TEST(PluginCreate, RejectsBadConfig) {
    Module m;
    TestHost host(m.api);
    const std::pair<const char *, const char *> cases[] = {
        {"not json", "JSON object"},
        {"[1]", "JSON object"},
        {R"({"bogus":1})", "bogus"},
        {R"({"base_url":5})", "base_url"},
        {R"({"insecure_local":1})", "insecure_local"},
        {R"({"request_timeout_ms":-1})", "request_timeout_ms"},
        {R"({"log_level":"loud"})", "log_level"},
    };
    for (const auto &[config, mention] : cases) {
        EXPECT_EQ(host.create(config), EC_ERR_INVALID_ARGUMENT) << config;
        EXPECT_NE(std::string(m.api->last_error()).find(mention), std::string::npos)
            << config << ": " << m.api->last_error();
        EXPECT_EQ(host.plugin, nullptr);
    }
}

TEST(PluginCreate, CreateAndDestroyWithoutNetwork) {
    Module m;
    m.api->destroy(nullptr);  // a no-op, like every destroy of the C ABI
    const size_t threads_before = thread_count();
    for (int i = 0; i < 3; ++i) {
        {
            TestHost a(m.api);
            TestHost b(m.api);
            ASSERT_EQ(a.create(R"({"no_config_file":true,"request_timeout_ms":1000})"), EC_OK)
                << m.api->last_error();
            ASSERT_EQ(b.create(nullptr), EC_OK) << m.api->last_error();
            EXPECT_GT(thread_count(), threads_before);
            EXPECT_EQ(m.api->dispatch(a.plugin, 0), EC_OK);    // nothing queued
            EXPECT_EQ(m.api->cancel(a.plugin, 12345), EC_OK);  // unknown ids are fine
        }
        EXPECT_EQ(thread_count(), threads_before) << "destroy left a thread running";
    }
}

TEST(PluginCreate, InvokeReportsErrors) {
    Module m;
    TestHost host(m.api);
    ASSERT_EQ(host.create(R"({"no_config_file":true})"), EC_OK) << m.api->last_error();
    uint64_t id = 0;
    EXPECT_EQ(m.api->invoke(host.plugin, nullptr, "{}", &id), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(m.api->invoke(host.plugin, "login", "{}", nullptr), EC_ERR_INVALID_ARGUMENT);
    EXPECT_NE(m.api->invoke(host.plugin, "no.such.method", "{}", &id), EC_OK);
    EXPECT_NE(std::string(m.api->last_error()), "");
}

// ---- with the emulator ----------------------------------------------------------------------

class PluginCloud : public ::testing::Test {
protected:
    elizacloud::test::EmulatorProcess emulator{kEmulatorFlags};
    Module module;
};

TEST_F(PluginCloud, PersistSecretAfterLoginAndNullAfterLogout) {
    TestHost host(module.api);
    ASSERT_EQ(host.create(cloud_config(emulator.url())), EC_OK) << module.api->last_error();

    const Event login = host.call("login", "{}");
    ASSERT_EQ(login.status, EC_OK) << login.json;
    ASSERT_EQ(host.secrets.size(), 1u);
    ASSERT_TRUE(host.secrets[0].has_value());
    const std::string key = *host.secrets[0];
    EXPECT_EQ(key.rfind("eliza_", 0), 0u);
    EXPECT_TRUE(host.saw(EC_EVENT_CREDENTIALS_CHANGED));

    const Event logout = host.call("logout", "{}");
    ASSERT_EQ(logout.status, EC_OK) << logout.json;
    ASSERT_EQ(host.secrets.size(), 2u);
    EXPECT_FALSE(host.secrets[1].has_value());

    // Data-carrying callbacks ran inside dispatch, i.e. on this thread; wake-ups were requested.
    for (const Event &e : host.events) EXPECT_EQ(e.thread, std::this_thread::get_id());
    for (auto t : host.secret_threads) EXPECT_EQ(t, std::this_thread::get_id());
    EXPECT_GT(host.dispatch_requests.load(), 0);

    // The key itself appears in no log line and no event.
    std::lock_guard lock(host.mu);
    EXPECT_FALSE(host.logs.empty()) << "core log lines should reach host->log at debug level";
    for (const std::string &line : host.logs) EXPECT_EQ(line.find(key), std::string::npos);
    for (const Event &e : host.events) {
        EXPECT_EQ(e.text.find(key), std::string::npos);
        EXPECT_EQ(e.json.find(key), std::string::npos);
    }
}

TEST_F(PluginCloud, OlderHostTableWithoutPersistSecret) {
    TestHost host(module.api);
    static std::atomic<int> trapped{0};
    host.table.persist_secret = [](void *, const char *, const char *) { trapped++; };
    host.table.struct_size = offsetof(ec_host_api, persist_secret);
    ASSERT_EQ(host.create(cloud_config(emulator.url())), EC_OK) << module.api->last_error();

    const Event login = host.call("login", "{}");
    EXPECT_EQ(login.status, EC_OK) << login.json;
    EXPECT_TRUE(host.saw(EC_EVENT_CREDENTIALS_CHANGED));
    EXPECT_EQ(trapped.load(), 0) << "a member beyond struct_size was called";
}

TEST_F(PluginCloud, HostWithoutRequestDispatchPollsDispatch) {
    TestHost host(module.api);
    host.table.request_dispatch = nullptr;
    ASSERT_EQ(host.create(cloud_config(emulator.url())), EC_OK) << module.api->last_error();
    const Event login = host.call("login", "{}");  // run_until polls every 100 ms
    EXPECT_EQ(login.status, EC_OK) << login.json;
    EXPECT_EQ(host.dispatch_requests.load(), 0);
}

TEST_F(PluginCloud, DispatchAndDestroyAreRefusedInsideOnEvent) {
    TestHost host(module.api);
    ASSERT_EQ(host.create(cloud_config(emulator.url())), EC_OK) << module.api->last_error();
    std::optional<ec_status> nested_dispatch;
    std::string destroy_error;
    host.on_event_hook = [&](const ec_event &) {
        if (nested_dispatch) return;
        nested_dispatch = module.api->dispatch(host.plugin, 0);
        module.api->destroy(host.plugin);  // refused: the instance must survive this
        destroy_error = module.api->last_error();
        uint64_t id = 0;  // any other call is allowed from inside on_event
        EXPECT_EQ(module.api->invoke(host.plugin, "status", "{}", &id), EC_OK)
            << module.api->last_error();
    };
    const Event login = host.call("login", "{}");
    EXPECT_EQ(login.status, EC_OK) << login.json;
    ASSERT_TRUE(nested_dispatch.has_value());
    EXPECT_EQ(*nested_dispatch, EC_ERR_REENTRANT);
    EXPECT_NE(destroy_error.find("inside"), std::string::npos) << destroy_error;
}

TEST_F(PluginCloud, BusyWhenAnotherThreadDispatches) {
    TestHost host(module.api);
    ASSERT_EQ(host.create(cloud_config(emulator.url())), EC_OK) << module.api->last_error();
    std::atomic<bool> inside{false}, release{false};
    host.on_event_hook = [&](const ec_event &) {
        inside = true;
        while (!release) std::this_thread::sleep_for(1ms);
    };
    uint64_t id = 0;
    ASSERT_EQ(module.api->invoke(host.plugin, "login", "{}", &id), EC_OK);
    std::thread other([&] {
        while (module.api->dispatch(host.plugin, 1) == EC_OK && !inside) {
            std::this_thread::sleep_for(5ms);
        }
    });
    while (!inside) std::this_thread::sleep_for(1ms);
    EXPECT_EQ(module.api->dispatch(host.plugin, 0), EC_ERR_BUSY);
    release = true;
    other.join();
    host.on_event_hook = nullptr;
}

// Not a PluginCloud test: the fixture's own dlopen would keep the module loaded.
TEST(PluginReload, DestroyWithOperationsInFlightThenDlclose) {
    elizacloud::test::EmulatorProcess emulator(kEmulatorFlags);
    for (int round = 0; round < 2; ++round) {
        Module fresh;  // the only dlopen of the module, closed at the end of the round
        const size_t threads_before = thread_count();
        TestHost host(fresh.api);
        ASSERT_EQ(host.create(cloud_config(emulator.url())), EC_OK) << fresh.api->last_error();
        uint64_t id = 0;
        ASSERT_EQ(fresh.api->invoke(host.plugin, "login", "{}", &id), EC_OK);
        // Destroy with the login still polling: it must cancel and join before dlclose.
        fresh.api->destroy(host.plugin);
        host.plugin = nullptr;
        EXPECT_EQ(thread_count(), threads_before) << "destroy left a thread running";
    }
}

}  // namespace
