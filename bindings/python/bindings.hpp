// Shared declarations of the module's translation units.
#pragma once

#include <pybind11/pybind11.h>

#include <memory>

#include "cloud_handle.hpp"

namespace ecpy {

// Destroying a cloud joins its dispatcher thread, which may be waiting for the GIL to run a
// Python callback: so the GIL is released around the destroy whenever this thread holds it.
struct ReleaseGilDeleter {
    void operator()(CloudHandle *h) const {
        if (PyGILState_Check()) {
            pybind11::gil_scoped_release release;
            delete h;
        } else {
            delete h;
        }
    }
};

using CloudClass = pybind11::class_<CloudHandle, std::unique_ptr<CloudHandle, ReleaseGilDeleter>>;

void bind_constants(pybind11::module_ &m);
void bind_cloud(CloudClass &c);
void bind_rest(pybind11::module_ &m, CloudClass &c);  // rest_bindings.cpp

}  // namespace ecpy
