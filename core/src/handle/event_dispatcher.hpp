// Push delivery (SPEC §6): host callbacks run on one library-owned thread per cloud, one event at
// a time, with no library lock held — never on the engine's I/O thread, so a slow host callback
// can delay only its own cloud's events, not network I/O or timers.
#pragma once

#include <elizacloud/elizacloud.h>

#include <memory>
#include <mutex>
#include <thread>

#include "handle/event_queue.hpp"

namespace elizacloud {

class EventDispatcher {
public:
    // owner identifies the cloud whose callbacks this thread runs (for reentrancy checks).
    EventDispatcher(EventQueue &queue, const void *owner);
    // Stops and joins (see stop()).
    ~EventDispatcher();
    EventDispatcher(const EventDispatcher &) = delete;
    EventDispatcher &operator=(const EventDispatcher &) = delete;

    // [any thread] Installs fn (NULL clears). The thread starts with the first callback. The
    // previous free_user_data runs after the previous fn has returned for the last time: here
    // when it is idle, else on the dispatcher thread right after that call.
    void set_callback(ec_event_fn fn, void *user_data, void (*free_user_data)(void *));

    // [not on the dispatcher thread] Closes the queue, waits for the callback in progress and
    // joins the thread. Afterwards no callback runs; the consumer's free_user_data has been called.
    void stop();

    // The owner whose dispatcher thread the caller is on, else nullptr. Sync calls and destroy
    // check it: waiting there for an event that this very thread must deliver would deadlock.
    static const void *current_owner();

private:
    void run();

    EventQueue &queue_;
    const void *const owner_;
    std::mutex mutex_;  // guards thread_ start/stop only; never held while host code runs
    std::thread thread_;
    bool stopped_ = false;
};

}  // namespace elizacloud
