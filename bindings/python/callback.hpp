// Push delivery of events to a Python callable (ec_cloud_set_event_callback). The callable runs on
// the library's dispatcher thread, so the trampoline takes the GIL, reports exceptions as
// unraisable instead of letting them escape into C, and does nothing once the interpreter has
// started to shut down (a thread that takes the GIL during finalisation never returns).
#pragma once

#include <elizacloud/elizacloud.h>
#include <pybind11/pybind11.h>

namespace ecpy {

// True while the calling thread is inside one of our library callbacks.
bool in_library_callback();

// True once Python has run its atexit hooks or started finalising.
bool interpreter_exiting();
// Registers the atexit hook that sets interpreter_exiting() (at module import).
void register_exit_hook(pybind11::module_ &m);

// Sets (fn is a callable) or clears (fn is None) the callback of cloud. Call with the GIL held;
// it is released while the ABI swaps callbacks.
void set_event_callback(ec_cloud *cloud, const pybind11::object &fn);

}  // namespace ecpy
