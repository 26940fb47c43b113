// CloudManager with the real CloudClient (the client is the AgentOps) against the emulator over
// real sockets, with intervals shrunk to milliseconds: the happy path with a provisioning job,
// connect failures, heartbeat loss and recovery, and the bounded final snapshot.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "api/cloud_client.hpp"
#include "blocking_client.hpp"
#include "cloud_test_env.hpp"
#include "session/cloud_manager.hpp"

namespace elizacloud {
namespace {

using test::EmulatorProcess;
using test::json_string;
using S = ConnectionState;
using Clock = std::chrono::steady_clock;

// State changes as they arrive, with a wait for a condition over them.
class Recorder {
public:
    void add(const StateChange &change) {
        std::lock_guard<std::mutex> lock(mutex_);
        changes_.push_back(change);
        changed_.notify_all();
    }
    std::vector<StateChange> changes() {
        std::lock_guard<std::mutex> lock(mutex_);
        return changes_;
    }
    std::vector<S> states() {
        std::vector<S> out;
        for (auto &c : changes()) out.push_back(c.new_state);
        return out;
    }
    bool wait_for(const std::function<bool(const std::vector<StateChange> &)> &done,
                  int timeout_ms) {
        std::unique_lock<std::mutex> lock(mutex_);
        return changed_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                                 [&] { return done(changes_); });
    }
    bool wait_state(S state, int timeout_ms) {
        return wait_for(
            [state](const std::vector<StateChange> &c) {
                return !c.empty() && c.back().new_state == state;
            },
            timeout_ms);
    }
    void clear() {
        std::lock_guard<std::mutex> lock(mutex_);
        changes_.clear();
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<StateChange> changes_;
};

class ManagerEmulatorTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        emulator_ = new EmulatorProcess(
            {"--provision-ms", "150", "--job-poll-interval-ms", "25", "--stream-chunk-chars", "4"});
    }
    static void TearDownTestSuite() {
        delete emulator_;
        emulator_ = nullptr;
    }

    void SetUp() override {
        emulator_->reset();
        engine_ = test::make_local_engine();
        baseline_timers_ = engine_->active_timers();
        ClientOptions client_options;
        client_options.heartbeat_timeout_ms = 2'000;
        client_ = std::make_shared<CloudClient>(engine_, test::emulator_base(*emulator_),
                                                emulator_->create_key(), client_options);
        ops_ = client_;
    }
    void TearDown() override {
        if (manager_) manager_->shutdown();  // no listener call after this: recorder_ goes next
        manager_.reset();
        ops_.reset();
        client_.reset();
        engine_.reset();
    }

    CloudManagerOptions fast_options() {
        CloudManagerOptions o;
        o.monitor.heartbeat_interval_ms = 60;
        o.monitor.max_failures = 3;
        o.monitor.initial_delay_ms = 40;
        o.monitor.max_delay_ms = 200;
        o.backup.interval_ms = 60'000;  // periodic backups out of the way of snapshot counts
        o.backup.final_timeout_ms = 2'000;
        return o;
    }

    void make_manager(CloudManagerOptions options) {
        CloudManagerListeners listeners;
        listeners.on_state = [this](const StateChange &c) { recorder_.add(c); };
        listeners.on_progress = [this](const std::string &, const JobProgress &p) {
            std::lock_guard<std::mutex> lock(progress_mutex_);
            progress_.push_back(p.status);
        };
        manager_ = CloudManager::create(engine_, ops_, options, listeners);
    }

    std::string new_agent(const std::string &name = "TestBot") {
        return json_string(
            test::blocking(*client_).create_agent(R"({"agentName":")" + name + R"("})"), "id");
    }

    // A field of the agent's entry in /__emulator/state.
    int64_t agent_count(const std::string &agent_id, const char *field) {
        json::Document doc;
        json::parse(emulator_->control("GET", "/__emulator/state").body, doc);
        const json::Value *agents = json::member(doc, "agents");
        if (!agents || !agents->IsArray()) return -1;
        for (auto &a : agents->GetArray()) {
            if (json::get_string(a, "id").value_or("") == agent_id) {
                return json::get_int(a, field).value_or(-1);
            }
        }
        return -1;
    }

    // Timers and requests drain back to the baseline once a manager has nothing running.
    bool quiescent(int timeout_ms = 2'000) {
        auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
        while (Clock::now() < deadline) {
            engine_->drain();
            if (engine_->active_timers() == baseline_timers_ && engine_->active_requests() == 0) {
                return true;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        return false;
    }

    // Disconnects and returns how long it took.
    int64_t timed_disconnect() {
        auto start = Clock::now();
        manager_->disconnect(5'000);
        return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
    }

    static EmulatorProcess *emulator_;
    std::shared_ptr<Engine> engine_;
    size_t baseline_timers_ = 0;
    std::shared_ptr<CloudClient> client_;
    std::shared_ptr<CloudClient> ops_;
    std::shared_ptr<CloudManager> manager_;
    Recorder recorder_;
    std::mutex progress_mutex_;
    std::vector<std::string> progress_;
};

EmulatorProcess *ManagerEmulatorTest::emulator_ = nullptr;

TEST_F(ManagerEmulatorTest, ConnectProvisionsThroughTheJobAndTheProxyWorks) {
    make_manager(fast_options());
    std::string agent = new_agent();
    auto proxy = manager_->connect(agent, 10'000);
    ASSERT_NE(proxy, nullptr);
    EXPECT_EQ(recorder_.states(), (std::vector<S>{S::Connecting, S::Connected}));
    EXPECT_EQ(proxy->agent_name(), "TestBot");
    EXPECT_EQ(manager_->active_agent(), agent);
    // Provisioning went through a job (202 + polls), not a fast path.
    EXPECT_EQ(emulator_->request_count("POST /api/v1/milady/agents/{id}/provision"), 1);
    EXPECT_GE(emulator_->request_count("GET /api/v1/jobs/{id}"), 1);
    {
        std::lock_guard<std::mutex> lock(progress_mutex_);
        EXPECT_FALSE(progress_.empty());
    }

    EXPECT_EQ(proxy->send("hello"), "echo: hello");
    EXPECT_EQ(proxy->send("room", ChatTarget{"room-2", "GROUP"}), "echo: room");
    std::vector<std::string> chunks;
    std::string whole =
        proxy->stream("hello there", [&](std::string_view c) { chunks.emplace_back(c); });
    EXPECT_EQ(whole, "echo: hello there");
    EXPECT_GT(chunks.size(), 1u);  // --stream-chunk-chars 4
    std::string joined;
    for (auto &c : chunks) joined += c;
    EXPECT_EQ(joined, "echo: hello there");
    auto status = proxy->status();
    EXPECT_EQ(status.state, "running");
    EXPECT_EQ(status.agent_name, "TestBot");
    EXPECT_TRUE(proxy->is_alive());

    // Heartbeats reach the agent on their interval.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_GE(agent_count(agent, "heartbeats"), 3);

    // Disconnect: exactly one final snapshot, then nothing left running.
    int64_t snapshots = agent_count(agent, "snapshots");
    recorder_.clear();
    manager_->disconnect(5'000);
    EXPECT_EQ(agent_count(agent, "snapshots"), snapshots + 1);
    EXPECT_EQ(recorder_.states(), (std::vector<S>{S::Disconnected}));
    EXPECT_TRUE(quiescent());
    int64_t heartbeats = agent_count(agent, "heartbeats");
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    EXPECT_EQ(agent_count(agent, "heartbeats"), heartbeats);
    EXPECT_TRUE(proxy->is_closed());
}

TEST_F(ManagerEmulatorTest, ProvisionFaultIsErrorThenDisconnected) {
    make_manager(fast_options());
    std::string agent = new_agent();
    emulator_->fault(
        R"({"method":"POST","path":"/api/v1/milady/agents/*/provision","action":"status","status":500})");
    ErrorInfo error = test::error_of([&] { manager_->connect(agent, 10'000); });
    EXPECT_EQ(error.status, Status::Server);
    EXPECT_EQ(recorder_.states(), (std::vector<S>{S::Connecting, S::Error, S::Disconnected}));
    EXPECT_EQ(recorder_.changes()[1].error.status, Status::Server);
    EXPECT_EQ(manager_->status(), S::Disconnected);
    EXPECT_FALSE(manager_->active_agent().has_value());
    EXPECT_TRUE(quiescent());
}

TEST_F(ManagerEmulatorTest, FailedJobIsErrorThenDisconnected) {
    make_manager(fast_options());
    std::string agent = new_agent();
    emulator_->control("POST", "/__emulator/provision-failures",
                       R"({"count":1,"message":"Out of capacity"})");
    ErrorInfo error = test::error_of([&] { manager_->connect(agent, 10'000); });
    EXPECT_FALSE(error.ok());
    EXPECT_NE(error.message.find("Out of capacity"), std::string::npos) << error.message;
    EXPECT_EQ(recorder_.states(), (std::vector<S>{S::Connecting, S::Error, S::Disconnected}));
    EXPECT_TRUE(quiescent());
    // The next provision succeeds: connecting again works.
    recorder_.clear();
    EXPECT_NE(manager_->connect(agent, 10'000), nullptr);
    EXPECT_EQ(recorder_.states(), (std::vector<S>{S::Connecting, S::Connected}));
}

TEST_F(ManagerEmulatorTest, HeartbeatFailuresReconnectThenConnected) {
    make_manager(fast_options());
    std::string agent = new_agent();
    manager_->connect(agent, 10'000);
    recorder_.clear();
    auto rule = emulator_->control("POST", "/__emulator/heartbeat-failures",
                                   R"({"count":3,"agentId":")" + agent + R"("})");
    ASSERT_EQ(rule.status, 201) << rule.body;
    ASSERT_TRUE(recorder_.wait_state(S::Connected, 5'000)) << recorder_.states().size();
    auto c = recorder_.changes();
    ASSERT_EQ(c.size(), 2u);
    EXPECT_EQ(c[0].new_state, S::Reconnecting);
    EXPECT_EQ(c[0].attempt, 1);
    EXPECT_EQ(c[0].error.message, "Sandbox bridge is unreachable");
    EXPECT_EQ(c[1].new_state, S::Connected);
    EXPECT_EQ(c[1].attempt, 1);
    EXPECT_EQ(agent_count(agent, "heartbeatFailures"), 3);
    EXPECT_EQ(emulator_->request_count("POST /api/v1/milady/agents/{id}/provision"), 2);
    manager_->disconnect(5'000);
    EXPECT_TRUE(quiescent());
}

TEST_F(ManagerEmulatorTest, ReconnectExhaustionAgainstADeadAgent) {
    auto o = fast_options();
    o.monitor.max_attempts = 3;
    make_manager(o);
    std::string agent = new_agent();
    manager_->connect(agent, 10'000);
    recorder_.clear();
    emulator_->fault(
        R"({"path":"/api/v1/milady/agents/*/bridge","always":true,"action":"status","status":503})");
    emulator_->fault(
        R"({"path":"/api/v1/milady/agents/*/provision","always":true,"action":"status","status":503})");
    ASSERT_TRUE(recorder_.wait_state(S::Disconnected, 5'000));
    auto states = recorder_.states();
    EXPECT_EQ(states,
              (std::vector<S>{S::Reconnecting, S::Reconnecting, S::Reconnecting, S::Disconnected}));
    EXPECT_EQ(recorder_.changes()[1].next_delay_ms, 40);
    EXPECT_EQ(recorder_.changes()[2].next_delay_ms, 80);
    EXPECT_FALSE(manager_->active_agent().has_value());
    EXPECT_TRUE(quiescent());
}

TEST_F(ManagerEmulatorTest, DisconnectIsBoundedWhenTheSnapshotHangs) {
    auto o = fast_options();
    o.backup.final_timeout_ms = 300;
    make_manager(o);
    std::string agent = new_agent();
    manager_->connect(agent, 10'000);
    emulator_->fault(
        R"({"path":"/api/v1/milady/agents/*/snapshot","always":true,"action":"delay","delayMs":5000})");
    int64_t took = timed_disconnect();
    EXPECT_GE(took, 250);
    EXPECT_LT(took, 2'000);
    EXPECT_EQ(manager_->status(), S::Disconnected);
    EXPECT_TRUE(quiescent());  // the hanging request was cancelled, not left behind
}

TEST_F(ManagerEmulatorTest, DisconnectCompletesWhenTheConnectionIsCut) {
    make_manager(fast_options());
    std::string agent = new_agent();
    manager_->connect(agent, 10'000);
    emulator_->fault(
        R"({"path":"/api/v1/milady/agents/*/snapshot","always":true,"action":"close"})");
    EXPECT_LT(timed_disconnect(), 2'000);
    EXPECT_EQ(manager_->status(), S::Disconnected);
    EXPECT_TRUE(quiescent());
}

TEST_F(ManagerEmulatorTest, SwitchingAgentsTakesTheFirstOnesFinalBackup) {
    make_manager(fast_options());
    std::string a = new_agent("A");
    std::string b = new_agent("B");
    manager_->connect(a, 10'000);
    auto proxy = manager_->connect(b, 10'000);
    EXPECT_EQ(proxy->agent_name(), "B");
    EXPECT_EQ(agent_count(a, "snapshots"), 1);
    EXPECT_EQ(agent_count(b, "snapshots"), 0);
    EXPECT_EQ(recorder_.states(), (std::vector<S>{S::Connecting, S::Connected, S::Disconnected,
                                                  S::Connecting, S::Connected}));
    EXPECT_EQ(engine_->active_timers() - baseline_timers_, 2u);
    manager_->disconnect(5'000);
    EXPECT_EQ(agent_count(b, "snapshots"), 1);
}

}  // namespace
}  // namespace elizacloud
