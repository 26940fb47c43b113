// The object behind one ec_cloud handle, made of parts: the account (key, login, config file),
// the operation table (one completion per request id), the event hub (queue, dispatcher, taps),
// the one CloudClient, and the CloudManager created at the first connect. It resolves options and
// config into them, runs each operation's launch (cloud_ops.cpp, cloud_account.cpp) and shuts the
// parts down in order.
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
#include <thread>
#include <vector>

#include "api/cloud_client.hpp"
#include "handle/account.hpp"
#include "handle/event_hub.hpp"
#include "handle/gate.hpp"
#include "handle/operation_table.hpp"
#include "handle/request.hpp"
#include "handle/resolved_options.hpp"
#include "net/base_url.hpp"
#include "net/engine.hpp"
#include "session/cloud_manager.hpp"
#include "session/login.hpp"
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
    explicit Cloud(const ec_cloud_options &options) : Cloud(resolve_options(options)) {}
    // shutdown().
    ~Cloud();
    Cloud(const Cloud &) = delete;
    Cloud &operator=(const Cloud &) = delete;

    // Cancels every operation, drops the connection without a final snapshot, joins the
    // dispatcher (after the callback in progress returns) and the worker. Idempotent. Must not be
    // called from this cloud's dispatcher thread or the engine's I/O thread.
    void shutdown();

    EventHub &events() { return events_; }
    EventQueue &queue() { return events_.queue(); }
    void set_callback(ec_event_fn fn, void *user_data, void (*free_user_data)(void *)) {
        events_.set_callback(fn, user_data, free_user_data);
    }
    // True on this cloud's dispatcher thread (inside one of its callbacks).
    bool on_own_dispatcher() const { return EventDispatcher::current_owner() == this; }
    // Throws Reentrant where a blocking wait could deadlock: inside any ec_ callback (dispatcher
    // threads) or on the engine's I/O thread (a log sink).
    void refuse_blocking(const char *what) const;
    bool in_io_thread() const { return engine_->in_io_thread(); }

    // Asynchronous form: the request id; the outcome comes as an event.
    uint64_t start(Request request) { return operations_.start(std::move(request)); }
    // Synchronous form: waits up to timeout_ms (<= 0 = no extra limit), returns the result JSON
    // (send: the reply text), throws Error. No REQUEST_COMPLETED / STREAM_END / chunk event.
    // started (may be empty) learns the request id before the wait, so another thread can
    // cancel() it (a REST server shutting down ends the requests its clients wait on).
    std::string run(Request request, int32_t timeout_ms,
                    const std::function<void(uint64_t)> &started = {});
    // Completes the operation with Cancelled (unknown or finished ids are ignored).
    void cancel(uint64_t request_id) { operations_.cancel(request_id); }

    std::string api_key() const;  // NotConnected when there is none
    const std::string &config_path() const { return config_path_; }
    int32_t state() const;
    std::string active_agent() const;  // NotConnected when none

    const BaseUrl &base_url() const { return base_; }

private:
    using CancelFn = OperationTable::CancelFn;

    explicit Cloud(ResolvedOptions options);

    template <typename F>
    auto gated(F fn) {
        return elizacloud::gated(gate_, std::move(fn));
    }
    // The completion callback of the components for operation id.
    auto op_done(uint64_t id) {
        return gated([this, id](OpResult &&result) {
            operations_.finish(id, std::move(result.error), std::move(result.json));
        });
    }
    void finish(uint64_t id, ErrorInfo error, std::string json) {
        operations_.finish(id, std::move(error), std::move(json));
    }

    // Tells the cloud's API generation first when the row's route depends on it and it is not
    // known yet (once per handle), then launch_now.
    CancelFn launch(const Request &request, uint64_t id, bool sync);
    // Operations by handler (the row's Method).
    CancelFn launch_now(const Request &request, uint64_t id, bool sync);
    CancelFn launch_login(uint64_t id);
    CancelFn launch_login_session_create(uint64_t id);
    CancelFn launch_login_session_poll(const Request &request, uint64_t id);
    CancelFn launch_logout(uint64_t id);
    CancelFn launch_status(uint64_t id);
    CancelFn launch_credits(uint64_t id, bool fresh);
    CancelFn launch_identity(uint64_t id);
    CancelFn launch_http(const Request &request, uint64_t id, bool sync);
    CancelFn launch_request(const Request &request, uint64_t id, bool sync);
    CancelFn launch_routes(const Request &request, uint64_t id);
    CancelFn launch_connect(const Request &request, uint64_t id);
    CancelFn launch_disconnect(uint64_t id);
    CancelFn launch_proxy_op(const Request &request, uint64_t id, bool sync);
    // send/stream with an agentId that is not the connected agent: straight to its bridge.
    CancelFn launch_direct_chat(const Request &request, uint64_t id, bool sync);
    CancelFn launch_backup_op(const Request &request, uint64_t id);

    std::shared_ptr<CloudClient> client() const;  // throws NotConnected without a key
    // The end of a login that started when the account's logouts() was `logouts`.
    void complete_login(uint64_t id, const LoginResult &result, uint64_t logouts);
    // Adopts the key of a completed login (Account::adopt) and tells the host; returns the save
    // error, or Cancelled when a logout began since the login started (nothing changed).
    ErrorInfo store_login(uint64_t id, const LoginResult &result, uint64_t logouts);
    void complete_logout(uint64_t id);
    // Revokes the account's key with the CLI session that handed it out (best effort; where the
    // cloud has the route), then runs then on the handle's worker.
    void revoke_key(const std::string &session_id, const std::string &key,
                    std::function<void()> then);
    // A login ended before its key was received: if the user approved meanwhile, the key waits
    // in the cloud for one poll; claims it and revokes it (where the cloud can revoke).
    void revoke_unclaimed(const std::string &session_id);
    std::shared_ptr<CloudManager> manager(bool create);
    std::shared_ptr<CloudRuntimeProxy> proxy() const;  // throws NotConnected
    void on_state(const StateChange &change);
    void on_backup(const BackupEvent &event);
    void post_work(std::function<void()> task);
    void worker_loop();

    // Resolved settings.
    std::shared_ptr<Engine> engine_;
    BaseUrl base_;
    std::string config_path_;  // "" with no_config_file
    ClientOptions client_options_;
    CloudManagerOptions manager_options_;

    // Library callbacks enter through the gate; shutdown closes it.
    std::shared_ptr<Gate> gate_ = std::make_shared<Gate>();
    EventHub events_;
    OperationTable operations_;
    Account account_;
    // The one client of the handle, for its whole life: it reads the account's key for every
    // request, so it survives login and logout; it is also the manager's AgentOps.
    std::shared_ptr<CloudClient> client_;

    // The status check in flight (GET /api/v1/user): status calls that arrive meanwhile with the
    // same key share its answer instead of each asking the cloud (cloud_account.cpp).
    struct StatusCheck;
    std::mutex status_mutex_;
    std::shared_ptr<StatusCheck> status_check_;

    // Generation detection (api_generation auto): one probe in flight for the handle; the calls
    // that need it wait here and are launched (or failed) from its outcome.
    std::mutex detection_mutex_;
    std::vector<std::function<void(const ErrorInfo &)>> detection_waiters_;
    bool detecting_ = false;
    void when_generation_known(std::function<void(const ErrorInfo &)> then);

    // The connection. connection_mutex_ is never held while calling a component or host code.
    mutable std::mutex connection_mutex_;
    std::shared_ptr<CloudManager> manager_;
    // Request id of the connect in progress (0 = none): its provisioning progress carries it.
    uint64_t connect_request_ = 0;

    // Blocking steps (config file writes, dropping a client) run here, never on the I/O thread.
    std::mutex work_mutex_;
    std::condition_variable work_ready_;
    std::deque<std::function<void()>> work_;
    std::thread worker_;
    bool work_stop_ = false;

    std::atomic<bool> shut_down_{false};
};

}  // namespace elizacloud
