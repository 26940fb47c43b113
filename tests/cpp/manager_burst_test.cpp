// A burst of 1 000 CloudManagers on one engine against one emulator with its default thread pool:
// all connect at once, then all disconnect at once. Every connect must succeed and every final
// snapshot must be stored. The engine's per-host connection cap is what makes this hold: without
// it the burst opened one socket per request, far more than the server serves at once, and the
// requests beyond its threads waited until they timed out.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "api/cloud_client.hpp"
#include "blocking_client.hpp"
#include "cloud_test_env.hpp"
#include "session/cloud_manager.hpp"
#include "util/log.hpp"

namespace elizacloud {
namespace {

constexpr int kManagers = 1'000;

// Counts completions and keeps the first failure's message.
class Tally {
public:
    explicit Tally(int expected) : left_(expected) {}
    void add(const ErrorInfo &e) {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!e.ok()) {
            if (failed_++ == 0)
                first_failure_ = std::string(status_name(e.status)) + " " + e.message;
        }
        if (--left_ == 0) zero_.notify_all();
    }
    bool wait(int timeout_ms) {
        std::unique_lock<std::mutex> lock(mutex_);
        return zero_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                              [this] { return left_ == 0; });
    }
    int failed() {
        std::lock_guard<std::mutex> lock(mutex_);
        return failed_;
    }
    std::string first_failure() {
        std::lock_guard<std::mutex> lock(mutex_);
        return first_failure_;
    }

private:
    std::mutex mutex_;
    std::condition_variable zero_;
    int left_;
    int failed_ = 0;
    std::string first_failure_;
};

// Final snapshots the emulator stored, over every agent.
int64_t stored_snapshots(test::EmulatorProcess &emulator) {
    json::Document doc;
    json::parse(emulator.control("GET", "/__emulator/state").body, doc);
    const json::Value *agents = json::member(doc, "agents");
    int64_t total = 0;
    if (agents && agents->IsArray()) {
        for (auto &a : agents->GetArray()) total += json::get_int(a, "snapshots").value_or(0);
    }
    return total;
}

TEST(ManagerBurst, ThousandManagersConnectAndDisconnectAtOnceWithoutFailures) {
    // The emulator's default worker pool (256 threads): what a test suite normally runs against.
    test::EmulatorProcess emulator({"--provision-ms", "30", "--job-poll-interval-ms", "100"});
    log::set_level(log::Level::Warn);         // a thousand managers' info lines say nothing here
    auto engine = test::make_local_engine();  // the default connection cap
    auto client =
        std::make_shared<CloudClient>(engine, test::emulator_base(emulator), emulator.create_key());
    std::shared_ptr<AgentOps> ops = client;

    std::vector<std::string> agents;
    for (int i = 0; i < kManagers; ++i) {
        agents.push_back(
            test::json_string(test::blocking(*client).create_agent(R"({"agentName":"burst-)" +
                                                                   std::to_string(i) + R"("})"),
                              "id"));
    }

    CloudManagerOptions options;
    options.monitor.heartbeat_interval_ms = 1'000;
    options.backup.interval_ms = 600'000;  // only the final snapshots
    // The defaults: a final snapshot has 10 s, every request its usual timeout.
    std::vector<std::shared_ptr<CloudManager>> fleet;
    for (int i = 0; i < kManagers; ++i) fleet.push_back(CloudManager::create(engine, ops, options));

    Tally connected(kManagers);
    for (int i = 0; i < kManagers; ++i) {
        fleet[i]->connect_async(agents[i],
                                [&connected](const ErrorInfo &e, auto) { connected.add(e); });
    }
    ASSERT_TRUE(connected.wait(300'000));
    EXPECT_EQ(connected.failed(), 0) << connected.first_failure();
    int connected_now = 0;
    for (auto &m : fleet) connected_now += m->status() == ConnectionState::Connected ? 1 : 0;
    EXPECT_EQ(connected_now, kManagers);

    Tally gone(kManagers);
    for (auto &m : fleet) m->disconnect_async([&gone](const ErrorInfo &e) { gone.add(e); });
    ASSERT_TRUE(gone.wait(300'000));
    EXPECT_EQ(gone.failed(), 0) << gone.first_failure();
    EXPECT_EQ(stored_snapshots(emulator), kManagers);  // every final snapshot stored

    for (auto &m : fleet) m->shutdown();
    fleet.clear();
}

}  // namespace
}  // namespace elizacloud
