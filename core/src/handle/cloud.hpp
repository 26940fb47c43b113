// The object behind one ec_cloud handle: options and config resolved into an engine, a base URL,
// an API key and timings; the account (key, client, identity); the CloudManager created at the
// first connect; the event queue with its dispatcher; and the table of operations that every
// ec_cloud_* call and ec_cloud_call reach. Each operation has one request id, completes exactly
// once (REQUEST_COMPLETED, STREAM_END, or a waiting sync caller) and can be cancelled by id.
#pragma once

#include <elizacloud/elizacloud.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "api/cloud_client.hpp"
#include "handle/event_dispatcher.hpp"
#include "handle/event_queue.hpp"
#include "handle/request.hpp"
#include "net/base_url.hpp"
#include "net/engine.hpp"
#include "session/cloud_manager.hpp"
#include "session/login.hpp"
#include "store/config_store.hpp"
#include "util/error.hpp"

namespace elizacloud {

// How to cancel operation op of a component later without keeping the component alive.
template <typename Component, typename Id>
std::function<void()> cancel_of(const std::shared_ptr<Component> &component, Id op) {
    return [weak = std::weak_ptr<Component>(component), op] {
        if (auto c = weak.lock()) c->cancel(op);
    };
}

class Cloud {
public:
    // options is the caller's struct widened to the current size (unset fields zero).
    explicit Cloud(const ec_cloud_options &options);
    // shutdown().
    ~Cloud();
    Cloud(const Cloud &) = delete;
    Cloud &operator=(const Cloud &) = delete;

    // Cancels every operation, drops the connection without a final snapshot, joins the
    // dispatcher (after the callback in progress returns) and the worker. Idempotent. Must not be
    // called from this cloud's dispatcher thread or the engine's I/O thread.
    void shutdown();

    EventQueue &queue() { return *queue_; }
    void set_callback(ec_event_fn fn, void *user_data, void (*free_user_data)(void *));
    // True on this cloud's dispatcher thread (inside one of its callbacks).
    bool on_own_dispatcher() const { return EventDispatcher::current_owner() == this; }
    // Throws Reentrant where a blocking wait could deadlock: inside any ec_ callback (dispatcher
    // threads) or on the engine's I/O thread (a log sink).
    void refuse_blocking(const char *what) const;
    bool in_io_thread() const { return engine_->in_io_thread(); }

    // Asynchronous form: the request id; the outcome comes as an event.
    uint64_t start(Request request);
    // Synchronous form: waits up to timeout_ms (<= 0 = no extra limit), returns the result JSON
    // (send: the reply text), throws Error. No REQUEST_COMPLETED / STREAM_END / chunk event.
    std::string run(Request request, int32_t timeout_ms);
    // Completes the operation with Cancelled (unknown or finished ids are ignored).
    void cancel(uint64_t request_id);

    std::string api_key() const;  // NotConnected when there is none
    const std::string &config_path() const { return config_path_; }
    int32_t state() const;
    std::string active_agent() const;  // NotConnected when none

    // ---- for the local REST API (rest_api.cpp) ----
    // run() that reports the operation's id before waiting, so another thread can cancel() it
    // (a REST server shutting down ends the requests its clients are waiting on).
    std::string run(Request request, int32_t timeout_ms,
                    const std::function<void(uint64_t)> &started);
    // Observers of every event emitted through push() (state changes, credentials...), called on
    // the emitting library thread before the event is queued. A tap must be quick, must not block
    // and must not call into this Cloud. After remove_event_tap() returns the tap never runs.
    using EventTap = std::function<void(const Event &)>;
    uint64_t add_event_tap(EventTap tap);
    void remove_event_tap(uint64_t id);
    // Adopts a key that the REST login routes obtained, exactly as a completed login() does:
    // saved to the config file, client replaced, CREDENTIALS_CHANGED emitted. Blocking (file
    // I/O). The result says why the key could not be saved; it is in use either way.
    ErrorInfo adopt_login(const LoginResult &result);
    const std::shared_ptr<Engine> &engine() const { return engine_; }
    const BaseUrl &base_url() const { return base_; }

private:
    struct Pending;
    struct Outcome {
        ErrorInfo error;
        std::string json;
    };
    using Done = std::function<void(ErrorInfo, std::string)>;
    using CancelFn = std::function<void()>;

    // Callbacks from the I/O and worker threads enter through the gate; shutdown closes it and
    // waits for those inside, so no callback touches a Cloud that is being destroyed.
    struct Gate {
        std::mutex mutex;
        std::condition_variable idle;
        int active = 0;
        bool closed = false;
    };
    class GateScope {
    public:
        explicit GateScope(Gate &gate) : gate_(gate) {
            std::lock_guard<std::mutex> lock(gate_.mutex);
            open_ = !gate_.closed;
            if (open_) ++gate_.active;
        }
        ~GateScope() {
            if (!open_) return;
            std::lock_guard<std::mutex> lock(gate_.mutex);
            if (--gate_.active == 0) gate_.idle.notify_all();
        }
        GateScope(const GateScope &) = delete;
        GateScope &operator=(const GateScope &) = delete;
        explicit operator bool() const { return open_; }

    private:
        Gate &gate_;
        bool open_ = false;
    };
    // Wraps a callback so that it runs only while the gate is open. Nothing escapes into the
    // component that called it (only std::bad_alloc is realistic here); it is logged instead.
    template <typename F>
    auto gated(F fn) {
        return [gate = gate_, fn = std::move(fn)](auto &&...args) mutable {
            GateScope scope(*gate);
            if (!scope) return;
            try {
                fn(std::forward<decltype(args)>(args)...);
            } catch (const std::exception &e) {
                report_callback_failure(e.what());
            } catch (...) {
                report_callback_failure("unknown exception");
            }
        };
    }
    static void report_callback_failure(const char *what) noexcept;

    uint64_t begin(Request request, bool sync, std::shared_ptr<Pending> &pending);
    CancelFn launch(const Request &request, uint64_t id, bool sync);
    // Completion of an operation; only the first outcome of an id counts.
    void finish(uint64_t id, ErrorInfo error, std::string json);
    // Decides the outcome now (cancel, timeout, shutdown) and tells the component to stop.
    void abort(uint64_t id, ErrorInfo reason);
    void deliver_locked(uint64_t id, Pending &pending, ErrorInfo error, std::string json);
    // A stream chunk; dropped once the stream has ended.
    void chunk(uint64_t id, std::string_view text);
    // The completion callback of the components for operation id.
    auto op_done(uint64_t id) {
        return gated([this, id](OpResult &&result) {
            finish(id, std::move(result.error), std::move(result.json));
        });
    }
    void push(Event event);

    // Operations by kind.
    CancelFn launch_login(uint64_t id);
    CancelFn launch_logout(uint64_t id);
    CancelFn launch_status(uint64_t id);
    CancelFn launch_credits(uint64_t id, bool fresh);
    CancelFn launch_identity(uint64_t id);
    CancelFn launch_http(const Request &request, uint64_t id);
    CancelFn launch_connect(const Request &request, uint64_t id);
    CancelFn launch_disconnect(uint64_t id);
    CancelFn launch_proxy_op(const Request &request, uint64_t id, bool sync);
    CancelFn launch_backup_op(const Request &request, uint64_t id);

    std::shared_ptr<CloudClient> client() const;  // throws NotConnected without a key
    // Replaces the account's key (empty = none) and cancels what the client had in flight with
    // the previous one. Not with state_mutex_ held.
    void set_key(std::string key);
    void complete_login(uint64_t id, const LoginResult &result);
    // The account side of a completed login (shared with adopt_login); returns the save error.
    ErrorInfo store_login(uint64_t id, const LoginResult &result);
    void complete_logout(uint64_t id);
    bool has_key() const;
    std::shared_ptr<CloudManager> manager(bool create);
    std::shared_ptr<CloudRuntimeProxy> proxy() const;  // throws NotConnected
    void on_identity(const Identity &identity);
    void on_state(const StateChange &change);
    void on_backup(const BackupEvent &event);
    void post_work(std::function<void()> task);
    void worker_loop();

    // Resolved settings.
    std::shared_ptr<Engine> engine_;
    BaseUrl base_;
    std::string config_path_;  // "" with no_config_file
    std::optional<ConfigStore> store_;
    ClientOptions client_options_;
    LoginOptions login_options_;
    CloudManagerOptions manager_options_;
    bool forward_logs_ = false;

    std::shared_ptr<Gate> gate_ = std::make_shared<Gate>();
    std::shared_ptr<EventQueue> queue_;  // shared: a paused transfer's resume check holds it weakly
    std::unique_ptr<EventDispatcher> dispatcher_;

    // The account. state_mutex_ is never held while calling a component or host code.
    mutable std::mutex state_mutex_;
    std::string api_key_;
    // The one client of the handle, for its whole life: it reads api_key_ for every request, so
    // it survives login and logout; it is also the manager's AgentOps.
    std::shared_ptr<CloudClient> client_;
    std::optional<Identity> identity_;
    bool enabled_ = false;
    std::shared_ptr<CloudManager> manager_;
    std::shared_ptr<CloudLogin> login_;
    // Request id of the login in progress (0 = none). Released as soon as that request ends,
    // even when it was cancelled and the login component is still winding down.
    uint64_t login_request_ = 0;
    // Request id of the connect in progress (0 = none): its provisioning progress carries it.
    uint64_t connect_request_ = 0;
    void release_login(uint64_t id);

    // Operations in flight. Events of an operation are pushed under ops_mutex_ so a chunk can
    // never follow the end of its stream.
    std::mutex ops_mutex_;
    std::condition_variable ops_done_;
    std::unordered_map<uint64_t, std::shared_ptr<Pending>> ops_;
    uint64_t next_id_ = 1;

    // Blocking steps (config file writes, dropping a client) run here, never on the I/O thread.
    std::mutex work_mutex_;
    std::condition_variable work_ready_;
    std::deque<std::function<void()>> work_;
    std::thread worker_;
    bool work_stop_ = false;

    std::atomic<bool> shut_down_{false};

    std::mutex taps_mutex_;  // held while taps run, so removal waits for a running tap
    std::vector<std::pair<uint64_t, EventTap>> taps_;
    uint64_t next_tap_ = 1;
};

}  // namespace elizacloud
