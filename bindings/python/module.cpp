// elizacloud._core: the C ABI (elizacloud.h) as a Python extension, and nothing but the C ABI.
// The Pythonic API (python/elizacloud) is written on top of this module. Conventions:
//  - every ABI call that can block runs with the GIL released;
//  - async forms return the request id, _sync forms the result JSON text (or None / a bool);
//  - failures raise elizacloud.errors classes (see ec_error.cpp);
//  - records stay JSON text here: parsing them is the Python layer's job.
#include <elizacloud/elizacloud.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <string>

#include "bindings.hpp"
#include "callback.hpp"
#include "ec_error.hpp"
#include "log_queue.hpp"

namespace py = pybind11;

namespace {

py::str decode(const std::string &s) {
    // The library emits UTF-8; "replace" keeps one bad byte from turning into an exception.
    PyObject *o = PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "replace");
    if (o == nullptr) throw py::error_already_set();
    return py::reinterpret_steal<py::str>(o);
}

void bind_event(py::module_ &m) {
    using ecpy::Event;
    py::class_<Event>(m, "Event", "A copy of one ec_event (the library's copy is already freed).")
        .def_readonly("type", &Event::type)
        .def_readonly("request_id", &Event::request_id)
        .def_readonly("status", &Event::status)
        .def_property_readonly("message", [](const Event &e) { return decode(e.message); })
        .def_property_readonly("text", [](const Event &e) { return decode(e.text); })
        // The bytes of a chunk as they came (a generic request's binary stream).
        .def_property_readonly("raw", [](const Event &e) { return py::bytes(e.text); })
        .def_property_readonly("json", [](const Event &e) { return decode(e.json); })
        .def_property_readonly("agent_id", [](const Event &e) { return decode(e.agent_id); })
        .def_readonly("state", &Event::state)
        .def_readonly("previous_state", &Event::previous_state)
        .def_readonly("attempt", &Event::attempt)
        .def_readonly("next_delay_ms", &Event::next_delay_ms)
        .def_readonly("log_level", &Event::log_level)
        .def_readonly("dropped", &Event::dropped)
        .def("__repr__", [](const Event &e) {
            return "<_core.Event type=" + std::to_string(e.type) +
                   " request_id=" + std::to_string(e.request_id) +
                   " status=" + ec_status_name(e.status) + ">";
        });
}

void bind_logging(py::module_ &m) {
    auto &q = ecpy::LogQueue::instance();
    q.install();
    m.def(
        "set_log_level", [](int32_t level) { ecpy::check(ec_log_set_level(level)); },
        py::arg("level"));
    m.def("log_fd", [] { return ecpy::LogQueue::instance().fd(); });
    m.def("drain_logs", [] { return ecpy::LogQueue::instance().drain(); });
}

}  // namespace

PYBIND11_MODULE(_core, m) {
    m.doc() = "elizacloud C ABI binding (private: use the elizacloud package)";
    if (ec_version() != EC_VERSION_NUM)
        throw py::import_error(std::string("elizacloud._core was built for C ABI ") +
                               EC_VERSION_STRING + " but loaded " + ec_version_string());
    ecpy::register_error_translator();
    ecpy::register_exit_hook(m);
    ecpy::bind_constants(m);
    bind_event(m);
    bind_logging(m);
    m.def(
        "status_name", [](int32_t s) { return std::string(ec_status_name(s)); }, py::arg("status"));
    m.def("operations_json", [] {
        // The registry's catalogue: what python/elizacloud's generated surfaces were made from.
        char *out = nullptr;
        ecpy::check(ec_cloud_operations_json(&out));
        std::string text = out ? out : "";
        ec_free(out);
        return text;
    });
    m.def("version", &ec_version);
    m.def("version_string", [] { return std::string(ec_version_string()); });
    m.attr("HEADER_VERSION") = EC_VERSION_STRING;
    m.attr("TIMING_NAMES") = ecpy::timing_names();

    ecpy::CloudClass cloud(m, "Cloud", "One ec_cloud handle. Use elizacloud.Cloud instead.");
    ecpy::bind_cloud(cloud);
    ecpy::bind_rest(m, cloud);
}
