// Cloud: building the parts from the resolved options, synchronous calls, the worker for blocking
// steps, and shutdown. The operations themselves are in cloud_ops.cpp and cloud_account.cpp.
#include "handle/cloud.hpp"

#include <utility>

#include "util/log.hpp"

namespace elizacloud {

void report_callback_failure(const char *what) noexcept {
    try {
        log::error("[cloud] internal failure in a completion: {}", what);
    } catch (...) {  // nothing else can be done without memory
    }
}

Cloud::Cloud(ResolvedOptions o)
    : engine_(o.engine),
      base_(o.base),
      config_path_(o.config_path),
      client_options_(o.client),
      manager_options_(o.manager),
      // Back-pressure: a stream paused because the queue filled is resumed on the engine's
      // thread once the consumer (puller or dispatcher) has made room.
      events_(
          o.event_queue_capacity,
          [engine = std::weak_ptr<Engine>(o.engine)] {
              if (auto e = engine.lock()) e->resume_paused();
          },
          this, o.forward_logs),
      operations_(
          events_, o.engine, gate_,
          [this](const Request &request, uint64_t id, bool sync) {
              return launch(request, id, sync);
          },
          [this](const api::OperationSpec &op, uint64_t id) {
              // The caller already has its Cancelled outcome: a new login must be possible now.
              if (op.handler == Method::Login) account_.release_login(id);
          }),
      account_(std::move(o.store), std::move(o.api_key), o.enabled, o.engine, o.base, o.login,
               std::move(o.login_session_id), std::move(o.api_key_base_url)) {
    // One client for the handle's life; it reads the account's key for each request.
    client_ = std::make_shared<CloudClient>(
        engine_, base_,
        [this, gate = gate_](bool required) {
            GateScope scope(*gate);
            if (!scope) throw Error(Status::Cancelled, "the cloud handle was destroyed");
            return required ? account_.require_key() : account_.key();
        },
        client_options_);
}

Cloud::~Cloud() {
    shutdown();
}

void Cloud::shutdown() {
    if (shut_down_.exchange(true)) return;
    // 1. No host code after this: the callback in progress returns, then the thread is joined.
    events_.stop();
    // 2. No library callback touches this object after this.
    gate_->close();
    // 3. Every operation ends (sync waiters wake with Cancelled; events go nowhere); new ones
    // are refused.
    operations_.close(ErrorInfo::make(Status::Cancelled, "the cloud handle was destroyed"));
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
    {
        std::lock_guard<std::mutex> lock(connection_mutex_);
        manager = std::move(manager_);
    }
    if (manager) manager->shutdown();
    account_.cancel_login();
    client_->cancel_all();  // its destructor (with the handle) waits for the completions
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

std::string Cloud::run(Request request, int32_t timeout_ms,
                       const std::function<void(uint64_t)> &started) {
    refuse_blocking(std::string(request.op->name).c_str());
    return operations_.run(std::move(request), timeout_ms, started);
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

// ---- small accessors ------------------------------------------------------------------------

std::string Cloud::api_key() const {
    return account_.require_key();
}

int32_t Cloud::state() const {
    std::shared_ptr<CloudManager> manager;
    {
        std::lock_guard<std::mutex> lock(connection_mutex_);
        manager = manager_;
    }
    return manager ? static_cast<int32_t>(manager->status()) : EC_STATE_DISCONNECTED;
}

std::string Cloud::active_agent() const {
    std::shared_ptr<CloudManager> manager;
    {
        std::lock_guard<std::mutex> lock(connection_mutex_);
        manager = manager_;
    }
    auto agent = manager ? manager->active_agent() : std::nullopt;
    if (!agent || agent->empty()) throw Error(Status::NotConnected, "no active agent");
    return *agent;
}

}  // namespace elizacloud
