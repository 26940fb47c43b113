#include "session/connection_monitor.hpp"

#include <algorithm>
#include <utility>

#include "net/io_wait.hpp"
#include "util/log.hpp"

namespace elizacloud {

int64_t reconnect_delay_ms(const MonitorOptions &options, int attempt) {
    int64_t delay = std::max<int64_t>(options.initial_delay_ms, 0);
    for (int i = 1; i < attempt && delay < options.max_delay_ms; ++i) delay *= 2;
    return std::min(delay, options.max_delay_ms);
}

std::shared_ptr<ConnectionMonitor> ConnectionMonitor::create(std::shared_ptr<Engine> engine,
                                                             std::shared_ptr<AgentOps> ops,
                                                             std::string agent_id,
                                                             MonitorOptions options,
                                                             MonitorListener listener) {
    return std::shared_ptr<ConnectionMonitor>(new ConnectionMonitor(
        std::move(engine), std::move(ops), std::move(agent_id), options, std::move(listener)));
}

ConnectionMonitor::ConnectionMonitor(std::shared_ptr<Engine> engine, std::shared_ptr<AgentOps> ops,
                                     std::string agent_id, MonitorOptions options,
                                     MonitorListener listener)
    : engine_(std::move(engine)),
      ops_(std::move(ops)),
      agent_id_(std::move(agent_id)),
      options_(options),
      listener_(std::move(listener)) {}

ConnectionMonitor::~ConnectionMonitor() {
    run_on_io(*engine_, [this] { stop_io(); });
}

void ConnectionMonitor::start() {
    run_on_io(*engine_, [self = shared_from_this()] { self->start_io(); });
}

void ConnectionMonitor::stop() {
    run_on_io(*engine_, [self = shared_from_this()] { self->stop_io(); });
}

MonitorCounters ConnectionMonitor::counters() const {
    MonitorCounters c;
    c.heartbeats = heartbeats_.load();
    c.heartbeat_failures = heartbeat_failures_.load();
    c.skipped = skipped_.load();
    c.attempts = attempts_.load();
    c.max_in_flight = max_in_flight_.load();
    return c;
}

void ConnectionMonitor::start_io() {
    if (running_) return;
    running_ = true;
    ++generation_;
    failures_ = 0;
    attempt_ = 0;
    monitoring_.store(true);
    log::info("[cloud-monitor] Starting connection monitor (interval: {}ms, maxFailures: {})",
              options_.heartbeat_interval_ms, options_.max_failures);
    arm_heartbeat();
}

void ConnectionMonitor::stop_io() {
    if (!running_) return;
    running_ = false;
    ++generation_;  // whatever is still queued for the old run is now stale
    if (heartbeat_timer_ != 0) engine_->cancel_timer(heartbeat_timer_);
    if (backoff_timer_ != 0) engine_->cancel_timer(backoff_timer_);
    heartbeat_timer_ = backoff_timer_ = 0;
    if (heartbeat_op_ != 0) {
        --in_flight_;
        ops_->cancel(std::exchange(heartbeat_op_, 0));
    }
    if (reconnect_op_ != 0) ops_->cancel(std::exchange(reconnect_op_, 0));
    failures_ = 0;
    attempt_ = 0;
    reconnecting_.store(false);
    monitoring_.store(false);
    log::info("[cloud-monitor] Connection monitor stopped");
}

void ConnectionMonitor::arm_heartbeat() {
    std::weak_ptr<ConnectionMonitor> weak = weak_from_this();
    uint64_t generation = generation_;
    heartbeat_timer_ = engine_->set_timer(
        options_.heartbeat_interval_ms,
        [weak, generation] {
            if (auto self = weak.lock()) self->tick(generation);
        },
        options_.heartbeat_interval_ms);
}

void ConnectionMonitor::tick(uint64_t generation) {
    if (generation != generation_ || !running_ || attempt_ != 0) return;
    if (heartbeat_op_ != 0) {
        // The previous heartbeat has not answered yet: never overlap, never count it twice.
        skipped_.fetch_add(1);
        log::debug("[cloud-monitor] Heartbeat still in flight; skipping this tick");
        return;
    }
    ++in_flight_;
    if (in_flight_ > max_in_flight_.load()) max_in_flight_.store(in_flight_);
    std::weak_ptr<ConnectionMonitor> weak = weak_from_this();
    heartbeat_op_ = ops_->heartbeat(agent_id_, [weak, generation](OpResult &&result) {
        if (auto self = weak.lock()) self->on_heartbeat(generation, std::move(result));
    });
}

void ConnectionMonitor::on_heartbeat(uint64_t generation, OpResult &&result) {
    if (generation != generation_ || heartbeat_op_ == 0) return;
    heartbeat_op_ = 0;
    --in_flight_;
    heartbeats_.fetch_add(1);
    if (result.error.ok()) {
        if (failures_ == 0) return;  // the common case: nothing to say
        MonitorEvent event;
        event.kind = MonitorEvent::Kind::Recovered;
        event.failures = std::exchange(failures_, 0);
        log::info("[cloud-monitor] Heartbeat recovered after {} failure(s)", event.failures);
        emit(std::move(event));
        return;
    }
    heartbeat_failures_.fetch_add(1);
    ++failures_;
    log::warn("[cloud-monitor] Heartbeat failed ({}/{})", failures_, options_.max_failures);
    MonitorEvent event;
    event.kind = MonitorEvent::Kind::HeartbeatFailed;
    event.failures = failures_;
    event.error = result.error;
    bool threshold = failures_ >= options_.max_failures;
    emit(std::move(event));
    // The handler may have stopped us.
    if (threshold && generation == generation_ && running_)
        begin_reconnect(std::move(result.error));
}

void ConnectionMonitor::begin_reconnect(ErrorInfo cause) {
    // No heartbeats while reconnecting: the attempts are the probe.
    if (heartbeat_timer_ != 0) engine_->cancel_timer(std::exchange(heartbeat_timer_, 0));
    attempt_ = 1;
    reconnecting_.store(true);
    MonitorEvent event;
    event.kind = MonitorEvent::Kind::Reconnecting;
    event.failures = failures_;
    event.attempt = 1;
    event.next_delay_ms = 0;
    event.error = std::move(cause);
    uint64_t generation = generation_;
    emit(std::move(event));
    if (generation == generation_) attempt(generation);
}

void ConnectionMonitor::attempt(uint64_t generation) {
    backoff_timer_ = 0;
    if (generation != generation_ || !running_) return;
    attempts_.fetch_add(1);
    log::info("[cloud-monitor] Reconnect attempt {}/{}...", attempt_, options_.max_attempts);
    std::weak_ptr<ConnectionMonitor> weak = weak_from_this();
    reconnect_op_ = ops_->provision(agent_id_, [weak, generation](OpResult &&result) {
        if (auto self = weak.lock()) self->on_attempt(generation, std::move(result));
    });
}

void ConnectionMonitor::on_attempt(uint64_t generation, OpResult &&result) {
    if (generation != generation_ || reconnect_op_ == 0) return;
    reconnect_op_ = 0;
    MonitorEvent event;
    event.attempt = attempt_;
    if (result.error.ok()) {
        log::info("[cloud-monitor] Reconnected on attempt {}", attempt_);
        failures_ = 0;
        attempt_ = 0;
        reconnecting_.store(false);
        arm_heartbeat();
        event.kind = MonitorEvent::Kind::Reconnected;
        emit(std::move(event));
        return;
    }
    log::warn("[cloud-monitor] Reconnect attempt {}/{} failed: {}", attempt_, options_.max_attempts,
              result.error.message);
    event.error = std::move(result.error);
    if (attempt_ >= options_.max_attempts) {
        log::error("[cloud-monitor] Failed to reconnect after {} attempts", attempt_);
        // Terminal (G18): stop before reporting, so the handler sees a stopped monitor and
        // nothing restarts a cycle behind the host's back.
        stop_io();
        event.kind = MonitorEvent::Kind::GaveUp;
        emit(std::move(event));
        return;
    }
    event.kind = MonitorEvent::Kind::AttemptFailed;
    event.next_delay_ms = reconnect_delay_ms(options_, attempt_);
    ++attempt_;
    std::weak_ptr<ConnectionMonitor> weak = weak_from_this();
    backoff_timer_ = engine_->set_timer(event.next_delay_ms, [weak, generation] {
        if (auto self = weak.lock()) self->attempt(generation);
    });
    emit(std::move(event));
}

void ConnectionMonitor::emit(MonitorEvent event) {
    if (listener_) listener_(event);
}

}  // namespace elizacloud
