// The operations of a Cloud: each launch_* starts the component call with a completion that
// lands in finish() and returns how to cancel it. Component callbacks arrive on the engine's
// I/O thread through gated(); steps that may block (config file writes, dropping a client) are
// moved to the worker thread.
#include <utility>

#include "cloud.hpp"
#include "cloud_agent_ops.hpp"
#include "json.hpp"
#include "log.hpp"
#include "status_report.hpp"

namespace elizacloud {
namespace {

template <typename T>
std::weak_ptr<T> weak(const std::shared_ptr<T> &p) {
    return p;
}

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

json::Value string_or_null(const std::string &s, json::Document::AllocatorType &alloc) {
    return s.empty() ? json::Value() : json::string_value(s, alloc);
}

// {"userId","organizationId", ...the user record's own fields}.
std::string identity_result(const Identity &identity) {
    json::Document data;
    json::Document doc(rapidjson::kObjectType);
    auto &alloc = doc.GetAllocator();
    json::set(doc, "userId", json::string_value(identity.user_id, alloc), alloc);
    json::set(doc, "organizationId", string_or_null(identity.organization_id, alloc), alloc);
    if (json::parse(identity.json, data) && data.IsObject()) {
        for (auto it = data.MemberBegin(); it != data.MemberEnd(); ++it) {
            const std::string_view key(it->name.GetString(), it->name.GetStringLength());
            if (key == "userId" || key == "organizationId") continue;
            json::set(doc, key, json::Value(it->value, alloc), alloc);
        }
    }
    return json::stringify(doc);
}

bool auth_rejected(Status s) {
    return s == Status::Unauthorized || s == Status::Forbidden;
}

}  // namespace

Cloud::CancelFn Cloud::launch(const Request &r, uint64_t id, bool sync) {
    switch (r.method) {
        case Method::Login:
            return launch_login(id);
        case Method::Logout:
            return launch_logout(id);
        case Method::Status:
            return launch_status(id);
        case Method::Credits:
            return launch_credits(id, r.fresh);
        case Method::Identity:
            return launch_identity(id);
        case Method::AgentsList:
        case Method::AgentCreate:
        case Method::AgentGet:
        case Method::AgentDelete:
        case Method::AgentProvision:
        case Method::AgentSuspend:
        case Method::AgentResume:
            return launch_client_op(r, id);
        case Method::Connect:
            return launch_connect(r, id);
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

// ---- account ------------------------------------------------------------------------------

void Cloud::set_client_locked(const std::string &key) {
    client_ = std::make_shared<CloudClient>(engine_, base_, key, client_options_);
    client_ops_ = make_client_agent_ops(client_);
}

std::shared_ptr<CloudClient> Cloud::client_or_null() const {
    std::lock_guard<std::mutex> lock(state_mutex_);
    return client_;
}

std::shared_ptr<CloudClient> Cloud::client() const {
    auto c = client_or_null();
    if (!c) throw Error(Status::NotConnected, "no API key: log in first");
    return c;
}

void Cloud::on_identity(const Identity &identity) {
    std::lock_guard<std::mutex> lock(state_mutex_);
    identity_ = identity;
}

Cloud::CancelFn Cloud::launch_login(uint64_t id) {
    std::shared_ptr<CloudLogin> login;
    {
        std::lock_guard<std::mutex> lock(state_mutex_);
        if (login_running_) throw Error(Status::Busy, "a login is already in progress");
        if (!login_) login_ = std::make_shared<CloudLogin>(engine_, base_, login_options_);
        login = login_;
        login_running_ = true;
    }
    LoginCallbacks callbacks;
    callbacks.on_browser_url = gated([this, id](const std::string &url) {
        Event event;
        event.type = EC_EVENT_LOGIN_BROWSER_URL;
        event.request_id = id;
        event.text = url;
        push(std::move(event));
    });
    callbacks.on_poll_status = gated([this, id](const std::string &status) {
        Event event;
        event.type = EC_EVENT_LOGIN_PROGRESS;
        event.request_id = id;
        event.text = status;
        push(std::move(event));
    });
    auto done = gated([this, id](ErrorInfo &&error, LoginResult &&result) {
        if (!error.ok()) {
            {
                std::lock_guard<std::mutex> lock(state_mutex_);
                login_running_ = false;
            }
            finish(id, std::move(error), {});
            return;
        }
        // Saving the key is file I/O under a lock file: not for the I/O thread.
        post_work(gated([this, id, result = std::move(result)] { complete_login(id, result); }));
    });
    OperationId op = 0;
    try {
        op = login->start_async(std::move(callbacks), std::move(done));
    } catch (...) {
        std::lock_guard<std::mutex> lock(state_mutex_);
        login_running_ = false;
        throw;
    }
    return [w = weak(login), op] {
        if (auto l = w.lock()) l->cancel(op);
    };
}

void Cloud::complete_login(uint64_t id, const LoginResult &result) {
    // The key is kept even when the login request was cancelled meanwhile: the cloud hands it
    // out only once.
    ErrorInfo saved;
    if (store_) {
        try {
            store_->save_login(result.api_key);
        } catch (const Error &e) {
            saved = e.info();
        } catch (const std::exception &e) {
            saved = ErrorInfo::make(Status::Io, e.what());
        }
    }
    std::shared_ptr<CloudClient> old_client;
    std::shared_ptr<AgentOps> old_ops;
    {
        std::lock_guard<std::mutex> lock(state_mutex_);
        old_client = std::move(client_);
        old_ops = std::move(client_ops_);
        api_key_ = result.api_key;
        set_client_locked(api_key_);
        if (!result.user_id.empty()) {
            identity_ = Identity{result.user_id, result.organization_id, {}};
        } else {
            identity_.reset();
        }
        enabled_ = true;
        login_running_ = false;
    }
    Event credentials;
    credentials.type = EC_EVENT_CREDENTIALS_CHANGED;
    credentials.request_id = id;
    credentials.text = result.key_prefix;
    push(std::move(credentials));

    json::Document doc(rapidjson::kObjectType);
    auto &alloc = doc.GetAllocator();
    json::set(doc, "userId", string_or_null(result.user_id, alloc), alloc);
    json::set(doc, "organizationId", string_or_null(result.organization_id, alloc), alloc);
    if (!result.user_id.empty()) {
        Event identity;
        identity.type = EC_EVENT_IDENTITY;
        identity.request_id = id;
        identity.json = json::stringify(doc);
        push(std::move(identity));
    }
    json::set(doc, "keyPrefix", json::string_value(result.key_prefix, alloc), alloc);
    json::set(doc, "expiresAt",
              result.expires_at ? json::string_value(*result.expires_at, alloc) : json::Value(),
              alloc);
    if (!saved.ok()) {
        finish(id,
               ErrorInfo::make(Status::Io, "logged in, but the API key could not be saved to " +
                                               config_path_ + ": " + saved.message +
                                               " (ec_cloud_api_key() returns it)"),
               {});
        return;
    }
    finish(id, {}, json::stringify(doc));
}

Cloud::CancelFn Cloud::launch_logout(uint64_t id) {
    std::shared_ptr<CloudManager> manager;
    std::shared_ptr<CloudLogin> login;
    {
        std::lock_guard<std::mutex> lock(state_mutex_);
        manager = manager_;
        login = login_;
    }
    if (login) login->cancel_all();  // a login in progress must not bring the key back
    if (!manager) {
        post_work(gated([this, id] { complete_logout(id); }));
        return {};
    }
    // Disconnect first (with the final backup, while the key still works), then forget the key.
    const ManagerOpId op = manager->disconnect_async(gated([this, id](const ErrorInfo &error) {
        if (error.status == Status::Cancelled) {
            finish(id, error, {});
            return;
        }
        post_work(gated([this, id] { complete_logout(id); }));
    }));
    return [w = weak(manager), op] {
        if (auto m = w.lock()) m->cancel(op);
    };
}

void Cloud::complete_logout(uint64_t id) {
    std::shared_ptr<CloudClient> old_client;
    std::shared_ptr<AgentOps> old_ops;
    {
        std::lock_guard<std::mutex> lock(state_mutex_);
        api_key_.clear();
        old_client = std::move(client_);
        old_ops = std::move(client_ops_);
        identity_.reset();
        enabled_ = false;
    }
    ErrorInfo cleared;
    if (store_) {
        try {
            store_->clear_login();
        } catch (const Error &e) {
            cleared = e.info();
        } catch (const std::exception &e) {
            cleared = ErrorInfo::make(Status::Io, e.what());
        }
    }
    Event credentials;
    credentials.type = EC_EVENT_CREDENTIALS_CHANGED;
    credentials.request_id = id;
    push(std::move(credentials));
    finish(id, std::move(cleared), cleared.ok() ? "{}" : "");
}

// ---- status, credits, identity --------------------------------------------------------------

Cloud::CancelFn Cloud::launch_status(uint64_t id) {
    StatusFacts facts;
    std::shared_ptr<CloudClient> c;
    {
        std::lock_guard<std::mutex> lock(state_mutex_);
        c = client_;
        facts.has_api_key = !api_key_.empty();
        facts.enabled = enabled_;
        facts.runtime_started = manager_ != nullptr;
        facts.top_up_url = base_.top_up_url();
    }
    if (!c) {
        finish(id, {}, status_json(facts));
        return {};
    }
    // "connected" means the cloud accepted the key just now.
    const OperationId op = c->get_user_async(gated([this, id, facts](OpResult &&result) mutable {
        if (result.error.status == Status::Cancelled) {
            finish(id, std::move(result.error), {});
            return;
        }
        if (result.error.ok()) {
            try {
                Identity identity = identity_from_json(result.json);
                facts.user_id = identity.user_id;
                facts.organization_id = identity.organization_id;
                on_identity(identity);
            } catch (const Error &e) {
                log::warn("[cloud] status: {}", e.what());
            }
        } else if (auth_rejected(result.error.status)) {
            std::lock_guard<std::mutex> lock(state_mutex_);
            identity_.reset();
        }
        finish(id, {}, status_json(facts));
    }));
    return [w = weak(c), op] {
        if (auto client = w.lock()) client->cancel(op);
    };
}

Cloud::CancelFn Cloud::launch_credits(uint64_t id, bool fresh) {
    auto c = client_or_null();
    if (!c) {
        finish(id, {}, credits_json(false, std::nullopt, base_.top_up_url()));
        return {};
    }
    const OperationId op = c->credits_balance_async(
        fresh, gated([this, id](OpResult &&result) {
            if (!result.error.ok()) {
                finish(id, std::move(result.error), {});
                return;
            }
            json::Document doc;
            std::optional<double> balance;
            if (json::parse(result.json, doc)) balance = json::get_number(doc, "balance");
            if (!balance) {
                finish(id, ErrorInfo::make(Status::Protocol, "unexpected credits response"), {});
                return;
            }
            finish(id, {}, credits_json(true, balance, base_.top_up_url()));
        }));
    return [w = weak(c), op] {
        if (auto client = w.lock()) client->cancel(op);
    };
}

Cloud::CancelFn Cloud::launch_identity(uint64_t id) {
    auto c = client();
    const OperationId op = c->get_user_async(gated([this, id](OpResult &&result) {
        if (!result.error.ok()) {
            finish(id, std::move(result.error), {});
            return;
        }
        try {
            Identity identity = identity_from_json(result.json);
            on_identity(identity);
            finish(id, {}, identity_result(identity));
        } catch (const Error &e) {
            finish(id, e.info(), {});
        }
    }));
    return [w = weak(c), op] {
        if (auto client = w.lock()) client->cancel(op);
    };
}

// ---- agents ---------------------------------------------------------------------------------

Cloud::CancelFn Cloud::launch_client_op(const Request &r, uint64_t id) {
    auto c = client();
    auto progress = gated([this, id](const JobProgress &p) {
        Event event;
        event.type = EC_EVENT_PROVISION_PROGRESS;
        event.request_id = id;
        event.agent_id = p.agent_id;
        event.text = p.status;
        event.json = progress_json(p.agent_id, p.job_id, p.status, p.polls);
        push(std::move(event));
    });
    OperationId op = 0;
    switch (r.method) {
        case Method::AgentsList:
            op = c->list_agents_async(op_done(id));
            break;
        case Method::AgentCreate:
            op = c->create_agent_async(r.body, op_done(id));
            break;
        case Method::AgentGet:
            op = c->get_agent_async(r.agent_id, op_done(id));
            break;
        case Method::AgentDelete:
            op = c->delete_agent_async(r.agent_id, op_done(id));
            break;
        case Method::AgentProvision:
            op = c->provision_async(r.agent_id, op_done(id), std::move(progress));
            break;
        case Method::AgentSuspend:
            op = c->suspend_async(r.agent_id, op_done(id));
            break;
        case Method::AgentResume:
            op = c->resume_async(r.agent_id, op_done(id), std::move(progress));
            break;
        default:
            throw Error(Status::Internal, "not a client operation");
    }
    return [w = weak(c), op] {
        if (auto client = w.lock()) client->cancel(op);
    };
}

// ---- connection -----------------------------------------------------------------------------

std::shared_ptr<CloudManager> Cloud::manager(bool create) {
    std::lock_guard<std::mutex> lock(state_mutex_);
    if (manager_ || !create) return manager_;
    CloudManagerListeners listeners;
    listeners.on_state = gated([this](const StateChange &change) { on_state(change); });
    listeners.on_backup = gated([this](const BackupEvent &event) { on_backup(event); });
    listeners.on_progress = gated([this](const std::string &agent_id, const ProvisionProgress &p) {
        Event event;
        event.type = EC_EVENT_PROVISION_PROGRESS;
        event.agent_id = agent_id;
        event.text = p.status;
        event.json = progress_json(agent_id, p.job_id, p.status, p.polls);
        push(std::move(event));
    });
    // The manager asks for the agent operations at its first connect and keeps them; they
    // follow the account, so a later login's key is used from then on.
    auto ops = std::make_shared<AccountAgentOps>([this, gate = gate_]() {
        GateScope scope(*gate);
        if (!scope) throw Error(Status::Cancelled, "the cloud handle was destroyed");
        std::lock_guard<std::mutex> inner(state_mutex_);
        if (!client_ops_) throw Error(Status::NotConnected, "no API key: log in first");
        return client_ops_;
    });
    manager_options_.enabled = enabled_;
    manager_ = CloudManager::create(engine_, std::shared_ptr<AgentOps>(std::move(ops)),
                                    manager_options_, std::move(listeners));
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
    push(std::move(event));
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
    push(std::move(event));
}

Cloud::CancelFn Cloud::launch_connect(const Request &r, uint64_t id) {
    if (!client_or_null()) throw Error(Status::NotConnected, "no API key: log in first");
    auto m = manager(true);
    const ManagerOpId op = m->connect_async(
        r.agent_id,
        gated([this, id](const ErrorInfo &error, std::shared_ptr<CloudRuntimeProxy> proxy) {
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
    return [w = weak(m), op] {
        if (auto manager = w.lock()) manager->cancel(op);
    };
}

Cloud::CancelFn Cloud::launch_disconnect(uint64_t id) {
    auto m = manager(false);
    if (!m) {
        finish(id, {}, "{}");
        return {};
    }
    const ManagerOpId op = m->disconnect_async(
        gated([this, id](const ErrorInfo &error) { finish(id, error, error.ok() ? "{}" : ""); }));
    return [w = weak(m), op] {
        if (auto manager = w.lock()) manager->cancel(op);
    };
}

// ---- the connected agent --------------------------------------------------------------------

std::shared_ptr<CloudRuntimeProxy> Cloud::proxy() const {
    std::shared_ptr<CloudManager> m;
    {
        std::lock_guard<std::mutex> lock(state_mutex_);
        m = manager_;
    }
    auto p = m ? m->proxy() : nullptr;
    if (!p) throw Error(Status::NotConnected, "not connected to an agent");
    return p;
}

Cloud::CancelFn Cloud::launch_proxy_op(const Request &r, uint64_t id, bool sync) {
    auto p = proxy();
    ChatTarget target;
    target.room_id = r.room_id;
    target.channel_type = r.channel_type;
    OperationId op = 0;
    switch (r.method) {
        case Method::Send:
            op = p->send_async(r.text, op_done(id), target);
            break;
        case Method::Stream: {
            StreamChunkCallback on_chunk;
            if (!sync) on_chunk = gated([this, id](std::string_view text) { chunk(id, text); });
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
    return [w = weak(p), op] {
        if (auto proxy = w.lock()) proxy->cancel(op);
    };
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
        switch (r.method) {
            case Method::Snapshot:
                scheduler->snapshot_now_async(op_done(id));
                return {};
            case Method::BackupsList: {
                const OperationId op = scheduler->list_backups_async(op_done(id));
                return [w = weak(scheduler), op] {
                    if (auto s = w.lock()) s->cancel(op);
                };
            }
            case Method::Restore: {
                const OperationId op = scheduler->restore_async(r.backup_id, op_done(id));
                return [w = weak(scheduler), op] {
                    if (auto s = w.lock()) s->cancel(op);
                };
            }
            default:
                throw Error(Status::Internal, "not a backup operation");
        }
    }
    if (r.agent_id.empty())
        throw Error(Status::NotConnected, "not connected to an agent (pass an agent id)");
    auto c = client();
    OperationId op = 0;
    switch (r.method) {
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
    return [w = weak(c), op] {
        if (auto client = w.lock()) client->cancel(op);
    };
}

}  // namespace elizacloud
