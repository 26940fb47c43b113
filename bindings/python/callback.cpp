#include "callback.hpp"

#include <atomic>
#include <string>

#include "ec_error.hpp"
#include "event.hpp"

namespace py = pybind11;

namespace ecpy {

namespace {

thread_local bool t_in_callback = false;
std::atomic<bool> g_exiting{false};

bool finalizing() {
#if PY_VERSION_HEX >= 0x030D0000
    return Py_IsFinalizing() != 0;
#else
    return _Py_IsFinalizing() != 0;
#endif
}

struct Box {
    py::object fn;
};

void trampoline(const ec_event *ev, void *user_data) {
    if (interpreter_exiting() || ev == nullptr) return;
    Event copy(*ev);  // before taking the GIL: no Python needed for the copy
    t_in_callback = true;
    {
        py::gil_scoped_acquire gil;
        try {
            static_cast<Box *>(user_data)->fn(copy);
        } catch (py::error_already_set &e) {
            e.discard_as_unraisable("elizacloud event callback");
        } catch (const std::exception &e) {
            PyErr_SetString(PyExc_RuntimeError, e.what());
            PyErr_WriteUnraisable(nullptr);
        }
    }
    t_in_callback = false;
}

void free_box(void *user_data) {
    auto *box = static_cast<Box *>(user_data);
    // Dropping a Python reference needs the GIL; after shutdown began the box is leaked instead.
    if (interpreter_exiting()) return;
    py::gil_scoped_acquire gil;
    delete box;
}

}  // namespace

bool in_library_callback() {
    return t_in_callback;
}

bool interpreter_exiting() {
    return g_exiting.load(std::memory_order_acquire) || finalizing();
}

void register_exit_hook(py::module_ &m) {
    py::cpp_function hook([] { g_exiting.store(true, std::memory_order_release); });
    py::module_::import("atexit").attr("register")(hook);
    m.attr("_exit_hook") = hook;
}

void set_event_callback(ec_cloud *cloud, const py::object &fn) {
    Box *box = fn.is_none() ? nullptr : new Box{fn};
    ec_status s = EC_OK;
    std::string message;
    {
        // Replacing a callback waits for the running one to return, and it may need the GIL.
        py::gil_scoped_release release;
        s = box ? ec_cloud_set_event_callback(cloud, &trampoline, box, &free_box)
                : ec_cloud_set_event_callback(cloud, nullptr, nullptr, nullptr);
        if (s != EC_OK) message = ec_last_error_message();
    }
    if (s != EC_OK) {
        delete box;
        throw EcError(s, message);
    }
}

}  // namespace ecpy
