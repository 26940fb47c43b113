// Every export of libelizacloud.so. Each one is noexcept and runs its body inside guard(), which
// turns every exception into an ec_status and the thread-local message; nothing C++ crosses the
// boundary. Argument checks (NULL handles and pointers) happen here; everything else in Cloud.
#include <elizacloud/elizacloud.h>

#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <string>
#include <type_traits>
#include <utility>

#include "api/registry.hpp"
#include "handle/cloud.hpp"
#include "handle/cloud_options.hpp"
#include "handle/event_dispatcher.hpp"
#include "net/engines.hpp"
#include "rest/rest_mount.hpp"
#include "util/error.hpp"
#include "util/json.hpp"
#include "util/json_scan.hpp"
#include "util/log.hpp"
#include "util/log_fanout.hpp"

using elizacloud::Cloud;
using elizacloud::Error;
using elizacloud::Method;
using elizacloud::Request;
using elizacloud::Status;

struct ec_cloud {
    std::unique_ptr<Cloud> cloud;
    // Declared after cloud: destroyed first, while the cloud still exists.
    std::unique_ptr<elizacloud::RestMount> rest = std::make_unique<elizacloud::RestMount>();
};

namespace {

thread_local std::string t_last_error;

void set_last_error(const char *message) noexcept {
    try {
        // Every message a host sees passes the same redaction as log lines and events.
        t_last_error = elizacloud::log::redact(message);
    } catch (...) {
        t_last_error.clear();  // no memory for the message: the status still says what happened
    }
}

// Runs body; maps Error to its status, bad_alloc to EC_ERR_NO_MEMORY, anything else to
// EC_ERR_INTERNAL, and records the message for ec_last_error_message().
template <typename F>
ec_status guard(F &&body) noexcept {
    t_last_error.clear();
    try {
        body();
        return EC_OK;
    } catch (const Error &e) {
        const auto status = static_cast<ec_status>(e.status());
        set_last_error(e.what());
        return status == EC_OK ? EC_ERR_INTERNAL : status;
    } catch (const std::bad_alloc &) {
        set_last_error("out of memory");
        return EC_ERR_NO_MEMORY;
    } catch (const std::exception &e) {
        set_last_error(e.what());
        return EC_ERR_INTERNAL;
    } catch (...) {
        set_last_error("unknown internal error");
        return EC_ERR_INTERNAL;
    }
}

[[noreturn]] void invalid(const char *message) {
    throw Error(Status::InvalidArgument, message);
}

Cloud &get(ec_cloud *cloud) {
    if (!cloud || !cloud->cloud) invalid("cloud handle is NULL");
    return *cloud->cloud;
}

template <typename T>
void require(T *pointer, const char *message) {
    if (!pointer) invalid(message);
}

// A copy of the caller's options struct widened to ours: fields the caller's (older) struct
// does not have stay zero, which means "default".
template <typename T>
T widen(const T *options) {
    T out;
    std::memset(&out, 0, sizeof out);
    if (!options) return out;
    if (options->struct_size < sizeof(uint32_t)) invalid("options struct_size is too small");
    std::memcpy(&out, options, std::min<size_t>(options->struct_size, sizeof out));
    out.struct_size = sizeof out;
    return out;
}

template <typename T>
ec_status options_init(T *options, uint32_t struct_size) {
    return guard([&] {
        require(options, "options is NULL");
        if (struct_size < sizeof(uint32_t)) invalid("struct_size is too small");
        // The caller's struct may be older (smaller) or newer (larger) than ours: zero exactly
        // the bytes it says it has; zero is "default" for every field.
        std::memset(options, 0, struct_size);
        options->struct_size = struct_size;
    });
}

char *duplicate(const std::string &text) {
    auto *out = static_cast<char *>(std::malloc(text.size() + 1));
    if (!out) throw std::bad_alloc();
    std::memcpy(out, text.data(), text.size());
    out[text.size()] = '\0';
    return out;
}

void give(char **out, const std::string &text) {
    if (out) *out = duplicate(text);
}

ec_status start(ec_cloud *cloud, uint64_t *request_id, const std::function<Request()> &make) {
    return guard([&] {
        Cloud &c = get(cloud);
        require(request_id, "request_id is NULL");
        *request_id = 0;
        *request_id = c.start(make());
    });
}

ec_status run(ec_cloud *cloud, int32_t timeout_ms, char **result_json,
              const std::function<Request()> &make) {
    return guard([&] {
        Cloud &c = get(cloud);
        if (result_json) *result_json = nullptr;
        std::string result = c.run(make(), timeout_ms);
        give(result_json, result);
    });
}

// The typed exports are kept for ABI compatibility; each is one of these over the generic entry.
Request simple(std::string_view name) {
    return elizacloud::make_request(name);
}
Request agent(std::string_view name, const char *agent_id) {
    require(agent_id, "agent_id is NULL");
    return elizacloud::make_request(name, {{"agentId", agent_id}});
}
Request chat(std::string_view name, const char *text, const char *room_id,
             const char *channel_type) {
    require(text, "text is NULL");
    return elizacloud::make_request(
        name, {{"text", text}, {"roomId", room_id}, {"channelType", channel_type}});
}
Request credits(int32_t fresh) {
    return elizacloud::parse_request("credits", fresh ? R"({"fresh":true})" : "{}");
}

// The "request" operation's parameters: options_json with method and path added.
Request generic_request(const char *method, const char *path, const char *options_json) {
    require(method, "method is NULL");
    require(path, "path is NULL");
    elizacloud::json::Document params;
    const std::string_view options = options_json ? options_json : "";
    if (options.empty()) {
        params.SetObject();
    } else if (!elizacloud::json::parse(options, params) || !params.IsObject()) {
        throw Error(Status::InvalidArgument, "request: options must be a JSON object");
    }
    if (params.HasMember("method") || params.HasMember("path"))
        throw Error(Status::InvalidArgument, "request: method and path are arguments, not options");
    auto &alloc = params.GetAllocator();
    elizacloud::json::set(params, "method", elizacloud::json::string_value(method, alloc), alloc);
    elizacloud::json::set(params, "path", elizacloud::json::string_value(path, alloc), alloc);
    const std::string text = elizacloud::json::stringify(params);
    return elizacloud::parse_request("request", text.c_str());
}

}  // namespace

extern "C" {

// ---- memory, status, version ----------------------------------------------------------------

EC_API void ec_free(void *ptr) noexcept {
    std::free(ptr);
}

EC_API const char *ec_status_name(ec_status status) noexcept {
    return elizacloud::status_name(static_cast<Status>(status));
}

EC_API const char *ec_last_error_message(void) noexcept {
    return t_last_error.c_str();
}

EC_API uint32_t ec_version(void) noexcept {
    return EC_VERSION_NUM;
}

EC_API const char *ec_version_string(void) noexcept {
    return EC_VERSION_STRING;
}

// ---- logging --------------------------------------------------------------------------------

EC_API ec_status ec_log_set_level(int32_t level) noexcept {
    return guard([&] {
        if (level < EC_LOG_TRACE || (level > EC_LOG_ERROR && level != EC_LOG_OFF))
            invalid("log level must be one of EC_LOG_TRACE..EC_LOG_ERROR or EC_LOG_OFF");
        elizacloud::log::set_level(static_cast<elizacloud::log::Level>(level));
    });
}

EC_API ec_status ec_log_set_sink(ec_log_fn fn, void *user_data,
                                 void (*free_user_data)(void *)) noexcept {
    return guard(
        [&] { elizacloud::LogFanout::instance().set_host_sink(fn, user_data, free_user_data); });
}

// ---- engine ---------------------------------------------------------------------------------

EC_API ec_status ec_engine_options_init(ec_engine_options *options, uint32_t struct_size) noexcept {
    return options_init(options, struct_size);
}

EC_API ec_status ec_engine_create(const ec_engine_options *options, ec_engine **out) noexcept {
    return guard([&] {
        require(out, "out is NULL");
        *out = nullptr;
        const ec_engine_options o = widen(options);
        elizacloud::EngineSpec spec;
        spec.ca_file = o.ca_file ? o.ca_file : "";
        if (o.insecure_local != 0) spec.insecure_local = o.insecure_local > 0;
        spec.allowed_hosts = elizacloud::split_hosts(o.allowed_hosts);
        if (o.max_host_connections < -1) invalid("max_host_connections must be -1, 0 or more");
        if (o.max_host_connections == -1) spec.max_host_connections = 0;  // no limit
        if (o.max_host_connections > 0) spec.max_host_connections = o.max_host_connections;
        auto handle = std::make_unique<ec_engine>();
        handle->engine = elizacloud::make_engine(std::move(spec));
        *out = handle.release();
    });
}

EC_API void ec_engine_destroy(ec_engine *engine) noexcept {
    guard([&] {
        if (!engine) return;
        if (elizacloud::EventDispatcher::current_owner() != nullptr ||
            engine->engine->in_io_thread())
            throw Error(Status::Reentrant, "ec_engine_destroy is not allowed inside a callback");
        delete engine;  // the last reference joins the I/O thread; clouds hold their own
    });
}

// ---- cloud ----------------------------------------------------------------------------------

EC_API ec_status ec_cloud_options_init(ec_cloud_options *options, uint32_t struct_size) noexcept {
    return options_init(options, struct_size);
}

EC_API ec_status ec_cloud_options_set(ec_cloud_options *options, const char *name,
                                      const char *value) noexcept {
    return guard([&] {
        require(options, "options is NULL");
        require(name, "name is NULL");
        elizacloud::set_cloud_option(*options, name, value);
    });
}

EC_API ec_status ec_cloud_create(const ec_cloud_options *options, ec_cloud **out) noexcept {
    return guard([&] {
        require(out, "out is NULL");
        *out = nullptr;
        const ec_cloud_options o = widen(options);
        auto handle = std::make_unique<ec_cloud>();
        handle->cloud = std::make_unique<Cloud>(o);
        *out = handle.release();
    });
}

EC_API void ec_cloud_destroy(ec_cloud *cloud) noexcept {
    guard([&] {
        if (!cloud) return;
        if (cloud->cloud->on_own_dispatcher()) {
            throw Error(Status::Reentrant,
                        "ec_cloud_destroy of a cloud from inside its own event callback is "
                        "refused; destroy it from another thread");
        }
        if (cloud->cloud->in_io_thread())
            throw Error(Status::Reentrant, "ec_cloud_destroy on the library's I/O thread");
        cloud->rest->shutdown();  // REST servers on this cloud stop using it first
        cloud->cloud->shutdown();
        delete cloud;
    });
}

// ---- events ---------------------------------------------------------------------------------

EC_API ec_status ec_cloud_next_event(ec_cloud *cloud, ec_event **out) noexcept {
    return guard([&] {
        Cloud &c = get(cloud);
        require(out, "out is NULL");
        *out = nullptr;
        auto event = c.queue().try_pop();
        if (!event) throw Error(Status::Empty, "no event queued");
        *out = elizacloud::make_owned_event(*event);
    });
}

EC_API ec_status ec_cloud_next_events(ec_cloud *cloud, ec_event **events, size_t max,
                                      size_t *count) noexcept {
    return guard([&] {
        Cloud &c = get(cloud);
        require(count, "count is NULL");
        *count = 0;
        require(events, "events is NULL");
        if (max == 0) invalid("max must be at least 1");
        size_t made = 0;
        try {
            c.queue().try_pop_many(max, [&](const elizacloud::Event &event) {
                events[made] = elizacloud::make_owned_event(event);
                ++made;
            });
        } catch (const std::bad_alloc &) {
            // The event that could not be copied and the later ones are still queued; the ones
            // already copied have left the queue, so they are returned rather than lost.
            if (made == 0) throw;
        }
        if (made == 0) throw Error(Status::Empty, "no event queued");
        *count = made;
    });
}

EC_API ec_status ec_cloud_wait_event(ec_cloud *cloud, int32_t timeout_ms, ec_event **out) noexcept {
    return guard([&] {
        Cloud &c = get(cloud);
        require(out, "out is NULL");
        *out = nullptr;
        auto event = c.queue().wait_pop(timeout_ms);
        if (!event) throw Error(Status::Timeout, "no event within the timeout");
        *out = elizacloud::make_owned_event(*event);
    });
}

EC_API void ec_event_free(ec_event *event) noexcept {
    elizacloud::release_event(event);
}

EC_API int ec_cloud_event_fd(ec_cloud *cloud) noexcept {
    int fd = -1;
    guard([&] { fd = get(cloud).queue().fd(); });
    return fd;
}

EC_API ec_status ec_cloud_event_stats(ec_cloud *cloud, char **out) noexcept {
    return guard([&] {
        Cloud &c = get(cloud);
        require(out, "out is NULL");
        *out = nullptr;
        const elizacloud::EventQueue &q = c.queue();
        *out = duplicate("{\"capacity\":" + std::to_string(q.capacity()) +
                         ",\"queued\":" + std::to_string(q.size()) +
                         ",\"dropped\":" + std::to_string(q.dropped_total()) +
                         ",\"streamPauses\":" + std::to_string(q.stream_pauses()) + "}");
    });
}

EC_API ec_status ec_cloud_set_event_callback(ec_cloud *cloud, ec_event_fn fn, void *user_data,
                                             void (*free_user_data)(void *)) noexcept {
    return guard([&] { get(cloud).set_callback(fn, user_data, free_user_data); });
}

// ---- operations -----------------------------------------------------------------------------

EC_API ec_status ec_cloud_cancel(ec_cloud *cloud, uint64_t request_id) noexcept {
    return guard([&] { get(cloud).cancel(request_id); });
}

EC_API ec_status ec_cloud_call(ec_cloud *cloud, const char *method, const char *params_json,
                               uint64_t *request_id) noexcept {
    return start(cloud, request_id, [&] {
        require(method, "method is NULL");
        return elizacloud::parse_request(method, params_json);
    });
}

EC_API ec_status ec_cloud_call_stream(ec_cloud *cloud, const char *method, const char *params_json,
                                      uint64_t *request_id) noexcept {
    return start(cloud, request_id, [&] {
        require(method, "method is NULL");
        Request r = elizacloud::parse_request(method, params_json);
        if (!r.streams)
            throw Error(Status::InvalidArgument,
                        std::string(r.op->name) +
                            " does not stream; use ec_cloud_call (streaming operations have "
                            "\"streaming\" other than \"none\" in the catalogue, and a request "
                            "streams with stream sse or bytes)");
        return r;
    });
}

EC_API ec_status ec_cloud_call_sync(ec_cloud *cloud, const char *method, const char *params_json,
                                    int32_t timeout_ms, char **result_json) noexcept {
    return run(cloud, timeout_ms, result_json, [&] {
        require(method, "method is NULL");
        return elizacloud::parse_request(method, params_json);
    });
}

EC_API ec_status ec_cloud_call_with(ec_cloud *cloud, const char *method, const char *params_json,
                                    const char *options_json, uint64_t *request_id) noexcept {
    return start(cloud, request_id, [&] {
        require(method, "method is NULL");
        Request r = elizacloud::parse_request(method, params_json);
        elizacloud::apply_call_options(r, options_json);
        return r;
    });
}

EC_API ec_status ec_cloud_call_with_sync(ec_cloud *cloud, const char *method,
                                         const char *params_json, const char *options_json,
                                         int32_t timeout_ms, char **result_json) noexcept {
    return run(cloud, timeout_ms, result_json, [&] {
        require(method, "method is NULL");
        Request r = elizacloud::parse_request(method, params_json);
        elizacloud::apply_call_options(r, options_json);
        return r;
    });
}

EC_API ec_status ec_cloud_request(ec_cloud *cloud, const char *method, const char *path,
                                  const char *options_json, uint64_t *request_id) noexcept {
    return start(cloud, request_id, [&] { return generic_request(method, path, options_json); });
}

EC_API ec_status ec_cloud_request_sync(ec_cloud *cloud, const char *method, const char *path,
                                       const char *options_json, int32_t timeout_ms,
                                       char **result_json) noexcept {
    return run(cloud, timeout_ms, result_json,
               [&] { return generic_request(method, path, options_json); });
}

EC_API ec_status ec_cloud_operations_json(char **out) noexcept {
    return guard([&] {
        require(out, "out is NULL");
        *out = nullptr;
        static const std::string catalogue =
            elizacloud::catalogue_with_options(elizacloud::api::catalogue_json());
        *out = duplicate(catalogue);
    });
}

EC_API ec_status ec_cloud_login(ec_cloud *cloud, uint64_t *request_id) noexcept {
    return start(cloud, request_id, [] { return simple("login"); });
}

EC_API ec_status ec_cloud_login_sync(ec_cloud *cloud, int32_t timeout_ms,
                                     char **result_json) noexcept {
    return run(cloud, timeout_ms, result_json, [] { return simple("login"); });
}

EC_API ec_status ec_cloud_logout_sync(ec_cloud *cloud, int32_t timeout_ms) noexcept {
    return run(cloud, timeout_ms, nullptr, [] { return simple("logout"); });
}

EC_API ec_status ec_cloud_api_key(ec_cloud *cloud, char **out) noexcept {
    return guard([&] {
        Cloud &c = get(cloud);
        require(out, "out is NULL");
        *out = nullptr;
        *out = duplicate(c.api_key());
    });
}

EC_API ec_status ec_cloud_config_path(ec_cloud *cloud, char **out) noexcept {
    return guard([&] {
        Cloud &c = get(cloud);
        require(out, "out is NULL");
        *out = nullptr;
        *out = duplicate(c.config_path());
    });
}

EC_API ec_status ec_cloud_status(ec_cloud *cloud, uint64_t *request_id) noexcept {
    return start(cloud, request_id, [] { return simple("status"); });
}

EC_API ec_status ec_cloud_status_sync(ec_cloud *cloud, int32_t timeout_ms,
                                      char **result_json) noexcept {
    return run(cloud, timeout_ms, result_json, [] { return simple("status"); });
}

EC_API ec_status ec_cloud_credits(ec_cloud *cloud, int32_t fresh, uint64_t *request_id) noexcept {
    return start(cloud, request_id, [&] { return credits(fresh); });
}

EC_API ec_status ec_cloud_credits_sync(ec_cloud *cloud, int32_t fresh, int32_t timeout_ms,
                                       char **result_json) noexcept {
    return run(cloud, timeout_ms, result_json, [&] { return credits(fresh); });
}

EC_API ec_status ec_cloud_identity(ec_cloud *cloud, uint64_t *request_id) noexcept {
    return start(cloud, request_id, [] { return simple("identity"); });
}

EC_API ec_status ec_cloud_identity_sync(ec_cloud *cloud, int32_t timeout_ms,
                                        char **result_json) noexcept {
    return run(cloud, timeout_ms, result_json, [] { return simple("identity"); });
}

EC_API ec_status ec_cloud_agents_list(ec_cloud *cloud, uint64_t *request_id) noexcept {
    return start(cloud, request_id, [] { return simple("agents.list"); });
}

EC_API ec_status ec_cloud_agents_list_sync(ec_cloud *cloud, int32_t timeout_ms,
                                           char **result_json) noexcept {
    return run(cloud, timeout_ms, result_json, [] { return simple("agents.list"); });
}

EC_API ec_status ec_cloud_agent_create(ec_cloud *cloud, const char *params_json,
                                       uint64_t *request_id) noexcept {
    return start(cloud, request_id, [&] {
        require(params_json, "params_json is NULL");
        return elizacloud::parse_request("agents.create", params_json);
    });
}

EC_API ec_status ec_cloud_agent_create_sync(ec_cloud *cloud, const char *params_json,
                                            int32_t timeout_ms, char **result_json) noexcept {
    return run(cloud, timeout_ms, result_json, [&] {
        require(params_json, "params_json is NULL");
        return elizacloud::parse_request("agents.create", params_json);
    });
}

#define EC_AGENT_OP(name, method)                                                                 \
    EC_API ec_status ec_cloud_agent_##name(ec_cloud *cloud, const char *agent_id,                 \
                                           uint64_t *request_id) noexcept {                       \
        return start(cloud, request_id, [&] { return agent(method, agent_id); });                 \
    }                                                                                             \
    EC_API ec_status ec_cloud_agent_##name##_sync(                                                \
        ec_cloud *cloud, const char *agent_id, int32_t timeout_ms, char **result_json) noexcept { \
        return run(cloud, timeout_ms, result_json, [&] { return agent(method, agent_id); });      \
    }

EC_AGENT_OP(get, "agents.get")
EC_AGENT_OP(provision, "agents.provision")
EC_AGENT_OP(suspend, "agents.suspend")
EC_AGENT_OP(resume, "agents.resume")
#undef EC_AGENT_OP

EC_API ec_status ec_cloud_agent_delete(ec_cloud *cloud, const char *agent_id,
                                       uint64_t *request_id) noexcept {
    return start(cloud, request_id, [&] { return agent("agents.delete", agent_id); });
}

EC_API ec_status ec_cloud_agent_delete_sync(ec_cloud *cloud, const char *agent_id,
                                            int32_t timeout_ms) noexcept {
    return run(cloud, timeout_ms, nullptr, [&] { return agent("agents.delete", agent_id); });
}

EC_API ec_status ec_cloud_connect(ec_cloud *cloud, const char *agent_id,
                                  uint64_t *request_id) noexcept {
    return start(cloud, request_id, [&] { return agent("connect", agent_id); });
}

EC_API ec_status ec_cloud_connect_sync(ec_cloud *cloud, const char *agent_id, int32_t timeout_ms,
                                       char **result_json) noexcept {
    return run(cloud, timeout_ms, result_json, [&] { return agent("connect", agent_id); });
}

EC_API ec_status ec_cloud_disconnect(ec_cloud *cloud, uint64_t *request_id) noexcept {
    return start(cloud, request_id, [] { return simple("disconnect"); });
}

EC_API ec_status ec_cloud_disconnect_sync(ec_cloud *cloud, int32_t timeout_ms) noexcept {
    return run(cloud, timeout_ms, nullptr, [] { return simple("disconnect"); });
}

EC_API int32_t ec_cloud_state(ec_cloud *cloud) noexcept {
    int32_t state = EC_ERR_INVALID_ARGUMENT;
    guard([&] { state = get(cloud).state(); });
    return state;
}

EC_API ec_status ec_cloud_active_agent(ec_cloud *cloud, char **out) noexcept {
    return guard([&] {
        Cloud &c = get(cloud);
        require(out, "out is NULL");
        *out = nullptr;
        *out = duplicate(c.active_agent());
    });
}

EC_API ec_status ec_cloud_send(ec_cloud *cloud, const char *text, const char *room_id,
                               const char *channel_type, uint64_t *request_id) noexcept {
    return start(cloud, request_id, [&] { return chat("send", text, room_id, channel_type); });
}

EC_API ec_status ec_cloud_send_sync(ec_cloud *cloud, const char *text, const char *room_id,
                                    const char *channel_type, int32_t timeout_ms,
                                    char **reply) noexcept {
    return guard([&] {
        Cloud &c = get(cloud);
        if (reply) *reply = nullptr;
        const std::string result = c.run(chat("send", text, room_id, channel_type), timeout_ms);
        // The typed form hands back the reply text itself; ec_cloud_call gives {"text": …}.
        give(reply, elizacloud::json::top_level_string(result, "text").value_or(""));
    });
}

EC_API ec_status ec_cloud_stream(ec_cloud *cloud, const char *text, const char *room_id,
                                 const char *channel_type, uint64_t *request_id) noexcept {
    return start(cloud, request_id, [&] { return chat("stream", text, room_id, channel_type); });
}

EC_API ec_status ec_cloud_agent_status_sync(ec_cloud *cloud, int32_t timeout_ms,
                                            char **result_json) noexcept {
    return run(cloud, timeout_ms, result_json, [] { return simple("agent.status"); });
}

EC_API ec_status ec_cloud_is_alive_sync(ec_cloud *cloud, int32_t timeout_ms,
                                        int32_t *alive) noexcept {
    return guard([&] {
        Cloud &c = get(cloud);
        require(alive, "alive is NULL");
        *alive = 0;
        const std::string result = c.run(simple("agent.alive"), timeout_ms);
        elizacloud::json::Document doc;
        *alive = elizacloud::json::parse(result, doc) &&
                         elizacloud::json::get_bool(doc, "alive").value_or(false)
                     ? 1
                     : 0;
    });
}

EC_API ec_status ec_cloud_snapshot(ec_cloud *cloud, const char *agent_id,
                                   uint64_t *request_id) noexcept {
    return start(cloud, request_id, [&] {
        return elizacloud::make_request("backups.snapshot", {{"agentId", agent_id}});
    });
}

EC_API ec_status ec_cloud_snapshot_sync(ec_cloud *cloud, const char *agent_id, int32_t timeout_ms,
                                        char **result_json) noexcept {
    return run(cloud, timeout_ms, result_json, [&] {
        return elizacloud::make_request("backups.snapshot", {{"agentId", agent_id}});
    });
}

EC_API ec_status ec_cloud_backups_list(ec_cloud *cloud, const char *agent_id,
                                       uint64_t *request_id) noexcept {
    return start(cloud, request_id, [&] {
        return elizacloud::make_request("backups.list", {{"agentId", agent_id}});
    });
}

EC_API ec_status ec_cloud_backups_list_sync(ec_cloud *cloud, const char *agent_id,
                                            int32_t timeout_ms, char **result_json) noexcept {
    return run(cloud, timeout_ms, result_json, [&] {
        return elizacloud::make_request("backups.list", {{"agentId", agent_id}});
    });
}

EC_API ec_status ec_cloud_restore(ec_cloud *cloud, const char *agent_id, const char *backup_id,
                                  uint64_t *request_id) noexcept {
    return start(cloud, request_id, [&] {
        return elizacloud::make_request("backups.restore",
                                        {{"agentId", agent_id}, {"backupId", backup_id}});
    });
}

EC_API ec_status ec_cloud_restore_sync(ec_cloud *cloud, const char *agent_id, const char *backup_id,
                                       int32_t timeout_ms, char **result_json) noexcept {
    return run(cloud, timeout_ms, result_json, [&] {
        return elizacloud::make_request("backups.restore",
                                        {{"agentId", agent_id}, {"backupId", backup_id}});
    });
}

// ---- local REST API -------------------------------------------------------------------------

}  // extern "C"

struct ec_rest_server {
    std::shared_ptr<elizacloud::RestServer> server;
};

namespace {

// One allocation: the public struct first (so the pointer handed out converts back), then the
// headers and the body. Trivial members only, so malloc and free are enough.
struct RestResponseBlock {
    ec_rest_response pub;
    std::shared_ptr<elizacloud::RestStream> *stream;  // owned; nullptr when not streaming
};
static_assert(std::is_standard_layout_v<RestResponseBlock>);

ec_rest_response *make_rest_response(const elizacloud::RestResponse &r) {
    namespace json = elizacloud::json;
    json::Document doc(rapidjson::kObjectType);
    auto &alloc = doc.GetAllocator();
    for (const auto &[name, value] : r.headers)
        json::set(doc, name, json::string_value(value, alloc), alloc);
    const std::string headers = json::stringify(doc);
    const size_t size = sizeof(RestResponseBlock) + headers.size() + 1 + r.body.size() + 1;
    auto *block = static_cast<RestResponseBlock *>(std::malloc(size));
    if (!block) throw std::bad_alloc();
    char *text = reinterpret_cast<char *>(block + 1);
    std::memcpy(text, headers.c_str(), headers.size() + 1);
    char *body = text + headers.size() + 1;
    std::memcpy(body, r.body.data(), r.body.size());
    body[r.body.size()] = '\0';
    block->pub = ec_rest_response{};
    block->pub.struct_size = sizeof(ec_rest_response);
    block->pub.status = r.status;
    block->pub.headers_json = text;
    block->pub.body = body;
    block->pub.body_len = r.body.size();
    block->pub.handled = r.handled ? 1 : 0;
    block->pub.credentials = static_cast<int32_t>(r.credentials);
    block->pub.streaming = r.stream ? 1 : 0;
    block->stream = nullptr;
    if (r.stream) {
        try {
            block->stream = new std::shared_ptr<elizacloud::RestStream>(r.stream);
        } catch (...) {
            std::free(block);
            throw;
        }
    }
    return &block->pub;
}

elizacloud::Headers parse_headers(const char *headers_json) {
    namespace json = elizacloud::json;
    elizacloud::Headers headers;
    if (!headers_json || !*headers_json) return headers;
    json::Document doc;
    if (!json::parse(headers_json, doc) || !doc.IsObject())
        invalid("headers_json must be a JSON object of header names to string values");
    for (auto it = doc.MemberBegin(); it != doc.MemberEnd(); ++it) {
        std::string name(it->name.GetString(), it->name.GetStringLength());
        if (!it->value.IsString()) invalid("header values must be strings");
        headers.emplace_back(std::move(name),
                             std::string(it->value.GetString(), it->value.GetStringLength()));
    }
    return headers;
}

}  // namespace

extern "C" {

EC_API ec_status ec_rest_options_init(ec_rest_options *options, uint32_t struct_size) noexcept {
    return options_init(options, struct_size);
}

EC_API ec_status ec_rest_server_options_init(ec_rest_server_options *options,
                                             uint32_t struct_size) noexcept {
    return options_init(options, struct_size);
}

EC_API ec_status ec_cloud_rest_configure(ec_cloud *cloud, const ec_rest_options *options) noexcept {
    return guard([&] {
        Cloud &c = get(cloud);
        const ec_rest_options o = widen(options);
        if (o.login_session_ttl_ms < 0) invalid("login_session_ttl_ms must not be negative");
        cloud->rest->configure(
            c, elizacloud::rest_options_from(o.token, o.allowed_hosts, o.allowed_origins,
                                             o.login_session_ttl_ms));
    });
}

EC_API ec_status ec_cloud_rest_dispatch(ec_cloud *cloud, const char *method, const char *target,
                                        const char *headers_json, const char *body, size_t body_len,
                                        ec_rest_response **out) noexcept {
    return guard([&] {
        Cloud &c = get(cloud);
        require(out, "out is NULL");
        *out = nullptr;
        require(method, "method is NULL");
        require(target, "target is NULL");
        if (!body && body_len != 0) invalid("body is NULL but body_len is not 0");
        c.refuse_blocking("ec_cloud_rest_dispatch");
        elizacloud::RestRequest request;
        request.method = method;
        request.target = target;
        request.headers = parse_headers(headers_json);
        if (body_len) request.body.assign(body, body_len);
        auto api = cloud->rest->dispatcher(c);
        *out = make_rest_response(api->dispatch(request));
    });
}

EC_API ec_status ec_rest_response_read(ec_rest_response *response, int32_t timeout_ms, char **data,
                                       size_t *len) noexcept {
    return guard([&] {
        require(response, "response is NULL");
        require(data, "data is NULL");
        *data = nullptr;
        if (len) *len = 0;
        auto *block = reinterpret_cast<RestResponseBlock *>(response);
        if (!block->stream) throw Error(Status::Empty, "the response does not stream");
        auto frames = (*block->stream)->read(timeout_ms < 0 ? -1 : timeout_ms);
        if (!frames) throw Error(Status::Empty, "the event stream has ended");
        if (frames->empty()) throw Error(Status::Timeout, "no event within the timeout");
        *data = duplicate(*frames);
        if (len) *len = frames->size();
    });
}

EC_API void ec_rest_response_free(ec_rest_response *response) noexcept {
    if (!response) return;
    auto *block = reinterpret_cast<RestResponseBlock *>(response);
    if (block->stream) {
        (*block->stream)->close();
        delete block->stream;
    }
    std::free(block);
}

EC_API ec_status ec_rest_server_start(ec_cloud *cloud, const ec_rest_server_options *options,
                                      ec_rest_server **out) noexcept {
    return guard([&] {
        Cloud &c = get(cloud);
        require(out, "out is NULL");
        *out = nullptr;
        const ec_rest_server_options o = widen(options);
        if (o.login_session_ttl_ms < 0) invalid("login_session_ttl_ms must not be negative");
        if (o.threads < 0) invalid("threads must not be negative");
        if (o.port < EC_REST_PORT_EPHEMERAL || o.port > 65535)
            invalid("port must be 0 (2138), EC_REST_PORT_EPHEMERAL or 1..65535");
        elizacloud::RestServerOptions server;
        if (o.host) server.host = o.host;
        server.port = o.port == 0                        ? EC_REST_DEFAULT_PORT
                      : o.port == EC_REST_PORT_EPHEMERAL ? 0
                                                         : o.port;
        server.rest = elizacloud::rest_options_from(o.token, o.allowed_hosts, o.allowed_origins,
                                                    o.login_session_ttl_ms);
        server.export_env = o.export_env != 0;
        if (o.threads > 0) server.threads = o.threads;
        server.rest.dashboard = o.dashboard >= 0;
        auto handle = std::make_unique<ec_rest_server>();
        handle->server = cloud->rest->start_server(c, std::move(server));
        *out = handle.release();
    });
}

EC_API int32_t ec_rest_server_port(ec_rest_server *server) noexcept {
    return server && server->server ? server->server->port() : -1;
}

EC_API void ec_rest_server_stop(ec_rest_server *server) noexcept {
    guard([&] {
        if (!server) return;
        if (elizacloud::EventDispatcher::current_owner() != nullptr)
            throw Error(Status::Reentrant, "ec_rest_server_stop is not allowed inside a callback");
        server->server->stop();
        delete server;
    });
}

}  // extern "C"
