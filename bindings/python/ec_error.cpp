#include "ec_error.hpp"

#include <pybind11/pybind11.h>

namespace py = pybind11;

namespace ecpy {

const char *c_arg(const std::string &s) {
    if (s.find('\0') != std::string::npos)
        throw EcError(EC_ERR_INVALID_ARGUMENT,
                      "a string argument contains a NUL character (\\0), which would cut it short");
    return s.c_str();
}

const char *c_arg(const std::optional<std::string> &s) {
    return s ? c_arg(*s) : nullptr;
}

void check(ec_status status) {
    if (status != EC_OK) throw EcError(status, ec_last_error_message());
}

namespace {

// Builds the exception through elizacloud.errors so that Python code and the binding share one
// class hierarchy; a bare RuntimeError only if that module cannot be imported at all.
void raise(const EcError &e) {
    try {
        py::object factory = py::module_::import("elizacloud.errors").attr("_from_core");
        py::object exc = factory(e.status, e.message, e.details_json);
        PyErr_SetObject(reinterpret_cast<PyObject *>(Py_TYPE(exc.ptr())), exc.ptr());
    } catch (py::error_already_set &) {
        std::string text = std::string(ec_status_name(e.status)) + ": " + e.message;
        PyErr_SetString(PyExc_RuntimeError, text.c_str());
    }
}

}  // namespace

void register_error_translator() {
    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p) std::rethrow_exception(p);
        } catch (const EcError &e) {
            raise(e);
        }
    });
}

}  // namespace ecpy
