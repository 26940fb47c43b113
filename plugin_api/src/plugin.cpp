// elizacloud_plugin.so: the dlopen entry point over the public C ABI (elizacloud.h).
//
// Threads: the core's engine (I/O) and dispatcher threads, plus one watcher per instance that
// polls the cloud's wake fd and only calls host->request_dispatch. Host callbacks that carry data
// (on_event, persist_secret) run inside dispatch() on the host's thread; host->log and
// request_dispatch run on plugin threads.
#include <elizacloud/elizacloud_plugin.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <thread>

#include "log_router.hpp"
#include "plugin_config.hpp"

namespace {

namespace plugin = elizacloud::plugin;

constexpr uint32_t kOldestAbi = 1;  // the oldest host ABI this build still serves
constexpr uint32_t kNewestAbi = EC_PLUGIN_ABI_VERSION;

// A fixed buffer rather than std::string: a thread_local with a destructor would register a TLS
// destructor that keeps glibc from unloading the module at dlclose.
thread_local char t_error[512];

ec_status fail(ec_status status, const char *message) {
    std::snprintf(t_error, sizeof t_error, "%s", message);
    return status;
}

// After a failed core call: keep its detail (it is only valid until our next ec_ call).
ec_status fail_core(ec_status status) {
    const char *detail = ec_last_error_message();
    return fail(status, detail[0] != '\0' ? detail : ec_status_name(status));
}

// A host member is usable only when it lies entirely inside the host's struct_size.
template <typename T>
T host_member(const ec_host_api &h, T ec_host_api::*member, size_t offset) {
    return offset + sizeof(T) <= h.struct_size ? h.*member : T{};
}
#define EC_HOST_MEMBER(h, m) host_member(h, &ec_host_api::m, offsetof(ec_host_api, m))

}  // namespace

struct ec_plugin {
    ec_host_api host{};  // the host's table, members it does not have set to NULL
    plugin::LogTarget log_target;
    ec_engine *engine = nullptr;
    ec_cloud *cloud = nullptr;
    int event_fd = -1;

    // Watcher state. wake_pending keeps the watcher from asking again (the wake fd stays readable
    // until the queue is drained) until a dispatch has run.
    std::mutex mu;
    std::condition_variable cv;
    bool wake_pending = false;
    bool stopping = false;
    int stop_fds[2] = {-1, -1};
    std::thread watcher;

    // The thread inside dispatch(), to refuse reentrant dispatch/destroy.
    std::atomic<std::thread::id> dispatcher{};

    ec_plugin() = default;
    ec_plugin(const ec_plugin &) = delete;
    ec_plugin &operator=(const ec_plugin &) = delete;
    ~ec_plugin();

    void watch();
    void stop_watcher();
    void deliver(const ec_event &event);
    void log(int32_t level, const char *message) const {
        if (host.log != nullptr) host.log(host.host_data, level, message);
    }
};

ec_plugin::~ec_plugin() {
    stop_watcher();
    ec_cloud_destroy(cloud);         // joins the cloud's threads; cancels what is in flight
    ec_engine_destroy(engine);       // the last reference: joins the I/O thread
    plugin::log_detach(log_target);  // last, so lines logged while shutting down still arrive
}

void ec_plugin::stop_watcher() {
    if (watcher.joinable()) {
        {
            std::lock_guard lock(mu);
            stopping = true;
        }
        cv.notify_all();
        const char byte = 1;
        // The pipe is empty and non-blocking: this write cannot fail for lack of space.
        [[maybe_unused]] ssize_t n = ::write(stop_fds[1], &byte, 1);
        watcher.join();
    }
    for (int &fd : stop_fds) {
        if (fd >= 0) ::close(fd);
        fd = -1;
    }
}

void ec_plugin::watch() {
    for (;;) {
        {
            std::unique_lock lock(mu);
            cv.wait(lock, [this] { return stopping || !wake_pending; });
            if (stopping) return;
        }
        pollfd fds[2] = {{event_fd, POLLIN, 0}, {stop_fds[0], POLLIN, 0}};
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            log(EC_LOG_ERROR, "elizacloud plugin: poll on the event fd failed; no more wake-ups");
            return;
        }
        if (fds[1].revents != 0) return;
        if (fds[0].revents != 0) {
            {
                std::lock_guard lock(mu);
                wake_pending = true;
            }
            host.request_dispatch(host.host_data);
        }
    }
}

void ec_plugin::deliver(const ec_event &event) {
    if (event.type == EC_EVENT_CREDENTIALS_CHANGED && host.persist_secret != nullptr) {
        if (event.text == nullptr || event.text[0] == '\0') {
            host.persist_secret(host.host_data, EC_PLUGIN_SECRET_API_KEY, nullptr);
        } else {
            char *key = nullptr;
            if (ec_cloud_api_key(cloud, &key) == EC_OK) {
                host.persist_secret(host.host_data, EC_PLUGIN_SECRET_API_KEY, key);
                explicit_bzero(key, std::strlen(key));  // do not leave the key in freed memory
                ec_free(key);
            } else {
                // Already removed again; the CREDENTIALS_CHANGED that removed it follows.
                log(EC_LOG_DEBUG, "elizacloud plugin: key gone before it could be persisted");
            }
        }
    }
    if (host.on_event != nullptr) host.on_event(host.host_data, &event);
}

namespace {

ec_status plugin_create(const ec_host_api *host, const char *config_json,
                        ec_plugin **out) noexcept {
    if (out == nullptr) return fail(EC_ERR_INVALID_ARGUMENT, "create: out is NULL");
    *out = nullptr;
    if (host == nullptr) return fail(EC_ERR_INVALID_ARGUMENT, "create: host is NULL");
    if (host->struct_size < offsetof(ec_host_api, host_data) + sizeof(void *)) {
        return fail(EC_ERR_INVALID_ARGUMENT, "create: host->struct_size is too small");
    }
    if (host->abi_version < kOldestAbi || host->abi_version > kNewestAbi) {
        return fail(EC_ERR_INCOMPATIBLE,
                    "create: host->abi_version is not the version ec_plugin_query agreed");
    }
    try {
        plugin::Config config;
        std::string error;
        if (plugin::parse_config(config_json, config, error) != EC_OK) {
            return fail(EC_ERR_INVALID_ARGUMENT, error.c_str());
        }
        auto p = std::make_unique<ec_plugin>();
        p->host.struct_size = sizeof p->host;
        p->host.abi_version = host->abi_version;
        p->host.host_data = host->host_data;
        p->host.log = EC_HOST_MEMBER(*host, log);
        p->host.request_dispatch = EC_HOST_MEMBER(*host, request_dispatch);
        p->host.on_event = EC_HOST_MEMBER(*host, on_event);
        p->host.persist_secret = EC_HOST_MEMBER(*host, persist_secret);
        p->log_target.log = p->host.log;
        p->log_target.host_data = p->host.host_data;
        plugin::log_attach(p->log_target);  // before the engine, so its warnings reach the host

        if (config.log_level >= 0) ec_log_set_level(config.log_level);
        // An engine per instance (not the shared default): this instance holds the last
        // reference, so its destroy joins the I/O thread itself, whatever other instances do,
        // and the host may dlclose as soon as its last instance is gone.
        if (ec_status s = ec_engine_create(&config.engine, &p->engine); s != EC_OK) {
            return fail_core(s);
        }
        config.cloud.engine = p->engine;
        if (ec_status s = ec_cloud_create(&config.cloud, &p->cloud); s != EC_OK) {
            return fail_core(s);
        }
        p->event_fd = ec_cloud_event_fd(p->cloud);
        if (p->event_fd < 0) return fail(EC_ERR_INTERNAL, "create: the cloud has no event fd");

        // Without request_dispatch the host polls dispatch() itself and no watcher is needed.
        if (p->host.request_dispatch != nullptr) {
            if (::pipe2(p->stop_fds, O_CLOEXEC | O_NONBLOCK) != 0) {
                return fail(EC_ERR_INTERNAL, "create: pipe2 failed");
            }
            p->watcher = std::thread([raw = p.get()] { raw->watch(); });
        }
        *out = p.release();
        return EC_OK;
    } catch (const std::bad_alloc &) {
        return fail(EC_ERR_NO_MEMORY, "create: out of memory");
    } catch (const std::exception &e) {
        return fail(EC_ERR_INTERNAL, e.what());
    }
}

bool inside_own_callback(const ec_plugin *p) {
    const auto self = std::this_thread::get_id();
    return p->dispatcher.load() == self || p->watcher.get_id() == self;
}

void plugin_destroy(ec_plugin *p) noexcept {
    if (p == nullptr) return;
    if (inside_own_callback(p)) {
        // Tearing down under our own stack frame would free the instance it is running on.
        fail(EC_ERR_REENTRANT, "destroy: called from inside one of this plugin's callbacks");
        return;
    }
    delete p;
}

ec_status plugin_dispatch(ec_plugin *p, uint32_t max_events) noexcept {
    if (p == nullptr) return fail(EC_ERR_INVALID_ARGUMENT, "dispatch: plugin is NULL");
    std::thread::id expected{};
    if (!p->dispatcher.compare_exchange_strong(expected, std::this_thread::get_id())) {
        return expected == std::this_thread::get_id()
                   ? fail(EC_ERR_REENTRANT, "dispatch: called from inside on_event")
                   : fail(EC_ERR_BUSY, "dispatch: another thread is dispatching");
    }
    ec_status result = EC_OK;
    for (uint32_t n = 0; max_events == 0 || n < max_events; ++n) {
        ec_event *event = nullptr;
        const ec_status s = ec_cloud_next_event(p->cloud, &event);
        if (s == EC_ERR_EMPTY) break;
        if (s != EC_OK) {
            result = fail_core(s);
            break;
        }
        p->deliver(*event);
        ec_event_free(event);
    }
    p->dispatcher.store(std::thread::id{});
    // Re-arm the watcher; if events remain it asks for the next dispatch straight away.
    {
        std::lock_guard lock(p->mu);
        p->wake_pending = false;
    }
    p->cv.notify_all();
    return result;
}

ec_status plugin_invoke(ec_plugin *p, const char *method, const char *params_json,
                        uint64_t *request_id) noexcept {
    if (p == nullptr || method == nullptr || request_id == nullptr) {
        return fail(EC_ERR_INVALID_ARGUMENT, "invoke: plugin, method and request_id are required");
    }
    const ec_status s =
        ec_cloud_call(p->cloud, method, params_json != nullptr ? params_json : "{}", request_id);
    return s == EC_OK ? s : fail_core(s);
}

ec_status plugin_cancel(ec_plugin *p, uint64_t request_id) noexcept {
    if (p == nullptr) return fail(EC_ERR_INVALID_ARGUMENT, "cancel: plugin is NULL");
    const ec_status s = ec_cloud_cancel(p->cloud, request_id);
    return s == EC_OK ? s : fail_core(s);
}

const char *plugin_last_error() noexcept {
    return t_error;
}

// One constant-initialised table per ABI version served (no constructor runs at dlopen). Only
// version 1 exists; a version 2 would add kApiV2 and ec_plugin_query would pick by `agreed`.
constexpr ec_plugin_api kApiV1 = {
    sizeof(ec_plugin_api), 1,
    "elizacloud",          EC_VERSION_STRING,
    plugin_create,         plugin_destroy,
    plugin_dispatch,       plugin_invoke,
    plugin_cancel,         plugin_last_error,
};

}  // namespace

extern "C" EC_PLUGIN_EXPORT ec_status ec_plugin_query(uint32_t host_max_abi,
                                                      const ec_plugin_api **out) {
    if (out == nullptr) return fail(EC_ERR_INVALID_ARGUMENT, "ec_plugin_query: out is NULL");
    *out = nullptr;
    const uint32_t agreed = std::min(host_max_abi, kNewestAbi);
    if (agreed < kOldestAbi) {
        return fail(EC_ERR_INCOMPATIBLE, "ec_plugin_query: the host's ABI version is too old");
    }
    *out = &kApiV1;
    return EC_OK;
}
