#include "state.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "util.hpp"

namespace emu {

namespace {

constexpr int64_t kMaxAttempts = 3;

bool is_claimable(const std::string &status) {
    return status == "pending" || status == "stopped" || status == "disconnected" ||
           status == "error" || status == "sleeping";
}

// Jobs that start the agent (and may be made to fail by the provisioning-failure knobs).
bool starts_agent(const std::string &kind) {
    return kind == "provision" || kind == "resume" || kind == "wake";
}

// eliza: job results never carry bridge/health URLs; they gain webUiUrl (E§2.9).
std::string eliza_result_json(const std::string &agent_id, const std::string &status,
                              const std::optional<std::string> &web_ui_url,
                              const std::optional<std::string> &error) {
    JsonOut o;
    o.begin_obj().f("cloudAgentId", agent_id).f("status", status);
    if (error) o.f("error", *error);
    o.f("webUiUrl", web_ui_url);
    return o.end().str();
}

void write_backup_fields(JsonOut &o, const Backup &b) {
    o.f("snapshotType", b.type)
        .f("backupKind", b.kind)
        .f("parentBackupId", b.parent_id)
        .f("sizeBytes", b.size_bytes)
        .f("createdAt", iso_ms(b.created_ms));
}

std::string result_json(const std::string &agent_id, const std::string &status,
                        const std::string &bridge, const std::string &health,
                        const std::optional<std::string> &error) {
    JsonOut o;
    o.begin_obj().f("cloudAgentId", agent_id).f("status", status);
    if (error) {
        o.f("error", *error);
    } else {
        o.f("bridgeUrl", bridge).f("healthUrl", health);
    }
    return o.end().str();
}

}  // namespace

std::string State::fake_bridge_url(uint64_t seq) {
    return "http://100.64.0." + std::to_string(seq % 250 + 1) + ":" +
           std::to_string(18790 + seq % 1000);
}

std::string State::fake_health_url(uint64_t seq) {
    return "http://100.64.0." + std::to_string(seq % 250 + 1) + ":" +
           std::to_string(20000 + seq % 5000) + "/api";
}

std::string job_type_name(const std::string &kind, bool eliza) {
    return eliza ? "agent_" + kind : "milady_provision";
}

std::string dedicated_web_ui_url(const std::string &agent_id) {
    return "https://" + agent_id + ".agents.elizacloud.ai";
}

std::string RuntimeConfig::default_execution_tier() const {
    return locked_get(default_tier_);
}

void RuntimeConfig::set_default_execution_tier(std::string tier) {
    locked_set(default_tier_, std::move(tier));
}

std::vector<std::string> RuntimeConfig::allowed_image_prefixes() const {
    return locked_get(image_prefixes_);
}

void RuntimeConfig::set_allowed_image_prefixes(std::vector<std::string> prefixes) {
    locked_set(image_prefixes_, std::move(prefixes));
}

std::string RuntimeConfig::dedicated_price_acceptance() const {
    return locked_get(price_acceptance_);
}

void RuntimeConfig::set_dedicated_price_acceptance(std::string value) {
    locked_set(price_acceptance_, std::move(value));
}

void RuntimeConfig::copy_from(const RuntimeConfig &o) {
    provision_ms = o.provision_ms.load();
    job_poll_interval_ms = o.job_poll_interval_ms.load();
    session_ttl_ms = o.session_ttl_ms.load();
    stream_chunk_chars = o.stream_chunk_chars.load();
    stream_chunk_delay_ms = o.stream_chunk_delay_ms.load();
    auto_approve = o.auto_approve.load();
    mint_session_ids = o.mint_session_ids.load();
    fail_provision = o.fail_provision.load();
    record_requests = o.record_requests.load();
    api_keys_accept_keys = o.api_keys_accept_keys.load();
    has_payment_method = o.has_payment_method.load();
    rate_limits = o.rate_limits.load();
    rate_limit_window_ms = o.rate_limit_window_ms.load();
    max_agents_per_org = o.max_agents_per_org.load();
    warm_pool = o.warm_pool.load();
    reuse_live_agents = o.reuse_live_agents.load();
    require_price_consent = o.require_price_consent.load();
    set_default_execution_tier(o.default_execution_tier());
    set_allowed_image_prefixes(o.allowed_image_prefixes());
    set_dedicated_price_acceptance(o.dedicated_price_acceptance());
}

void RuntimeConfig::write_json(JsonOut &out) const {
    out.begin_obj()
        .f("provisionMs", provision_ms.load())
        .f("jobPollIntervalMs", job_poll_interval_ms.load())
        .f("sessionTtlMs", session_ttl_ms.load())
        .f("autoApprove", auto_approve.load())
        .f("mintSessionIds", mint_session_ids.load())
        .f("streamChunkChars", stream_chunk_chars.load())
        .f("streamChunkDelayMs", stream_chunk_delay_ms.load())
        .f("failProvision", fail_provision.load())
        .f("recordRequests", record_requests.load())
        .f("apiKeysAcceptKeys", api_keys_accept_keys.load())
        .f("hasPaymentMethod", has_payment_method.load())
        .f("rateLimits", rate_limits.load())
        .f("rateLimitWindowMs", rate_limit_window_ms.load());
    if (eliza) {
        out.f("defaultExecutionTier", default_execution_tier())
            .f("reuseLiveAgents", reuse_live_agents.load())
            .f("maxAgentsPerOrg", max_agents_per_org.load())
            .f("warmPool", warm_pool.load())
            .f("requirePriceConsent", require_price_consent.load())
            .f("dedicatedPriceAcceptance", dedicated_price_acceptance());
        out.begin_arr("allowedImagePrefixes");
        for (const auto &p : allowed_image_prefixes()) out.put(p);
        out.end();
    }
    out.end();
}

State::State(RuntimeConfig &cfg, double initial_credits, std::optional<std::string> seed_key)
    : cfg_(cfg), initial_credits_(initial_credits), seed_key_(std::move(seed_key)) {
    std::unique_lock lock(mu_);
    seed_locked();
}

void State::clear_locked() {
    orgs_.clear();
    users_.clear();
    keys_.clear();
    sessions_.clear();
    agents_.clear();
    jobs_.clear();
    active_jobs_.clear();
    next_due_ = INT64_MAX;
}

void State::seed_locked() {
    int64_t now = now_ms();
    clear_locked();
    Org org{kDefaultOrgId, "Emulator Org", "emulator-org", initial_credits_, now, {}};
    org.txns.push_back({uuid_v4(), "credit", initial_credits_, "Initial free credits", now});
    orgs_[org.id] = org;
    users_[kDefaultUserId] =
        User{kDefaultUserId, "dev@emulator.local", "Emulator Developer", kDefaultOrgId, now};
    if (seed_key_) keys_[*seed_key_] = KeyRecord{*seed_key_, kDefaultUserId, kDefaultOrgId, now};
    fail_remaining_ = 0;
    fail_always_ = false;
    fail_message_ = "Emulated provisioning failure";
}

void State::reset() {
    {
        std::unique_lock lock(mu_);
        seed_locked();
    }
    clear_scripts();
    touch();
}

// ---------------------------------------------------------------- keys and identity

std::optional<Principal> State::lookup_key(std::string_view key) const {
    std::shared_lock lock(mu_);
    auto it = keys_.find(std::string(key));
    if (it == keys_.end()) return std::nullopt;
    return Principal{it->second.user_id, it->second.org_id, key_prefix(key)};
}

KeyInfo State::create_key(const std::optional<std::string> &org_id,
                          const std::optional<std::string> &explicit_key) {
    if (explicit_key && !is_api_key_format(*explicit_key)) {
        throw std::invalid_argument("apiKey must be eliza_ followed by 64 lowercase hex");
    }
    std::unique_lock lock(mu_);
    int64_t now = now_ms();
    std::string org = org_id.value_or(kDefaultOrgId);
    std::string user_id;
    if (!orgs_.count(org)) {
        std::string tag = org.substr(0, 8);
        Org o{org, "Org " + tag, "org-" + tag, initial_credits_, now, {}};
        o.txns.push_back({uuid_v4(), "credit", initial_credits_, "Initial free credits", now});
        orgs_[org] = o;
        user_id = uuid_v4();
        users_[user_id] = User{user_id, "user-" + user_id.substr(0, 8) + "@emulator.local",
                               "Emulator User", org, now};
    } else {
        for (const auto &[id, u] : users_) {
            if (u.org_id == org) {
                user_id = id;
                break;
            }
        }
    }
    std::string key = explicit_key.value_or(new_api_key());
    if (keys_.count(key)) throw std::invalid_argument("apiKey already registered");
    keys_[key] = KeyRecord{key, user_id, org, now};
    touch();
    return KeyInfo{key, key_prefix(key), user_id, org};
}

bool State::revoke_key(const std::string &key) {
    std::unique_lock lock(mu_);
    touch();
    return keys_.erase(key) > 0;
}

std::optional<Org> State::org(const std::string &org_id) const {
    std::shared_lock lock(mu_);
    auto it = orgs_.find(org_id);
    if (it == orgs_.end()) return std::nullopt;
    return it->second;
}

std::optional<User> State::user(const std::string &user_id) const {
    std::shared_lock lock(mu_);
    auto it = users_.find(user_id);
    if (it == users_.end()) return std::nullopt;
    return it->second;
}

std::optional<User> State::update_user(const std::string &user_id,
                                       const std::function<void(User &)> &fn) {
    std::unique_lock lock(mu_);
    auto it = users_.find(user_id);
    if (it == users_.end()) return std::nullopt;
    fn(it->second);
    it->second.updated_ms = now_ms();
    return it->second;
}

std::optional<double> State::set_balance(const std::string &org_id, double balance) {
    std::unique_lock lock(mu_);
    auto it = orgs_.find(org_id);
    if (it == orgs_.end()) return std::nullopt;
    double diff = balance - it->second.balance;
    if (diff != 0) {
        it->second.txns.push_back({uuid_v4(), diff > 0 ? "credit" : "debit", diff,
                                   "Emulator balance adjustment", now_ms()});
    }
    it->second.balance = balance;
    touch();
    return balance;
}

// ---------------------------------------------------------------- CLI sessions

bool State::create_session(const std::string &id, int64_t &expires_ms) {
    std::unique_lock lock(mu_);
    if (sessions_.count(id)) return false;
    int64_t now = now_ms();
    Session s;
    s.id = id;
    s.created_ms = now;
    s.expires_ms = now + cfg_.session_ttl_ms.load();
    expires_ms = s.expires_ms;
    sessions_[id] = s;
    touch();
    return true;
}

void State::approve_locked(Session &s, const std::string &user_id, const std::string &org_id) {
    // What /complete does: mint a key for the signed-in user and park it on the session.
    s.key_plain = new_api_key();
    s.key_prefix = key_prefix(s.key_plain);
    s.issued_key = s.key_plain;
    s.approved_user_id = user_id;
    s.authenticated = true;
    keys_[s.key_plain] = KeyRecord{s.key_plain, user_id, org_id, now_ms()};
}

SessionPoll State::poll_session(const std::string &id) {
    std::unique_lock lock(mu_);
    auto it = sessions_.find(id);
    if (it == sessions_.end() || now_ms() >= it->second.expires_ms) return {};
    Session &s = it->second;
    if (!s.authenticated && cfg_.auto_approve.load()) {
        approve_locked(s, kDefaultUserId, kDefaultOrgId);
    }
    touch();
    if (!s.authenticated) return {SessionPoll::Kind::Pending, "", ""};
    if (s.revoked) return {SessionPoll::Kind::Revoked, "", ""};
    if (s.collected) return {SessionPoll::Kind::Collected, "", ""};
    SessionPoll out{SessionPoll::Kind::Key, s.key_plain, s.key_prefix};
    s.collected = true;
    s.key_plain.clear();
    return out;
}

SessionApprove State::approve_session(const std::string &id, const std::optional<Principal> &who) {
    std::unique_lock lock(mu_);
    auto it = sessions_.find(id);
    if (it == sessions_.end() || now_ms() >= it->second.expires_ms) return {};
    Session &s = it->second;
    std::string user_id = who ? who->user_id : kDefaultUserId;
    std::string org_id = who ? who->org_id : kDefaultOrgId;
    if (s.authenticated) {
        return {SessionApprove::Kind::AlreadyDone, "", s.key_prefix, s.approved_user_id == user_id};
    }
    approve_locked(s, user_id, org_id);
    touch();
    return {SessionApprove::Kind::Ok, s.key_plain, s.key_prefix};
}

SessionRevoke State::revoke_session(const std::string &id, const std::string &bearer) {
    std::unique_lock lock(mu_);
    auto it = sessions_.find(id);
    if (it == sessions_.end()) return SessionRevoke::NotFound;
    Session &s = it->second;
    // Only the exact key this session handed out (by a poll) is authority to revoke it.
    if (!s.collected || s.issued_key.empty() || bearer != s.issued_key) {
        return SessionRevoke::Forbidden;
    }
    keys_.erase(s.issued_key);
    s.revoked = true;
    touch();
    return SessionRevoke::Ok;
}

std::vector<Session> State::sessions() const {
    std::shared_lock lock(mu_);
    std::vector<Session> out;
    for (const auto &[id, s] : sessions_) out.push_back(s);
    return out;
}

void State::write_sessions(JsonOut &out) const {
    std::shared_lock lock(mu_);
    write_sessions_locked(out, now_ms());
}

void State::write_sessions_locked(JsonOut &out, int64_t now) const {
    out.begin_arr();
    for (const auto &[id, s] : sessions_) {
        out.begin_obj()
            .f("sessionId", s.id)
            .f("status", now >= s.expires_ms ? "expired"
                         : s.authenticated   ? "authenticated"
                                             : "pending")
            .f("expiresAt", iso_ms(s.expires_ms))
            .f("keyCollected", s.collected);
        if (cfg_.eliza) out.f("keyRevoked", s.revoked);
        out.end();
    }
    out.end();
}

// ---------------------------------------------------------------- jobs

void State::tick() {
    int64_t now = now_ms();
    if (now < next_due_.load()) return;
    std::unique_lock lock(mu_);
    advance_locked(now);
}

void State::advance_locked(int64_t now) {
    int64_t next = INT64_MAX;
    std::vector<std::string> still;
    for (const auto &id : active_jobs_) {
        auto it = jobs_.find(id);
        if (it == jobs_.end()) continue;
        Job &j = it->second;
        if (j.status == "pending" && now >= j.claim_ms) claim_locked(j, j.claim_ms);
        if (j.status == "in_progress" && now >= j.finish_ms) finish_locked(j, j.finish_ms);
        if (j.status == "pending" || j.status == "in_progress") {
            still.push_back(id);
            next = std::min(next, j.status == "pending" ? j.claim_ms : j.finish_ms);
        } else {
            auto a = agents_.find(j.agent_id);
            if (a != agents_.end() && a->second->active_job_id == j.id) {
                a->second->active_job_id.clear();
            }
        }
    }
    active_jobs_ = std::move(still);
    next_due_ = next;
}

void State::claim_locked(Job &j, int64_t at) {
    j.status = "in_progress";
    j.attempts = 1;
    j.started_ms = at;
    j.updated_ms = at;
    auto it = agents_.find(j.agent_id);
    if (it != agents_.end() && starts_agent(j.kind)) {
        Agent &a = *it->second;
        if (is_claimable(a.status)) {
            a.status = "provisioning";
            a.updated_ms = at;
        }
    }
    touch();
}

void State::set_running_locked(Agent &a, int64_t at) {
    a.status = "running";
    a.database_status = "ready";
    a.bridge_url = fake_bridge_url(a.seq);
    a.health_url = fake_health_url(a.seq);
    a.started_ms = at;
    a.last_heartbeat_ms = at;
    a.error_message.reset();
    a.updated_ms = at;
}

std::string State::web_ui_url_locked(const Agent &a) const {
    return dedicated_web_ui_url(a.id);
}

void State::finish_locked(Job &j, int64_t at) {
    auto it = agents_.find(j.agent_id);
    Agent *a = it == agents_.end() ? nullptr : it->second.get();
    j.completed_ms = at;
    j.updated_ms = at;
    if (cfg_.eliza) {
        std::optional<std::string> web = dedicated_web_ui_url(j.agent_id);
        if (!a) {
            j.status = "failed";
            j.error = "Agent not found";
            j.result_json = eliza_result_json(j.agent_id, "error", web, j.error);
            touch();
            return;
        }
        if (!starts_agent(j.kind)) {
            j.status = "completed";
            JsonOut o;
            if (j.kind == "snapshot") {
                add_backup_locked(*a, "manual", at);
                a->snapshots.fetch_add(1);
                const Backup &b = a->backups.front();
                o.begin_obj().f("backupId", b.id);
                write_backup_fields(o, b);
                j.result_json = o.end().str();
            } else if (j.kind == "delete") {
                j.result_json = o.begin_obj()
                                    .f("agentId", a->id)
                                    .f("status", "deleted")
                                    .f("webUiUrl", web)
                                    .end()
                                    .str();
                agents_.erase(it);
            } else {  // suspend | sleep
                bool sleep = j.kind == "sleep";
                if (sleep) add_backup_locked(*a, "auto", at);
                a->status = sleep ? "sleeping" : "stopped";
                a->bridge_url.clear();
                a->health_url.clear();
                a->updated_ms = at;
                o.begin_obj().f("agentId", a->id).f("action", j.kind).f("status", a->status);
                if (sleep) o.f("backupId", a->backups.front().id);
                j.result_json = o.f("webUiUrl", web).end().str();
            }
            touch();
            return;
        }
    }
    if (j.will_fail || !a) {
        std::string msg = a ? j.fail_message : "Agent not found";
        j.status = "failed";
        j.attempts = kMaxAttempts;
        j.error = msg;
        j.result_json = cfg_.eliza ? eliza_result_json(j.agent_id, "error",
                                                       dedicated_web_ui_url(j.agent_id), msg)
                                   : result_json(j.agent_id, "error", "", "", msg);
        if (a) {
            a->status = "error";
            a->error_message = "Provisioning permanently failed after 3 attempts: " + msg;
            a->error_count += kMaxAttempts;
            a->bridge_url.clear();
            a->health_url.clear();
            a->updated_ms = at;
        }
    } else {
        set_running_locked(*a, at);
        j.status = "completed";
        j.result_json =
            cfg_.eliza ? eliza_result_json(a->id, "running", web_ui_url_locked(*a), std::nullopt)
                       : result_json(a->id, "running", a->bridge_url, a->health_url, std::nullopt);
    }
    touch();
}

bool State::decide_failure_locked(std::string &message) {
    message = fail_message_;
    if (fail_always_ || cfg_.fail_provision.load()) return true;
    if (fail_remaining_ > 0) {
        --fail_remaining_;
        return true;
    }
    return false;
}

void State::set_provision_failures(int64_t count, bool always, const std::string &message) {
    std::unique_lock lock(mu_);
    fail_remaining_ = count < 0 ? 0 : count;
    fail_always_ = always;
    if (!message.empty()) fail_message_ = message;
}

void State::write_provision_failures(JsonOut &out) const {
    std::shared_lock lock(mu_);
    out.begin_obj()
        .f("remaining", fail_remaining_)
        .f("always", fail_always_ || cfg_.fail_provision.load())
        .f("message", fail_message_)
        .end();
}

std::optional<Job> State::job(const std::string &org_id, const std::string &id) {
    tick();
    std::shared_lock lock(mu_);
    auto it = jobs_.find(id);
    if (it == jobs_.end() || it->second.org_id != org_id) return std::nullopt;
    return it->second;
}

// ---------------------------------------------------------------- agents

AgentView State::view_of(const Agent &a) {
    AgentView v;
    v.id = a.id;
    v.org_id = a.org_id;
    v.name = a.name;
    v.status = a.status;
    v.database_status = a.database_status;
    v.agent_config_json = a.agent_config_json;
    v.last_backup_ms = a.last_backup_ms;
    v.last_heartbeat_ms = a.last_heartbeat_ms;
    v.error_message = a.error_message;
    v.error_count = a.error_count;
    v.created_ms = a.created_ms;
    v.updated_ms = a.updated_ms;
    v.started_ms = a.started_ms.load();
    v.bridge_url = a.bridge_url;
    v.health_url = a.health_url;
    v.active_job_id = a.active_job_id;
    v.backups = a.backups.size();
    v.heartbeats = a.heartbeats.load();
    v.heartbeat_failures = a.heartbeat_failures.load();
    v.bridge_calls = a.bridge_calls.load();
    v.messages = a.messages.load();
    v.streams = a.streams.load();
    v.snapshots = a.snapshots.load();
    v.replays = a.replays.load();
    v.execution_tier = a.execution_tier;
    v.docker_image = a.docker_image;
    return v;
}

AgentView State::view_with_job_locked(const Agent &a) const {
    AgentView v = view_of(a);
    if (!a.active_job_id.empty()) {
        auto it = jobs_.find(a.active_job_id);
        if (it != jobs_.end()) v.active_job = std::make_shared<const Job>(it->second);
    }
    return v;
}

std::shared_ptr<Agent> State::find_agent(const std::string &org_id, const std::string &id) {
    tick();
    std::shared_lock lock(mu_);
    return find_locked(org_id, id);
}

std::shared_ptr<Agent> State::find_locked(const std::string &org_id, const std::string &id) const {
    auto it = agents_.find(id);
    if (it == agents_.end() || it->second->org_id != org_id) return nullptr;
    return it->second;
}

std::vector<AgentView> State::list_agents(const std::string &org_id) {
    tick();
    std::vector<std::pair<uint64_t, AgentView>> tmp;
    {
        std::shared_lock lock(mu_);
        for (const auto &[id, a] : agents_) {
            if (a->org_id == org_id) tmp.emplace_back(a->seq, view_with_job_locked(*a));
        }
    }
    std::sort(tmp.begin(), tmp.end(),
              [](const auto &x, const auto &y) { return x.first > y.first; });
    std::vector<AgentView> out;
    for (auto &p : tmp) out.push_back(std::move(p.second));
    return out;
}

std::optional<AgentView> State::get_agent(const std::string &org_id, const std::string &id) {
    tick();
    std::shared_lock lock(mu_);
    auto a = find_locked(org_id, id);
    if (!a) return std::nullopt;
    return view_with_job_locked(*a);
}

AgentView State::create_agent(const Principal &who, const std::string &name,
                              const std::string &agent_config_json) {
    std::unique_lock lock(mu_);
    auto a = std::make_shared<Agent>();
    int64_t now = now_ms();
    a->id = uuid_v4();
    a->org_id = who.org_id;
    a->user_id = who.user_id;
    a->name = name;
    a->seq = next_seq_++;
    a->agent_config_json = agent_config_json;
    a->created_ms = a->updated_ms = now;
    agents_[a->id] = a;
    touch();
    return view_of(*a);
}

int State::delete_agent(const std::string &org_id, const std::string &id) {
    std::unique_lock lock(mu_);
    advance_locked(now_ms());
    auto a = find_locked(org_id, id);
    if (!a) return 1;
    if (a->status == "provisioning" || !a->active_job_id.empty()) return 2;
    agents_.erase(id);
    touch();
    return 0;
}

void State::add_backup_locked(Agent &a, const std::string &type, int64_t at) {
    Backup b;
    b.id = uuid_v4();
    b.agent_id = a.id;
    b.type = type;
    // Size of the state JSON the agent would hand over: {memories, config, workspaceFiles}.
    b.size_bytes = 58 + static_cast<int64_t>(a.messages.load()) * 2 * 72 +
                   static_cast<int64_t>(a.agent_config_json.size());
    b.created_ms = at;
    if (!a.backups.empty()) {
        b.kind = "incremental";
        b.parent_id = a.backups.front().id;
    }
    a.backups.push_front(b);
    while (a.backups.size() > kMaxBackups) a.backups.pop_back();
    a.last_backup_ms = at;
}

ShutdownOutcome State::shutdown_agent(const std::string &org_id, const std::string &id) {
    std::unique_lock lock(mu_);
    int64_t now = now_ms();
    advance_locked(now);
    auto a = find_locked(org_id, id);
    if (!a) return {};
    if (a->status == "stopped") return {ShutdownOutcome::Kind::AlreadyStopped, "stopped"};
    if (a->status == "provisioning") return {ShutdownOutcome::Kind::Conflict, a->status};
    std::string prev = a->status;
    if (prev == "running") add_backup_locked(*a, "pre-shutdown", now);
    a->status = "stopped";
    a->bridge_url.clear();
    a->health_url.clear();
    a->updated_ms = now;
    touch();
    return {ShutdownOutcome::Kind::Done, prev};
}

Job &State::new_job_locked(Agent &a, const std::string &org_id, const std::string &kind,
                           int64_t now) {
    int64_t p = std::max<int64_t>(0, cfg_.provision_ms.load());
    Job j;
    j.id = uuid_v4();
    j.agent_id = a.id;
    j.org_id = org_id;
    j.kind = kind;
    j.created_ms = j.updated_ms = now;
    j.claim_ms = now + p / 3;
    j.finish_ms = now + p;
    if (starts_agent(kind)) j.will_fail = decide_failure_locked(j.fail_message);
    Job &stored = jobs_[j.id] = j;
    active_jobs_.push_back(j.id);
    a.active_job_id = j.id;
    next_due_ = std::min(next_due_.load(), j.claim_ms);
    touch();
    return stored;
}

ProvisionOutcome State::begin_provision(const std::string &org_id, const std::string &id,
                                        const std::string &kind, bool sync, const StartGate &gate) {
    std::unique_lock lock(mu_);
    int64_t now = now_ms();
    advance_locked(now);
    ProvisionOutcome out;
    auto a = find_locked(org_id, id);
    if (!a) return out;
    if (gate.eliza && a->execution_tier == "shared") {
        out.kind = ProvisionOutcome::Kind::Shared;
        out.agent = view_of(*a);
        return out;
    }
    if (a->status == "running" && !a->bridge_url.empty()) {
        out.kind = ProvisionOutcome::Kind::AlreadyRunning;
        out.agent = view_of(*a);
        return out;
    }
    if (gate.eliza && a->status == "deletion_pending") {
        out.kind = ProvisionOutcome::Kind::Deleting;
        return out;
    }
    if (gate.restore_backup_id) {
        bool found = false;
        for (const auto &b : a->backups) found = found || b.id == *gate.restore_backup_id;
        if (!found) {
            out.kind = ProvisionOutcome::Kind::NoBackup;
            return out;
        }
    }
    if (!gate.price_ok) {
        out.kind = ProvisionOutcome::Kind::PriceGate;
        return out;
    }
    double balance = orgs_.count(org_id) ? orgs_.at(org_id).balance : 0;
    if (balance < gate.min_balance) {
        out.kind = ProvisionOutcome::Kind::CreditGate;
        out.balance = balance;
        return out;
    }
    if (!a->active_job_id.empty()) {
        out.kind = ProvisionOutcome::Kind::JobActive;
        out.job = jobs_.at(a->active_job_id);
        out.agent = view_of(*a);
        return out;
    }
    if (a->status == "provisioning") {
        out.kind = ProvisionOutcome::Kind::Busy;
        return out;
    }
    if (sync) {
        out.kind = ProvisionOutcome::Kind::SyncStarted;
        out.will_fail = decide_failure_locked(out.fail_message);
        a->status = "provisioning";
        a->sync_provisioning = true;
        a->updated_ms = now;
        out.agent = view_of(*a);
        touch();
        return out;
    }
    Job &j = new_job_locked(*a, org_id, kind, now);
    j.restore_backup_id = gate.restore_backup_id;
    out.kind = ProvisionOutcome::Kind::JobCreated;
    out.job = j;
    out.agent = view_of(*a);
    return out;
}

CreateOutcome State::create_agent_eliza(const Principal &who, const ElizaCreate &req) {
    std::unique_lock lock(mu_);
    int64_t now = now_ms();
    advance_locked(now);
    CreateOutcome out;
    std::vector<std::shared_ptr<Agent>> mine;
    for (const auto &[id, a] : agents_) {
        if (a->org_id == who.org_id) mine.push_back(a);
    }
    if (!req.force_create && cfg_.reuse_live_agents.load()) {
        std::shared_ptr<Agent> live;
        for (const auto &a : mine) {
            const std::string &st = a->status;
            if (st == "deleted" || st == "deletion_pending" || st == "deletion_failed" ||
                st == "error") {
                continue;
            }
            if (!live || a->seq > live->seq) live = a;
        }
        if (live) {
            out.kind = CreateOutcome::Kind::Reused;
            out.agent = view_of(*live);
            return out;
        }
    }
    int64_t max = cfg_.max_agents_per_org.load();
    if (max > 0 && static_cast<int64_t>(mine.size()) >= max) {
        out.kind = CreateOutcome::Kind::Quota;
        out.current_agents = static_cast<int64_t>(mine.size());
        out.max_agents = max;
        return out;
    }
    if (req.eager && !req.price_ok) {
        out.kind = CreateOutcome::Kind::PriceGate;
        return out;
    }
    double balance = orgs_.count(who.org_id) ? orgs_.at(who.org_id).balance : 0;
    if (req.eager && balance < kMinAgentBalanceEliza) {
        out.kind = CreateOutcome::Kind::CreditGate;
        out.balance = balance;
        return out;
    }
    auto a = std::make_shared<Agent>();
    a->id = uuid_v4();
    a->org_id = who.org_id;
    a->user_id = who.user_id;
    a->name = req.name;
    a->seq = next_seq_++;
    a->agent_config_json = req.config_json;
    a->execution_tier = req.tier;
    a->docker_image = req.docker_image;
    a->created_ms = a->updated_ms = now;
    agents_[a->id] = a;
    touch();
    if (req.tier == "shared") {
        set_running_locked(*a, now);  // served by the cloud itself: no container to start
        out.kind = CreateOutcome::Kind::Created;
    } else if (!req.eager) {
        out.kind = CreateOutcome::Kind::Created;
    } else {
        int64_t warm = cfg_.warm_pool.load();
        while (warm > 0 && !cfg_.warm_pool.compare_exchange_weak(warm, warm - 1)) {
        }
        if (warm > 0) {
            set_running_locked(*a, now);
            out.kind = CreateOutcome::Kind::WarmPool;
        } else {
            out.job = new_job_locked(*a, who.org_id, "provision", now);
            out.kind = CreateOutcome::Kind::JobCreated;
        }
    }
    out.agent = view_of(*a);
    return out;
}

LifecycleOutcome State::begin_lifecycle(const std::string &org_id, const std::string &id,
                                        const std::string &kind) {
    std::unique_lock lock(mu_);
    int64_t now = now_ms();
    advance_locked(now);
    LifecycleOutcome out;
    auto a = find_locked(org_id, id);
    if (!a) return out;
    out.agent = view_of(*a);
    out.previous_status = a->status;
    using K = LifecycleOutcome::Kind;
    if (a->execution_tier == "shared") {
        if (kind == "delete") {
            agents_.erase(id);
            touch();
        }
        out.kind = K::Shared;
        return out;
    }
    if (!a->active_job_id.empty()) {
        const Job &running = jobs_.at(a->active_job_id);
        out.job = running;
        out.kind = running.kind == kind ? K::JobActive : K::OtherJob;
        return out;
    }
    const std::string &st = a->status;
    if ((kind == "suspend" && (st == "stopped" || st == "sleeping")) ||
        (kind == "sleep" && st == "sleeping")) {
        out.kind = K::AlreadyDone;
        return out;
    }
    if (st == "provisioning") {
        out.kind = K::Conflict;
        return out;
    }
    if (kind == "snapshot" && st != "running") {
        out.kind = K::NotRunning;
        return out;
    }
    out.job = new_job_locked(*a, org_id, kind, now);
    if (kind == "delete") {
        a->status = "deletion_pending";
        a->bridge_url.clear();
        a->health_url.clear();
        a->updated_ms = now;
    }
    out.agent = view_of(*a);
    out.kind = K::JobCreated;
    return out;
}

std::optional<AgentView> State::finish_sync(const std::string &id, bool fail,
                                            const std::string &fail_message) {
    std::unique_lock lock(mu_);
    auto it = agents_.find(id);
    if (it == agents_.end()) return std::nullopt;
    Agent &a = *it->second;
    int64_t now = now_ms();
    a.sync_provisioning = false;
    if (fail) {
        a.status = "error";
        a.error_message = fail_message;
        a.error_count += 1;
        a.updated_ms = now;
    } else {
        set_running_locked(a, now);
    }
    touch();
    return view_of(a);
}

std::optional<Backup> State::take_snapshot(const std::string &org_id, const std::string &id) {
    std::unique_lock lock(mu_);
    int64_t now = now_ms();
    advance_locked(now);
    auto a = find_locked(org_id, id);
    if (!a || a->status != "running") return std::nullopt;
    add_backup_locked(*a, "manual", now);
    a->snapshots.fetch_add(1);
    touch();
    return a->backups.front();
}

std::vector<Backup> State::backups(const std::string &org_id, const std::string &id) {
    std::shared_lock lock(mu_);
    auto a = find_locked(org_id, id);
    if (!a) return {};
    return std::vector<Backup>(a->backups.begin(), a->backups.end());
}

RestoreOutcome State::begin_restore(const std::string &org_id, const std::string &id,
                                    const std::optional<std::string> &backup_id) {
    std::unique_lock lock(mu_);
    int64_t now = now_ms();
    advance_locked(now);
    RestoreOutcome out;
    auto a = find_locked(org_id, id);
    if (!a) return out;
    const Backup *chosen = nullptr;
    if (backup_id) {
        for (const auto &b : a->backups) {
            if (b.id == *backup_id) chosen = &b;
        }
        if (!chosen) {
            for (const auto &[other_id, other] : agents_) {
                for (const auto &b : other->backups) {
                    if (b.id == *backup_id && other->org_id == org_id) {
                        out.kind = RestoreOutcome::Kind::NotBelong;
                        return out;
                    }
                }
            }
        }
    } else if (!a->backups.empty()) {
        chosen = &a->backups.front();
    }
    if (!chosen) {
        out.kind = RestoreOutcome::Kind::NoBackup;
        return out;
    }
    out.backup = *chosen;
    if (a->status == "running") {
        out.kind = RestoreOutcome::Kind::Restored;
        return out;
    }
    if (chosen != &a->backups.front()) {
        out.kind = RestoreOutcome::Kind::StoppedNotLatest;
        return out;
    }
    if (a->status == "provisioning" || !a->active_job_id.empty()) {
        out.kind = RestoreOutcome::Kind::Busy;
        return out;
    }
    out.kind = RestoreOutcome::Kind::NeedsSync;
    out.will_fail = decide_failure_locked(out.fail_message);
    a->status = "provisioning";
    a->sync_provisioning = true;
    a->updated_ms = now;
    touch();
    return out;
}

std::shared_ptr<Agent> State::running_agent(const std::string &org_id, const std::string &id) {
    tick();
    std::shared_lock lock(mu_);
    auto a = find_locked(org_id, id);
    if (!a || a->status != "running") return nullptr;
    return a;
}

std::shared_ptr<Agent> State::running_agent_any_org(const std::string &id) {
    tick();
    std::shared_lock lock(mu_);
    auto it = agents_.find(id);
    if (it == agents_.end() || it->second->status != "running") return nullptr;
    return it->second;
}

std::shared_ptr<Agent> State::any_agent(const std::string &id) {
    std::shared_lock lock(mu_);
    auto it = agents_.find(id);
    return it == agents_.end() ? nullptr : it->second;
}

std::optional<AgentView> State::force_status(const std::string &id, const std::string &status,
                                             const std::optional<std::string> &error_message) {
    std::unique_lock lock(mu_);
    int64_t now = now_ms();
    advance_locked(now);
    auto it = agents_.find(id);
    if (it == agents_.end()) return std::nullopt;
    Agent &a = *it->second;
    if (status == "running") {
        set_running_locked(a, now);
    } else {
        a.status = status;
        a.updated_ms = now;
        if (status != "provisioning") {
            a.bridge_url.clear();
            a.health_url.clear();
        }
    }
    if (error_message) a.error_message = *error_message;
    touch();
    return view_of(a);
}

// ---------------------------------------------------------------- scripted replies

bool State::script_replies(const std::string &agent_id, std::vector<ScriptedReply> replies,
                           bool set_default, std::optional<ScriptedReply> def) {
    if (agent_id == "*") {
        std::lock_guard lock(global_script_mu_);
        for (auto &r : replies) global_script_.push_back(std::move(r));
        if (set_default) global_default_ = std::move(def);
        has_global_script_ = !global_script_.empty() || global_default_.has_value();
        return true;
    }
    auto a = any_agent(agent_id);
    if (!a) return false;
    std::lock_guard lock(a->script_mu);
    for (auto &r : replies) a->script.push_back(std::move(r));
    if (set_default) a->script_default = std::move(def);
    return true;
}

void State::clear_scripts() {
    {
        std::lock_guard lock(global_script_mu_);
        global_script_.clear();
        global_default_.reset();
        has_global_script_ = false;
    }
    std::vector<std::shared_ptr<Agent>> all;
    {
        std::shared_lock lock(mu_);
        for (const auto &[id, a] : agents_) all.push_back(a);
    }
    for (auto &a : all) {
        std::lock_guard lock(a->script_mu);
        a->script.clear();
        a->script_default.reset();
    }
}

std::optional<ScriptedReply> State::next_reply(Agent &agent) {
    std::optional<ScriptedReply> agent_default;
    {
        std::lock_guard lock(agent.script_mu);
        if (!agent.script.empty()) {
            ScriptedReply r = std::move(agent.script.front());
            agent.script.pop_front();
            return r;
        }
        agent_default = agent.script_default;
    }
    if (has_global_script_.load()) {
        std::lock_guard lock(global_script_mu_);
        if (!global_script_.empty()) {
            ScriptedReply r = std::move(global_script_.front());
            global_script_.pop_front();
            has_global_script_ = !global_script_.empty() || global_default_.has_value();
            return r;
        }
        if (!agent_default) return global_default_;
    }
    return agent_default;
}

// ---------------------------------------------------------------- inspection

void write_agent_entry(JsonOut &o, const AgentView &v) {
    o.begin_obj()
        .f("id", v.id)
        .f("organizationId", v.org_id)
        .f("agentName", v.name)
        .f("status", v.status)
        .f("errorMessage", v.error_message)
        .f("errorCount", v.error_count)
        .key("activeJobId");
    if (v.active_job_id.empty()) {
        o.put(nullptr);
    } else {
        o.put(v.active_job_id);
    }
    o.f("backups", v.backups)
        .f("snapshots", v.snapshots)
        .f("heartbeats", v.heartbeats)
        .f("heartbeatFailures", v.heartbeat_failures)
        .f("bridgeCalls", v.bridge_calls)
        .f("messages", v.messages)
        .f("streams", v.streams);
    if (!v.execution_tier.empty()) {
        o.f("replays", v.replays).f("executionTier", v.execution_tier);
    }
    o.f("createdAt", iso_ms(v.created_ms)).end();
}

void State::write_inspection(JsonOut &out) {
    tick();
    std::shared_lock lock(mu_);
    int64_t now = now_ms();
    out.begin_arr("organizations");
    for (const auto &[id, o] : orgs_) {
        out.begin_obj().f("id", id).f("name", o.name).f("balance", o.balance).end();
    }
    out.end();
    out.begin_arr("users");
    for (const auto &[id, u] : users_) {
        out.begin_obj().f("id", id).f("email", u.email).f("organizationId", u.org_id).end();
    }
    out.end();
    out.begin_arr("apiKeys");
    for (const auto &[k, r] : keys_) {
        out.begin_obj()
            .f("keyPrefix", key_prefix(k))
            .f("userId", r.user_id)
            .f("organizationId", r.org_id)
            .end();
    }
    out.end();
    std::vector<std::shared_ptr<Agent>> list;
    for (const auto &[id, a] : agents_) list.push_back(a);
    std::sort(list.begin(), list.end(),
              [](const auto &x, const auto &y) { return x->seq < y->seq; });
    out.begin_arr("agents");
    for (const auto &a : list) write_agent_entry(out, view_of(*a));
    out.end();
    std::vector<const Job *> jobs;
    for (const auto &[id, j] : jobs_) jobs.push_back(&j);
    std::sort(jobs.begin(), jobs.end(),
              [](const Job *x, const Job *y) { return x->created_ms < y->created_ms; });
    out.begin_arr("jobs");
    for (const Job *j : jobs) {
        out.begin_obj()
            .f("id", j->id)
            .f("agentId", j->agent_id)
            .f("kind", j->kind)
            .f("status", j->status)
            .f("attempts", j->attempts)
            .f("error", j->error)
            .f("createdAt", iso_ms(j->created_ms))
            .end();
    }
    out.end();
    out.key("sessions");
    write_sessions_locked(out, now);
}

}  // namespace emu
