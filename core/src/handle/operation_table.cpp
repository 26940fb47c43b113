#include "handle/operation_table.hpp"

#include <chrono>
#include <cmath>
#include <utility>
#include <vector>

#include "net/data_callback.hpp"
#include "util/clock.hpp"
#include "util/json.hpp"
#include "util/log.hpp"

namespace elizacloud {

struct OperationTable::Pending {
    const api::OperationSpec *op = nullptr;  // registry rows outlive every call
    bool sync = false;
    bool streams = false;            // ends with STREAM_END rather than REQUEST_COMPLETED
    bool aborted = false;            // cancelled (or timed out) before launch returned its cancel
    CancelFn cancel;                 // the component's cancel; set once launch returned
    std::optional<Outcome> outcome;  // sync: the result the waiting caller takes
    // sync: its caller waits here (with the table's mutex), so a completion wakes that caller
    // only, not every synchronous caller of the table (a REST server's workers).
    std::condition_variable done;
    // sync: Request::chunk_sink (shared: it runs outside the table's lock).
    std::shared_ptr<const std::function<bool(std::string_view)>> sink;
};

namespace {

// The JSON a failure event carries: the details the cloud sent, under the names the bindings read
// (httpStatus, code, retryAfterMs, requiredBalance, currentBalance, retryable, pricing, details);
// absent fields are left out, and "" when there is nothing to add.
std::string failure_details_json(const ErrorInfo &error) {
    json::Document doc(rapidjson::kObjectType);
    auto &alloc = doc.GetAllocator();
    if (error.http_status > 0) doc.AddMember("httpStatus", error.http_status, alloc);
    if (!error.cloud_code.empty()) {
        doc.AddMember("code", json::string_value(error.cloud_code, alloc), alloc);
    }
    if (error.retry_after_ms >= 0) doc.AddMember("retryAfterMs", error.retry_after_ms, alloc);
    if (!std::isnan(error.required_balance)) {
        doc.AddMember("requiredBalance", error.required_balance, alloc);
    }
    if (!std::isnan(error.current_balance)) {
        doc.AddMember("currentBalance", error.current_balance, alloc);
    }
    if (error.retryable) doc.AddMember("retryable", true, alloc);
    for (auto [name, text] :
         {std::pair<const char *, const std::string &>{"pricing", error.pricing_json},
          {"details", error.details_json},
          {"rateLimit", error.rate_limit_json}}) {
        json::Document extra;
        if (!text.empty() && json::parse(text, extra) && extra.IsObject())
            doc.AddMember(rapidjson::StringRef(name), json::Value(extra, alloc), alloc);
    }
    return doc.ObjectEmpty() ? std::string() : json::stringify(doc);
}

}  // namespace

OperationTable::OperationTable(EventHub &hub, std::shared_ptr<Engine> engine,
                               std::shared_ptr<Gate> gate, Launch launch, Aborted aborted)
    : hub_(hub),
      engine_(std::move(engine)),
      gate_(std::move(gate)),
      launch_(std::move(launch)),
      aborted_(std::move(aborted)) {}

uint64_t OperationTable::begin(Request request, bool sync, std::shared_ptr<Pending> &pending) {
    pending = std::make_shared<Pending>();
    pending->op = request.op;
    pending->sync = sync;
    pending->streams = request.streams;
    if (sync && request.chunk_sink)
        pending->sink = std::make_shared<const std::function<bool(std::string_view)>>(
            request.chunk_sink);  // a copy: the launch below reads that there is one
    uint64_t id = 0;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (closed_) throw Error(Status::Cancelled, "the cloud handle is shutting down");
        id = next_id_++;
        // Registered before launching: a completion may arrive before launch returns.
        ops_.emplace(id, pending);
    }
    CancelFn cancel;
    try {
        cancel = launch_(request, id, sync);
    } catch (...) {
        std::lock_guard<std::mutex> lock(mutex_);
        ops_.erase(id);
        throw;
    }
    bool cancel_now = false;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (pending->aborted) {
            cancel_now = true;  // cancelled while launching: stop the component's work too
        } else {
            pending->cancel = cancel;
        }
    }
    if (cancel_now && cancel) cancel();
    return id;
}

uint64_t OperationTable::start(Request request) {
    std::shared_ptr<Pending> pending;
    return begin(std::move(request), false, pending);
}

std::string OperationTable::run(Request request, int32_t timeout_ms,
                                const std::function<void(uint64_t)> &started) {
    // The call's state in one place: the lambdas below capture `this` and it (two pointers),
    // which std::function keeps without a heap allocation.
    struct Call {
        Request request;
        const std::function<void(uint64_t)> &started;
        int32_t timeout_ms;
        std::shared_ptr<Pending> pending;
        uint64_t id = 0;
    } call{std::move(request), started, timeout_ms, nullptr};
    std::shared_ptr<Pending> &pending = call.pending;
    const int64_t deadline = timeout_ms > 0 ? SteadyClock().now_ms() + timeout_ms : 0;
    auto timed_out = [this, &call] {
        abort(call.id, ErrorInfo::make(Status::Timeout,
                                       std::string(call.pending->op->name) + " timed out after " +
                                           std::to_string(call.timeout_ms) + " ms"));
    };
    // This thread runs the operation's steps and its request itself when it can (no hop to the
    // I/O thread and back); what it cannot do is left to the I/O thread and waited for below.
    engine_->run_inline(
        [this, &call] {
            call.id = begin(std::move(call.request), true, call.pending);
            if (call.started) call.started(call.id);
        },
        [this, &call] {
            std::lock_guard<std::mutex> lock(mutex_);
            return call.pending && call.pending->outcome.has_value();
        },
        deadline, timed_out);
    std::unique_lock<std::mutex> lock(mutex_);
    auto ready = [&pending] { return pending->outcome.has_value(); };
    if (deadline == 0) {
        pending->done.wait(lock, ready);
    } else if (!pending->done.wait_for(lock,
                                       std::chrono::milliseconds(
                                           std::max<int64_t>(deadline - SteadyClock().now_ms(), 0)),
                                       ready)) {
        lock.unlock();
        timed_out();
        lock.lock();
        pending->done.wait(lock, ready);  // set by abort, or by a completion that won the race
    }
    Outcome outcome = std::move(*pending->outcome);
    lock.unlock();
    if (!outcome.error.ok()) throw Error(std::move(outcome.error));
    return std::move(outcome.json);
}

bool OperationTable::deliver_locked(uint64_t id, Pending &pending, ErrorInfo error,
                                    std::string json) {
    if (pending.sync) {
        pending.outcome = Outcome{std::move(error), std::move(json)};
        return true;
    }
    Event event;
    event.type = pending.streams ? EC_EVENT_STREAM_END : EC_EVENT_REQUEST_COMPLETED;
    event.request_id = id;
    event.status = error.status;
    event.json = error.ok() ? std::move(json) : failure_details_json(error);
    // Every failure a host is told passes the log lines' redaction, whatever produced its text
    // (a cloud that echoes a key in a stream's error event, …), as ec_last_error_message does.
    event.message = log::redact(error.message);
    // Queued after the chunks held back, so a chunk never follows its stream's end.
    // On the I/O thread: the completions of this turn of the loop (a burst of requests in
    // flight ends together) reach the queue together at its end, with one lock, one notify and
    // one wake-up of a host waiting for events, instead of one of each per request.
    held_.push_back(std::move(event));
    if (flush_at_turn_end_) return false;
    flush_at_turn_end_ = engine_->at_turn_end([this, gate = gate_] {
        GateScope scope(*gate);
        if (!scope) return;
        std::lock_guard<std::mutex> lock(mutex_);
        flush_at_turn_end_ = false;
        flush_held_locked();
    });
    if (!flush_at_turn_end_) flush_held_locked();  // elsewhere: at once
    return false;
}

void OperationTable::finish(uint64_t id, ErrorInfo error, std::string json) {
    std::shared_ptr<Pending> pending;
    bool wake_waiter = false;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = ops_.find(id);
        if (it == ops_.end()) return;  // already cancelled or timed out: the first outcome counts
        pending = std::move(it->second);
        ops_.erase(it);
        wake_waiter = deliver_locked(id, *pending, std::move(error), std::move(json));
    }
    // After unlocking: a waiter woken under the lock would at once block on it again. pending
    // (and its condition variable) is kept alive by this reference.
    if (wake_waiter) pending->done.notify_one();
}

void OperationTable::abort(uint64_t id, ErrorInfo reason) {
    std::shared_ptr<Pending> pending;
    bool wake_waiter = false;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = ops_.find(id);
        if (it == ops_.end()) return;
        pending = std::move(it->second);
        ops_.erase(it);
        pending->aborted = true;
        wake_waiter = deliver_locked(id, *pending, std::move(reason), {});
    }
    if (wake_waiter) pending->done.notify_one();
    if (aborted_) aborted_(*pending->op, id);
    // Outside the lock: the component may complete inline, which lands in finish() and is
    // ignored there because the outcome is already decided.
    if (pending->cancel) pending->cancel();
}

void OperationTable::chunk(uint64_t id, std::string_view text, std::string_view json) {
    const bool defer = in_data_callback();
    bool schedule = false;
    std::shared_ptr<const std::function<bool(std::string_view)>> sink;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = ops_.find(id);
        if (it == ops_.end()) return;  // ended
        if (it->second->sync) {        // no events; its sink, if any, sees the chunk
            sink = it->second->sink;
            if (!sink) return;
        }
    }
    if (sink) {
        if ((*sink)(text)) return;
        // The sink's reader is gone. Not from inside the transfer's own data callback.
        if (!defer) return cancel(id);
        after_current_data([this, gate = gate_, id] {
            GateScope scope(*gate);
            if (scope) cancel(id);
        });
        return;
    }
    {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = ops_.find(id);
        if (it == ops_.end()) return;
        Event &event = held_.emplace_back();
        event.type = EC_EVENT_STREAM_CHUNK;
        event.request_id = id;
        event.text.assign(text);
        event.json.assign(json);
        if (!defer) {
            flush_held_locked();
            return;
        }
        schedule = !std::exchange(flush_after_data_, true);
    }
    if (!schedule) return;
    // Through the gate like the callback that brought the chunk: the cloud may be shutting down
    // by the time the data callback returns. Still inside the transfer, so that a full queue
    // can pause it.
    after_current_data([this, gate = gate_] {
        GateScope scope(*gate);
        if (scope) flush_after_data();
    });
}

void OperationTable::flush_after_data() {
    std::lock_guard<std::mutex> lock(mutex_);
    flush_after_data_ = false;
    flush_held_locked();
}

void OperationTable::flush_held_locked() {
    if (held_.empty()) return;
    const EventQueue::BatchResult pushed = hub_.queue().push_batch(held_);
    if (pushed.backlogged) {
        // The host is behind: the stream's transfer takes no more bytes until it catches up
        // (outside the transfer's data callback this does nothing; its next chunk pauses it).
        pause_current_transfer([queue = hub_.weak_queue()] {
            auto q = queue.lock();
            return !q || q->has_room();
        });
    }
    // Past the queue's hard limit only (a stream that was not paused): the stream ends
    // Cancelled, which the queue reports as EC_ERR_OVERFLOW. Posted rather than run here: this
    // may be the stream's own chunk callback.
    for (uint64_t id : pushed.overflowed) {
        auto it = ops_.find(id);
        if (it != ops_.end() && it->second->cancel) engine_->post(it->second->cancel);
    }
}

void OperationTable::close(const ErrorInfo &reason) {
    std::vector<uint64_t> ids;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        closed_ = true;
        for (const auto &entry : ops_) ids.push_back(entry.first);
    }
    for (uint64_t id : ids) abort(id, reason);
}

}  // namespace elizacloud
