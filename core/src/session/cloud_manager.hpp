// CloudManager (SPEC §2.3, R129–R139): the connection state machine for one cloud agent.
//
//   connect(id):  connecting → provision (following the job) → get agent → proxy → backups →
//                 monitor → connected. On failure whatever was started is stopped and the
//                 manager emits error, then disconnected, and reports the error.
//   disconnect(): monitor stopped (a reconnect in flight is cancelled at once) → final snapshot
//                 (bounded, failure only logged) → backups stopped → proxy closed → disconnected.
//   monitor:      max_failures failed heartbeats → reconnecting (attempt 1, 2… with the delay
//                 before it) → connected, or after the last attempt → disconnected (terminal:
//                 backups stopped, proxy closed; the host decides what next).
//
// Fixes over the reference (G18, G20, G21): connect/disconnect calls from any number of threads
// are serialised through one queue of operations on the I/O thread; connecting to another agent
// disconnects the current one first (final backup included); connecting to the same agent
// returns the existing proxy; a disconnect aborts a connect still in progress (Cancelled, no
// `error` state); nothing started for an agent (timer, heartbeat, reconnect, snapshot) outlives
// its session.
//
// Threading: all state lives on the shared engine's I/O thread; many managers share one engine
// and none adds a thread. Public methods are thread-safe. Listeners run on the I/O thread and
// must be cheap and non-blocking (the C ABI layer only queues the event).
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "api/agent_ops.hpp"
#include "net/engine.hpp"
#include "session/backup_scheduler.hpp"
#include "session/cloud_proxy.hpp"
#include "session/connection_monitor.hpp"

namespace elizacloud {

// Values match EC_STATE_* of the C ABI.
enum class ConnectionState : int32_t {
    Disconnected = 0,
    Connecting = 1,
    Connected = 2,
    Reconnecting = 3,
    Error = 4,
};
// "disconnected", "connecting", "connected", "reconnecting", "error".
const char *state_name(ConnectionState state);

struct StateChange {
    ConnectionState new_state = ConnectionState::Disconnected;
    ConnectionState previous_state = ConnectionState::Disconnected;
    std::string agent_id;
    // Why: status != Ok when a failure caused the change (message = the failure); Ok otherwise
    // (message may still give a reason, e.g. "disconnect requested").
    ErrorInfo error;
    int attempt = 0;             // reconnect attempt about to run / that succeeded; 0 if none
    int64_t next_delay_ms = -1;  // delay before that attempt; -1 if none
};

struct CloudManagerOptions {
    bool enabled = true;  // is_enabled(): cloud.enabled with an API key (decided by the owner)
    BackupOptions backup;
    MonitorOptions monitor;
};

struct CloudManagerListeners {
    std::function<void(const StateChange &)> on_state;
    BackupListener on_backup;
    std::function<void(const std::string &agent_id, const JobProgress &)> on_progress;
};

// Builds the AgentOps on first connect (R133 auto-init); may throw Error (e.g. no API key).
using AgentOpsFactory = std::function<std::shared_ptr<AgentOps>()>;

using ManagerOpId = uint64_t;

class CloudManager : public std::enable_shared_from_this<CloudManager> {
public:
    using ConnectCallback =
        std::function<void(const ErrorInfo &, std::shared_ptr<CloudRuntimeProxy>)>;
    using DoneCallback = std::function<void(const ErrorInfo &)>;

    static std::shared_ptr<CloudManager> create(std::shared_ptr<Engine> engine,
                                                std::shared_ptr<AgentOps> ops,
                                                CloudManagerOptions options = {},
                                                CloudManagerListeners listeners = {});
    static std::shared_ptr<CloudManager> create(std::shared_ptr<Engine> engine,
                                                AgentOpsFactory factory,
                                                CloudManagerOptions options = {},
                                                CloudManagerListeners listeners = {});
    // shutdown() without listeners. The destructor may run on the I/O thread, after the host
    // let go, when a completion held the last reference: call shutdown() before freeing what
    // the listeners use.
    ~CloudManager();
    CloudManager(const CloudManager &) = delete;
    CloudManager &operator=(const CloudManager &) = delete;

    // [any thread] Queue a connect; done runs on the I/O thread with the proxy or the error.
    ManagerOpId connect_async(const std::string &agent_id, ConnectCallback done);
    // [any thread] Queue a disconnect (a connect still in progress is aborted). done gets Ok
    // also when there was nothing to disconnect; a failed final snapshot is not an error.
    ManagerOpId disconnect_async(DoneCallback done);
    // [any thread] A queued operation completes Cancelled; a running connect is aborted.
    void cancel(ManagerOpId id);

    // [not on the I/O thread] Wait for the async forms; throw Error. wait_ms < 0 = no extra
    // limit (the operations' own timeouts apply); when it runs out the operation is cancelled.
    std::shared_ptr<CloudRuntimeProxy> connect(const std::string &agent_id, int64_t wait_ms = -1);
    void disconnect(int64_t wait_ms = -1);

    // [any thread] Snapshots of the state, safe to call any time.
    ConnectionState status() const { return state_.load(); }
    std::optional<std::string> active_agent() const;
    std::shared_ptr<CloudRuntimeProxy> proxy() const;
    std::shared_ptr<BackupScheduler> backups() const;
    std::shared_ptr<ConnectionMonitor> monitor() const;
    bool is_enabled() const { return options_.enabled; }
    const std::shared_ptr<Engine> &engine() const { return engine_; }

    // [any thread] Cancels every queued and running operation and drops the session without a
    // final snapshot (for handle destruction). Listeners are not called after it returns, and
    // later operations fail with Cancelled.
    void shutdown();

private:
    struct Op;
    CloudManager(std::shared_ptr<Engine> engine, std::shared_ptr<AgentOps> ops,
                 AgentOpsFactory factory, CloudManagerOptions options,
                 CloudManagerListeners listeners);

    // All [I/O thread].
    void enqueue(std::shared_ptr<Op> op);
    void next();
    void run_connect(const std::shared_ptr<Op> &op);
    void begin_connect(const std::shared_ptr<Op> &op);
    void on_provisioned(uint64_t session, OpResult &&result);
    void on_agent(uint64_t session, OpResult &&result);
    void fail_connect(ErrorInfo error);
    void run_disconnect(const std::shared_ptr<Op> &op);
    void teardown(bool final_snapshot, std::function<void()> then);
    void drop_session();
    void on_monitor(uint64_t session, const MonitorEvent &event);
    void finish(std::shared_ptr<Op> op, const ErrorInfo &error);
    void abort_current_connect(const char *why);
    // agent: the agent the change is about when it is no longer agent_id_.
    void set_state(ConnectionState state, ErrorInfo error = {}, int attempt = 0,
                   int64_t next_delay_ms = -1, const std::string *agent = nullptr);
    // Clears the agent (and the readers' copies), then reports disconnected for it.
    void end_session(ErrorInfo error, int attempt = 0);
    void shutdown_io();
    void publish();

    const std::shared_ptr<Engine> engine_;
    std::shared_ptr<AgentOps> ops_;  // [I/O thread] built by factory_ on first connect
    const AgentOpsFactory factory_;
    const CloudManagerOptions options_;
    CloudManagerListeners listeners_;  // [I/O thread] cleared by shutdown

    // [I/O thread] the operation queue.
    std::atomic<ManagerOpId> next_op_id_{1};
    std::deque<std::shared_ptr<Op>> queue_;
    std::shared_ptr<Op> current_;
    bool in_next_ = false;
    bool shut_down_ = false;
    uint64_t teardown_ = 0;  // identifies the teardown a final snapshot continues

    // [I/O thread] the session. session_ changes whenever a session starts or ends, so late
    // completions and monitor events of an old session are recognised and ignored.
    uint64_t session_ = 0;
    std::string agent_id_;
    OperationId step_op_ = 0;  // provision or get_agent in flight during connect
    std::shared_ptr<CloudRuntimeProxy> proxy_;
    std::shared_ptr<BackupScheduler> backup_;
    bool snapshots_ = true;  // false for a shared-runtime agent (no container to back up)
    std::shared_ptr<ConnectionMonitor> monitor_;
    int last_attempt_ = 0;

    std::atomic<ConnectionState> state_{ConnectionState::Disconnected};
    // Copies for readers on other threads, updated on the I/O thread by publish().
    mutable std::mutex mirror_mutex_;
    std::string mirror_agent_;
    std::shared_ptr<CloudRuntimeProxy> mirror_proxy_;
    std::shared_ptr<BackupScheduler> mirror_backup_;
    std::shared_ptr<ConnectionMonitor> mirror_monitor_;
};

}  // namespace elizacloud
