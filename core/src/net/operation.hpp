// Multi-step asynchronous operations on the engine (a provisioning call that follows its job, a
// login that polls, a stream): one id the caller can cancel whatever step is in flight, exactly
// one completion, and a synchronous wait built on top. Every step of an operation runs on the
// engine's I/O thread, so an operation's state needs no lock.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "net/engine.hpp"
#include "util/error.hpp"

namespace elizacloud {

using OperationId = uint64_t;

// A wait with no limit of its own (the operation's timeouts still apply).
inline constexpr int kWaitUnlimited = -1;

// An operation's outcome: error Ok and the record as JSON text, or the error.
struct OpResult {
    ErrorInfo error;
    std::string json;
};
using OpCallback = std::function<void(OpResult &&)>;

struct OperationRegistry;

class Operation : public std::enable_shared_from_this<Operation> {
public:
    Operation(OperationId id, Engine *engine, std::shared_ptr<OperationRegistry> registry,
              OpCallback done);
    Operation(const Operation &) = delete;
    Operation &operator=(const Operation &) = delete;

    OperationId id() const { return id_; }
    Engine &engine() const { return *engine_; }
    bool finished() const { return finished_; }

    // [I/O thread] Submits req as the current step; next gets the response unless the operation
    // finished meanwhile. An exception thrown by next fails the operation.
    void request(HttpRequest req, std::function<void(HttpResponse &&)> next);
    // [I/O thread] Runs next after delay_ms unless the operation finished meanwhile.
    void after(int64_t delay_ms, std::function<void()> next);
    // [I/O thread] Fails the operation with error if it has not finished within ms.
    void set_deadline(int64_t ms, ErrorInfo error);
    // [I/O thread] Removes the deadline (a step that must not be cut short has begun).
    void clear_deadline();

    // [I/O thread] Completes the operation (only the first call counts): stops the pending
    // request and timers, runs the completion, then forgets the operation.
    void finish(OpResult result);
    void fail(ErrorInfo error) { finish(OpResult{std::move(error), {}}); }
    void succeed(std::string json) { finish(OpResult{ErrorInfo{}, std::move(json)}); }

    // [I/O thread] Runs step, turning an exception into a failure of the operation.
    void guarded(const std::function<void()> &step);

private:
    const OperationId id_;
    Engine *const engine_;  // the engine outlives every callback it runs
    std::shared_ptr<OperationRegistry> registry_;
    OpCallback done_;
    bool finished_ = false;
    uint64_t step_ = 0;            // bumped per request, to tell stale completions apart
    uint64_t completed_step_ = 0;  // the last request step whose completion ran
    RequestId request_ = 0;
    TimerId timer_ = 0;
    TimerId deadline_ = 0;
};

// The live operations of one owner (a client, a login), for cancel-by-id and for shutdown.
struct OperationRegistry {
    std::mutex mutex;
    std::condition_variable idle;
    std::unordered_map<OperationId, std::shared_ptr<Operation>> live;
};

class OperationSet {
public:
    explicit OperationSet(std::shared_ptr<Engine> engine);
    // Cancels every live operation and, off the I/O thread, waits for their completions.
    ~OperationSet();
    OperationSet(const OperationSet &) = delete;
    OperationSet &operator=(const OperationSet &) = delete;

    // [any thread] Creates an operation and runs first_step on the I/O thread.
    OperationId start(OpCallback done, std::function<void(Operation &)> first_step);
    // [any thread] Completes the operation with Cancelled (inline on the I/O thread, else as
    // the next task there). Unknown or finished ids are ignored.
    void cancel(OperationId id);
    void cancel_all();
    // [any thread but the I/O thread] Blocks until every operation has completed.
    void wait_idle();

    Engine &engine() const { return *engine_; }
    const std::shared_ptr<Engine> &engine_ptr() const { return engine_; }

private:
    std::shared_ptr<Engine> engine_;
    std::shared_ptr<OperationRegistry> registry_;
};

// Throws Error(result.error) unless it is Ok; else returns the JSON.
std::string value_or_throw(OpResult &&result);

}  // namespace elizacloud
