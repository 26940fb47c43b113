// Cloud: resolving the options, the operation table (one completion per request id), the worker
// for blocking steps, and shutdown. The operations themselves are in cloud_ops.cpp.
#include "handle/cloud.hpp"

#include <algorithm>
#include <chrono>
#include <climits>
#include <cmath>
#include <utility>
#include <vector>

#include "net/engines.hpp"
#include "net/url_policy.hpp"
#include "util/json.hpp"
#include "util/log.hpp"
#include "util/log_fanout.hpp"
#include "util/strings.hpp"

namespace elizacloud {

struct Cloud::Pending {
    const api::OperationSpec *op = nullptr;  // registry rows outlive every call
    bool sync = false;
    bool aborted = false;            // cancelled (or timed out) before launch() returned its cancel
    CancelFn cancel;                 // the component's cancel; set once launch() returned
    std::optional<Outcome> outcome;  // sync: the result the waiting caller takes
};

namespace {

[[noreturn]] void invalid(std::string message) {
    throw Error(Status::InvalidArgument, std::move(message));
}

// The JSON a failure event carries: the details the cloud sent, under the names the bindings read
// (httpStatus, code, retryAfterMs, requiredBalance, currentBalance); absent fields are left out,
// and "" when there is nothing to add.
std::string failure_details_json(const ErrorInfo &error) {
    json::Document doc(rapidjson::kObjectType);
    auto &alloc = doc.GetAllocator();
    if (error.http_status > 0) doc.AddMember("httpStatus", error.http_status, alloc);
    if (!error.cloud_code.empty()) {
        doc.AddMember("code", json::string_value(error.cloud_code, alloc), alloc);
    }
    if (error.retry_after_ms >= 0) doc.AddMember("retryAfterMs", error.retry_after_ms, alloc);
    if (!std::isnan(error.required_balance)) {
        doc.AddMember("requiredBalance", error.required_balance, alloc);
    }
    if (!std::isnan(error.current_balance)) {
        doc.AddMember("currentBalance", error.current_balance, alloc);
    }
    return doc.ObjectEmpty() ? std::string() : json::stringify(doc);
}

int64_t pick(int64_t option, int64_t configured, int64_t fallback) {
    if (option > 0) return option;
    return configured > 0 ? configured : fallback;
}

int to_int(int64_t ms) {
    return static_cast<int>(std::min<int64_t>(ms, INT_MAX));
}

void check_timings(const ec_cloud_options &o) {
    const int64_t values[] = {
        o.heartbeat_interval_ms,  o.reconnect_initial_delay_ms, o.reconnect_max_delay_ms,
        o.backup_interval_ms,     o.final_snapshot_timeout_ms,  o.login_poll_interval_ms,
        o.login_timeout_ms,       o.request_timeout_ms,         o.send_timeout_ms,
        o.stream_idle_timeout_ms, o.job_poll_interval_ms,       o.job_timeout_ms};
    for (int64_t v : values)
        if (v < 0) invalid("timings must be 0 (default) or a positive number of milliseconds");
    if (o.heartbeat_max_failures < 0 || o.reconnect_max_attempts < 0)
        invalid("heartbeat_max_failures and reconnect_max_attempts must not be negative");
}

}  // namespace

Cloud::Cloud(const ec_cloud_options &o) {
    check_timings(o);
    CloudSettings config;
    if (!o.no_config_file) {
        config_path_ =
            o.config_path && *o.config_path ? o.config_path : ConfigStore::resolve_path();
        store_.emplace(config_path_);
        config = store_->load();
    }

    if (o.engine) {
        engine_ = o.engine->engine;
    } else {
        EngineSpec spec;
        spec.ca_file = o.ca_file ? o.ca_file : "";
        // An explicit option (1 or -1) wins over the config file and the environment.
        if (o.insecure_local != 0) {
            spec.insecure_local = o.insecure_local > 0;
        } else if (config.insecure_local) {
            spec.insecure_local = true;
        }
        spec.allowed_hosts = split_hosts(o.allowed_hosts);
        spec.allowed_hosts.insert(spec.allowed_hosts.end(), config.allowed_hosts.begin(),
                                  config.allowed_hosts.end());
        engine_ = shared_engine(std::move(spec));
    }
    // The engine's policy decides: it is also the one checked on every connection.
    base_ = BaseUrl::from_config(o.base_url ? o.base_url : config.base_url, engine_->policy());

    api_key_ = std::string(trim(o.api_key ? o.api_key : config.api_key));
    enabled_ = config.enabled.value_or(!api_key_.empty());

    client_options_.crud_timeout_ms = to_int(pick(o.request_timeout_ms, 0, 30'000));
    client_options_.bridge_timeout_ms = to_int(pick(o.send_timeout_ms, 0, 60'000));
    client_options_.stream_idle_timeout_ms = to_int(pick(o.stream_idle_timeout_ms, 0, 120'000));
    client_options_.job_poll_interval_ms = to_int(o.job_poll_interval_ms);
    client_options_.job_timeout_ms = to_int(pick(o.job_timeout_ms, 0, 300'000));
    login_options_.poll_interval_ms = to_int(pick(o.login_poll_interval_ms, 0, 2'000));
    login_options_.timeout_ms = to_int(pick(o.login_timeout_ms, 0, 300'000));

    MonitorOptions &monitor = manager_options_.monitor;
    monitor.heartbeat_interval_ms =
        pick(o.heartbeat_interval_ms, config.heartbeat_interval_ms, 30'000);
    monitor.max_failures = static_cast<int>(pick(o.heartbeat_max_failures, 0, 3));
    monitor.initial_delay_ms =
        pick(o.reconnect_initial_delay_ms, config.reconnect_interval_ms, 3'000);
    monitor.max_delay_ms = pick(o.reconnect_max_delay_ms, 0, 60'000);
    monitor.max_attempts =
        static_cast<int>(pick(o.reconnect_max_attempts, config.max_reconnect_attempts, 10));
    BackupOptions &backup = manager_options_.backup;
    backup.interval_ms = pick(o.backup_interval_ms, config.auto_backup_interval_ms, 60'000);
    backup.final_timeout_ms = pick(o.final_snapshot_timeout_ms, 0, 10'000);
    manager_options_.enabled = enabled_;

    // One client for the handle's life; it reads the account's key for each request.
    client_ = std::make_shared<CloudClient>(
        engine_, base_,
        [this, gate = gate_] {
            GateScope scope(*gate);
            if (!scope) throw Error(Status::Cancelled, "the cloud handle was destroyed");
            std::lock_guard<std::mutex> lock(state_mutex_);
            return api_key_;
        },
        client_options_);

    // Back-pressure: a stream paused because the queue filled is resumed on the engine's thread
    // once the consumer (puller or dispatcher) has made room.
    std::weak_ptr<Engine> engine = engine_;
    queue_ = std::make_shared<EventQueue>(o.event_queue_capacity, [engine] {
        if (auto e = engine.lock()) e->resume_paused();
    });
    dispatcher_ = std::make_unique<EventDispatcher>(*queue_, this);
    forward_logs_ = o.forward_logs != 0;
    if (forward_logs_) LogFanout::instance().add_queue(queue_.get());
}

Cloud::~Cloud() {
    shutdown();
}

void Cloud::shutdown() {
    if (shut_down_.exchange(true)) return;
    if (forward_logs_) LogFanout::instance().remove_queue(queue_.get());
    // 1. No host code after this: the callback in progress returns, then the thread is joined.
    dispatcher_->stop();
    // 2. No library callback touches this object after this.
    {
        std::unique_lock<std::mutex> lock(gate_->mutex);
        gate_->closed = true;
        gate_->idle.wait(lock, [this] { return gate_->active == 0; });
    }
    // 3. Every operation ends (sync waiters wake with Cancelled; events go nowhere).
    std::vector<uint64_t> ids;
    {
        std::lock_guard<std::mutex> lock(ops_mutex_);
        for (const auto &entry : ops_) ids.push_back(entry.first);
    }
    for (uint64_t id : ids)
        abort(id, ErrorInfo::make(Status::Cancelled, "the cloud handle was destroyed"));
    // 4. The worker: queued steps are skipped (the gate is closed).
    {
        std::lock_guard<std::mutex> lock(work_mutex_);
        work_stop_ = true;
    }
    work_ready_.notify_all();
    if (worker_.joinable()) worker_.join();
    // 5. Components: the session is dropped without a final snapshot; destructors wait for
    // their own operations.
    std::shared_ptr<CloudManager> manager;
    std::shared_ptr<CloudLogin> login;
    {
        std::lock_guard<std::mutex> lock(state_mutex_);
        manager = std::move(manager_);
        login = std::move(login_);
    }
    if (manager) manager->shutdown();
    client_->cancel_all();  // its destructor (with the handle) waits for the completions
}

void Cloud::set_callback(ec_event_fn fn, void *user_data, void (*free_user_data)(void *)) {
    dispatcher_->set_callback(fn, user_data, free_user_data);
}

void Cloud::refuse_blocking(const char *what) const {
    if (EventDispatcher::current_owner() != nullptr) {
        throw Error(Status::Reentrant, std::string(what) +
                                           " would block inside an event callback; use the "
                                           "asynchronous form");
    }
    if (engine_->in_io_thread()) {
        throw Error(Status::Reentrant,
                    std::string(what) + " would block the library's I/O thread (a log sink?)");
    }
}

// ---- the operation table ----------------------------------------------------------------

uint64_t Cloud::begin(Request request, bool sync, std::shared_ptr<Pending> &pending) {
    pending = std::make_shared<Pending>();
    pending->op = request.op;
    pending->sync = sync;
    uint64_t id = 0;
    {
        std::lock_guard<std::mutex> lock(ops_mutex_);
        if (shut_down_) throw Error(Status::Cancelled, "the cloud handle is shutting down");
        id = next_id_++;
        // Registered before launching: a completion may arrive before launch() returns.
        ops_.emplace(id, pending);
    }
    CancelFn cancel;
    try {
        cancel = launch(request, id, sync);
    } catch (...) {
        std::lock_guard<std::mutex> lock(ops_mutex_);
        ops_.erase(id);
        throw;
    }
    bool cancel_now = false;
    {
        std::lock_guard<std::mutex> lock(ops_mutex_);
        if (pending->aborted) {
            cancel_now = true;  // cancelled while launching: stop the component's work too
        } else {
            pending->cancel = cancel;
        }
    }
    if (cancel_now && cancel) cancel();
    return id;
}

uint64_t Cloud::start(Request request) {
    std::shared_ptr<Pending> pending;
    return begin(std::move(request), false, pending);
}

std::string Cloud::run(Request request, int32_t timeout_ms) {
    return run(std::move(request), timeout_ms, {});
}

std::string Cloud::run(Request request, int32_t timeout_ms,
                       const std::function<void(uint64_t)> &started) {
    refuse_blocking(std::string(request.op->name).c_str());
    std::shared_ptr<Pending> pending;
    const uint64_t id = begin(std::move(request), true, pending);
    if (started) started(id);
    std::unique_lock<std::mutex> lock(ops_mutex_);
    auto ready = [&pending] { return pending->outcome.has_value(); };
    if (timeout_ms <= 0) {
        ops_done_.wait(lock, ready);
    } else if (!ops_done_.wait_for(lock, std::chrono::milliseconds(timeout_ms), ready)) {
        lock.unlock();
        abort(id, ErrorInfo::make(Status::Timeout, std::string(pending->op->name) +
                                                       " timed out after " +
                                                       std::to_string(timeout_ms) + " ms"));
        lock.lock();
        ops_done_.wait(lock, ready);  // set by abort, or by a completion that won the race
    }
    Outcome outcome = std::move(*pending->outcome);
    lock.unlock();
    if (!outcome.error.ok()) throw Error(std::move(outcome.error));
    return std::move(outcome.json);
}

void Cloud::cancel(uint64_t request_id) {
    abort(request_id, ErrorInfo::make(Status::Cancelled, "cancelled"));
}

void Cloud::deliver_locked(uint64_t id, Pending &pending, ErrorInfo error, std::string json) {
    if (pending.sync) {
        pending.outcome = Outcome{std::move(error), std::move(json)};
        ops_done_.notify_all();
        return;
    }
    Event event;
    event.type =
        pending.op->handler == Method::Stream ? EC_EVENT_STREAM_END : EC_EVENT_REQUEST_COMPLETED;
    event.request_id = id;
    event.status = error.status;
    event.json = error.ok() ? std::move(json) : failure_details_json(error);
    event.message = std::move(error.message);
    queue_->push(std::move(event));
}

void Cloud::finish(uint64_t id, ErrorInfo error, std::string json) {
    std::shared_ptr<Pending> pending;
    std::lock_guard<std::mutex> lock(ops_mutex_);
    auto it = ops_.find(id);
    if (it == ops_.end()) return;  // already cancelled or timed out: the first outcome counts
    pending = std::move(it->second);
    ops_.erase(it);
    deliver_locked(id, *pending, std::move(error), std::move(json));
}

void Cloud::abort(uint64_t id, ErrorInfo reason) {
    CancelFn cancel;
    bool is_login = false;
    {
        std::lock_guard<std::mutex> lock(ops_mutex_);
        auto it = ops_.find(id);
        if (it == ops_.end()) return;
        std::shared_ptr<Pending> pending = std::move(it->second);
        ops_.erase(it);
        pending->aborted = true;
        cancel = std::move(pending->cancel);
        is_login = pending->op->handler == Method::Login;
        deliver_locked(id, *pending, std::move(reason), {});
    }
    // The caller already has its Cancelled outcome: a new login must be possible at once.
    if (is_login) release_login(id);
    // Outside the lock: the component may complete inline, which lands in finish() and is
    // ignored there because the outcome is already decided.
    if (cancel) cancel();
}

void Cloud::chunk(uint64_t id, std::string_view text) {
    CancelFn cancel;
    {
        std::lock_guard<std::mutex> lock(ops_mutex_);
        auto it = ops_.find(id);
        if (it == ops_.end() || it->second->sync) return;  // ended, or a sync stream (no events)
        Event event;
        event.type = EC_EVENT_STREAM_CHUNK;
        event.request_id = id;
        event.text.assign(text);
        const PushResult pushed = queue_->push(std::move(event));
        if (pushed == PushResult::Backlogged) {
            // The host is behind: the stream's transfer takes no more bytes until it catches up
            // (this runs inside that transfer's on_data).
            std::weak_ptr<EventQueue> queue = queue_;
            pause_current_transfer([queue] {
                auto q = queue.lock();
                return !q || q->has_room();
            });
        } else if (pushed == PushResult::StreamOverflow) {
            cancel = it->second->cancel;
        }
    }
    // Past the queue's hard limit only (a stream that was not paused): the stream ends
    // Cancelled, which the queue reports as EC_ERR_OVERFLOW. Posted rather than run here: this is
    // the stream's own chunk callback.
    if (cancel) engine_->post(std::move(cancel));
}

void Cloud::push(Event event) {
    {
        std::lock_guard<std::mutex> lock(taps_mutex_);
        for (auto &tap : taps_) {
            try {
                tap.second(event);
            } catch (const std::exception &e) {  // an observer must not cost the host its event
                report_callback_failure(e.what());
            }
        }
    }
    queue_->push(std::move(event));
}

uint64_t Cloud::add_event_tap(EventTap tap) {
    std::lock_guard<std::mutex> lock(taps_mutex_);
    taps_.emplace_back(next_tap_, std::move(tap));
    return next_tap_++;
}

void Cloud::remove_event_tap(uint64_t id) {
    std::lock_guard<std::mutex> lock(taps_mutex_);
    std::erase_if(taps_, [id](const auto &tap) { return tap.first == id; });
}

// ---- the worker ---------------------------------------------------------------------------

void Cloud::post_work(std::function<void()> task) {
    std::lock_guard<std::mutex> lock(work_mutex_);
    if (work_stop_) return;
    work_.push_back(std::move(task));
    if (!worker_.joinable()) worker_ = std::thread([this] { worker_loop(); });
    work_ready_.notify_one();
}

void Cloud::worker_loop() {
    for (;;) {
        std::function<void()> task;
        {
            std::unique_lock<std::mutex> lock(work_mutex_);
            work_ready_.wait(lock, [this] { return work_stop_ || !work_.empty(); });
            if (work_stop_) return;
            task = std::move(work_.front());
            work_.pop_front();
        }
        try {
            task();
        } catch (const std::exception &e) {
            report_callback_failure(e.what());
        }
    }
}

void Cloud::report_callback_failure(const char *what) noexcept {
    try {
        log::error("[cloud] internal failure in a completion: {}", what);
    } catch (...) {  // nothing else can be done without memory
    }
}

// ---- small accessors ------------------------------------------------------------------------

std::string Cloud::api_key() const {
    std::lock_guard<std::mutex> lock(state_mutex_);
    if (api_key_.empty()) throw Error(Status::NotConnected, "no API key: log in first");
    return api_key_;
}

int32_t Cloud::state() const {
    std::shared_ptr<CloudManager> manager;
    {
        std::lock_guard<std::mutex> lock(state_mutex_);
        manager = manager_;
    }
    return manager ? static_cast<int32_t>(manager->status()) : EC_STATE_DISCONNECTED;
}

std::string Cloud::active_agent() const {
    std::shared_ptr<CloudManager> manager;
    {
        std::lock_guard<std::mutex> lock(state_mutex_);
        manager = manager_;
    }
    auto agent = manager ? manager->active_agent() : std::nullopt;
    if (!agent || agent->empty()) throw Error(Status::NotConnected, "no active agent");
    return *agent;
}

}  // namespace elizacloud
