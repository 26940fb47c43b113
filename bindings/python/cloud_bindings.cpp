// _core.Cloud: every ec_cloud_* operation of elizacloud.h. Async forms start the operation and
// return its request id (completion arrives as an event); _sync forms block with the GIL released
// and return the result JSON text.
#include <elizacloud/elizacloud.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>

#include "bindings.hpp"
#include "callback.hpp"
#include "ec_error.hpp"

namespace py = pybind11;

namespace ecpy {

namespace {

using Lease = CloudHandle::Lease;
using OptStr = std::optional<std::string>;
using Release = py::call_guard<py::gil_scoped_release>;

const char *cs(const OptStr &s) {
    return c_arg(s);
}

// Starts an async operation: f(cloud, &request_id).
template <class F>
uint64_t start(CloudHandle &h, F &&f) {
    Lease lease(h);
    uint64_t id = 0;
    check(f(lease.get(), &id));
    return id;
}

// Runs a sync operation with a JSON result: f(cloud, &out). The result text of a failure (if the
// library returned one) travels with the exception as its details.
template <class F>
std::string result(CloudHandle &h, F &&f) {
    Lease lease(h);
    char *out = nullptr;
    ec_status s = f(lease.get(), &out);
    std::string message = s != EC_OK ? ec_last_error_message() : "";  // before ec_free
    std::string json = out ? out : "";
    ec_free(out);
    if (s != EC_OK) throw EcError(s, message, json);
    return json;
}

// Runs a sync operation without a result: f(cloud).
template <class F>
void run(CloudHandle &h, F &&f) {
    Lease lease(h);
    check(f(lease.get()));
}

// An owned string the library returns, or nullopt when it answers EC_ERR_NOT_CONNECTED.
template <class F>
OptStr optional_string(CloudHandle &h, F &&f) {
    Lease lease(h);
    char *out = nullptr;
    ec_status s = f(lease.get(), &out);
    if (s == EC_ERR_NOT_CONNECTED) return std::nullopt;
    check(s);
    std::string value = out ? out : "";
    ec_free(out);
    return value;
}

std::unique_ptr<CloudHandle, ReleaseGilDeleter> make(
    OptStr base_url, OptStr api_key, OptStr config_path, bool no_config_file,
    std::optional<bool> insecure_local, OptStr ca_file, OptStr allowed_hosts,
    std::map<std::string, int64_t> timings, uint32_t event_queue_capacity, bool forward_logs) {
    CloudOptions o;
    o.base_url = std::move(base_url);
    o.api_key = std::move(api_key);
    o.config_path = std::move(config_path);
    o.no_config_file = no_config_file;
    o.insecure_local = insecure_local;
    o.ca_file = std::move(ca_file);
    o.allowed_hosts = std::move(allowed_hosts);
    o.timings = std::move(timings);
    o.event_queue_capacity = event_queue_capacity;
    o.forward_logs = forward_logs;
    return std::unique_ptr<CloudHandle, ReleaseGilDeleter>(new CloudHandle(o));
}

void bind_lifecycle(CloudClass &c) {
    c.def(py::init(&make), py::kw_only(), py::arg("base_url") = py::none(),
          py::arg("api_key") = py::none(), py::arg("config_path") = py::none(),
          py::arg("no_config_file") = false, py::arg("insecure_local") = py::none(),
          py::arg("ca_file") = py::none(), py::arg("allowed_hosts") = py::none(),
          py::arg("timings") = std::map<std::string, int64_t>{},
          py::arg("event_queue_capacity") = 0, py::arg("forward_logs") = false);
    c.def("close", &CloudHandle::close, Release());
    c.def_property_readonly("closed", &CloudHandle::closed);
    c.def_property_readonly("event_fd", &CloudHandle::event_fd);
    c.def("next_event", &CloudHandle::next_event, Release());
    c.def("wait_event", &CloudHandle::wait_event, py::arg("timeout_ms") = -1, Release());
    c.def(
        "set_event_callback",
        [](CloudHandle &h, const py::object &fn) {
            Lease lease(h);
            set_event_callback(lease.get(), fn);
        },
        py::arg("fn"));
    c.def(
        "cancel",
        [](CloudHandle &h, uint64_t id) {
            run(h, [&](ec_cloud *x) { return ec_cloud_cancel(x, id); });
        },
        py::arg("request_id"), Release());
    c.def(
        "call",
        [](CloudHandle &h, const std::string &method, const std::string &params) {
            return start(h, [&](ec_cloud *x, uint64_t *id) {
                return ec_cloud_call(x, c_arg(method), c_arg(params), id);
            });
        },
        py::arg("method"), py::arg("params_json") = "{}", Release());
    c.def(
        "call_sync",
        [](CloudHandle &h, const std::string &method, const std::string &params, int32_t t) {
            return result(h, [&](ec_cloud *x, char **out) {
                return ec_cloud_call_sync(x, c_arg(method), c_arg(params), t, out);
            });
        },
        py::arg("method"), py::arg("params_json") = "{}", py::arg("timeout_ms") = -1, Release());
}

void bind_account(CloudClass &c) {
    c.def(
        "login", [](CloudHandle &h) { return start(h, ec_cloud_login); }, Release());
    c.def(
        "login_sync",
        [](CloudHandle &h, int32_t t) {
            return result(h, [&](ec_cloud *x, char **o) { return ec_cloud_login_sync(x, t, o); });
        },
        py::arg("timeout_ms") = -1, Release());
    c.def(
        "logout_sync",
        [](CloudHandle &h, int32_t t) {
            run(h, [&](ec_cloud *x) { return ec_cloud_logout_sync(x, t); });
        },
        py::arg("timeout_ms") = -1, Release());
    c.def(
        "api_key", [](CloudHandle &h) { return optional_string(h, ec_cloud_api_key); }, Release());
    c.def(
        "event_stats",
        [](CloudHandle &h) {
            return result(h, [](ec_cloud *x, char **o) { return ec_cloud_event_stats(x, o); });
        },
        Release());
    c.def(
        "config_path",
        [](CloudHandle &h) { return optional_string(h, ec_cloud_config_path).value_or(""); },
        Release());
    c.def(
        "status", [](CloudHandle &h) { return start(h, ec_cloud_status); }, Release());
    c.def(
        "status_sync",
        [](CloudHandle &h, int32_t t) {
            return result(h, [&](ec_cloud *x, char **o) { return ec_cloud_status_sync(x, t, o); });
        },
        py::arg("timeout_ms") = -1, Release());
    c.def(
        "credits",
        [](CloudHandle &h, bool fresh) {
            return start(h,
                         [&](ec_cloud *x, uint64_t *id) { return ec_cloud_credits(x, fresh, id); });
        },
        py::arg("fresh") = false, Release());
    c.def(
        "credits_sync",
        [](CloudHandle &h, bool fresh, int32_t t) {
            return result(
                h, [&](ec_cloud *x, char **o) { return ec_cloud_credits_sync(x, fresh, t, o); });
        },
        py::arg("fresh") = false, py::arg("timeout_ms") = -1, Release());
    c.def(
        "identity", [](CloudHandle &h) { return start(h, ec_cloud_identity); }, Release());
    c.def(
        "identity_sync",
        [](CloudHandle &h, int32_t t) {
            return result(h,
                          [&](ec_cloud *x, char **o) { return ec_cloud_identity_sync(x, t, o); });
        },
        py::arg("timeout_ms") = -1, Release());
}

// The agent operations that take one agent id and return a record: async and sync forms.
template <auto Async, auto Sync>
void bind_agent_op(CloudClass &c, const char *name, const std::string &sync_name) {
    c.def(
        name,
        [](CloudHandle &h, const std::string &agent) {
            return start(h, [&](ec_cloud *x, uint64_t *id) { return Async(x, c_arg(agent), id); });
        },
        py::arg("agent_id"), Release());
    c.def(
        sync_name.c_str(),
        [](CloudHandle &h, const std::string &agent, int32_t t) {
            return result(h, [&](ec_cloud *x, char **o) { return Sync(x, c_arg(agent), t, o); });
        },
        py::arg("agent_id"), py::arg("timeout_ms") = -1, Release());
}

void bind_agents(CloudClass &c) {
    c.def(
        "agents_list", [](CloudHandle &h) { return start(h, ec_cloud_agents_list); }, Release());
    c.def(
        "agents_list_sync",
        [](CloudHandle &h, int32_t t) {
            return result(
                h, [&](ec_cloud *x, char **o) { return ec_cloud_agents_list_sync(x, t, o); });
        },
        py::arg("timeout_ms") = -1, Release());
    c.def(
        "agent_create",
        [](CloudHandle &h, const std::string &p) {
            return start(h, [&](ec_cloud *x, uint64_t *id) {
                return ec_cloud_agent_create(x, c_arg(p), id);
            });
        },
        py::arg("params_json"), Release());
    c.def(
        "agent_create_sync",
        [](CloudHandle &h, const std::string &p, int32_t t) {
            return result(h, [&](ec_cloud *x, char **o) {
                return ec_cloud_agent_create_sync(x, c_arg(p), t, o);
            });
        },
        py::arg("params_json"), py::arg("timeout_ms") = -1, Release());
    c.def(
        "agent_delete",
        [](CloudHandle &h, const std::string &a) {
            return start(h, [&](ec_cloud *x, uint64_t *id) {
                return ec_cloud_agent_delete(x, c_arg(a), id);
            });
        },
        py::arg("agent_id"), Release());
    c.def(
        "agent_delete_sync",
        [](CloudHandle &h, const std::string &a, int32_t t) {
            run(h, [&](ec_cloud *x) { return ec_cloud_agent_delete_sync(x, c_arg(a), t); });
        },
        py::arg("agent_id"), py::arg("timeout_ms") = -1, Release());
    bind_agent_op<ec_cloud_agent_get, ec_cloud_agent_get_sync>(c, "agent_get", "agent_get_sync");
    bind_agent_op<ec_cloud_agent_provision, ec_cloud_agent_provision_sync>(c, "agent_provision",
                                                                           "agent_provision_sync");
    bind_agent_op<ec_cloud_agent_suspend, ec_cloud_agent_suspend_sync>(c, "agent_suspend",
                                                                       "agent_suspend_sync");
    bind_agent_op<ec_cloud_agent_resume, ec_cloud_agent_resume_sync>(c, "agent_resume",
                                                                     "agent_resume_sync");
    bind_agent_op<ec_cloud_connect, ec_cloud_connect_sync>(c, "connect", "connect_sync");
}

void bind_connection(CloudClass &c) {
    c.def(
        "disconnect", [](CloudHandle &h) { return start(h, ec_cloud_disconnect); }, Release());
    c.def(
        "disconnect_sync",
        [](CloudHandle &h, int32_t t) {
            run(h, [&](ec_cloud *x) { return ec_cloud_disconnect_sync(x, t); });
        },
        py::arg("timeout_ms") = -1, Release());
    c.def("state", [](CloudHandle &h) { return ec_cloud_state(Lease(h).get()); });
    c.def(
        "active_agent", [](CloudHandle &h) { return optional_string(h, ec_cloud_active_agent); },
        Release());
    c.def(
        "send",
        [](CloudHandle &h, const std::string &text, const OptStr &room, const OptStr &channel) {
            return start(h, [&](ec_cloud *x, uint64_t *id) {
                return ec_cloud_send(x, c_arg(text), cs(room), cs(channel), id);
            });
        },
        py::arg("text"), py::arg("room_id") = py::none(), py::arg("channel_type") = py::none(),
        Release());
    c.def(
        "send_sync",
        [](CloudHandle &h, const std::string &text, const OptStr &room, const OptStr &channel,
           int32_t t) {
            return result(h, [&](ec_cloud *x, char **o) {
                return ec_cloud_send_sync(x, c_arg(text), cs(room), cs(channel), t, o);
            });
        },
        py::arg("text"), py::arg("room_id") = py::none(), py::arg("channel_type") = py::none(),
        py::arg("timeout_ms") = -1, Release());
    c.def(
        "stream",
        [](CloudHandle &h, const std::string &text, const OptStr &room, const OptStr &channel) {
            return start(h, [&](ec_cloud *x, uint64_t *id) {
                return ec_cloud_stream(x, c_arg(text), cs(room), cs(channel), id);
            });
        },
        py::arg("text"), py::arg("room_id") = py::none(), py::arg("channel_type") = py::none(),
        Release());
    c.def(
        "agent_status_sync",
        [](CloudHandle &h, int32_t t) {
            return result(
                h, [&](ec_cloud *x, char **o) { return ec_cloud_agent_status_sync(x, t, o); });
        },
        py::arg("timeout_ms") = -1, Release());
    c.def(
        "is_alive_sync",
        [](CloudHandle &h, int32_t t) {
            int32_t alive = 0;
            run(h, [&](ec_cloud *x) { return ec_cloud_is_alive_sync(x, t, &alive); });
            return alive != 0;
        },
        py::arg("timeout_ms") = -1, Release());
}

void bind_backups(CloudClass &c) {
    c.def(
        "snapshot",
        [](CloudHandle &h, const OptStr &a) {
            return start(
                h, [&](ec_cloud *x, uint64_t *id) { return ec_cloud_snapshot(x, cs(a), id); });
        },
        py::arg("agent_id") = py::none(), Release());
    c.def(
        "snapshot_sync",
        [](CloudHandle &h, const OptStr &a, int32_t t) {
            return result(
                h, [&](ec_cloud *x, char **o) { return ec_cloud_snapshot_sync(x, cs(a), t, o); });
        },
        py::arg("agent_id") = py::none(), py::arg("timeout_ms") = -1, Release());
    c.def(
        "backups_list",
        [](CloudHandle &h, const OptStr &a) {
            return start(
                h, [&](ec_cloud *x, uint64_t *id) { return ec_cloud_backups_list(x, cs(a), id); });
        },
        py::arg("agent_id") = py::none(), Release());
    c.def(
        "backups_list_sync",
        [](CloudHandle &h, const OptStr &a, int32_t t) {
            return result(h, [&](ec_cloud *x, char **o) {
                return ec_cloud_backups_list_sync(x, cs(a), t, o);
            });
        },
        py::arg("agent_id") = py::none(), py::arg("timeout_ms") = -1, Release());
    c.def(
        "restore",
        [](CloudHandle &h, const OptStr &a, const OptStr &b) {
            return start(h, [&](ec_cloud *x, uint64_t *id) {
                return ec_cloud_restore(x, cs(a), cs(b), id);
            });
        },
        py::arg("agent_id") = py::none(), py::arg("backup_id") = py::none(), Release());
    c.def(
        "restore_sync",
        [](CloudHandle &h, const OptStr &a, const OptStr &b, int32_t t) {
            return result(h, [&](ec_cloud *x, char **o) {
                return ec_cloud_restore_sync(x, cs(a), cs(b), t, o);
            });
        },
        py::arg("agent_id") = py::none(), py::arg("backup_id") = py::none(),
        py::arg("timeout_ms") = -1, Release());
}

}  // namespace

void bind_cloud(CloudClass &c) {
    bind_lifecycle(c);
    bind_account(c);
    bind_agents(c);
    bind_connection(c);
    bind_backups(c);
}

}  // namespace ecpy
