// Routes the core's log lines to the hosts of the live plugin instances.
//
// The core's log sink is process-wide (within this module, which carries its own copy of the
// core), while host->log belongs to one instance. Every line goes to each distinct host log of the
// live instances; instances sharing one host log see it once.
#pragma once

#include <cstdint>

namespace elizacloud::plugin {

struct LogTarget {
    void (*log)(void *host_data, int32_t level, const char *msg) = nullptr;
    void *host_data = nullptr;
    LogTarget *next = nullptr;  // intrusive list: no allocation, no static constructor
};

// Installs the core sink on first use, then adds t. [any thread]
void log_attach(LogTarget &t);
// Removes t. Once this returns, t.log is never called again, not even by a line already being
// written on another thread. [any thread]
void log_detach(LogTarget &t);

}  // namespace elizacloud::plugin
