// The operations of a Cloud: each launch_* starts the component call with a completion that
// lands in finish() and returns how to cancel it (cancel_of). Component callbacks arrive on the
// engine's I/O thread through gated(). Account operations are in cloud_account.cpp.
#include <mutex>
#include <utility>

#include "api/call_params.hpp"
#include "api/raw_call.hpp"
#include "api/route_catalogue.hpp"
#include "handle/cloud.hpp"
#include "util/json.hpp"

namespace elizacloud {
namespace {

std::string progress_json(std::string_view agent_id, std::string_view job_id,
                          std::string_view status, int polls) {
    json::Document doc(rapidjson::kObjectType);
    auto &alloc = doc.GetAllocator();
    json::set(doc, "agentId", json::string_value(agent_id, alloc), alloc);
    json::set(doc, "jobId", json::string_value(job_id, alloc), alloc);
    json::set(doc, "status", json::string_value(status, alloc), alloc);
    json::set(doc, "polls", json::Value(polls), alloc);
    return json::stringify(doc);
}

}  // namespace

Cloud::CancelFn Cloud::launch(const Request &r, uint64_t id, bool sync) {
    // The generic request and the route list need the generation's catalogue (routes with
    // an explicit generation does not).
    const bool needs_generation = api::depends_on_generation(*r.op) ||
                                  r.op->handler == Method::Connect ||
                                  r.op->handler == Method::Request ||
                                  (r.op->handler == Method::Routes &&
                                   !api::string_param(*r.op, *r.params, "generation").has_value());
    if (!needs_generation || client_->generation() != api::Generation::Unknown)
        return launch_now(r, id, sync);
    account_.require_key();  // or NotConnected saying why there is no key to send
    // Launched once the generation is known (on the I/O thread); a cancel before that only
    // keeps it from launching (the request already has its Cancelled outcome), one after it
    // cancels the operation.
    struct Deferred {
        std::mutex mutex;
        bool cancelled = false;
        CancelFn cancel;
    };
    auto deferred = std::make_shared<Deferred>();
    when_generation_known([this, r, id, sync, deferred](const ErrorInfo &detected) {
        {
            std::lock_guard<std::mutex> lock(deferred->mutex);
            if (deferred->cancelled) return;
        }
        if (!detected.ok()) {
            finish(id, ErrorInfo(detected), {});
            return;
        }
        CancelFn cancel;
        try {
            cancel = launch_now(r, id, sync);
        } catch (const Error &e) {
            finish(id, e.info(), {});
            return;
        }
        bool cancelled = false;
        {
            std::lock_guard<std::mutex> lock(deferred->mutex);
            cancelled = deferred->cancelled;
            if (!cancelled) deferred->cancel = cancel;
        }
        if (cancelled && cancel) cancel();
    });
    return [deferred] {
        CancelFn cancel;
        {
            std::lock_guard<std::mutex> lock(deferred->mutex);
            deferred->cancelled = true;
            cancel = std::move(deferred->cancel);
        }
        if (cancel) cancel();
    };
}

void Cloud::when_generation_known(std::function<void(const ErrorInfo &)> then) {
    {
        std::lock_guard<std::mutex> lock(detection_mutex_);
        detection_waiters_.push_back(std::move(then));
        if (detecting_) return;  // the probe in flight answers this one too
        detecting_ = true;
    }
    auto release = [this](const ErrorInfo &outcome) {
        std::vector<std::function<void(const ErrorInfo &)>> waiters;
        {
            std::lock_guard<std::mutex> lock(detection_mutex_);
            waiters.swap(detection_waiters_);
            detecting_ = false;  // a failure is not kept: the next call asks again
        }
        for (auto &waiter : waiters) waiter(outcome);
    };
    try {
        client_->detect_generation_async(
            gated([release](OpResult &&result) { release(result.error); }));
    } catch (const Error &e) {
        release(e.info());
    }
}

Cloud::CancelFn Cloud::launch_now(const Request &r, uint64_t id, bool sync) {
    switch (r.op->handler) {
        case Method::Http:
            return launch_http(r, id, sync);
        case Method::Login:
            return launch_login(id);
        case Method::LoginSessionCreate:
            return launch_login_session_create(id);
        case Method::LoginSessionPoll:
            return launch_login_session_poll(r, id);
        case Method::Logout:
            return launch_logout(id);
        case Method::Status:
            return launch_status(id);
        case Method::Credits:
            return launch_credits(id, r.fresh);
        case Method::Identity:
            return launch_identity(id);
        case Method::Connect:
            return launch_connect(r, id);
        case Method::Request:
            return launch_request(r, id, sync);
        case Method::Routes:
            return launch_routes(r, id);
        case Method::Disconnect:
            return launch_disconnect(id);
        case Method::Send:
        case Method::Stream:
        case Method::AgentStatus:
        case Method::IsAlive:
            return launch_proxy_op(r, id, sync);
        case Method::Snapshot:
        case Method::BackupsList:
        case Method::Restore:
            return launch_backup_op(r, id);
    }
    throw Error(Status::Internal, "unhandled method");
}

// ---- rows of the generic executor -------------------------------------------------------------

Cloud::CancelFn Cloud::launch_http(const Request &r, uint64_t id, bool sync) {
    // Public routes (health, the model list, discovery, the A2A card) need no key.
    auto c = r.op->scope == api::Scope::None ? client_ : client();
    ProgressCallback progress;
    if (r.op->follows_job || r.op->follows_container) {
        progress = gated([this, id](const JobProgress &p) {
            Event event;
            event.type = EC_EVENT_PROVISION_PROGRESS;
            event.request_id = id;
            event.agent_id = p.agent_id;
            event.text = p.status;
            event.json = progress_json(p.agent_id, p.job_id, p.status, p.polls);
            events_.publish(std::move(event));
        });
    }
    if (r.op->streaming != api::Streaming::None) {
        CloudClient::RawChunkCallback on_chunk;
        if (!sync || r.chunk_sink)
            on_chunk = gated([this, id](std::string_view text, std::string_view json) {
                operations_.chunk(id, text, json);
            });
        return cancel_of(c, c->stream_call(*r.op, *r.params, std::move(on_chunk), op_done(id)));
    }
    const OperationId op = c->call_checked(*r.op, *r.params, op_done(id), std::move(progress),
                                           {r.max_retries, r.timeout_ms});
    return cancel_of(c, op);
}

Cloud::CancelFn Cloud::launch_request(const Request &r, uint64_t id, bool sync) {
    auto c = client();
    api::RawCall call = api::build_raw_call(*r.params, c->generation());
    CloudClient::RawChunkCallback on_chunk;
    // A synchronous caller gets the stream collected in the result (it takes no events).
    if (r.streams && (!sync || r.chunk_sink))
        on_chunk = gated([this, id](std::string_view text, std::string_view json) {
            operations_.chunk(id, text, json);
        });
    const OperationId op = c->request_async(std::move(call), std::move(on_chunk), op_done(id));
    return cancel_of(c, op);
}

Cloud::CancelFn Cloud::launch_routes(const Request &r, uint64_t id) {
    const auto named = api::string_param(*r.op, *r.params, "generation");
    const api::Generation generation = !named              ? client_->generation()
                                       : *named == "eliza" ? api::Generation::Eliza
                                                           : api::Generation::Milady;
    finish(id, {}, api::routes_json(generation));
    return {};
}

// ---- connection -----------------------------------------------------------------------------

std::shared_ptr<CloudManager> Cloud::manager(bool create) {
    std::lock_guard<std::mutex> lock(connection_mutex_);
    if (manager_ || !create) return manager_;
    CloudManagerListeners listeners;
    listeners.on_state = gated([this](const StateChange &change) { on_state(change); });
    listeners.on_backup = gated([this](const BackupEvent &event) { on_backup(event); });
    listeners.on_progress = gated([this](const std::string &agent_id, const JobProgress &p) {
        Event event;
        event.type = EC_EVENT_PROVISION_PROGRESS;
        // Progress during a connect belongs to that request; a reconnect's has none (0).
        {
            std::lock_guard<std::mutex> held(connection_mutex_);
            event.request_id = connect_request_;
        }
        event.agent_id = agent_id;
        event.text = p.status;
        event.json = progress_json(agent_id, p.job_id, p.status, p.polls);
        events_.publish(std::move(event));
    });
    manager_options_.enabled = account_.enabled();
    // The client is the manager's AgentOps; it follows the account's key (login, logout).
    manager_ = CloudManager::create(engine_, std::shared_ptr<AgentOps>(client_), manager_options_,
                                    std::move(listeners));
    return manager_;
}

void Cloud::on_state(const StateChange &change) {
    Event event;
    event.type = EC_EVENT_STATE_CHANGED;
    event.state = static_cast<int32_t>(change.new_state);
    event.previous_state = static_cast<int32_t>(change.previous_state);
    event.agent_id = change.agent_id;
    event.status = change.error.status;
    event.message = change.error.message;
    event.attempt = change.attempt;
    event.next_delay_ms = change.next_delay_ms;
    events_.publish(std::move(event));
}

void Cloud::on_backup(const BackupEvent &backup) {
    Event event;
    event.agent_id = backup.agent_id;
    switch (backup.kind) {
        case BackupEvent::Kind::Taken:
        case BackupEvent::Kind::FinalTaken:
            event.type = EC_EVENT_BACKUP_DONE;
            event.json = backup.json;
            break;
        case BackupEvent::Kind::Failed:
        case BackupEvent::Kind::FinalFailed:
            event.type = EC_EVENT_BACKUP_FAILED;
            event.status = backup.error.status;
            event.message = backup.error.message;
            break;
        case BackupEvent::Kind::Skipped:
            return;  // counted by the scheduler, nothing lost
    }
    events_.publish(std::move(event));
}

Cloud::CancelFn Cloud::launch_connect(const Request &r, uint64_t id) {
    account_.require_key();  // or NotConnected saying why there is no key to send
    auto m = manager(true);
    {
        std::lock_guard<std::mutex> lock(connection_mutex_);
        connect_request_ = id;
    }
    const ManagerOpId op = m->connect_async(
        r.agent_id,
        gated([this, id](const ErrorInfo &error, std::shared_ptr<CloudRuntimeProxy> proxy) {
            {
                std::lock_guard<std::mutex> lock(connection_mutex_);
                if (connect_request_ == id) connect_request_ = 0;
            }
            if (!error.ok() || !proxy) {
                finish(id, error.ok() ? ErrorInfo::make(Status::Internal, "no proxy") : error, {});
                return;
            }
            json::Document doc(rapidjson::kObjectType);
            auto &alloc = doc.GetAllocator();
            json::set(doc, "agentId", json::string_value(proxy->agent_id(), alloc), alloc);
            json::set(doc, "agentName", json::string_value(proxy->agent_name(), alloc), alloc);
            json::set(doc, "state", json::string_value("connected", alloc), alloc);
            finish(id, {}, json::stringify(doc));
        }));
    return cancel_of(m, op);
}

Cloud::CancelFn Cloud::launch_disconnect(uint64_t id) {
    auto m = manager(false);
    if (!m) {
        finish(id, {}, "{}");
        return {};
    }
    const ManagerOpId op = m->disconnect_async(
        gated([this, id](const ErrorInfo &error) { finish(id, error, error.ok() ? "{}" : ""); }));
    return cancel_of(m, op);
}

// ---- the connected agent --------------------------------------------------------------------

std::shared_ptr<CloudRuntimeProxy> Cloud::proxy() const {
    std::shared_ptr<CloudManager> m;
    {
        std::lock_guard<std::mutex> lock(connection_mutex_);
        m = manager_;
    }
    auto p = m ? m->proxy() : nullptr;
    if (!p) throw Error(Status::NotConnected, "not connected to an agent");
    return p;
}

Cloud::CancelFn Cloud::launch_proxy_op(const Request &r, uint64_t id, bool sync) {
    // A message to a given agent that is not the connected one goes to it directly: no
    // connection, heartbeat or backup (a one-shot chat with a running agent).
    const bool chat = r.op->handler == Method::Send || r.op->handler == Method::Stream;
    if (chat && !r.agent_id.empty()) {
        std::shared_ptr<CloudManager> m = manager(false);
        auto active = m ? m->active_agent() : std::nullopt;
        if (!active || *active != r.agent_id) return launch_direct_chat(r, id, sync);
    }
    auto p = proxy();
    ChatTarget target;
    target.room_id = r.room_id;
    target.channel_type = r.channel_type;
    OperationId op = 0;
    switch (r.op->handler) {
        case Method::Send:
            op = p->send_async(r.text, op_done(id), target);
            break;
        case Method::Stream: {
            ChunkCallback on_chunk;
            if (!sync || r.chunk_sink)
                on_chunk =
                    gated([this, id](std::string_view text) { operations_.chunk(id, text); });
            op = p->stream_async(r.text, std::move(on_chunk), op_done(id), target);
            break;
        }
        case Method::AgentStatus:
            op = p->status_async(op_done(id));
            break;
        case Method::IsAlive:
            op = p->is_alive_async(gated([this, id](OpResult &&result) {
                const Status s = result.error.status;
                if (s == Status::Cancelled) {
                    finish(id, std::move(result.error), {});
                    return;
                }
                // A failed heartbeat is an answer ("not alive"), not a failure of the call.
                finish(id, {}, s == Status::Ok ? R"({"alive":true})" : R"({"alive":false})");
            }));
            break;
        default:
            throw Error(Status::Internal, "not a proxy operation");
    }
    return cancel_of(p, op);
}

Cloud::CancelFn Cloud::launch_direct_chat(const Request &r, uint64_t id, bool sync) {
    auto c = client();
    ChatTarget target;
    target.room_id = r.room_id;
    target.channel_type = r.channel_type;
    OperationId op = 0;
    if (r.op->handler == Method::Stream) {
        ChunkCallback on_chunk;
        if (!sync || r.chunk_sink)
            on_chunk = gated([this, id](std::string_view text) { operations_.chunk(id, text); });
        op = c->stream_async(r.agent_id, r.text, target, std::move(on_chunk), op_done(id));
    } else {
        // The same answer as the connected agent's send: {"text": the reply}.
        op = c->send_message_async(r.agent_id, r.text, target, op_done(id));
    }
    return cancel_of(c, op);
}

Cloud::CancelFn Cloud::launch_backup_op(const Request &r, uint64_t id) {
    std::shared_ptr<BackupScheduler> scheduler;
    std::shared_ptr<CloudManager> m = manager(false);
    if (m) {
        auto active = m->active_agent();
        // The connected agent's backups go through its scheduler, which keeps one snapshot in
        // flight at a time.
        if (r.agent_id.empty() || (active && *active == r.agent_id)) scheduler = m->backups();
    }
    if (scheduler) {
        switch (r.op->handler) {
            case Method::Snapshot:
                scheduler->snapshot_now_async(op_done(id));
                return {};
            case Method::BackupsList: {
                const OperationId op = scheduler->list_backups_async(op_done(id));
                return cancel_of(scheduler, op);
            }
            case Method::Restore: {
                const OperationId op = scheduler->restore_async(r.backup_id, op_done(id));
                return cancel_of(scheduler, op);
            }
            default:
                throw Error(Status::Internal, "not a backup operation");
        }
    }
    if (r.agent_id.empty())
        throw Error(Status::NotConnected, "not connected to an agent (pass an agent id)");
    auto c = client();
    OperationId op = 0;
    switch (r.op->handler) {
        case Method::Snapshot:
            op = c->snapshot_async(r.agent_id, op_done(id));
            break;
        case Method::BackupsList:
            op = c->list_backups_async(r.agent_id, op_done(id));
            break;
        case Method::Restore:
            op = c->restore_async(r.agent_id, r.backup_id, op_done(id));
            break;
        default:
            throw Error(Status::Internal, "not a backup operation");
    }
    return cancel_of(c, op);
}

}  // namespace elizacloud
