// A scripted AgentOps for the orchestration tests: every call is recorded with the clock's time,
// completes on the engine's I/O thread after a scripted delay (engine timers, so a ManualClock
// drives it in virtual time) or when the test releases it, and honours cancel().
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "api/agent_ops.hpp"
#include "net/engine.hpp"
#include "net/io_wait.hpp"

namespace elizacloud::testing {

enum class OpKind {
    Provision,
    GetAgent,
    Snapshot,
    ListBackups,
    Restore,
    Heartbeat,
    Send,
    Stream,
    Status
};
constexpr int kOpKinds = 9;

struct Outcome {
    ErrorInfo error;
    std::string json;
    int64_t delay_ms = 0;             // completes this long after the call (engine timer)
    bool hold = false;                // completes only through release()
    std::vector<std::string> chunks;  // Stream: delivered before done

    static Outcome ok(std::string json = "{}", int64_t delay_ms = 0) {
        Outcome o;
        o.json = std::move(json);
        o.delay_ms = delay_ms;
        return o;
    }
    static Outcome fail(Status status, std::string message, int64_t delay_ms = 0) {
        Outcome o;
        o.error = ErrorInfo::make(status, std::move(message));
        o.delay_ms = delay_ms;
        return o;
    }
    static Outcome held() {
        Outcome o;
        o.hold = true;
        return o;
    }
};

struct Call {
    OpKind kind;
    std::string agent_id;
    int64_t at_ms;
    OperationId id;
};

class FakeAgentOps : public AgentOps {
public:
    explicit FakeAgentOps(std::shared_ptr<Engine> engine) : engine_(std::move(engine)) {
        defaults_[idx(OpKind::GetAgent)] =
            Outcome::ok(R"({"id":"a","agentName":"TestBot","status":"running"})");
        defaults_[idx(OpKind::Send)] = Outcome::ok(R"({"text":"echo"})");
        defaults_[idx(OpKind::Snapshot)] = Outcome::ok(R"({"id":"snap","snapshotType":"auto"})");
        defaults_[idx(OpKind::ListBackups)] = Outcome::ok("[]");
    }
    // Engine callbacks point at this object: drop every timer and let every task already posted
    // run before the members go (tasks are FIFO, so one more task is a fence).
    ~FakeAgentOps() override {
        run_on_io(*engine_, [this] {
            std::lock_guard<std::mutex> lock(mutex_);
            for (auto &[id, p] : pending_) {
                if (p.timer != 0) engine_->cancel_timer(p.timer);
            }
            pending_.clear();
        });
    }

    void set_default(OpKind kind, Outcome outcome) {
        std::lock_guard<std::mutex> lock(mutex_);
        defaults_[idx(kind)] = std::move(outcome);
    }
    // Outcomes used in order before falling back to the default.
    void push(OpKind kind, Outcome outcome) {
        std::lock_guard<std::mutex> lock(mutex_);
        scripts_[idx(kind)].push_back(std::move(outcome));
    }

    std::vector<Call> calls(OpKind kind) const {
        std::lock_guard<std::mutex> lock(mutex_);
        std::vector<Call> out;
        for (auto &c : calls_) {
            if (c.kind == kind) out.push_back(c);
        }
        return out;
    }
    std::vector<int64_t> times(OpKind kind) const {
        std::vector<int64_t> out;
        for (auto &c : calls(kind)) out.push_back(c.at_ms);
        return out;
    }
    size_t count(OpKind kind) const { return calls(kind).size(); }
    int in_flight(OpKind kind) const {
        std::lock_guard<std::mutex> lock(mutex_);
        return in_flight_[idx(kind)];
    }
    int max_in_flight(OpKind kind) const {
        std::lock_guard<std::mutex> lock(mutex_);
        return max_in_flight_[idx(kind)];
    }
    size_t pending() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return pending_.size();
    }
    size_t cancelled() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return cancelled_;
    }

    // Completes the oldest held call of kind with outcome. False if none is held.
    bool release(OpKind kind, Outcome outcome = Outcome::ok()) {
        OperationId id = 0;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            for (auto &[pid, p] : pending_) {
                if (p.kind == kind && p.held) {
                    id = pid;
                    break;
                }
            }
            if (id == 0) return false;
            pending_[id].outcome = std::move(outcome);
        }
        engine_->post([this, id] { complete(id, false); });
        return true;
    }

    OperationId provision(const std::string &agent_id, OpCallback done,
                          ProgressCallback progress) override {
        OperationId id = start(OpKind::Provision, agent_id, std::move(done));
        if (progress) {
            engine_->post([progress, agent_id] {
                progress(JobProgress{agent_id, "job-1", "in_progress", 1});
            });
        }
        return id;
    }
    OperationId get_agent(const std::string &agent_id, OpCallback done) override {
        return start(OpKind::GetAgent, agent_id, std::move(done));
    }
    OperationId snapshot(const std::string &agent_id, OpCallback done) override {
        return start(OpKind::Snapshot, agent_id, std::move(done));
    }
    OperationId list_backups(const std::string &agent_id, OpCallback done) override {
        return start(OpKind::ListBackups, agent_id, std::move(done));
    }
    OperationId restore(const std::string &agent_id, const std::string &,
                        OpCallback done) override {
        return start(OpKind::Restore, agent_id, std::move(done));
    }
    OperationId heartbeat(const std::string &agent_id, OpCallback done) override {
        return start(OpKind::Heartbeat, agent_id, std::move(done));
    }
    OperationId send(const std::string &agent_id, const std::string &, const ChatTarget &,
                     OpCallback done) override {
        return start(OpKind::Send, agent_id, std::move(done));
    }
    OperationId stream(const std::string &agent_id, const std::string &, const ChatTarget &,
                       ChunkCallback on_chunk, OpCallback done) override {
        return start(OpKind::Stream, agent_id, std::move(done), std::move(on_chunk));
    }
    OperationId status(const std::string &agent_id, OpCallback done) override {
        return start(OpKind::Status, agent_id, std::move(done));
    }

    void cancel(OperationId id) override {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = pending_.find(id);
        if (it == pending_.end() || it->second.cancelling) return;
        it->second.cancelling = true;
        ++cancelled_;
        if (it->second.timer != 0) engine_->cancel_timer(it->second.timer);
        engine_->post([this, id] { complete(id, true); });
    }

private:
    struct Pending {
        OpKind kind;
        OpCallback done;
        ChunkCallback on_chunk;
        Outcome outcome;
        TimerId timer = 0;
        bool held = false;
        bool cancelling = false;
    };

    static int idx(OpKind kind) { return static_cast<int>(kind); }

    OperationId start(OpKind kind, const std::string &agent_id, OpCallback done,
                      ChunkCallback on_chunk = {}) {
        std::lock_guard<std::mutex> lock(mutex_);
        OperationId id = next_id_++;
        calls_.push_back(Call{kind, agent_id, engine_->clock().now_ms(), id});
        Outcome outcome;
        auto &script = scripts_[idx(kind)];
        if (!script.empty()) {
            outcome = std::move(script.front());
            script.pop_front();
        } else {
            outcome = defaults_[idx(kind)];
        }
        int &n = in_flight_[idx(kind)];
        ++n;
        max_in_flight_[idx(kind)] = std::max(max_in_flight_[idx(kind)], n);
        Pending p{kind, std::move(done), std::move(on_chunk), outcome, 0, outcome.hold, false};
        if (!outcome.hold) {
            // Always through the engine, never inline: the AgentOps contract.
            p.timer = engine_->set_timer(outcome.delay_ms, [this, id] { complete(id, false); });
        }
        pending_.emplace(id, std::move(p));
        return id;
    }

    // [I/O thread]
    void complete(OperationId id, bool cancel) {
        Pending p;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            auto it = pending_.find(id);
            if (it == pending_.end()) return;
            if (it->second.cancelling && !cancel) return;  // the cancel completion wins
            p = std::move(it->second);
            pending_.erase(it);
            --in_flight_[idx(p.kind)];
        }
        if (cancel) {
            p.done(OpResult{ErrorInfo::make(Status::Cancelled, "Operation cancelled"), {}});
            return;
        }
        if (p.on_chunk) {
            for (auto &chunk : p.outcome.chunks) p.on_chunk(chunk);
        }
        p.done(OpResult{p.outcome.error, p.outcome.json});
    }

    std::shared_ptr<Engine> engine_;
    mutable std::mutex mutex_;
    OperationId next_id_ = 1;
    std::vector<Call> calls_;
    std::map<OperationId, Pending> pending_;
    Outcome defaults_[kOpKinds];
    std::deque<Outcome> scripts_[kOpKinds];
    int in_flight_[kOpKinds] = {};
    int max_in_flight_[kOpKinds] = {};
    size_t cancelled_ = 0;
};

}  // namespace elizacloud::testing
