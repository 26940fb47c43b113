// CloudManager and CloudRuntimeProxy over a scripted AgentOps: the state machine's exact event
// sequences in virtual time, failure clean-up, serialisation, and a multi-thread race on the
// real clock.
#include "session/cloud_manager.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <thread>

#include "net/io_wait.hpp"
#include "orchestration_fixture.hpp"

namespace elizacloud::testing {
namespace {

using S = ConnectionState;
const std::string kAgentA = "11111111-1111-4111-8111-111111111111";
const std::string kAgentB = "22222222-2222-4222-8222-222222222222";

class CloudManagerTest : public VirtualTimeTest {
protected:
    std::shared_ptr<CloudManager> make(CloudManagerOptions options = {}) {
        CloudManagerListeners listeners;
        listeners.on_state = [this](const StateChange &c) {
            std::lock_guard<std::mutex> lock(mutex_);
            changes_.push_back(c);
        };
        listeners.on_backup = [this](const BackupEvent &e) {
            std::lock_guard<std::mutex> lock(mutex_);
            backups_.push_back(e);
        };
        listeners.on_progress = [this](const std::string &, const JobProgress &p) {
            std::lock_guard<std::mutex> lock(mutex_);
            progress_.push_back(p.status);
        };
        return CloudManager::create(engine_, ops_, options, listeners);
    }
    std::vector<S> states() {
        std::lock_guard<std::mutex> lock(mutex_);
        std::vector<S> out;
        for (auto &c : changes_) out.push_back(c.new_state);
        return out;
    }
    std::vector<StateChange> changes() {
        std::lock_guard<std::mutex> lock(mutex_);
        return changes_;
    }
    void clear_changes() {
        std::lock_guard<std::mutex> lock(mutex_);
        changes_.clear();
    }
    // Connect asynchronously and settle (virtual time does not move by itself).
    std::pair<ErrorInfo, std::shared_ptr<CloudRuntimeProxy>> connect(CloudManager &m,
                                                                     const std::string &agent) {
        std::pair<ErrorInfo, std::shared_ptr<CloudRuntimeProxy>> out;
        out.first = ErrorInfo::make(Status::Internal, "did not complete");
        m.connect_async(agent, [&out](const ErrorInfo &e, std::shared_ptr<CloudRuntimeProxy> p) {
            out = {e, std::move(p)};
        });
        settle();
        return out;
    }
    std::optional<ErrorInfo> disconnect(CloudManager &m, int64_t advance_ms = 0) {
        std::optional<ErrorInfo> out;
        m.disconnect_async([&out](const ErrorInfo &e) { out = e; });
        settle();
        if (advance_ms > 0) advance(advance_ms);
        return out;
    }

    std::mutex mutex_;
    std::vector<StateChange> changes_;
    std::vector<BackupEvent> backups_;
    std::vector<std::string> progress_;
};

TEST_F(CloudManagerTest, InitialState) {
    auto m = make();
    EXPECT_EQ(m->status(), S::Disconnected);
    EXPECT_FALSE(m->active_agent().has_value());
    EXPECT_EQ(m->proxy(), nullptr);
    EXPECT_TRUE(m->is_enabled());
    CloudManagerOptions off;
    off.enabled = false;
    EXPECT_FALSE(make(off)->is_enabled());
    EXPECT_STREQ(state_name(S::Reconnecting), "reconnecting");
}

TEST_F(CloudManagerTest, ConnectHappyPath) {
    auto m = make();
    auto [error, proxy] = connect(*m, kAgentA);
    ASSERT_TRUE(error.ok()) << error.message;
    ASSERT_NE(proxy, nullptr);
    EXPECT_EQ(proxy->agent_name(), "TestBot");
    EXPECT_EQ(proxy->agent_id(), kAgentA);
    EXPECT_EQ(states(), (std::vector<S>{S::Connecting, S::Connected}));
    auto c = changes();
    EXPECT_EQ(c[0].previous_state, S::Disconnected);
    EXPECT_EQ(c[1].previous_state, S::Connecting);
    EXPECT_EQ(c[1].agent_id, kAgentA);
    EXPECT_EQ(c[1].attempt, 0);
    EXPECT_EQ(c[1].next_delay_ms, -1);
    EXPECT_EQ(m->status(), S::Connected);
    EXPECT_EQ(m->active_agent(), kAgentA);
    EXPECT_EQ(m->proxy(), proxy);
    ASSERT_NE(m->backups(), nullptr);
    EXPECT_TRUE(m->backups()->is_running());
    EXPECT_TRUE(m->monitor()->is_monitoring());
    EXPECT_EQ(ops_->count(OpKind::Provision), 1u);
    EXPECT_EQ(ops_->count(OpKind::GetAgent), 1u);
    EXPECT_EQ(progress_, (std::vector<std::string>{"in_progress"}));
    EXPECT_EQ(extra_timers(), 2u);  // one backup schedule, one heartbeat
    // Backups and heartbeats run on their intervals.
    advance(60'000);
    EXPECT_EQ(ops_->count(OpKind::Heartbeat), 2u);
    EXPECT_EQ(ops_->count(OpKind::Snapshot), 1u);
    EXPECT_EQ(backups_.size(), 1u);
}

TEST_F(CloudManagerTest, ConnectFailureStopsEverythingAndReportsTheError) {
    ops_->push(OpKind::Provision, Outcome::fail(Status::ProvisionFailed, "provision failed"));
    auto m = make();
    auto [error, proxy] = connect(*m, kAgentA);
    EXPECT_EQ(error.status, Status::ProvisionFailed);
    EXPECT_EQ(error.message, "provision failed");  // unchanged (R135)
    EXPECT_EQ(proxy, nullptr);
    EXPECT_EQ(states(), (std::vector<S>{S::Connecting, S::Error, S::Disconnected}));
    EXPECT_EQ(changes()[1].error.message, "provision failed");
    EXPECT_EQ(changes()[2].error.status, Status::ProvisionFailed);
    EXPECT_EQ(m->status(), S::Disconnected);
    EXPECT_FALSE(m->active_agent().has_value());
    EXPECT_EQ(m->proxy(), nullptr);
    EXPECT_EQ(extra_timers(), 0u);
    // The client stays usable: the next connect works.
    auto again = connect(*m, kAgentA);
    EXPECT_TRUE(again.first.ok());
}

TEST_F(CloudManagerTest, GetAgentFailureAlsoCleansUp) {
    ops_->push(OpKind::GetAgent, Outcome::fail(Status::NotFound, "Agent not found"));
    auto m = make();
    auto [error, proxy] = connect(*m, kAgentA);
    EXPECT_EQ(error.status, Status::NotFound);
    EXPECT_EQ(states(), (std::vector<S>{S::Connecting, S::Error, S::Disconnected}));
    EXPECT_EQ(extra_timers(), 0u);
    EXPECT_EQ(ops_->pending(), 0u);
}

TEST_F(CloudManagerTest, FactoryErrorIsAConnectFailure) {
    CloudManagerListeners listeners;
    listeners.on_state = [this](const StateChange &c) {
        std::lock_guard<std::mutex> lock(mutex_);
        changes_.push_back(c);
    };
    auto m = CloudManager::create(
        engine_, AgentOpsFactory([]() -> std::shared_ptr<AgentOps> {
            throw Error(Status::Unauthorized,
                        "Cloud API key is not configured. Run cloud login first.");
        }),
        {}, listeners);
    auto [error, proxy] = connect(*m, kAgentA);
    EXPECT_EQ(error.message, "Cloud API key is not configured. Run cloud login first.");
    EXPECT_EQ(states(), (std::vector<S>{S::Error, S::Disconnected}));
}

TEST_F(CloudManagerTest, FactoryBuildsTheClientOnFirstConnect) {
    int built = 0;
    auto ops = ops_;
    auto m = CloudManager::create(engine_, AgentOpsFactory([&built, ops] {
                                      ++built;
                                      return std::static_pointer_cast<AgentOps>(ops);
                                  }));
    EXPECT_EQ(built, 0);
    EXPECT_TRUE(connect(*m, kAgentA).first.ok());
    EXPECT_TRUE(disconnect(*m).has_value());
    EXPECT_TRUE(connect(*m, kAgentA).first.ok());
    EXPECT_EQ(built, 1);
}

TEST_F(CloudManagerTest, ConnectToSameAgentReturnsTheExistingProxy) {
    auto m = make();
    auto first = connect(*m, kAgentA);
    auto second = connect(*m, kAgentA);
    EXPECT_TRUE(second.first.ok());
    EXPECT_EQ(first.second, second.second);
    EXPECT_EQ(states(), (std::vector<S>{S::Connecting, S::Connected}));
    EXPECT_EQ(ops_->count(OpKind::Provision), 1u);
    EXPECT_EQ(extra_timers(), 2u);
}

TEST_F(CloudManagerTest, ConnectToAnotherAgentDisconnectsTheFirstWithItsFinalBackup) {
    ops_->set_default(OpKind::GetAgent, Outcome::ok(R"({"name":"Other","status":"running"})"));
    auto m = make();
    auto a = connect(*m, kAgentA);
    auto b = connect(*m, kAgentB);
    ASSERT_TRUE(b.first.ok());
    EXPECT_EQ(b.second->agent_name(), "Other");  // "name" accepted as well as "agentName"
    EXPECT_EQ(states(), (std::vector<S>{S::Connecting, S::Connected, S::Disconnected, S::Connecting,
                                        S::Connected}));
    auto c = changes();
    EXPECT_EQ(c[2].agent_id, kAgentA);
    EXPECT_EQ(c[3].agent_id, kAgentB);
    auto snaps = ops_->calls(OpKind::Snapshot);
    ASSERT_EQ(snaps.size(), 1u);
    EXPECT_EQ(snaps[0].agent_id, kAgentA);
    EXPECT_TRUE(a.second->is_closed());
    EXPECT_EQ(m->active_agent(), kAgentB);
    EXPECT_EQ(extra_timers(), 2u);  // only B's schedule and heartbeat: nothing of A leaked
    advance(30'000);
    auto hb = ops_->calls(OpKind::Heartbeat);
    ASSERT_EQ(hb.size(), 1u);
    EXPECT_EQ(hb[0].agent_id, kAgentB);
}

TEST_F(CloudManagerTest, DisconnectTakesFinalSnapshotThenStopsEverything) {
    auto m = make();
    auto [error, proxy] = connect(*m, kAgentA);
    clear_changes();
    auto done = disconnect(*m);
    ASSERT_TRUE(done.has_value());
    EXPECT_TRUE(done->ok());
    EXPECT_EQ(states(), (std::vector<S>{S::Disconnected}));
    EXPECT_EQ(changes()[0].previous_state, S::Connected);
    EXPECT_EQ(ops_->count(OpKind::Snapshot), 1u);
    EXPECT_EQ(m->status(), S::Disconnected);
    EXPECT_FALSE(m->active_agent().has_value());
    EXPECT_EQ(m->proxy(), nullptr);
    EXPECT_EQ(extra_timers(), 0u);
    // The old proxy is closed: the host cannot talk to an agent it left.
    EXPECT_TRUE(proxy->is_closed());
    EXPECT_THROW(proxy->send_async("hi", {}), Error);
    // Disconnecting again is a no-op.
    clear_changes();
    EXPECT_TRUE(disconnect(*m).value().ok());
    EXPECT_TRUE(states().empty());
    EXPECT_EQ(ops_->count(OpKind::Snapshot), 1u);
}

TEST_F(CloudManagerTest, DisconnectIsBoundedWhenTheCloudHangs) {
    CloudManagerOptions o;
    o.backup.final_timeout_ms = 10'000;
    auto m = make(o);
    connect(*m, kAgentA);
    ops_->set_default(OpKind::Snapshot, Outcome::held());
    auto done = disconnect(*m);
    EXPECT_FALSE(done.has_value());
    advance(9'500);
    std::optional<ErrorInfo> result;
    // Still waiting for the snapshot.
    EXPECT_EQ(m->status(), S::Connected);
    m->disconnect_async([&result](const ErrorInfo &e) { result = e; });  // queued behind
    advance(500);
    EXPECT_EQ(m->status(), S::Disconnected);
    ASSERT_TRUE(result.has_value());
    EXPECT_TRUE(result->ok());  // a failed final snapshot is not a failed disconnect
    EXPECT_TRUE(logged("[cloud-backup] Final snapshot failed: Snapshot timed out after 10000ms"));
    settle();
    EXPECT_EQ(ops_->pending(), 0u);
    EXPECT_EQ(extra_timers(), 0u);
}

TEST_F(CloudManagerTest, HeartbeatLossReconnectsWithBackoffThenRecovers) {
    auto m = make();
    connect(*m, kAgentA);
    clear_changes();
    ops_->set_default(OpKind::Heartbeat, Outcome::fail(Status::Server, "HTTP 503"));
    ops_->push(OpKind::Provision, Outcome::fail(Status::Server, "Sandbox is not running"));
    ops_->push(OpKind::Provision, Outcome::fail(Status::Server, "Sandbox is not running"));
    advance(90'000);
    // Two failures say nothing; the third starts reconnecting.
    auto c = changes();
    ASSERT_GE(c.size(), 1u);
    EXPECT_EQ(c[0].new_state, S::Reconnecting);
    EXPECT_EQ(c[0].previous_state, S::Connected);
    EXPECT_EQ(c[0].attempt, 1);
    EXPECT_EQ(c[0].next_delay_ms, 0);
    EXPECT_EQ(c[0].error.message, "HTTP 503");
    ASSERT_EQ(c.size(), 2u);
    EXPECT_EQ(c[1].new_state, S::Reconnecting);
    EXPECT_EQ(c[1].attempt, 2);
    EXPECT_EQ(c[1].next_delay_ms, 3000);
    EXPECT_EQ(c[1].error.message, "Sandbox is not running");
    ops_->set_default(OpKind::Heartbeat, Outcome::ok());
    advance(3'000 + 6'000);
    c = changes();
    ASSERT_EQ(c.size(), 4u);
    EXPECT_EQ(c[2].attempt, 3);
    EXPECT_EQ(c[2].next_delay_ms, 6000);
    EXPECT_EQ(c[3].new_state, S::Connected);
    EXPECT_EQ(c[3].previous_state, S::Reconnecting);
    EXPECT_EQ(c[3].attempt, 3);
    EXPECT_EQ(gaps(ops_->times(OpKind::Provision)), (std::vector<int64_t>{90000, 3000, 6000}));
    EXPECT_EQ(m->status(), S::Connected);
    EXPECT_EQ(extra_timers(), 2u);
}

TEST_F(CloudManagerTest, RecoveryBeforeThresholdEmitsNothing) {
    auto m = make();
    connect(*m, kAgentA);
    clear_changes();
    ops_->push(OpKind::Heartbeat, Outcome::fail(Status::Timeout, "slow"));
    ops_->push(OpKind::Heartbeat, Outcome::fail(Status::Timeout, "slow"));
    advance(150'000);
    EXPECT_TRUE(states().empty());
    EXPECT_EQ(ops_->count(OpKind::Provision), 1u);
}

TEST_F(CloudManagerTest, ReconnectExhaustionEndsDisconnectedWithNothingRunning) {
    auto m = make();
    auto [error, proxy] = connect(*m, kAgentA);
    clear_changes();
    ops_->set_default(OpKind::Heartbeat, Outcome::fail(Status::Server, "down"));
    ops_->set_default(OpKind::Provision, Outcome::fail(Status::Server, "still down"));
    advance(90'000 + 400'000, 1000);
    auto c = changes();
    ASSERT_EQ(c.size(), 11u);  // reconnecting × 10 attempts, then disconnected
    for (int i = 0; i < 10; ++i) {
        EXPECT_EQ(c[i].new_state, S::Reconnecting);
        EXPECT_EQ(c[i].attempt, i + 1);
    }
    EXPECT_EQ(c[10].new_state, S::Disconnected);
    EXPECT_EQ(c[10].previous_state, S::Reconnecting);
    EXPECT_EQ(c[10].error.message, "Failed to reconnect after 10 attempts: still down");
    EXPECT_EQ(c[10].agent_id, kAgentA);
    EXPECT_EQ(m->status(), S::Disconnected);
    EXPECT_FALSE(m->active_agent().has_value());
    EXPECT_TRUE(proxy->is_closed());
    EXPECT_EQ(extra_timers(), 0u);
    size_t provisions = ops_->count(OpKind::Provision);
    advance(600'000, 10'000);
    EXPECT_EQ(ops_->count(OpKind::Provision), provisions);  // no endless cycle (G18)
    // The host decides: connecting again starts afresh.
    ops_->set_default(OpKind::Provision, Outcome::ok());
    EXPECT_TRUE(connect(*m, kAgentA).first.ok());
}

TEST_F(CloudManagerTest, DisconnectDuringReconnectCancelsItAtOnce) {
    auto m = make();
    connect(*m, kAgentA);
    ops_->set_default(OpKind::Heartbeat, Outcome::fail(Status::Server, "down"));
    ops_->set_default(OpKind::Provision, Outcome::held());
    advance(90'000);
    ASSERT_EQ(m->status(), S::Reconnecting);
    ASSERT_EQ(ops_->in_flight(OpKind::Provision), 1);
    auto done = disconnect(*m);
    ASSERT_TRUE(done.has_value());
    EXPECT_EQ(ops_->in_flight(OpKind::Provision), 0);
    EXPECT_EQ(m->status(), S::Disconnected);
    EXPECT_EQ(extra_timers(), 0u);
    size_t events = changes().size();
    advance(300'000, 5'000);
    EXPECT_EQ(changes().size(), events);  // no late "connected" (G18)
}

TEST_F(CloudManagerTest, DisconnectAbortsAConnectInProgress) {
    ops_->push(OpKind::Provision, Outcome::held());  // a provisioning job that takes forever
    auto m = make();
    std::optional<ErrorInfo> connected;
    m->connect_async(
        kAgentA, [&](const ErrorInfo &e, std::shared_ptr<CloudRuntimeProxy>) { connected = e; });
    settle();
    EXPECT_EQ(m->status(), S::Connecting);
    auto done = disconnect(*m);
    ASSERT_TRUE(connected.has_value());
    EXPECT_EQ(connected->status, Status::Cancelled);
    ASSERT_TRUE(done.has_value());
    EXPECT_TRUE(done->ok());
    EXPECT_EQ(states(), (std::vector<S>{S::Connecting, S::Disconnected}));  // no "error"
    EXPECT_EQ(ops_->pending(), 0u);
    EXPECT_EQ(extra_timers(), 0u);
}

TEST_F(CloudManagerTest, OperationsRunInCallOrder) {
    auto m = make();
    std::vector<std::string> order;
    m->connect_async(kAgentA, [&](const ErrorInfo &, auto) { order.push_back("A"); });
    m->connect_async(kAgentB, [&](const ErrorInfo &, auto) { order.push_back("B"); });
    m->connect_async(kAgentB, [&](const ErrorInfo &, auto) { order.push_back("B again"); });
    m->disconnect_async([&](const ErrorInfo &) { order.push_back("off"); });
    m->connect_async(kAgentA, [&](const ErrorInfo &, auto) { order.push_back("A again"); });
    settle();
    EXPECT_EQ(order, (std::vector<std::string>{"A", "B", "B again", "off", "A again"}));
    EXPECT_EQ(m->active_agent(), kAgentA);
    EXPECT_EQ(ops_->count(OpKind::Provision), 3u);
    EXPECT_EQ(ops_->count(OpKind::Snapshot), 2u);  // final backups of A and of B
    EXPECT_EQ(extra_timers(), 2u);
}

TEST_F(CloudManagerTest, CancelRemovesAQueuedOperation) {
    ops_->push(OpKind::Provision, Outcome::held());
    auto m = make();
    m->connect_async(kAgentA, [](const ErrorInfo &, auto) {});
    std::optional<ErrorInfo> second;
    auto id = m->connect_async(kAgentB, [&](const ErrorInfo &e, auto) { second = e; });
    settle();
    m->cancel(id);
    settle();
    ASSERT_TRUE(second.has_value());
    EXPECT_EQ(second->status, Status::Cancelled);
    EXPECT_EQ(m->status(), S::Connecting);
    m->shutdown();
}

TEST_F(CloudManagerTest, SyncFormsAreRefusedInCallbacks) {
    auto m = make();
    Status seen = Status::Ok;
    m->disconnect_async([&](const ErrorInfo &) {
        try {
            m->connect(kAgentA);
        } catch (const Error &e) {
            seen = e.status();
        }
    });
    settle();
    EXPECT_EQ(seen, Status::Reentrant);
}

TEST_F(CloudManagerTest, ListenerExceptionsDoNotBreakTheMachine) {
    CloudManagerListeners listeners;
    listeners.on_state = [](const StateChange &) { throw std::runtime_error("host bug"); };
    auto m = CloudManager::create(engine_, ops_, {}, listeners);
    EXPECT_TRUE(connect(*m, kAgentA).first.ok());
    EXPECT_EQ(m->status(), S::Connected);
}

TEST_F(CloudManagerTest, ShutdownStopsEverythingWithoutFinalSnapshot) {
    auto m = make();
    connect(*m, kAgentA);
    m->shutdown();
    EXPECT_EQ(m->status(), S::Disconnected);
    EXPECT_EQ(extra_timers(), 0u);
    EXPECT_EQ(ops_->count(OpKind::Snapshot), 0u);
    auto [error, proxy] = connect(*m, kAgentA);
    EXPECT_EQ(error.status, Status::Cancelled);
}

TEST_F(CloudManagerTest, DestroyingAConnectedManagerLeaksNothing) {
    auto m = make();
    connect(*m, kAgentA);
    ops_->set_default(OpKind::Heartbeat, Outcome::held());
    advance(30'000);
    m.reset();
    settle();
    EXPECT_EQ(extra_timers(), 0u);
    EXPECT_EQ(ops_->pending(), 0u);
}

// ---- proxy ---------------------------------------------------------------------------------

TEST_F(CloudManagerTest, ProxySendStreamStatusAlive) {
    auto proxy = CloudRuntimeProxy::create(engine_, ops_, kAgentA, "TestBot");
    ops_->push(OpKind::Send, Outcome::ok(R"({"text":"Hello from the cloud!"})"));
    ops_->push(OpKind::Send, Outcome::ok(R"({"text":"In room 7."})"));
    ops_->push(OpKind::Send, Outcome::fail(Status::Agent, "Agent runtime not ready"));
    Outcome chunks = Outcome::ok(R"({"text":"Hello world"})");
    chunks.chunks = {"Hello ", "world"};
    ops_->push(OpKind::Stream, chunks);
    ops_->push(OpKind::Heartbeat, Outcome::fail(Status::Server, "HTTP 503"));

    std::thread host([&] {
        EXPECT_EQ(proxy->send("hi"), "Hello from the cloud!");
        EXPECT_EQ(proxy->send("hi", ChatTarget{"room-7", "GROUP"}), "In room 7.");
        try {
            proxy->send("hi");
            ADD_FAILURE() << "expected an error";
        } catch (const Error &e) {
            EXPECT_EQ(std::string(e.what()), "Agent runtime not ready");
        }
        std::vector<std::string> got;
        EXPECT_EQ(proxy->stream("hi", [&](std::string_view c) { got.emplace_back(c); }),
                  "Hello world");
        EXPECT_EQ(got, (std::vector<std::string>{"Hello ", "world"}));
        auto status = proxy->status();
        EXPECT_EQ(status.state, "running");
        EXPECT_EQ(status.agent_name, "TestBot");
        EXPECT_EQ(status.json, R"({"state":"running","agentName":"TestBot"})");
        EXPECT_FALSE(proxy->is_alive());  // a rejected heartbeat is "not alive"
        EXPECT_TRUE(proxy->is_alive());
    });
    host.join();
}

TEST_F(CloudManagerTest, ProxyStreamIsCancellable) {
    auto proxy = CloudRuntimeProxy::create(engine_, ops_, kAgentA, "TestBot");
    ops_->push(OpKind::Stream, Outcome::held());
    std::optional<ErrorInfo> end;
    auto id = proxy->stream_async(
        "hi", [](std::string_view) {}, [&](OpResult &&r) { end = r.error; });
    settle();
    EXPECT_FALSE(end.has_value());
    proxy->cancel(id);
    settle();
    ASSERT_TRUE(end.has_value());
    EXPECT_EQ(end->status, Status::Cancelled);
}

TEST_F(CloudManagerTest, ClosingTheProxyCancelsItsCalls) {
    auto proxy = CloudRuntimeProxy::create(engine_, ops_, kAgentA, "TestBot");
    ops_->push(OpKind::Send, Outcome::held());
    std::optional<ErrorInfo> end;
    proxy->send_async("hi", [&](OpResult &&r) { end = r.error; });
    proxy->close();
    settle();
    ASSERT_TRUE(end.has_value());
    EXPECT_EQ(end->status, Status::Cancelled);
    try {
        proxy->send_async("again", {});
        FAIL();
    } catch (const Error &e) {
        EXPECT_EQ(e.status(), Status::NotConnected);
    }
}

// ---- races on the real clock ----------------------------------------------------------------

TEST(CloudManagerRace, EightThreadsConnectAndDisconnectForTwoSeconds) {
    log::set_level(log::Level::Warn);  // thousands of connects: keep the output readable
    auto engine = Engine::create();
    auto ops = std::make_shared<FakeAgentOps>(engine);
    ops->set_default(OpKind::Provision, Outcome::ok("{}", 2));
    ops->set_default(OpKind::Snapshot, Outcome::ok("{}", 1));
    ops->set_default(OpKind::Heartbeat, Outcome::ok("{}", 1));
    size_t baseline = engine->active_timers();
    CloudManagerOptions o;
    o.monitor.heartbeat_interval_ms = 5;
    o.backup.interval_ms = 7;
    o.backup.final_timeout_ms = 50;
    std::atomic<int> events{0};
    std::atomic<int> bad_order{0};
    std::mutex m;
    S last = S::Disconnected;
    CloudManagerListeners listeners;
    listeners.on_state = [&](const StateChange &c) {
        std::lock_guard<std::mutex> lock(m);
        if (c.previous_state != last || c.new_state == last) ++bad_order;
        last = c.new_state;
        ++events;
    };
    auto manager = CloudManager::create(engine, ops, o, listeners);
    std::atomic<bool> stop{false};
    std::atomic<int> calls{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
            std::mt19937 rng(static_cast<unsigned>(t));
            while (!stop.load()) {
                int pick = static_cast<int>(rng() % 3);
                try {
                    if (pick == 0) {
                        manager->connect(kAgentA);
                    } else if (pick == 1) {
                        manager->connect(kAgentB);
                    } else {
                        manager->disconnect();
                    }
                } catch (const Error &e) {
                    // A connect may be aborted by another thread's disconnect.
                    EXPECT_EQ(e.status(), Status::Cancelled) << e.what();
                }
                ++calls;
            }
        });
    }
    std::this_thread::sleep_for(std::chrono::seconds(2));
    stop.store(true);
    for (auto &th : threads) th.join();
    EXPECT_GT(calls.load(), 20);
    EXPECT_EQ(bad_order.load(), 0);  // each event continues from the previous one

    // Consistent state: whatever it is, it matches what runs.
    // Read on the I/O thread, so nothing moves between the figures: the manager's own timers
    // are the engine's minus the fake's (one per scripted completion in flight).
    S state = S::Error;
    size_t own_timers = 0;
    bool has_agent = false;
    run_on_io(*engine, [&] {
        state = manager->status();
        has_agent = manager->active_agent().has_value();
        own_timers = engine->active_timers() - baseline - ops->pending();
    });
    if (state == S::Connected) {
        EXPECT_TRUE(has_agent);
        EXPECT_EQ(own_timers, 2u);  // one backup schedule, one heartbeat: nothing leaked
    } else {
        EXPECT_EQ(state, S::Disconnected);
        EXPECT_FALSE(has_agent);
        EXPECT_EQ(own_timers, 0u);
    }
    manager->disconnect();
    EXPECT_EQ(manager->status(), S::Disconnected);
    EXPECT_FALSE(manager->active_agent().has_value());
    engine->drain();
    EXPECT_EQ(engine->active_timers(), baseline);
    EXPECT_EQ(ops->pending(), 0u);
    EXPECT_LE(ops->max_in_flight(OpKind::Heartbeat), 1);
    manager.reset();
    EXPECT_EQ(engine->active_timers(), baseline);
    log::set_level(log::Level::Info);
}

}  // namespace
}  // namespace elizacloud::testing
