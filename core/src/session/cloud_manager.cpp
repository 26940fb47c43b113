#include "session/cloud_manager.hpp"

#include <exception>
#include <utility>

#include "net/io_wait.hpp"
#include "util/json.hpp"
#include "util/log.hpp"

namespace elizacloud {

const char *state_name(ConnectionState state) {
    switch (state) {
        case ConnectionState::Disconnected:
            return "disconnected";
        case ConnectionState::Connecting:
            return "connecting";
        case ConnectionState::Connected:
            return "connected";
        case ConnectionState::Reconnecting:
            return "reconnecting";
        case ConnectionState::Error:
            return "error";
    }
    return "unknown";
}

struct CloudManager::Op {
    enum class Kind { Connect, Disconnect };
    ManagerOpId id = 0;
    Kind kind = Kind::Connect;
    std::string agent_id;
    ConnectCallback on_connect;
    DoneCallback on_done;
    bool aborted = false;  // connect: a disconnect or cancel asked it to give up
    bool finished = false;
};

namespace {

// Host code reached from the I/O thread must not unwind through the state machine.
template <typename F>
void guarded(const char *what, F &&fn) {
    try {
        fn();
    } catch (const std::exception &e) {
        log::error("[cloud-manager] {} threw: {}", what, e.what());
    } catch (...) {
        log::error("[cloud-manager] {} threw", what);
    }
}

ErrorInfo cancelled(std::string message) {
    return ErrorInfo::make(Status::Cancelled, std::move(message));
}

}  // namespace

std::shared_ptr<CloudManager> CloudManager::create(std::shared_ptr<Engine> engine,
                                                   std::shared_ptr<AgentOps> ops,
                                                   CloudManagerOptions options,
                                                   CloudManagerListeners listeners) {
    return std::shared_ptr<CloudManager>(new CloudManager(
        std::move(engine), std::move(ops), nullptr, std::move(options), std::move(listeners)));
}

std::shared_ptr<CloudManager> CloudManager::create(std::shared_ptr<Engine> engine,
                                                   AgentOpsFactory factory,
                                                   CloudManagerOptions options,
                                                   CloudManagerListeners listeners) {
    return std::shared_ptr<CloudManager>(new CloudManager(
        std::move(engine), nullptr, std::move(factory), std::move(options), std::move(listeners)));
}

CloudManager::CloudManager(std::shared_ptr<Engine> engine, std::shared_ptr<AgentOps> ops,
                           AgentOpsFactory factory, CloudManagerOptions options,
                           CloudManagerListeners listeners)
    : engine_(std::move(engine)),
      ops_(std::move(ops)),
      factory_(std::move(factory)),
      options_(std::move(options)),
      listeners_(std::move(listeners)) {}

CloudManager::~CloudManager() {
    // Completions and timers hold weak references only, so none is running on us; shut the
    // session down on the I/O thread so its components stop before the members go. The last
    // reference may have been a callback's, so this can run after the host let go: listeners
    // are dropped first, the host may already have freed what they use.
    run_on_io(*engine_, [this] {
        listeners_ = {};
        shutdown_io();
    });
}

// ---- public entry points ----------------------------------------------------------------------

ManagerOpId CloudManager::connect_async(const std::string &agent_id, ConnectCallback done) {
    auto op = std::make_shared<Op>();
    op->id = next_op_id_.fetch_add(1);
    op->kind = Op::Kind::Connect;
    op->agent_id = agent_id;
    op->on_connect = std::move(done);
    ManagerOpId id = op->id;
    // Always posted, even from the I/O thread: operations start in call order and never run
    // inside the caller's callback.
    std::weak_ptr<CloudManager> weak = weak_from_this();
    engine_->post([weak, op] {
        if (auto self = weak.lock()) {
            self->enqueue(op);
        } else if (op->on_connect) {
            op->on_connect(cancelled("Cloud manager destroyed"), nullptr);
        }
    });
    return id;
}

ManagerOpId CloudManager::disconnect_async(DoneCallback done) {
    auto op = std::make_shared<Op>();
    op->id = next_op_id_.fetch_add(1);
    op->kind = Op::Kind::Disconnect;
    op->on_done = std::move(done);
    ManagerOpId id = op->id;
    std::weak_ptr<CloudManager> weak = weak_from_this();
    engine_->post([weak, op] {
        if (auto self = weak.lock()) {
            self->enqueue(op);
        } else if (op->on_done) {
            op->on_done(cancelled("Cloud manager destroyed"));
        }
    });
    return id;
}

void CloudManager::cancel(ManagerOpId id) {
    std::weak_ptr<CloudManager> weak = weak_from_this();
    engine_->post([weak, id] {
        auto self = weak.lock();
        if (!self) return;
        if (self->current_ && self->current_->id == id) {
            self->abort_current_connect("Connect cancelled");
            return;
        }
        for (auto it = self->queue_.begin(); it != self->queue_.end(); ++it) {
            if ((*it)->id == id) {
                auto op = *it;
                self->queue_.erase(it);
                self->finish(op, cancelled("Operation cancelled"));
                return;
            }
        }
    });
}

std::shared_ptr<CloudRuntimeProxy> CloudManager::connect(const std::string &agent_id,
                                                         int64_t wait_ms) {
    refuse_on_io_thread(*engine_, "CloudManager::connect");
    using Outcome = std::pair<ErrorInfo, std::shared_ptr<CloudRuntimeProxy>>;
    Waiter<Outcome> waiter;
    auto set = waiter.setter();
    ManagerOpId id = connect_async(
        agent_id, [set](const ErrorInfo &error, std::shared_ptr<CloudRuntimeProxy> proxy) {
            set(Outcome{error, std::move(proxy)});
        });
    auto outcome = waiter.wait(wait_ms);
    if (!outcome) {
        cancel(id);
        throw Error(Status::Timeout, "Connect timed out after " + std::to_string(wait_ms) + "ms");
    }
    if (!outcome->first.ok()) throw Error(outcome->first);
    return std::move(outcome->second);
}

void CloudManager::disconnect(int64_t wait_ms) {
    refuse_on_io_thread(*engine_, "CloudManager::disconnect");
    Waiter<ErrorInfo> waiter;
    auto set = waiter.setter();
    ManagerOpId id = disconnect_async([set](const ErrorInfo &error) { set(error); });
    auto outcome = waiter.wait(wait_ms);
    if (!outcome) {
        cancel(id);
        throw Error(Status::Timeout,
                    "Disconnect timed out after " + std::to_string(wait_ms) + "ms");
    }
    if (!outcome->ok()) throw Error(*outcome);
}

std::optional<std::string> CloudManager::active_agent() const {
    std::lock_guard<std::mutex> lock(mirror_mutex_);
    if (mirror_agent_.empty()) return std::nullopt;
    return mirror_agent_;
}

std::shared_ptr<CloudRuntimeProxy> CloudManager::proxy() const {
    std::lock_guard<std::mutex> lock(mirror_mutex_);
    return mirror_proxy_;
}

std::shared_ptr<BackupScheduler> CloudManager::backups() const {
    std::lock_guard<std::mutex> lock(mirror_mutex_);
    return mirror_backup_;
}

std::shared_ptr<ConnectionMonitor> CloudManager::monitor() const {
    std::lock_guard<std::mutex> lock(mirror_mutex_);
    return mirror_monitor_;
}

void CloudManager::shutdown() {
    run_on_io(*engine_, [self = shared_from_this()] { self->shutdown_io(); });
}

// ---- the operation queue [I/O thread] ---------------------------------------------------------

void CloudManager::enqueue(std::shared_ptr<Op> op) {
    if (shut_down_) {
        finish(op, cancelled("Cloud manager shut down"));
        return;
    }
    // A disconnect right behind a connect still in progress aborts it: nobody should wait
    // minutes for a provisioning job they no longer want. With operations queued in between
    // the order of the calls stands.
    if (op->kind == Op::Kind::Disconnect && queue_.empty()) {
        abort_current_connect("Connect cancelled by disconnect");
    }
    queue_.push_back(std::move(op));
    next();
}

void CloudManager::next() {
    if (in_next_) return;  // the loop below picks up what was queued meanwhile
    in_next_ = true;
    while (!current_ && !queue_.empty() && !shut_down_) {
        current_ = queue_.front();
        queue_.pop_front();
        if (current_->kind == Op::Kind::Connect) {
            run_connect(current_);
        } else {
            run_disconnect(current_);
        }
    }
    in_next_ = false;
}

void CloudManager::finish(std::shared_ptr<Op> op,
                          const ErrorInfo &error) {  // by value: may be current_
    if (op->finished) return;
    op->finished = true;
    if (op == current_) current_.reset();
    if (op->kind == Op::Kind::Connect) {
        if (op->on_connect) {
            auto proxy = error.ok() ? proxy_ : nullptr;
            guarded("connect completion", [&] { op->on_connect(error, std::move(proxy)); });
        }
    } else if (op->on_done) {
        guarded("disconnect completion", [&] { op->on_done(error); });
    }
    next();
}

void CloudManager::abort_current_connect(const char *why) {
    auto op = current_;
    if (!op || op->kind != Op::Kind::Connect || op->finished) return;
    op->aborted = true;
    // Provisioning or fetching the agent: give up now. Otherwise the previous agent is still
    // being disconnected and begin_connect() sees the flag when that is done.
    if (step_op_ != 0) fail_connect(cancelled(why));
}

// ---- connect ----------------------------------------------------------------------------------

void CloudManager::run_connect(const std::shared_ptr<Op> &op) {
    if (!ops_) {
        ErrorInfo error;
        try {
            if (factory_) ops_ = factory_();
            if (!ops_) error = ErrorInfo::make(Status::Internal, "No cloud client configured");
        } catch (const Error &e) {
            error = e.info();
        } catch (const std::exception &e) {
            error = ErrorInfo::make(Status::Internal, e.what());
        }
        if (!error.ok()) {
            log::error("[cloud-manager] Cannot connect: {}", error.message);
            agent_id_ = op->agent_id;
            set_state(ConnectionState::Error, error);
            end_session(error);
            finish(op, error);
            return;
        }
    }
    bool live = state_.load() == ConnectionState::Connected ||
                state_.load() == ConnectionState::Reconnecting;
    if (!agent_id_.empty() && agent_id_ == op->agent_id && live) {
        finish(op, {});  // already connected to it: the existing proxy
        return;
    }
    if (!agent_id_.empty()) {
        log::info("[cloud-manager] Switching from agent {} to {}", agent_id_, op->agent_id);
        std::weak_ptr<CloudManager> weak = weak_from_this();
        teardown(true, [weak, op] {
            if (auto self = weak.lock()) self->begin_connect(op);
        });
        return;
    }
    begin_connect(op);
}

void CloudManager::begin_connect(const std::shared_ptr<Op> &op) {
    if (op->finished) return;
    if (op->aborted || shut_down_) {
        finish(op, cancelled("Connect cancelled"));
        return;
    }
    uint64_t session = ++session_;
    agent_id_ = op->agent_id;
    publish();
    set_state(ConnectionState::Connecting);
    std::weak_ptr<CloudManager> weak = weak_from_this();
    std::string agent = agent_id_;
    try {
        step_op_ = ops_->provision(
            agent_id_,
            [weak, session](OpResult &&result) {
                if (auto self = weak.lock()) self->on_provisioned(session, std::move(result));
            },
            [weak, session, agent](const JobProgress &progress) {
                auto self = weak.lock();
                if (!self || self->session_ != session || !self->listeners_.on_progress) return;
                guarded("progress listener",
                        [&] { self->listeners_.on_progress(agent, progress); });
            });
    } catch (const Error &e) {  // e.g. an agent id that is not a UUID, refused locally
        fail_connect(e.info());
    }
}

void CloudManager::on_provisioned(uint64_t session, OpResult &&result) {
    if (session != session_ || step_op_ == 0) return;
    step_op_ = 0;
    if (!result.error.ok()) {
        fail_connect(std::move(result.error));
        return;
    }
    std::weak_ptr<CloudManager> weak = weak_from_this();
    try {
        step_op_ = ops_->get_agent(agent_id_, [weak, session](OpResult &&r) {
            if (auto self = weak.lock()) self->on_agent(session, std::move(r));
        });
    } catch (const Error &e) {
        fail_connect(e.info());
    }
}

void CloudManager::on_agent(uint64_t session, OpResult &&result) {
    if (session != session_ || step_op_ == 0) return;
    step_op_ = 0;
    if (!result.error.ok()) {
        fail_connect(std::move(result.error));
        return;
    }
    json::Document doc;
    std::string name;
    snapshots_ = true;
    if (json::parse(result.json, doc)) {
        name =
            json::get_string(doc, "agentName").value_or(json::get_string(doc, "name").value_or(""));
        // A shared-runtime agent (eliza) has no container to snapshot: the cloud answers 409 to
        // every snapshot (E§2.12), so no automatic or final backup is attempted for it.
        snapshots_ = json::get_string(doc, "executionTier") != std::optional<std::string>("shared");
    }
    std::weak_ptr<CloudManager> weak = weak_from_this();
    proxy_ = CloudRuntimeProxy::create(engine_, ops_, agent_id_, name);
    backup_ = BackupScheduler::create(
        engine_, ops_, agent_id_, options_.backup, [weak](const BackupEvent &event) {
            auto self = weak.lock();
            if (!self || !self->listeners_.on_backup) return;
            guarded("backup listener", [&] { self->listeners_.on_backup(event); });
        });
    monitor_ = ConnectionMonitor::create(engine_, ops_, agent_id_, options_.monitor,
                                         [weak, session](const MonitorEvent &event) {
                                             if (auto self = weak.lock()) {
                                                 self->on_monitor(session, event);
                                             }
                                         });
    if (snapshots_) backup_->start();
    monitor_->start();
    publish();
    log::info("[cloud-manager] Connected to agent {} ({})", agent_id_, name);
    set_state(ConnectionState::Connected);
    if (current_) finish(current_, {});
}

void CloudManager::fail_connect(ErrorInfo error) {
    if (step_op_ != 0) ops_->cancel(std::exchange(step_op_, 0));
    drop_session();
    if (error.status == Status::Cancelled) {
        log::info("[cloud-manager] Connect to agent {} cancelled", agent_id_);
    } else {
        log::error("[cloud-manager] Connect to agent {} failed: {}", agent_id_, error.message);
        set_state(ConnectionState::Error, error);
    }
    end_session(error);
    if (current_ && current_->kind == Op::Kind::Connect) finish(current_, error);
}

// ---- disconnect -------------------------------------------------------------------------------

void CloudManager::run_disconnect(const std::shared_ptr<Op> &op) {
    if (agent_id_.empty()) {
        finish(op, {});
        return;
    }
    std::weak_ptr<CloudManager> weak = weak_from_this();
    teardown(true, [weak, op] {
        if (auto self = weak.lock()) self->finish(op, {});
    });
}

void CloudManager::teardown(bool final_snapshot, std::function<void()> then) {
    log::info("[cloud-manager] Disconnecting from agent {}", agent_id_);
    ++session_;  // monitor events and completions of the session are stale from here on
    // The monitor goes first so that no reconnect runs (or starts) while we are leaving; the
    // seed's order (snapshot, scheduler, monitor) would let a reconnect race the snapshot.
    if (monitor_) monitor_->stop();
    auto backup = backup_;
    if (!final_snapshot || !backup || !snapshots_) {
        drop_session();
        end_session({});
        then();
        return;
    }
    uint64_t teardown = ++teardown_;
    std::weak_ptr<CloudManager> weak = weak_from_this();
    backup->final_snapshot_async([weak, teardown, then = std::move(then)](OpResult &&) {
        auto self = weak.lock();
        if (!self || self->teardown_ != teardown) return;  // shut down meanwhile
        self->drop_session();
        self->end_session({});
        then();
    });
}

void CloudManager::drop_session() {
    ++session_;
    if (monitor_) monitor_->stop();
    if (backup_) backup_->close();
    if (proxy_) proxy_->close();
    monitor_.reset();
    backup_.reset();
    proxy_.reset();
    last_attempt_ = 0;
}

// ---- monitor events ---------------------------------------------------------------------------

void CloudManager::on_monitor(uint64_t session, const MonitorEvent &event) {
    if (session != session_ || shut_down_) return;
    switch (event.kind) {
        case MonitorEvent::Kind::HeartbeatFailed:
            break;  // still connected until the threshold
        case MonitorEvent::Kind::Recovered:
            set_state(ConnectionState::Connected);  // deduplicated: nothing to report
            break;
        case MonitorEvent::Kind::Reconnecting:
            set_state(ConnectionState::Reconnecting, event.error, 1, 0);
            break;
        case MonitorEvent::Kind::AttemptFailed:
            set_state(ConnectionState::Reconnecting, event.error, event.attempt + 1,
                      event.next_delay_ms);
            break;
        case MonitorEvent::Kind::Reconnected:
            set_state(ConnectionState::Connected, {}, event.attempt);
            break;
        case MonitorEvent::Kind::GaveUp: {
            ErrorInfo error = event.error;
            error.message = "Failed to reconnect after " + std::to_string(event.attempt) +
                            " attempts: " + event.error.message;
            if (error.ok()) error.status = Status::NotConnected;
            // Terminal: nothing of the session keeps running; the host decides what next.
            drop_session();
            end_session(error, event.attempt);
            break;
        }
    }
}

// ---- state ------------------------------------------------------------------------------------

void CloudManager::end_session(ErrorInfo error, int attempt) {
    // Readers on other threads must see the session gone by the time the host hears about it.
    std::string agent = std::move(agent_id_);
    agent_id_.clear();
    publish();
    set_state(ConnectionState::Disconnected, std::move(error), attempt, -1, &agent);
}

void CloudManager::set_state(ConnectionState state, ErrorInfo error, int attempt,
                             int64_t next_delay_ms, const std::string *agent) {
    ConnectionState previous = state_.load();
    // Identical consecutive states are not re-emitted; a new reconnect attempt is news.
    bool news =
        state != previous || (state == ConnectionState::Reconnecting && attempt != last_attempt_);
    if (!news) return;
    state_.store(state);
    last_attempt_ = state == ConnectionState::Reconnecting ? attempt : 0;
    log::info("[cloud-manager] State {} -> {}{}", state_name(previous), state_name(state),
              error.message.empty() ? std::string() : " (" + error.message + ")");
    if (!listeners_.on_state) return;
    StateChange change;
    change.new_state = state;
    change.previous_state = previous;
    change.agent_id = agent ? *agent : agent_id_;
    change.error = std::move(error);
    change.attempt = attempt;
    change.next_delay_ms = next_delay_ms;
    guarded("state listener", [&] { listeners_.on_state(change); });
}

void CloudManager::publish() {
    std::lock_guard<std::mutex> lock(mirror_mutex_);
    mirror_agent_ = agent_id_;
    mirror_proxy_ = proxy_;
    mirror_backup_ = backup_;
    mirror_monitor_ = monitor_;
}

void CloudManager::shutdown_io() {
    if (shut_down_) return;
    shut_down_ = true;
    ++teardown_;  // a final snapshot in flight no longer continues a teardown
    if (step_op_ != 0 && ops_) ops_->cancel(std::exchange(step_op_, 0));
    drop_session();
    end_session(cancelled("Cloud manager shut down"));
    auto queued = std::move(queue_);
    queue_.clear();
    if (current_) queued.push_front(current_);
    for (auto &op : queued) finish(op, cancelled("Cloud manager shut down"));
    current_.reset();
    listeners_ = {};
}

}  // namespace elizacloud
