// Where library log lines go at the C ABI: the host's ec_log_set_sink callback (else stderr) and,
// for every cloud created with forward_logs, that cloud's event queue as EC_EVENT_LOG. The log
// facade has one sink; this object is that sink whenever either kind of consumer exists, and
// gives the facade its own stderr sink back when neither does.
#pragma once

#include <elizacloud/elizacloud.h>

#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "handle/event_queue.hpp"
#include "handle/host_callback.hpp"
#include "util/log.hpp"

namespace elizacloud {

class LogFanout {
public:
    // The process-wide instance; never destroyed (library threads may log during exit).
    static LogFanout &instance();

    // fn NULL restores stderr. The previous free_user_data runs once its last call returned,
    // never under a library lock.
    void set_host_sink(ec_log_fn fn, void *user_data, void (*free_user_data)(void *));
    // A cloud's queue receives every line from now on until remove_queue() returns.
    void add_queue(EventQueue *queue);
    void remove_queue(EventQueue *queue);

private:
    using HostSink = HostCallback<ec_log_fn>;

    LogFanout() = default;
    void deliver(log::Level level, std::string_view line);
    // Installs or removes this object as the facade's sink after a change.
    void reinstall();

    std::mutex mutex_;  // host_ and queues_; held while pushing (push never blocks or logs)
    std::shared_ptr<HostSink> host_;
    std::vector<EventQueue *> queues_;
    std::mutex install_mutex_;  // installed_ and the calls to log::set_sink
    bool installed_ = false;
};

}  // namespace elizacloud
