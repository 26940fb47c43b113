// The account operations of a Cloud: login and logout (with the config file writes moved to the
// worker thread), and status, credits and identity. The account's state lives in Account.
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "handle/cloud.hpp"
#include "handle/status_report.hpp"
#include "util/json.hpp"
#include "util/log.hpp"

namespace elizacloud {
namespace {

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

}  // namespace

std::shared_ptr<CloudClient> Cloud::client() const {
    account_.require_key();  // or NotConnected saying why there is no key to send
    return client_;
}

Cloud::CancelFn Cloud::launch_login(uint64_t id) {
    std::shared_ptr<CloudLogin> login = account_.begin_login(id);
    const uint64_t logouts = account_.logouts();
    LoginCallbacks callbacks;
    callbacks.on_browser_url = gated([this, id](const std::string &url) {
        Event event;
        event.type = EC_EVENT_LOGIN_BROWSER_URL;
        event.request_id = id;
        event.text = url;
        events_.publish(std::move(event));
    });
    callbacks.on_poll_status = gated([this, id](const std::string &status) {
        Event event;
        event.type = EC_EVENT_LOGIN_PROGRESS;
        event.request_id = id;
        event.text = status;
        events_.publish(std::move(event));
    });
    auto done = gated([this, id, logouts](ErrorInfo &&error, LoginResult &&result) {
        if (!error.ok()) {
            account_.release_login(id);
            // Ended (cancelled, outrun by a logout, out of time) after the user may have approved
            // in the browser: a key already received is revoked; one still waiting in the cloud
            // for its one poll is claimed and revoked. No live key is left behind.
            if (!result.api_key.empty()) {
                revoke_key(result.session_id, result.api_key, [] {});
            } else if (error.status == Status::Cancelled || error.status == Status::Timeout) {
                revoke_unclaimed(result.session_id);
            }
            finish(id, std::move(error), {});
            return;
        }
        // Saving the key is file I/O under a lock file: not for the I/O thread.
        post_work(gated([this, id, logouts, result = std::move(result)] {
            complete_login(id, result, logouts);
        }));
    });
    OperationId op = 0;
    try {
        op = login->start_async(std::move(callbacks), std::move(done));
    } catch (...) {
        account_.release_login(id);
        throw;
    }
    return cancel_of(login, op);
}

Cloud::CancelFn Cloud::launch_login_session_create(uint64_t id) {
    std::shared_ptr<CloudLogin> login = account_.login_component();
    const OperationId op = login->create_session_async(
        gated([this, id, login](ErrorInfo &&error, std::string &&session_id) {
            if (!error.ok()) {
                finish(id, std::move(error), {});
                return;
            }
            json::Document doc(rapidjson::kObjectType);
            auto &alloc = doc.GetAllocator();
            json::set(doc, "sessionId", json::string_value(session_id, alloc), alloc);
            json::set(doc, "browserUrl", json::string_value(login->browser_url(session_id), alloc),
                      alloc);
            finish(id, {}, json::stringify(doc));
        }));
    return cancel_of(login, op);
}

Cloud::CancelFn Cloud::launch_login_session_poll(const Request &r, uint64_t id) {
    std::shared_ptr<CloudLogin> login = account_.login_component();
    const uint64_t logouts = account_.logouts();
    const OperationId op = login->poll_session_async(
        r.session_id,
        gated([this, id, logouts, session_id = r.session_id](LoginPollOutcome &&outcome) {
            using Kind = LoginPollOutcome::Kind;
            switch (outcome.kind) {
                case Kind::Pending:
                    finish(id, {}, R"({"status":"pending"})");
                    return;
                case Kind::Transient:
                    finish(id, {},
                           R"({"status":"error","httpStatus":)" +
                               std::to_string(outcome.error.http_status) + "}");
                    return;
                case Kind::Failed:
                    finish(id, std::move(outcome.error), {});
                    return;
                case Kind::Authenticated:
                    break;
            }
            LoginResult result;
            result.api_key = std::move(outcome.api_key);
            result.key_prefix = std::move(outcome.key_prefix);
            result.expires_at = std::move(outcome.expires_at);
            result.session_id = session_id;
            // Saving the key is file I/O under a lock file: not for the I/O thread.
            post_work(gated([this, id, logouts, result = std::move(result)] {
                const ErrorInfo saved = store_login(id, result, logouts);
                if (saved.status == Status::Cancelled) {
                    revoke_key(result.session_id, result.api_key, [] {});
                    finish(id, saved, {});
                    return;
                }
                if (!saved.ok())
                    log::warn("[cloud] login: the API key was not saved: {}", saved.message);
                json::Document doc(rapidjson::kObjectType);
                auto &alloc = doc.GetAllocator();
                json::set(doc, "status", json::string_value("authenticated", alloc), alloc);
                json::set(doc, "keyPrefix", json::string_value(result.key_prefix, alloc), alloc);
                json::set(doc, "saved", json::Value(saved.ok()), alloc);
                finish(id, {}, json::stringify(doc));
            }));
        }));
    return cancel_of(login, op);
}

void Cloud::complete_login(uint64_t id, const LoginResult &result, uint64_t logouts) {
    // The key is kept even when the login request was cancelled meanwhile (the cloud hands it
    // out only once), but not when a logout began since the login started.
    const ErrorInfo saved = store_login(id, result, logouts);
    account_.release_login(id);
    if (saved.status == Status::Cancelled) {
        // Minted but never used: it must not stay valid in the cloud either.
        revoke_key(result.session_id, result.api_key, [] {});
        finish(id, saved, {});
        return;
    }
    json::Document doc(rapidjson::kObjectType);
    auto &alloc = doc.GetAllocator();
    json::set(doc, "userId", string_or_null(result.user_id, alloc), alloc);
    json::set(doc, "organizationId", string_or_null(result.organization_id, alloc), alloc);
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

ErrorInfo Cloud::store_login(uint64_t id, const LoginResult &result, uint64_t logouts) {
    const ErrorInfo saved = account_.adopt(result, logouts);
    if (saved.status == Status::Cancelled) return saved;  // not adopted: nothing changed
    client_->cancel_all();  // what ran with the previous key ends (Cancelled)
    Event credentials;
    credentials.type = EC_EVENT_CREDENTIALS_CHANGED;
    credentials.request_id = id;
    credentials.text = result.key_prefix;
    events_.publish(std::move(credentials));
    if (!result.user_id.empty()) {
        json::Document doc(rapidjson::kObjectType);
        auto &alloc = doc.GetAllocator();
        json::set(doc, "userId", json::string_value(result.user_id, alloc), alloc);
        json::set(doc, "organizationId", string_or_null(result.organization_id, alloc), alloc);
        Event identity;
        identity.type = EC_EVENT_IDENTITY;
        identity.request_id = id;
        identity.json = json::stringify(doc);
        events_.publish(std::move(identity));
    }
    return saved;
}

Cloud::CancelFn Cloud::launch_logout(uint64_t id) {
    std::shared_ptr<CloudManager> manager;
    {
        std::lock_guard<std::mutex> lock(connection_mutex_);
        manager = manager_;
    }
    account_.begin_logout();  // no login in progress may bring the key back
    // The key goes with the session that handed it out: revoked in the cloud, then forgotten.
    auto forget = [this, id] {
        const Account::Revocable revocable = account_.revocable();
        revoke_key(revocable.session_id, revocable.key, gated([this, id] { complete_logout(id); }));
    };
    if (!manager) {
        post_work(gated(forget));
        return {};
    }
    // Disconnect first (with the final backup, while the key still works), then forget the key.
    const ManagerOpId op =
        manager->disconnect_async(gated([this, id, forget](const ErrorInfo &error) {
            if (error.status == Status::Cancelled) {
                finish(id, error, {});
                return;
            }
            post_work(gated(forget));
        }));
    return cancel_of(manager, op);
}

void Cloud::revoke_unclaimed(const std::string &session_id) {
    if (session_id.empty()) return;
    // Only where a key can be revoked (eliza): claiming it on the seeds' cloud would only make
    // it unreachable. A login needs no generation, so it may not be known yet: ask once.
    auto claim = [this, session_id] {
        try {
            account_.login_component()->poll_session_async(
                session_id, gated([this, session_id](LoginPollOutcome &&outcome) {
                    if (outcome.kind != LoginPollOutcome::Kind::Authenticated) return;
                    log::info("[cloud] login ended after approval: revoking its key {}…",
                              outcome.api_key.substr(0, 12));
                    revoke_key(session_id, outcome.api_key, [] {});
                }));
        } catch (const Error &e) {
            log::warn("[cloud] an ended login's session was not checked: {}", e.what());
        }
    };
    const api::Generation known = client_->generation();
    if (known == api::Generation::Eliza) return claim();
    if (known == api::Generation::Milady) return;
    when_generation_known([this, claim](const ErrorInfo &detected) {
        if (detected.ok() && client_->generation() == api::Generation::Eliza) claim();
    });
}

void Cloud::revoke_key(const std::string &session_id, const std::string &key,
                       std::function<void()> then) {
    // The seeds' cloud has no revoke route; the eliza cloud's DELETE answers 204 (E§1.5).
    if (session_id.empty() || key.empty() || client_->generation() == api::Generation::Milady) {
        post_work(std::move(then));
        return;
    }
    const std::string prefix = key.substr(0, 12);
    try {
        account_.login_component()->revoke_async(
            session_id, key,
            gated([this, prefix, then = std::move(then)](ErrorInfo &&error) mutable {
                if (error.ok()) {
                    log::info("[cloud] API key {}… revoked", prefix);
                } else if (error.http_status == 404 || error.http_status == 405) {
                    // A cloud without the route (the generation was not known yet).
                    log::debug("[cloud] this cloud cannot revoke API keys ({})", error.message);
                } else {
                    log::warn("[cloud] API key {}… was not revoked: {}", prefix, error.message);
                }
                post_work(std::move(then));
            }));
    } catch (const Error &e) {
        log::warn("[cloud] API key {}… was not revoked: {}", prefix, e.what());
        post_work(std::move(then));
    }
}

void Cloud::complete_logout(uint64_t id) {
    ErrorInfo cleared = account_.forget();
    client_->cancel_all();  // what ran with the key ends (Cancelled)
    Event credentials;
    credentials.type = EC_EVENT_CREDENTIALS_CHANGED;
    credentials.request_id = id;
    events_.publish(std::move(credentials));
    finish(id, std::move(cleared), cleared.ok() ? "{}" : "");
}

// ---- status, credits, identity --------------------------------------------------------------

// A status call waits for one identity check. Concurrent calls with the same key (a dashboard's
// tabs, the REST API under load) share the check in flight: its answer is at most one round trip
// older than their own would have been, and the cloud is asked once instead of once each.
struct Cloud::StatusCheck {
    std::string key;
    std::vector<std::pair<uint64_t, StatusFacts>> waiters;
};

Cloud::CancelFn Cloud::launch_status(uint64_t id) {
    StatusFacts facts;
    const std::string key = account_.key();
    facts.foreign_key_origin = account_.foreign_key_origin();  // then key is "": not sent
    facts.has_api_key = !key.empty() || !facts.foreign_key_origin.empty();
    facts.enabled = account_.enabled();
    {
        std::lock_guard<std::mutex> lock(connection_mutex_);
        facts.runtime_started = manager_ != nullptr;
    }
    facts.top_up_url = base_.top_up_url();
    facts.api_generation = api::generation_name(client_->generation());
    if (key.empty()) {
        finish(id, {}, status_json(facts));
        return {};
    }
    auto check = std::make_shared<StatusCheck>();
    {
        std::lock_guard<std::mutex> lock(status_mutex_);
        if (status_check_ && status_check_->key == key) {
            // Cancelling one waiter must not cancel the check the others wait for: the table has
            // decided its outcome already, and the check's answer to it is ignored.
            status_check_->waiters.emplace_back(id, std::move(facts));
            return {};
        }
        check->key = key;
        check->waiters.emplace_back(id, std::move(facts));
        status_check_ = check;
    }
    // "connected" means the cloud accepted the key just now.
    auto answer = [this, check](OpResult &&result) {
        std::vector<std::pair<uint64_t, StatusFacts>> waiters;
        {
            std::lock_guard<std::mutex> lock(status_mutex_);
            if (status_check_ == check) status_check_.reset();
            waiters.swap(check->waiters);
        }
        std::optional<Identity> identity;
        if (result.error.ok()) {
            try {
                identity = identity_from_json(result.json);
            } catch (const Error &e) {
                log::warn("[cloud] status: {}", e.what());
            }
        }
        for (auto &[waiter, waiter_facts] : waiters) {
            if (result.error.status == Status::Cancelled) {
                finish(waiter, result.error, {});
                continue;
            }
            if (identity) {
                waiter_facts.user_id = identity->user_id;
                waiter_facts.organization_id = identity->organization_id;
            }
            finish(waiter, {}, status_json(waiter_facts));
        }
    };
    try {
        client_->get_user_async(gated(std::move(answer)));
    } catch (const Error &e) {
        // Not started: whoever joined meanwhile gets the failure too; this call's own outcome
        // is the exception.
        std::vector<std::pair<uint64_t, StatusFacts>> waiters;
        {
            std::lock_guard<std::mutex> lock(status_mutex_);
            if (status_check_ == check) status_check_.reset();
            waiters.swap(check->waiters);
        }
        for (auto &waiter : waiters)
            if (waiter.first != id) finish(waiter.first, e.info(), {});
        throw;
    }
    return {};
}

Cloud::CancelFn Cloud::launch_credits(uint64_t id, bool fresh) {
    // Another cloud's key fails the call below, saying so (it is not sent here).
    if (!account_.has_key() && account_.foreign_key_origin().empty()) {
        finish(id, {}, credits_json(false, std::nullopt, base_.top_up_url()));
        return {};
    }
    auto c = client_;
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
    return cancel_of(c, op);
}

Cloud::CancelFn Cloud::launch_identity(uint64_t id) {
    auto c = client();
    const OperationId op = c->get_user_async(gated([this, id](OpResult &&result) {
        if (!result.error.ok()) {
            finish(id, std::move(result.error), {});
            return;
        }
        try {
            finish(id, {}, identity_result(identity_from_json(result.json)));
        } catch (const Error &e) {
            finish(id, e.info(), {});
        }
    }));
    return cancel_of(c, op);
}

}  // namespace elizacloud
