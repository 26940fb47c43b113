// BackupScheduler in virtual time: one snapshot per interval (none at start), never two in
// flight, failures that keep the schedule, the bounded final snapshot, passthroughs.
#include "session/backup_scheduler.hpp"

#include <gtest/gtest.h>

#include "orchestration_fixture.hpp"

namespace elizacloud::testing {
namespace {

using Kind = BackupEvent::Kind;

class BackupSchedulerTest : public VirtualTimeTest {
protected:
    std::shared_ptr<BackupScheduler> make(BackupOptions options = {}) {
        return BackupScheduler::create(engine_, ops_, "agent-1", options,
                                       [this](const BackupEvent &e) {
                                           std::lock_guard<std::mutex> lock(mutex_);
                                           events_.push_back(e);
                                       });
    }
    std::vector<Kind> kinds() {
        std::lock_guard<std::mutex> lock(mutex_);
        std::vector<Kind> out;
        for (auto &e : events_) out.push_back(e.kind);
        return out;
    }
    std::vector<BackupEvent> events() {
        std::lock_guard<std::mutex> lock(mutex_);
        return events_;
    }

    std::mutex mutex_;
    std::vector<BackupEvent> events_;
};

TEST_F(BackupSchedulerTest, OneSnapshotPerIntervalNoneAtStart) {
    auto backup = make();
    EXPECT_FALSE(backup->is_running());
    backup->start();
    EXPECT_TRUE(backup->is_running());
    settle();
    EXPECT_EQ(ops_->count(OpKind::Snapshot), 0u);
    advance(59'500);
    EXPECT_EQ(ops_->count(OpKind::Snapshot), 0u);
    advance(180'500);
    EXPECT_EQ(ops_->times(OpKind::Snapshot), (std::vector<int64_t>{60000, 120000, 180000, 240000}));
    EXPECT_EQ(ops_->calls(OpKind::Snapshot).front().agent_id, "agent-1");
    EXPECT_EQ(kinds(), (std::vector<Kind>{Kind::Taken, Kind::Taken, Kind::Taken, Kind::Taken}));
    EXPECT_EQ(events().front().json, R"({"id":"snap","snapshotType":"auto"})");
    EXPECT_EQ(backup->counters().taken, 4u);
    backup->stop();
    EXPECT_FALSE(backup->is_running());
    advance(300'000, 5000);
    EXPECT_EQ(ops_->count(OpKind::Snapshot), 4u);  // frozen after stop
    EXPECT_EQ(extra_timers(), 0u);
}

TEST_F(BackupSchedulerTest, DoubleStartKeepsOneSchedule) {
    auto backup = make();
    backup->start();
    backup->start();
    EXPECT_EQ(extra_timers(), 1u);
    advance(120'000);
    EXPECT_EQ(ops_->count(OpKind::Snapshot), 2u);
    backup->stop();
}

TEST_F(BackupSchedulerTest, SlowSnapshotSkipsTicksInsteadOfOverlapping) {
    ops_->set_default(OpKind::Snapshot, Outcome::ok("{}", 130'000));  // over two intervals
    auto backup = make();
    backup->start();
    advance(400'000);
    EXPECT_EQ(ops_->max_in_flight(OpKind::Snapshot), 1);
    // Taken at 60 s (done 190 s); 120 s and 180 s skipped; 240 s (done 370 s); 300 s, 360 s
    // skipped.
    EXPECT_EQ(ops_->times(OpKind::Snapshot), (std::vector<int64_t>{60000, 240000}));
    auto c = backup->counters();
    EXPECT_EQ(c.skipped, 4u);
    EXPECT_EQ(c.taken, 2u);
    advance(30'000);  // 420 s: the next one starts
    ASSERT_EQ(ops_->in_flight(OpKind::Snapshot), 1);
    backup->stop();
    settle();
    EXPECT_EQ(ops_->pending(), 0u);  // the one in flight was cancelled by stop, silently
    EXPECT_EQ(backup->counters().taken, 2u);
    EXPECT_EQ(backup->counters().failed, 0u);
}

TEST_F(BackupSchedulerTest, FailuresAreReportedAndKeepTheSchedule) {
    ops_->push(OpKind::Snapshot, Outcome::fail(Status::Server, "Snapshot failed"));
    ops_->push(OpKind::Snapshot, Outcome::fail(Status::Conflict, "Sandbox is not running"));
    auto backup = make();
    backup->start();
    advance(180'000);
    EXPECT_EQ(kinds(), (std::vector<Kind>{Kind::Failed, Kind::Failed, Kind::Taken}));
    EXPECT_EQ(events()[1].error.status, Status::Conflict);
    EXPECT_EQ(events()[1].agent_id, "agent-1");
    EXPECT_TRUE(logged("[cloud-backup] Auto-backup failed: Snapshot failed"));
    EXPECT_TRUE(logged("[cloud-backup] Auto-backup failed: Sandbox is not running"));
    auto c = backup->counters();
    EXPECT_EQ(c.failed, 2u);
    EXPECT_EQ(c.taken, 1u);
    EXPECT_TRUE(backup->is_running());
    backup->stop();
}

TEST_F(BackupSchedulerTest, FinalSnapshotIsOneSnapshotAndReportsSuccess) {
    auto backup = make();  // not started: final is independent of the schedule
    OpResult result;
    bool done = false;
    backup->final_snapshot_async([&](OpResult &&r) {
        result = std::move(r);
        done = true;
    });
    settle();
    ASSERT_TRUE(done);
    EXPECT_TRUE(result.error.ok());
    EXPECT_EQ(ops_->count(OpKind::Snapshot), 1u);
    EXPECT_EQ(kinds(), (std::vector<Kind>{Kind::FinalTaken}));
}

TEST_F(BackupSchedulerTest, FinalSnapshotFailureIsLoggedNotThrown) {
    ops_->push(OpKind::Snapshot, Outcome::fail(Status::Server, "boom"));
    auto backup = make();
    OpResult result;
    backup->final_snapshot_async([&](OpResult &&r) { result = std::move(r); });
    settle();
    EXPECT_EQ(result.error.status, Status::Server);
    EXPECT_TRUE(logged("[cloud-backup] Final snapshot failed: boom"));
    EXPECT_EQ(kinds(), (std::vector<Kind>{Kind::FinalFailed}));
}

TEST_F(BackupSchedulerTest, FinalSnapshotIsBoundedByItsTimeout) {
    ops_->set_default(OpKind::Snapshot, Outcome::held());  // the cloud never answers
    BackupOptions o;
    o.final_timeout_ms = 10'000;
    auto backup = make(o);
    bool done = false;
    OpResult result;
    backup->final_snapshot_async([&](OpResult &&r) {
        result = std::move(r);
        done = true;
    });
    settle();  // the request (and its deadline) is set up on the I/O thread at time 0
    advance(9'500);
    EXPECT_FALSE(done);
    advance(500);
    ASSERT_TRUE(done);
    EXPECT_EQ(result.error.status, Status::Timeout);
    settle();
    EXPECT_EQ(ops_->pending(), 0u);  // the request was cancelled, not left running
    EXPECT_EQ(extra_timers(), 0u);
    EXPECT_EQ(backup->counters().failed, 1u);
}

TEST_F(BackupSchedulerTest, FinalSnapshotWaitsForThePeriodicOneInFlight) {
    ops_->push(OpKind::Snapshot, Outcome::ok("{}", 4'000));
    auto backup = make();
    backup->start();
    advance(61'000);  // periodic snapshot in flight until 64 s
    bool done = false;
    backup->final_snapshot_async([&](OpResult &&) { done = true; });
    settle();
    EXPECT_FALSE(done);
    EXPECT_EQ(ops_->count(OpKind::Snapshot), 1u);
    advance(3'000);
    EXPECT_TRUE(done);
    EXPECT_EQ(ops_->times(OpKind::Snapshot), (std::vector<int64_t>{60000, 64000}));
    EXPECT_EQ(ops_->max_in_flight(OpKind::Snapshot), 1);
    backup->stop();
}

TEST_F(BackupSchedulerTest, CloseCancelsEverything) {
    ops_->set_default(OpKind::Snapshot, Outcome::held());
    auto backup = make();
    backup->start();
    advance(60'000);
    OpResult result;
    backup->final_snapshot_async([&](OpResult &&r) { result = std::move(r); });
    settle();
    backup->close();
    settle();
    EXPECT_EQ(result.error.status, Status::Cancelled);
    EXPECT_EQ(ops_->pending(), 0u);
    EXPECT_EQ(extra_timers(), 0u);
}

TEST_F(BackupSchedulerTest, ListAndRestorePassThrough) {
    ops_->set_default(OpKind::ListBackups, Outcome::ok(R"([{"id":"b1"}])"));
    ops_->set_default(OpKind::Restore, Outcome::ok(R"({"restored":true})"));
    auto backup = make();
    EXPECT_EQ(backup->list_backups(), R"([{"id":"b1"}])");
    EXPECT_EQ(backup->restore("b1"), R"({"restored":true})");
    ops_->set_default(OpKind::ListBackups, Outcome::fail(Status::Unauthorized, "Invalid API key"));
    try {
        backup->list_backups();
        FAIL() << "expected an error";
    } catch (const Error &e) {
        EXPECT_EQ(e.status(), Status::Unauthorized);  // never an empty list (G10)
    }
}

TEST_F(BackupSchedulerTest, SyncFormsAreRefusedOnTheIoThread) {
    auto backup = make();
    Status seen = Status::Ok;
    engine_->post([&] {
        try {
            backup->list_backups();
        } catch (const Error &e) {
            seen = e.status();
        }
    });
    settle();
    EXPECT_EQ(seen, Status::Reentrant);
}

}  // namespace
}  // namespace elizacloud::testing
