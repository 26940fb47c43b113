// ConnectionMonitor (SPEC §2.6, R152–R160): heartbeats one cloud agent and, after max_failures
// consecutive failures, tries to get it back by re-provisioning with exponential backoff.
//
// Fixes over the reference (G18, G20): heartbeats never overlap (a tick that finds one in flight
// is skipped), no heartbeat runs while reconnecting, stop() cancels a reconnect in flight (its
// request and its backoff timer) at once, and exhaustion is terminal: the monitor stops instead
// of starting a new cycle on the next failed heartbeat.
//
// Sequence with the defaults: failures 1..3 → Reconnecting (attempt 1 runs at once) → attempt k
// fails → AttemptFailed(k, next delay) and attempt k+1 after 3 000, 6 000, 12 000, 24 000,
// 48 000, 60 000, 60 000… ms → Reconnected on the first success (heartbeats resume one interval
// later), or GaveUp after the 10th failure (no sleep after it).
//
// Threading: state lives on the engine's I/O thread. start/stop may be called from any thread
// and take effect before they return. Events run on the I/O thread, cheap and non-blocking; an
// event handler may call stop().
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "api/agent_ops.hpp"
#include "net/engine.hpp"

namespace elizacloud {

struct MonitorOptions {
    int64_t heartbeat_interval_ms = 30'000;  // cloud.bridge.heartbeatIntervalMs
    int max_failures = 3;                    // consecutive failures before reconnecting
    int max_attempts = 10;                   // reconnect attempts before giving up
    int64_t initial_delay_ms = 3'000;        // after the first failed attempt, doubling
    int64_t max_delay_ms = 60'000;           // cap on that delay
};

// The delay after failed attempt `attempt` (1-based): initial * 2^(attempt-1), capped.
int64_t reconnect_delay_ms(const MonitorOptions &options, int attempt);

struct MonitorEvent {
    enum class Kind {
        HeartbeatFailed,  // failures = consecutive failures so far (below the threshold or at it)
        Recovered,        // a heartbeat succeeded after 1..max_failures-1 failures
        Reconnecting,     // threshold reached; attempt = 1 starts now (next_delay_ms = 0)
        AttemptFailed,    // attempt failed; attempt + 1 runs after next_delay_ms
        Reconnected,      // attempt succeeded; heartbeats resume
        GaveUp,           // attempt (= max_attempts) failed; the monitor has stopped
    };
    Kind kind = Kind::HeartbeatFailed;
    int failures = 0;
    int attempt = 0;
    int64_t next_delay_ms = -1;
    ErrorInfo error;  // the failure behind HeartbeatFailed, Reconnecting, AttemptFailed, GaveUp
};
using MonitorListener = std::function<void(const MonitorEvent &)>;

struct MonitorCounters {
    uint64_t heartbeats = 0;  // heartbeats completed (ok or not)
    uint64_t heartbeat_failures = 0;
    uint64_t skipped = 0;   // ticks skipped because a heartbeat was still in flight
    uint64_t attempts = 0;  // reconnect attempts started
    int max_in_flight = 0;  // most heartbeats ever in flight at once (1 = no overlap)
};

class ConnectionMonitor : public std::enable_shared_from_this<ConnectionMonitor> {
public:
    static std::shared_ptr<ConnectionMonitor> create(std::shared_ptr<Engine> engine,
                                                     std::shared_ptr<AgentOps> ops,
                                                     std::string agent_id,
                                                     MonitorOptions options = {},
                                                     MonitorListener listener = {});
    // Same as stop().
    ~ConnectionMonitor();
    ConnectionMonitor(const ConnectionMonitor &) = delete;
    ConnectionMonitor &operator=(const ConnectionMonitor &) = delete;

    // [any thread] First heartbeat one interval later. A no-op while monitoring.
    void start();
    // [any thread] Cancels the heartbeat timer, a heartbeat in flight and a reconnect in flight
    // (request and backoff timer). No event after it returns. Restart with start().
    void stop();
    bool is_monitoring() const { return monitoring_.load(); }
    bool is_reconnecting() const { return reconnecting_.load(); }
    const std::string &agent_id() const { return agent_id_; }
    MonitorCounters counters() const;

private:
    ConnectionMonitor(std::shared_ptr<Engine> engine, std::shared_ptr<AgentOps> ops,
                      std::string agent_id, MonitorOptions options, MonitorListener listener);

    // All [I/O thread].
    void start_io();
    void stop_io();
    void arm_heartbeat();
    void tick(uint64_t generation);
    void on_heartbeat(uint64_t generation, OpResult &&result);
    void begin_reconnect(ErrorInfo cause);
    void attempt(uint64_t generation);
    void on_attempt(uint64_t generation, OpResult &&result);
    void emit(MonitorEvent event);

    const std::shared_ptr<Engine> engine_;
    const std::shared_ptr<AgentOps> ops_;
    const std::string agent_id_;
    const MonitorOptions options_;
    const MonitorListener listener_;

    // [I/O thread] generation_ changes on every start and stop, so completions and timers of an
    // earlier run are recognised as stale even if they were already queued.
    uint64_t generation_ = 0;
    bool running_ = false;
    int failures_ = 0;
    int attempt_ = 0;
    TimerId heartbeat_timer_ = 0;
    TimerId backoff_timer_ = 0;
    OperationId heartbeat_op_ = 0;
    OperationId reconnect_op_ = 0;
    int in_flight_ = 0;

    std::atomic<bool> monitoring_{false};
    std::atomic<bool> reconnecting_{false};
    std::atomic<uint64_t> heartbeats_{0};
    std::atomic<uint64_t> heartbeat_failures_{0};
    std::atomic<uint64_t> skipped_{0};
    std::atomic<uint64_t> attempts_{0};
    std::atomic<int> max_in_flight_{0};
};

}  // namespace elizacloud
