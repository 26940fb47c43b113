#include "session/backup_scheduler.hpp"

#include <utility>

#include "net/io_wait.hpp"
#include "util/log.hpp"

namespace elizacloud {

// A snapshot asked for outside the schedule (final or manual).
struct BackupScheduler::Request {
    bool final = false;
    OpCallback done;
    TimerId deadline = 0;
    int64_t timeout_ms = 0;
    bool finished = false;
};

std::shared_ptr<BackupScheduler> BackupScheduler::create(std::shared_ptr<Engine> engine,
                                                         std::shared_ptr<AgentOps> ops,
                                                         std::string agent_id,
                                                         BackupOptions options,
                                                         BackupListener listener) {
    return std::shared_ptr<BackupScheduler>(new BackupScheduler(
        std::move(engine), std::move(ops), std::move(agent_id), options, std::move(listener)));
}

BackupScheduler::BackupScheduler(std::shared_ptr<Engine> engine, std::shared_ptr<AgentOps> ops,
                                 std::string agent_id, BackupOptions options,
                                 BackupListener listener)
    : engine_(std::move(engine)),
      ops_(std::move(ops)),
      agent_id_(std::move(agent_id)),
      options_(options),
      listener_(std::move(listener)) {}

BackupScheduler::~BackupScheduler() {
    // Callbacks hold only weak references, so none can be running on us now; what is left is
    // the timer and the requests, which must not outlive us.
    // We may be going away after the owner let go (a completion held the last reference): no
    // more events.
    run_on_io(*engine_, [this] {
        listener_ = nullptr;
        close_io();
    });
}

void BackupScheduler::start() {
    run_on_io(*engine_, [self = shared_from_this()] { self->start_io(); });
}

void BackupScheduler::stop() {
    run_on_io(*engine_, [self = shared_from_this()] { self->stop_io(); });
}

void BackupScheduler::close() {
    run_on_io(*engine_, [self = shared_from_this()] { self->close_io(); });
}

void BackupScheduler::start_io() {
    if (running_.load()) return;
    running_.store(true);
    std::weak_ptr<BackupScheduler> weak = weak_from_this();
    timer_ = engine_->set_timer(
        options_.interval_ms,
        [weak] {
            if (auto self = weak.lock()) self->tick();
        },
        options_.interval_ms);
    log::debug("[cloud-backup] Auto-backup every {}ms for agent {}", options_.interval_ms,
               agent_id_);
}

void BackupScheduler::stop_io() {
    if (timer_ != 0) {
        engine_->cancel_timer(timer_);
        timer_ = 0;
    }
    running_.store(false);
    if (slot_token_ != 0 && !slot_request_) {
        // Forget the periodic snapshot before cancelling it: its completion is then stale and
        // reports nothing, and the slot is free for queued requests.
        OperationId op = slot_op_;
        slot_token_ = 0;
        slot_op_ = 0;
        ops_->cancel(op);
        pump();
    }
}

void BackupScheduler::close_io() {
    // Take the queue first so that stopping the periodic snapshot does not start a request.
    auto waiting = std::move(waiting_);
    waiting_.clear();
    stop_io();
    if (slot_token_ != 0) {
        waiting.push_front(slot_request_);
        OperationId op = slot_op_;
        slot_token_ = 0;
        slot_op_ = 0;
        slot_request_.reset();
        ops_->cancel(op);
    }
    for (auto &req : waiting) {
        finish(req, OpResult{ErrorInfo::make(Status::Cancelled, "Snapshot cancelled"), {}});
    }
}

void BackupScheduler::tick() {
    if (!running_.load()) return;
    if (slot_token_ != 0 || !waiting_.empty()) {
        skipped_.fetch_add(1);
        log::debug("[cloud-backup] Snapshot still in flight; skipping this tick");
        emit(BackupEvent::Kind::Skipped, {}, {});
        return;
    }
    uint64_t token = next_token_++;
    slot_token_ = token;
    slot_request_.reset();
    std::weak_ptr<BackupScheduler> weak = weak_from_this();
    slot_op_ = ops_->snapshot(agent_id_, [weak, token](OpResult &&result) {
        if (auto self = weak.lock()) self->on_periodic_done(token, std::move(result));
    });
}

void BackupScheduler::on_periodic_done(uint64_t token, OpResult &&result) {
    if (token != slot_token_) return;  // cancelled by stop(): nothing to report
    slot_token_ = 0;
    slot_op_ = 0;
    if (result.error.ok()) {
        taken_.fetch_add(1);
        log::debug("[cloud-backup] Auto-backup taken for agent {}", agent_id_);
        emit(BackupEvent::Kind::Taken, {}, std::move(result.json));
    } else {
        failed_.fetch_add(1);
        log::warn("[cloud-backup] Auto-backup failed: {}", result.error.message);
        emit(BackupEvent::Kind::Failed, std::move(result.error), {});
    }
    pump();
}

void BackupScheduler::final_snapshot_async(OpCallback done) {
    post_request(true, options_.final_timeout_ms, std::move(done));
}

OpResult BackupScheduler::final_snapshot() {
    refuse_on_io_thread(*engine_, "BackupScheduler::final_snapshot");
    Waiter<OpResult> waiter;
    final_snapshot_async(waiter.setter());
    return std::move(*waiter.wait(-1));  // bounded by final_timeout_ms
}

void BackupScheduler::snapshot_now_async(OpCallback done) {
    post_request(false, 0, std::move(done));
}

void BackupScheduler::post_request(bool final, int64_t timeout_ms, OpCallback done) {
    std::weak_ptr<BackupScheduler> weak = weak_from_this();
    auto run = [weak, final, timeout_ms, done = std::move(done)]() mutable {
        if (auto self = weak.lock()) {
            self->request(final, timeout_ms, std::move(done));
        } else if (done) {
            done(OpResult{ErrorInfo::make(Status::Cancelled, "Backup scheduler closed"), {}});
        }
    };
    if (engine_->in_io_thread()) {
        run();
    } else {
        engine_->post(std::move(run));
    }
}

void BackupScheduler::request(bool final, int64_t timeout_ms, OpCallback done) {
    auto req = std::make_shared<Request>();
    req->final = final;
    req->done = std::move(done);
    req->timeout_ms = timeout_ms;
    if (timeout_ms > 0) {
        std::weak_ptr<BackupScheduler> weak = weak_from_this();
        std::weak_ptr<Request> weak_req = req;
        req->deadline = engine_->set_timer(timeout_ms, [weak, weak_req] {
            auto self = weak.lock();
            auto r = weak_req.lock();
            if (self && r) self->on_deadline(r);
        });
    }
    waiting_.push_back(std::move(req));
    pump();
}

void BackupScheduler::pump() {
    if (slot_token_ != 0 || waiting_.empty()) return;
    auto req = waiting_.front();
    waiting_.pop_front();
    uint64_t token = next_token_++;
    slot_token_ = token;
    slot_request_ = req;
    std::weak_ptr<BackupScheduler> weak = weak_from_this();
    slot_op_ = ops_->snapshot(agent_id_, [weak, token](OpResult &&result) {
        if (auto self = weak.lock()) self->on_request_done(token, std::move(result));
    });
}

void BackupScheduler::on_request_done(uint64_t token, OpResult &&result) {
    if (token != slot_token_) return;  // timed out or closed: already reported
    auto req = std::move(slot_request_);
    slot_token_ = 0;
    slot_op_ = 0;
    slot_request_.reset();
    finish(req, std::move(result));
    pump();
}

void BackupScheduler::on_deadline(const std::shared_ptr<Request> &req) {
    req->deadline = 0;
    if (req->finished) return;
    OpResult timeout{ErrorInfo::make(Status::Timeout, "Snapshot timed out after " +
                                                          std::to_string(req->timeout_ms) + "ms"),
                     {}};
    if (slot_request_ == req) {
        OperationId op = slot_op_;
        slot_token_ = 0;
        slot_op_ = 0;
        slot_request_.reset();
        ops_->cancel(op);
    } else {
        for (auto it = waiting_.begin(); it != waiting_.end(); ++it) {
            if (*it == req) {
                waiting_.erase(it);
                break;
            }
        }
    }
    finish(req, std::move(timeout));
    pump();
}

void BackupScheduler::finish(const std::shared_ptr<Request> &req, OpResult &&result) {
    if (req->finished) return;
    req->finished = true;
    if (req->deadline != 0) {
        engine_->cancel_timer(req->deadline);
        req->deadline = 0;
    }
    if (result.error.ok()) {
        taken_.fetch_add(1);
    } else if (result.error.status != Status::Cancelled) {
        failed_.fetch_add(1);
    }
    if (req->final) {
        if (result.error.ok()) {
            log::info("[cloud-backup] Final snapshot taken for agent {}", agent_id_);
            emit(BackupEvent::Kind::FinalTaken, {}, result.json);
        } else {
            log::warn("[cloud-backup] Final snapshot failed: {}", result.error.message);
            emit(BackupEvent::Kind::FinalFailed, result.error, {});
        }
    }
    if (req->done) {
        auto done = std::move(req->done);
        done(std::move(result));
    }
}

void BackupScheduler::emit(BackupEvent::Kind kind, ErrorInfo error, std::string json) {
    if (!listener_) return;
    BackupEvent event;
    event.kind = kind;
    event.agent_id = agent_id_;
    event.error = std::move(error);
    event.json = std::move(json);
    listener_(event);
}

OperationId BackupScheduler::list_backups_async(OpCallback done) {
    return ops_->list_backups(agent_id_, std::move(done));
}

OperationId BackupScheduler::restore_async(const std::string &backup_id, OpCallback done) {
    return ops_->restore(agent_id_, backup_id, std::move(done));
}

void BackupScheduler::cancel(OperationId id) {
    ops_->cancel(id);
}

namespace {

std::string wait_json(AgentOps &ops, int64_t wait_ms,
                      const std::function<OperationId(OpCallback)> &start) {
    Waiter<OpResult> waiter;
    OperationId id = start(waiter.setter());
    auto result = waiter.wait(wait_ms);
    if (!result) {
        ops.cancel(id);
        throw Error(Status::Timeout, "Timed out after " + std::to_string(wait_ms) + "ms");
    }
    if (!result->error.ok()) throw Error(std::move(result->error));
    return std::move(result->json);
}

}  // namespace

std::string BackupScheduler::list_backups(int64_t wait_ms) {
    refuse_on_io_thread(*engine_, "BackupScheduler::list_backups");
    return wait_json(*ops_, wait_ms,
                     [this](OpCallback cb) { return list_backups_async(std::move(cb)); });
}

std::string BackupScheduler::restore(const std::string &backup_id, int64_t wait_ms) {
    refuse_on_io_thread(*engine_, "BackupScheduler::restore");
    return wait_json(*ops_, wait_ms, [this, &backup_id](OpCallback cb) {
        return restore_async(backup_id, std::move(cb));
    });
}

BackupCounters BackupScheduler::counters() const {
    return BackupCounters{taken_.load(), failed_.load(), skipped_.load()};
}

}  // namespace elizacloud
