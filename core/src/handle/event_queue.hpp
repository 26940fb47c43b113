// The event queue of one cloud handle (SPEC §6, header "Event queue"): one bounded queue with two
// kinds of consumer — pullers (ec_cloud_next_event / wait_event, signalled on a wake pipe that is
// readable while the queue is non-empty) and, when a push consumer is installed, the dispatcher
// thread. Each event is taken exactly once. The consumer slot lives under the queue's lock so
// that "callback set?" and "take the event" are decided together and no event is lost between.
#pragma once

#include <elizacloud/elizacloud.h>

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "handle/host_callback.hpp"
#include "util/error.hpp"

namespace elizacloud {

// One event as the core produces it. Strings are owned here; the ABI gets either a borrowed view
// (push callbacks) or one malloc'd block (pull).
struct Event {
    int32_t type = 0;
    uint64_t request_id = 0;
    Status status = Status::Ok;
    std::string message;
    std::string text;
    std::string json;
    std::string agent_id;
    int32_t state = EC_STATE_DISCONNECTED;
    int32_t previous_state = EC_STATE_DISCONNECTED;
    int32_t attempt = 0;
    int64_t next_delay_ms = -1;
    int32_t log_level = EC_LOG_INFO;
    uint64_t dropped = 0;
};

// LOG, LOGIN_PROGRESS and PROVISION_PROGRESS may be discarded when the queue is full.
bool is_droppable(int32_t type);

// A view of event for the duration of a callback; its pointers borrow event's strings.
ec_event borrow_event(const Event &event);
// One allocation holding the ec_event and copies of its strings, released by release_event().
// Throws std::bad_alloc.
ec_event *make_owned_event(const Event &event);
void release_event(ec_event *event) noexcept;

// The host's push callback (see host_callback.hpp for its lifetime rule).
using PushConsumer = HostCallback<ec_event_fn>;

enum class PushResult {
    Queued,
    // A stream chunk was queued and the queue is now full: the caller must pause the stream
    // until the room listener is called (back-pressure; nothing was lost).
    Backlogged,
    Dropped,         // a droppable event met a full queue, or a chunk of an overflowed stream
    StreamOverflow,  // past the hard limit: the caller must cancel the stream (first time only)
};

// Back-pressure: a stream chunk is always queued, even into a full queue, and answers Backlogged
// so that its producer pauses the stream; once the consumer has taken the queue down to half its
// capacity the room listener is called (on the consumer's thread, no lock held) to resume it.
// A producer that pauses at once overshoots the capacity by at most what it had in hand, so the
// hard limit (capacity + kStreamHeadroom) is only a guard against one that does not.
class EventQueue {
public:
    static constexpr uint32_t kDefaultCapacity = 4096;
    static constexpr size_t kStreamHeadroom = 65536;

    // capacity 0 = kDefaultCapacity; on_room: see above (may be empty). Throws Error(Io) when
    // the wake pipe cannot be created.
    explicit EventQueue(uint32_t capacity, std::function<void()> on_room = {});
    ~EventQueue();
    EventQueue(const EventQueue &) = delete;
    EventQueue &operator=(const EventQueue &) = delete;

    // [any thread] Never blocks and never logs (a log line may itself become an event).
    // A STREAM_END for a stream whose chunks overflowed is rewritten to EC_ERR_OVERFLOW.
    PushResult push(Event event);
    // [any thread] push() for each event in order, under one lock with one notify and at most one
    // wake-pipe write (a stream's chunks from one network read). Empties events.
    struct BatchResult {
        bool backlogged = false;           // a chunk met a full queue: pause the stream
        std::vector<uint64_t> overflowed;  // streams past the hard limit: cancel them
    };
    BatchResult push_batch(std::vector<Event> &events);

    // [any thread] True while the queue is below capacity; otherwise false, and the room listener
    // will be called once the consumer has made room. A paused stream asks before resuming.
    bool has_room();

    // [any thread] Takes the next event; nullopt when empty.
    std::optional<Event> try_pop();
    // [any thread] Takes up to max events in order under one lock, handing each to take (under
    // the queue's lock: it must only copy) before removing it. Returns how many were taken; an
    // exception from take leaves that event and the following ones queued.
    size_t try_pop_many(size_t max, const std::function<void(const Event &)> &take);
    // [any thread] Waits up to timeout_ms (< 0 = forever); nullopt on timeout or after close().
    std::optional<Event> wait_pop(int32_t timeout_ms);

    // Installs (or with nullptr removes) the push consumer. Returns the previous one so that the
    // caller drops it outside the lock (its free_user_data is host code).
    std::shared_ptr<PushConsumer> set_consumer(std::shared_ptr<PushConsumer> consumer);
    // [dispatcher thread] Waits for an event while a consumer is installed; returns it with the
    // consumer that owns it, or nullopt once close() was called.
    std::optional<std::pair<Event, std::shared_ptr<PushConsumer>>> wait_dispatch();

    // Wakes every waiter for good; later pushes are ignored. Used by destroy.
    void close();

    // Read end of the wake pipe (non-blocking, O_CLOEXEC).
    int fd() const { return read_fd_; }
    size_t size() const;
    uint32_t capacity() const { return capacity_; }
    // Droppable events discarded so far (for tests and diagnostics).
    uint64_t dropped_total() const;
    // How often the queue filled up with stream chunks and made the streams wait (diagnostics).
    uint64_t stream_pauses() const;

private:
    PushResult push_locked(Event event);
    // Sets room when the room listener must be called (after unlocking).
    std::optional<Event> take_locked(bool &room);
    void notify_room(bool room);
    void append_locked(Event event);
    void report_drops_locked();
    void update_signal_locked();

    const uint32_t capacity_;
    const std::function<void()> on_room_;
    int read_fd_ = -1;
    int write_fd_ = -1;
    mutable std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<Event> events_;
    std::shared_ptr<PushConsumer> consumer_;
    std::unordered_set<uint64_t> overflowed_streams_;
    uint64_t pending_dropped_ = 0;  // not yet reported by an OVERFLOW event
    uint64_t dropped_total_ = 0;
    uint64_t stream_pauses_ = 0;
    bool stalled_ = false;    // a stream waits for room: call on_room_ at half capacity
    bool signalled_ = false;  // one byte sits in the pipe
    bool closed_ = false;
};

}  // namespace elizacloud
