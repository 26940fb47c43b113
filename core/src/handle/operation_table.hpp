// The operations of one cloud in flight. Each has a request id and completes exactly once: with
// REQUEST_COMPLETED or STREAM_END (asynchronous calls) or by waking its synchronous caller. The
// first outcome counts; cancel, timeout and shutdown decide it at once and tell the component to
// stop. "Submit then wait" lives here only (run()).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "handle/event_hub.hpp"
#include "handle/gate.hpp"
#include "handle/request.hpp"
#include "net/engine.hpp"
#include "util/error.hpp"

namespace elizacloud {

class OperationTable {
public:
    using CancelFn = std::function<void()>;
    // Starts the component call of request under id; returns how to cancel it (may be empty).
    // Runs on the caller's thread; throwing means the operation never started.
    using Launch = std::function<CancelFn(const Request &request, uint64_t id, bool sync)>;
    // Told when an operation's outcome was decided by abort() rather than by its component.
    using Aborted = std::function<void(const api::OperationSpec &op, uint64_t id)>;

    // gate: the cloud's, which deferred chunk deliveries pass like every library callback.
    OperationTable(EventHub &hub, std::shared_ptr<Engine> engine, std::shared_ptr<Gate> gate,
                   Launch launch, Aborted aborted);
    OperationTable(const OperationTable &) = delete;
    OperationTable &operator=(const OperationTable &) = delete;

    // Asynchronous form: the request id; the outcome comes as an event.
    uint64_t start(Request request);
    // Synchronous form: waits up to timeout_ms (<= 0 = no extra limit), returns the result JSON,
    // throws Error. started (may be empty) learns the id before the wait, so another thread can
    // cancel it. No REQUEST_COMPLETED / STREAM_END / chunk event.
    std::string run(Request request, int32_t timeout_ms,
                    const std::function<void(uint64_t)> &started = {});
    // Completes the operation with Cancelled (unknown or finished ids are ignored).
    void cancel(uint64_t id) { abort(id, ErrorInfo::make(Status::Cancelled, "cancelled")); }

    // The component's completion; ignored when the outcome was already decided.
    void finish(uint64_t id, ErrorInfo error, std::string json);
    // Decides the outcome now and tells the component to stop.
    void abort(uint64_t id, ErrorInfo reason);
    // A stream chunk (from inside the stream's transfer); dropped once the stream has ended.
    // json: the chunk's details (a generic request's SSE frame: {"event","id"}), or empty.
    // Inside a data callback the chunks are queued together once it returns (one lock, one
    // notify, one wake for all the chunks of one network read); an outcome of any operation
    // queues them first, so a chunk never follows its stream's end.
    void chunk(uint64_t id, std::string_view text, std::string_view json = {});

    // Refuses new operations (Cancelled) from now on, then aborts every one in flight with
    // reason. Idempotent.
    void close(const ErrorInfo &reason);

private:
    struct Pending;
    struct Outcome {
        ErrorInfo error;
        std::string json;
    };
    uint64_t begin(Request request, bool sync, std::shared_ptr<Pending> &pending);
    // Records the outcome; true when a synchronous waiter must be woken (after unlocking).
    bool deliver_locked(uint64_t id, Pending &pending, ErrorInfo error, std::string json);
    // Queues the events held back (see chunk() and deliver_locked()); pauses or cancels streams
    // as the queue says.
    void flush_held_locked();
    void flush_after_data();

    EventHub &hub_;
    std::shared_ptr<Engine> engine_;
    std::shared_ptr<Gate> gate_;
    Launch launch_;
    Aborted aborted_;

    // Events of an operation are queued under mutex_, so a chunk never follows its stream's end.
    std::mutex mutex_;
    std::unordered_map<uint64_t, std::shared_ptr<Pending>> ops_;
    uint64_t next_id_ = 1;
    bool closed_ = false;
    // Chunks of live streams and completions, in order, queued together by flush_held_locked: a
    // network read's chunks at the end of its data callback, the completions of one turn of
    // the engine's loop at its end.
    std::vector<Event> held_;
    bool flush_after_data_ = false;   // a flush waits for the end of the data callback
    bool flush_at_turn_end_ = false;  // a flush waits for the end of the loop's turn
};

}  // namespace elizacloud
