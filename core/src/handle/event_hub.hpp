// Where a cloud's events go: the bounded queue the host pulls from or its callback is fed from
// (by the dispatcher thread), the log lines forwarded into it, and the observers ("taps") that
// the local REST API uses to follow state and credential changes.
#pragma once

#include <elizacloud/elizacloud.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "handle/event_dispatcher.hpp"
#include "handle/event_queue.hpp"

namespace elizacloud {

class EventHub {
public:
    // capacity: the queue's (0 = default); on_room runs when a full queue has room again;
    // owner: the cloud whose callbacks the dispatcher runs; forward_logs: log lines become
    // EC_EVENT_LOG events of this queue.
    EventHub(uint32_t capacity, std::function<void()> on_room, const void *owner,
             bool forward_logs);
    // stop().
    ~EventHub();
    EventHub(const EventHub &) = delete;
    EventHub &operator=(const EventHub &) = delete;

    // No host code runs after this (the callback in progress returns first); log lines stop.
    // Idempotent. Not on the dispatcher thread.
    void stop();

    EventQueue &queue() { return *queue_; }
    // Weak: a paused transfer's resume check must not keep the queue alive.
    std::weak_ptr<EventQueue> weak_queue() const { return queue_; }
    void set_callback(ec_event_fn fn, void *user_data, void (*free_user_data)(void *)) {
        dispatcher_.set_callback(fn, user_data, free_user_data);
    }

    // An event that every tap sees before it is queued (state, credentials, backups...).
    void publish(Event event);
    // An event of one request (completion, chunk): queued as is, no tap sees it.
    PushResult deliver(Event event) { return queue_->push(std::move(event)); }

    // Observers of publish(), called on the publishing library thread before the event is
    // queued. A tap must be quick, must not block and must not call into the cloud. After
    // remove_tap() returns the tap never runs.
    using Tap = std::function<void(const Event &)>;
    uint64_t add_tap(Tap tap);
    void remove_tap(uint64_t id);

private:
    std::shared_ptr<EventQueue> queue_;
    EventDispatcher dispatcher_;
    bool forward_logs_ = false;
    bool stopped_ = false;  // only stop() and the destructor, on the same owning thread

    std::mutex taps_mutex_;  // held while taps run, so removal waits for a running tap
    std::vector<std::pair<uint64_t, Tap>> taps_;
    uint64_t next_tap_ = 1;
};

}  // namespace elizacloud
