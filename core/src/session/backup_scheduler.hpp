// BackupScheduler (SPEC §2.5, R145–R151): periodic snapshots of one cloud agent, plus the
// bounded final snapshot taken on disconnect and passthroughs to list and restore backups.
//
// Unlike the reference (G18), at most one snapshot of the agent is in flight at any time: a
// periodic tick that finds one running is skipped and counted, and requested snapshots (final,
// manual) queue behind it. Failures are logged and reported but never stop the schedule.
//
// Threading: all state lives on the engine's I/O thread (timers, completions). Public methods
// may be called from any thread; start/stop/close take effect before they return (inline on the
// I/O thread, else they wait for it). Events and completions run on the I/O thread and must be
// cheap and non-blocking.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "api/agent_ops.hpp"
#include "net/engine.hpp"

namespace elizacloud {

struct BackupOptions {
    int64_t interval_ms = 60'000;       // cloud.backup.autoBackupIntervalMs; first tick after one
    int64_t final_timeout_ms = 10'000;  // bound on the final snapshot (0 = no bound)
};

struct BackupEvent {
    enum class Kind {
        Taken,        // a periodic snapshot succeeded; json = the snapshot record
        Failed,       // a periodic snapshot failed; error says why
        Skipped,      // a tick found a snapshot still in flight
        FinalTaken,   // the final snapshot succeeded; json = the snapshot record
        FinalFailed,  // the final snapshot failed or timed out; error says why
    };
    Kind kind = Kind::Taken;
    std::string agent_id;
    ErrorInfo error;
    std::string json;
};
using BackupListener = std::function<void(const BackupEvent &)>;

struct BackupCounters {
    uint64_t taken = 0;    // snapshots that succeeded (periodic and requested)
    uint64_t failed = 0;   // snapshots that failed or timed out
    uint64_t skipped = 0;  // periodic ticks skipped because one was in flight
};

class BackupScheduler : public std::enable_shared_from_this<BackupScheduler> {
public:
    static std::shared_ptr<BackupScheduler> create(std::shared_ptr<Engine> engine,
                                                   std::shared_ptr<AgentOps> ops,
                                                   std::string agent_id, BackupOptions options = {},
                                                   BackupListener listener = {});
    // close() without events.
    ~BackupScheduler();
    BackupScheduler(const BackupScheduler &) = delete;
    BackupScheduler &operator=(const BackupScheduler &) = delete;

    // [any thread] Starts the schedule; the first snapshot comes one interval later. A second
    // start is a no-op.
    void start();
    // [any thread] Stops the schedule and cancels a periodic snapshot in flight (silently).
    // Requested snapshots (final, manual) are not affected. No periodic event after return.
    void stop();
    // [any thread] stop() plus cancelling every requested snapshot (they complete Cancelled).
    void close();
    bool is_running() const { return running_.load(); }
    const std::string &agent_id() const { return agent_id_; }

    // [any thread] One snapshot outside the schedule, queued behind one in flight, bounded by
    // options.final_timeout_ms (Timeout when it runs out). Never throws; a failure is logged as
    // "[cloud-backup] Final snapshot failed: <msg>" and reported (event + done).
    void final_snapshot_async(OpCallback done);
    // [not on the I/O thread] Waits for final_snapshot_async; returns its result. Throws only
    // Error(Reentrant).
    OpResult final_snapshot();
    // [any thread] A manual snapshot with the same queueing (no timeout, no event).
    void snapshot_now_async(OpCallback done);

    // [any thread] Passthroughs. Async forms return the id for cancel().
    OperationId list_backups_async(OpCallback done);
    OperationId restore_async(const std::string &backup_id, OpCallback done);
    void cancel(OperationId id);
    // [not on the I/O thread] Throw Error on failure; wait_ms < 0 = no extra limit.
    std::string list_backups(int64_t wait_ms = -1);
    std::string restore(const std::string &backup_id = {}, int64_t wait_ms = -1);

    BackupCounters counters() const;

private:
    struct Request;
    BackupScheduler(std::shared_ptr<Engine> engine, std::shared_ptr<AgentOps> ops,
                    std::string agent_id, BackupOptions options, BackupListener listener);

    // All [I/O thread].
    void start_io();
    void stop_io();
    void close_io();
    void tick();
    void post_request(bool final, int64_t timeout_ms, OpCallback done);  // [any thread]
    void request(bool final, int64_t timeout_ms, OpCallback done);
    void pump();
    void on_periodic_done(uint64_t token, OpResult &&result);
    void on_request_done(uint64_t token, OpResult &&result);
    void on_deadline(const std::shared_ptr<Request> &req);
    void finish(const std::shared_ptr<Request> &req, OpResult &&result);
    void emit(BackupEvent::Kind kind, ErrorInfo error, std::string json);

    const std::shared_ptr<Engine> engine_;
    const std::shared_ptr<AgentOps> ops_;
    const std::string agent_id_;
    const BackupOptions options_;
    BackupListener listener_;  // [I/O thread] dropped by the destructor

    // [I/O thread] The one snapshot in flight (token 0 = none) and what it belongs to.
    uint64_t next_token_ = 1;
    uint64_t slot_token_ = 0;
    OperationId slot_op_ = 0;
    std::shared_ptr<Request> slot_request_;  // null for a periodic snapshot
    std::deque<std::shared_ptr<Request>> waiting_;
    TimerId timer_ = 0;

    std::atomic<bool> running_{false};
    std::atomic<uint64_t> taken_{0};
    std::atomic<uint64_t> failed_{0};
    std::atomic<uint64_t> skipped_{0};
};

}  // namespace elizacloud
