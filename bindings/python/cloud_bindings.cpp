// _core.Cloud: the handle of elizacloud.h with its generic entries only. Operations go through
// call (returns the request id; the completion arrives as an event) and call_sync (blocks with the
// GIL released, returns the result JSON text); the package's methods are generated from the
// catalogue (tools/gen_surfaces.py), so no operation is written here.
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
    std::map<std::string, int64_t> timings, uint32_t event_queue_capacity, bool forward_logs,
    std::map<std::string, std::string> strings) {
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
    o.strings = std::move(strings);
    return std::unique_ptr<CloudHandle, ReleaseGilDeleter>(new CloudHandle(o));
}

void bind_lifecycle(CloudClass &c) {
    c.def(py::init(&make), py::kw_only(), py::arg("base_url") = py::none(),
          py::arg("api_key") = py::none(), py::arg("config_path") = py::none(),
          py::arg("no_config_file") = false, py::arg("insecure_local") = py::none(),
          py::arg("ca_file") = py::none(), py::arg("allowed_hosts") = py::none(),
          py::arg("timings") = std::map<std::string, int64_t>{},
          py::arg("event_queue_capacity") = 0, py::arg("forward_logs") = false,
          py::arg("strings") = std::map<std::string, std::string>{});
    c.def("close", &CloudHandle::close, Release());
    c.def_property_readonly("closed", &CloudHandle::closed);
    c.def_property_readonly("event_fd", &CloudHandle::event_fd);
    c.def("next_event", &CloudHandle::next_event, Release());
    // What is queued now, with each run of one stream's chunks grouped as (request_id, [chunks]):
    // the router hands a run to its stream without looking at every chunk (the hot path).
    c.def(
        "next_events",
        [](CloudHandle &h, size_t max) {
            std::vector<Event> events;
            {
                py::gil_scoped_release release;
                events = h.next_events(max);
            }
            py::list out;
            for (size_t i = 0; i < events.size();) {
                if (events[i].type != EC_EVENT_STREAM_CHUNK) {
                    out.append(py::cast(std::move(events[i++])));
                    continue;
                }
                const uint64_t id = events[i].request_id;
                py::list run;
                while (i < events.size() && events[i].type == EC_EVENT_STREAM_CHUNK &&
                       events[i].request_id == id)
                    run.append(py::cast(std::move(events[i++])));
                out.append(py::make_tuple(id, std::move(run)));
            }
            return out;
        },
        py::arg("max") = 4096);
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
        "call_with",
        [](CloudHandle &h, const std::string &method, const std::string &params,
           const std::string &options) {
            return start(h, [&](ec_cloud *x, uint64_t *id) {
                return ec_cloud_call_with(x, c_arg(method), c_arg(params), c_arg(options), id);
            });
        },
        py::arg("method"), py::arg("params_json"), py::arg("options_json"), Release());
    c.def(
        "call_sync",
        [](CloudHandle &h, const std::string &method, const std::string &params, int32_t t) {
            return result(h, [&](ec_cloud *x, char **out) {
                return ec_cloud_call_sync(x, c_arg(method), c_arg(params), t, out);
            });
        },
        py::arg("method"), py::arg("params_json") = "{}", py::arg("timeout_ms") = -1, Release());
}

void bind_state(CloudClass &c) {
    c.def(
        "event_stats",
        [](CloudHandle &h) {
            return result(h, [](ec_cloud *x, char **o) { return ec_cloud_event_stats(x, o); });
        },
        Release());
    c.def(
        "api_key", [](CloudHandle &h) { return optional_string(h, ec_cloud_api_key); }, Release());
    c.def(
        "config_path",
        [](CloudHandle &h) { return optional_string(h, ec_cloud_config_path).value_or(""); },
        Release());
    c.def("state", [](CloudHandle &h) { return ec_cloud_state(Lease(h).get()); });
    c.def(
        "active_agent", [](CloudHandle &h) { return optional_string(h, ec_cloud_active_agent); },
        Release());
}

}  // namespace

void bind_cloud(CloudClass &c) {
    bind_lifecycle(c);
    bind_state(c);
}

}  // namespace ecpy
