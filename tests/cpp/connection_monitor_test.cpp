// ConnectionMonitor in virtual time: exact heartbeat cadence, failure threshold, backoff delays,
// exhaustion, recovery, no overlap, and stop() cancelling a reconnect at once.
#include "session/connection_monitor.hpp"

#include <gtest/gtest.h>

#include "orchestration_fixture.hpp"

namespace elizacloud::testing {
namespace {

using Kind = MonitorEvent::Kind;

class ConnectionMonitorTest : public VirtualTimeTest {
protected:
    std::shared_ptr<ConnectionMonitor> make(MonitorOptions options = {}) {
        return ConnectionMonitor::create(engine_, ops_, "agent-1", options,
                                         [this](const MonitorEvent &e) {
                                             std::lock_guard<std::mutex> lock(mutex_);
                                             events_.push_back(e);
                                         });
    }
    std::vector<MonitorEvent> events() {
        std::lock_guard<std::mutex> lock(mutex_);
        return events_;
    }
    std::vector<Kind> kinds() {
        std::vector<Kind> out;
        for (auto &e : events()) out.push_back(e.kind);
        return out;
    }

    std::mutex mutex_;
    std::vector<MonitorEvent> events_;
};

TEST(ReconnectDelay, DoublesFromThreeSecondsCappedAtSixty) {
    MonitorOptions o;
    std::vector<int64_t> delays;
    for (int attempt = 1; attempt <= 10; ++attempt)
        delays.push_back(reconnect_delay_ms(o, attempt));
    EXPECT_EQ(delays, (std::vector<int64_t>{3000, 6000, 12000, 24000, 48000, 60000, 60000, 60000,
                                            60000, 60000}));
}

TEST_F(ConnectionMonitorTest, FirstHeartbeatAfterOneIntervalThenEveryInterval) {
    auto monitor = make();
    EXPECT_FALSE(monitor->is_monitoring());
    monitor->start();
    EXPECT_TRUE(monitor->is_monitoring());
    advance(29'500);
    EXPECT_EQ(ops_->count(OpKind::Heartbeat), 0u);
    advance(90'500);
    EXPECT_EQ(ops_->times(OpKind::Heartbeat), (std::vector<int64_t>{30000, 60000, 90000, 120000}));
    EXPECT_TRUE(events().empty());  // healthy heartbeats say nothing
    EXPECT_TRUE(
        logged("[cloud-monitor] Starting connection monitor (interval: 30000ms, maxFailures: 3)"));
    monitor->stop();
    EXPECT_FALSE(monitor->is_monitoring());
    EXPECT_TRUE(logged("[cloud-monitor] Connection monitor stopped"));
    EXPECT_EQ(extra_timers(), 0u);
}

TEST_F(ConnectionMonitorTest, ThreeFailuresStartReconnectingAtOnce) {
    ops_->set_default(OpKind::Heartbeat, Outcome::fail(Status::Server, "HTTP 503"));
    ops_->set_default(OpKind::Provision, Outcome::held());
    auto monitor = make();
    monitor->start();
    advance(90'000);
    EXPECT_EQ(kinds(), (std::vector<Kind>{Kind::HeartbeatFailed, Kind::HeartbeatFailed,
                                          Kind::HeartbeatFailed, Kind::Reconnecting}));
    auto e = events().back();
    EXPECT_EQ(e.attempt, 1);
    EXPECT_EQ(e.next_delay_ms, 0);
    EXPECT_EQ(e.failures, 3);
    EXPECT_EQ(e.error.message, "HTTP 503");
    EXPECT_EQ(ops_->times(OpKind::Provision), (std::vector<int64_t>{90000}));
    EXPECT_TRUE(monitor->is_reconnecting());
    EXPECT_TRUE(logged("[cloud-monitor] Heartbeat failed (1/3)"));
    EXPECT_TRUE(logged("[cloud-monitor] Heartbeat failed (3/3)"));
    EXPECT_TRUE(logged("[cloud-monitor] Reconnect attempt 1/10..."));
    // No heartbeat while reconnecting.
    advance(120'000);
    EXPECT_EQ(ops_->count(OpKind::Heartbeat), 3u);
    monitor->stop();
}

TEST_F(ConnectionMonitorTest, BackoffDelaysAreExactAndExhaustionStopsForGood) {
    ops_->set_default(OpKind::Heartbeat, Outcome::fail(Status::Server, "down"));
    ops_->set_default(OpKind::Provision, Outcome::fail(Status::Server, "still down"));
    auto monitor = make();
    monitor->start();
    advance(90'000 + 400'000, 1000);
    auto attempts = ops_->times(OpKind::Provision);
    ASSERT_EQ(attempts.size(), 10u);
    EXPECT_EQ(attempts.front(), 90000);
    EXPECT_EQ(gaps(attempts),
              (std::vector<int64_t>{3000, 6000, 12000, 24000, 48000, 60000, 60000, 60000, 60000}));
    auto evs = events();
    ASSERT_EQ(evs.back().kind, Kind::GaveUp);
    EXPECT_EQ(evs.back().attempt, 10);
    EXPECT_EQ(evs.back().error.message, "still down");
    // AttemptFailed k announces attempt k+1 and its delay.
    std::vector<int64_t> announced;
    for (auto &e : evs) {
        if (e.kind == Kind::AttemptFailed) announced.push_back(e.next_delay_ms);
    }
    EXPECT_EQ(announced,
              (std::vector<int64_t>{3000, 6000, 12000, 24000, 48000, 60000, 60000, 60000, 60000}));
    EXPECT_TRUE(logged("[cloud-monitor] Failed to reconnect after 10 attempts"));
    EXPECT_FALSE(monitor->is_monitoring());
    EXPECT_FALSE(monitor->is_reconnecting());
    EXPECT_EQ(extra_timers(), 0u);
    // Terminal (G18): no new heartbeat, no new cycle, however long we wait.
    size_t heartbeats = ops_->count(OpKind::Heartbeat);
    advance(600'000, 5000);
    EXPECT_EQ(ops_->count(OpKind::Heartbeat), heartbeats);
    EXPECT_EQ(ops_->count(OpKind::Provision), 10u);
}

TEST_F(ConnectionMonitorTest, ReconnectSuccessResumesHeartbeats) {
    ops_->push(OpKind::Heartbeat, Outcome::fail(Status::Network, "reset"));
    ops_->push(OpKind::Heartbeat, Outcome::fail(Status::Network, "reset"));
    ops_->push(OpKind::Heartbeat, Outcome::fail(Status::Network, "reset"));
    ops_->push(OpKind::Provision, Outcome::fail(Status::Server, "nope"));
    ops_->push(OpKind::Provision, Outcome::ok());
    auto monitor = make();
    monitor->start();
    advance(93'000);
    EXPECT_EQ(kinds(), (std::vector<Kind>{Kind::HeartbeatFailed, Kind::HeartbeatFailed,
                                          Kind::HeartbeatFailed, Kind::Reconnecting,
                                          Kind::AttemptFailed, Kind::Reconnected}));
    EXPECT_EQ(events().back().attempt, 2);
    EXPECT_EQ(ops_->times(OpKind::Provision), (std::vector<int64_t>{90000, 93000}));
    EXPECT_FALSE(monitor->is_reconnecting());
    // Heartbeats resume one interval after the reconnect, with a fresh failure count.
    advance(30'000);
    auto hb = ops_->times(OpKind::Heartbeat);
    EXPECT_EQ(hb.back(), 123000);
    EXPECT_EQ(events().size(), 6u);
    monitor->stop();
    EXPECT_EQ(extra_timers(), 0u);
}

TEST_F(ConnectionMonitorTest, SuccessBeforeThresholdResetsTheCount) {
    for (int round = 0; round < 3; ++round) {
        ops_->push(OpKind::Heartbeat, Outcome::fail(Status::Timeout, "slow"));
        ops_->push(OpKind::Heartbeat, Outcome::fail(Status::Timeout, "slow"));
        ops_->push(OpKind::Heartbeat, Outcome::ok());
    }
    auto monitor = make();
    monitor->start();
    advance(9 * 30'000 + 60'000);
    EXPECT_EQ(ops_->count(OpKind::Provision), 0u);
    EXPECT_EQ(kinds(),
              (std::vector<Kind>{Kind::HeartbeatFailed, Kind::HeartbeatFailed, Kind::Recovered,
                                 Kind::HeartbeatFailed, Kind::HeartbeatFailed, Kind::Recovered,
                                 Kind::HeartbeatFailed, Kind::HeartbeatFailed, Kind::Recovered}));
    EXPECT_EQ(events()[2].failures, 2);
    monitor->stop();
}

TEST_F(ConnectionMonitorTest, SlowHeartbeatsNeverOverlap) {
    ops_->set_default(OpKind::Heartbeat, Outcome::ok("{}", 75'000));  // 2.5 intervals
    auto monitor = make();
    monitor->start();
    advance(300'000);
    EXPECT_EQ(ops_->max_in_flight(OpKind::Heartbeat), 1);
    EXPECT_EQ(monitor->counters().max_in_flight, 1);
    // Sent at 30 s, answered at 105 s; the next tick at 120 s, answered at 195 s; then 210 s.
    EXPECT_EQ(ops_->times(OpKind::Heartbeat),
              (std::vector<int64_t>{30000, 120000, 210000, 300000}));
    EXPECT_EQ(monitor->counters().skipped, 6u);
    monitor->stop();
    settle();
    EXPECT_EQ(ops_->pending(), 0u);  // the heartbeat in flight was cancelled
}

TEST_F(ConnectionMonitorTest, StopCancelsReconnectInFlightAtOnce) {
    ops_->set_default(OpKind::Heartbeat, Outcome::fail(Status::Server, "down"));
    ops_->set_default(OpKind::Provision, Outcome::held());
    auto monitor = make();
    monitor->start();
    advance(90'000);
    ASSERT_EQ(ops_->in_flight(OpKind::Provision), 1);
    size_t before = events().size();
    monitor->stop();
    settle();
    EXPECT_EQ(ops_->in_flight(OpKind::Provision), 0);
    EXPECT_EQ(ops_->cancelled(), 1u);
    EXPECT_EQ(extra_timers(), 0u);
    advance(600'000, 5000);
    EXPECT_EQ(events().size(), before);  // nothing after stop
    EXPECT_EQ(ops_->count(OpKind::Provision), 1u);
}

TEST_F(ConnectionMonitorTest, StopDuringBackoffSleepCancelsTheTimer) {
    ops_->set_default(OpKind::Heartbeat, Outcome::fail(Status::Server, "down"));
    ops_->set_default(OpKind::Provision, Outcome::fail(Status::Server, "down"));
    auto monitor = make();
    monitor->start();
    advance(91'000);  // attempt 1 failed at 90 s; attempt 2 due at 93 s
    ASSERT_EQ(ops_->count(OpKind::Provision), 1u);
    EXPECT_EQ(extra_timers(), 1u);  // the backoff sleep (no heartbeat timer while reconnecting)
    monitor->stop();
    EXPECT_EQ(extra_timers(), 0u);
    advance(120'000, 5000);
    EXPECT_EQ(ops_->count(OpKind::Provision), 1u);
}

TEST_F(ConnectionMonitorTest, RestartAfterStopStartsFresh) {
    ops_->push(OpKind::Heartbeat, Outcome::fail(Status::Server, "down"));
    ops_->push(OpKind::Heartbeat, Outcome::fail(Status::Server, "down"));
    auto monitor = make();
    monitor->start();
    monitor->start();  // no-op
    advance(60'000);
    monitor->stop();
    monitor->start();
    ops_->push(OpKind::Heartbeat, Outcome::fail(Status::Server, "down"));
    advance(30'000);
    // The count restarted: one failure after the restart, not three in a row.
    EXPECT_EQ(events().back().failures, 1);
    EXPECT_EQ(ops_->count(OpKind::Provision), 0u);
    monitor->stop();
}

TEST_F(ConnectionMonitorTest, ConfigurableThresholdAndDelays) {
    MonitorOptions o;
    o.heartbeat_interval_ms = 50;
    o.max_failures = 2;
    o.max_attempts = 4;
    o.initial_delay_ms = 100;
    o.max_delay_ms = 250;
    ops_->set_default(OpKind::Heartbeat, Outcome::fail(Status::Server, "down"));
    ops_->set_default(OpKind::Provision, Outcome::fail(Status::Server, "down"));
    auto monitor = make(o);
    monitor->start();
    advance(2'000, 10);
    auto attempts = ops_->times(OpKind::Provision);
    ASSERT_EQ(attempts.size(), 4u);
    EXPECT_EQ(attempts.front(), 100);
    EXPECT_EQ(gaps(attempts), (std::vector<int64_t>{100, 200, 250}));
    EXPECT_EQ(events().back().kind, Kind::GaveUp);
    EXPECT_TRUE(logged("Reconnect attempt 4/4..."));
}

TEST_F(ConnectionMonitorTest, ListenerMayStopTheMonitor) {
    ops_->set_default(OpKind::Heartbeat, Outcome::fail(Status::Server, "down"));
    std::shared_ptr<ConnectionMonitor> monitor;
    std::weak_ptr<ConnectionMonitor> weak;
    monitor =
        ConnectionMonitor::create(engine_, ops_, "agent-1", {}, [&weak](const MonitorEvent &e) {
            if (e.kind == Kind::HeartbeatFailed && e.failures == 3) {
                if (auto m = weak.lock()) m->stop();
            }
        });
    weak = monitor;
    monitor->start();
    advance(200'000);
    EXPECT_FALSE(monitor->is_monitoring());
    EXPECT_EQ(ops_->count(OpKind::Provision), 0u);
    EXPECT_EQ(extra_timers(), 0u);
}

TEST_F(ConnectionMonitorTest, DestroyingTheMonitorStopsIt) {
    ops_->set_default(OpKind::Heartbeat, Outcome::held());
    auto monitor = make();
    monitor->start();
    advance(30'000);
    ASSERT_EQ(ops_->in_flight(OpKind::Heartbeat), 1);
    monitor.reset();
    settle();
    EXPECT_EQ(ops_->in_flight(OpKind::Heartbeat), 0);
    EXPECT_EQ(extra_timers(), 0u);
}

}  // namespace
}  // namespace elizacloud::testing
