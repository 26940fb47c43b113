// Saving and loading the emulator state as JSON (--state-file).
#include <stdexcept>

#include "state.hpp"
#include "util.hpp"

namespace emu {

// ---------------------------------------------------------------- persistence

std::string State::serialize() {
    tick();
    std::shared_lock lock(mu_);
    JsonOut o;
    o.begin_obj().f("format", "elizacloud-emulator-state/1").f("nextSeq", next_seq_);
    o.begin_arr("organizations");
    for (const auto &[id, org] : orgs_) {
        o.begin_obj()
            .f("id", id)
            .f("name", org.name)
            .f("slug", org.slug)
            .f("balance", org.balance)
            .f("createdMs", org.created_ms);
        o.begin_arr("transactions");
        for (const auto &t : org.txns) {
            o.begin_obj()
                .f("id", t.id)
                .f("type", t.type)
                .f("amount", t.amount)
                .f("description", t.description)
                .f("createdMs", t.created_ms)
                .end();
        }
        o.end().end();
    }
    o.end().begin_arr("users");
    for (const auto &[id, u] : users_) {
        o.begin_obj()
            .f("id", id)
            .f("email", u.email)
            .f("name", u.name)
            .f("organizationId", u.org_id)
            .f("createdMs", u.created_ms)
            .end();
    }
    o.end().begin_arr("apiKeys");
    for (const auto &[k, r] : keys_) {
        o.begin_obj()
            .f("key", k)
            .f("userId", r.user_id)
            .f("organizationId", r.org_id)
            .f("createdMs", r.created_ms)
            .end();
    }
    o.end().begin_arr("sessions");
    for (const auto &[id, s] : sessions_) {
        o.begin_obj()
            .f("id", id)
            .f("createdMs", s.created_ms)
            .f("expiresMs", s.expires_ms)
            .f("authenticated", s.authenticated)
            .f("collected", s.collected)
            .f("keyPlain", s.key_plain)
            .f("keyPrefix", s.key_prefix)
            .f("issuedKey", s.issued_key)
            .f("approvedUserId", s.approved_user_id)
            .f("revoked", s.revoked)
            .end();
    }
    o.end().begin_arr("agents");
    for (const auto &[id, a] : agents_) {
        o.begin_obj()
            .f("id", id)
            .f("organizationId", a->org_id)
            .f("userId", a->user_id)
            .f("name", a->name)
            .f("seq", a->seq)
            .f("status", a->status)
            .f("databaseStatus", a->database_status)
            .f("agentConfig", a->agent_config_json)
            .f("lastBackupMs", a->last_backup_ms)
            .f("lastHeartbeatMs", a->last_heartbeat_ms)
            .f("errorMessage", a->error_message)
            .f("errorCount", a->error_count)
            .f("createdMs", a->created_ms)
            .f("updatedMs", a->updated_ms)
            .f("startedMs", a->started_ms.load())
            .f("activeJobId", a->active_job_id)
            .f("executionTier", a->execution_tier)
            .f("dockerImage", a->docker_image);
        o.begin_arr("backups");
        for (const auto &b : a->backups) {
            o.begin_obj()
                .f("id", b.id)
                .f("type", b.type)
                .f("sizeBytes", b.size_bytes)
                .f("createdMs", b.created_ms)
                .f("backupKind", b.kind)
                .f("parentBackupId", b.parent_id)
                .end();
        }
        o.end().end();
    }
    o.end().begin_arr("jobs");
    for (const auto &[id, j] : jobs_) {
        o.begin_obj()
            .f("id", id)
            .f("agentId", j.agent_id)
            .f("organizationId", j.org_id)
            .f("kind", j.kind)
            .f("status", j.status)
            .f("attempts", j.attempts)
            .f("error", j.error)
            .f("result", j.result_json)
            .f("createdMs", j.created_ms)
            .f("updatedMs", j.updated_ms)
            .f("claimMs", j.claim_ms)
            .f("finishMs", j.finish_ms)
            .f("startedMs", j.started_ms)
            .f("completedMs", j.completed_ms)
            .f("willFail", j.will_fail)
            .f("failMessage", j.fail_message)
            .end();
    }
    o.end().end();
    return o.str();
}

namespace {

std::string req_str(const rapidjson::Value &v, const char *name) {
    auto s = get_string(v, name);
    if (!s) throw std::runtime_error(std::string("state file: missing string '") + name + "'");
    return *s;
}

int64_t req_int(const rapidjson::Value &v, const char *name) {
    auto n = get_int(v, name);
    if (!n) throw std::runtime_error(std::string("state file: missing number '") + name + "'");
    return *n;
}

std::optional<int64_t> opt_int(const rapidjson::Value &v, const char *name) {
    return get_int(v, name);
}

const rapidjson::Value &req_arr(const rapidjson::Value &v, const char *name) {
    const auto *m = member(v, name);
    if (!m || !m->IsArray()) {
        throw std::runtime_error(std::string("state file: missing array '") + name + "'");
    }
    return *m;
}

}  // namespace

void State::load(const rapidjson::Value &doc) {
    if (!doc.IsObject() || get_string(doc, "format") != "elizacloud-emulator-state/1") {
        throw std::runtime_error("state file: not an elizacloud-emulator state document");
    }
    std::unique_lock lock(mu_);
    clear_locked();
    next_seq_ = static_cast<uint64_t>(req_int(doc, "nextSeq"));
    for (const auto &v : req_arr(doc, "organizations").GetArray()) {
        Org o;
        o.id = req_str(v, "id");
        o.name = req_str(v, "name");
        o.slug = req_str(v, "slug");
        o.balance = get_number(v, "balance").value_or(0);
        o.created_ms = req_int(v, "createdMs");
        for (const auto &t : req_arr(v, "transactions").GetArray()) {
            o.txns.push_back({req_str(t, "id"), req_str(t, "type"),
                              get_number(t, "amount").value_or(0), req_str(t, "description"),
                              req_int(t, "createdMs")});
        }
        orgs_[o.id] = o;
    }
    for (const auto &v : req_arr(doc, "users").GetArray()) {
        User u{req_str(v, "id"), req_str(v, "email"), req_str(v, "name"),
               req_str(v, "organizationId"), req_int(v, "createdMs")};
        users_[u.id] = u;
    }
    for (const auto &v : req_arr(doc, "apiKeys").GetArray()) {
        KeyRecord k{req_str(v, "key"), req_str(v, "userId"), req_str(v, "organizationId"),
                    req_int(v, "createdMs")};
        keys_[k.key] = k;
    }
    if (seed_key_ && !keys_.count(*seed_key_)) {
        keys_[*seed_key_] = KeyRecord{*seed_key_, kDefaultUserId, kDefaultOrgId, now_ms()};
    }
    for (const auto &v : req_arr(doc, "sessions").GetArray()) {
        Session s;
        s.id = req_str(v, "id");
        s.created_ms = req_int(v, "createdMs");
        s.expires_ms = req_int(v, "expiresMs");
        s.authenticated = get_bool(v, "authenticated").value_or(false);
        s.collected = get_bool(v, "collected").value_or(false);
        s.key_plain = req_str(v, "keyPlain");
        s.key_prefix = req_str(v, "keyPrefix");
        s.issued_key = get_string(v, "issuedKey").value_or("");
        s.approved_user_id = get_string(v, "approvedUserId").value_or("");
        s.revoked = get_bool(v, "revoked").value_or(false);
        sessions_[s.id] = s;
    }
    for (const auto &v : req_arr(doc, "agents").GetArray()) {
        auto a = std::make_shared<Agent>();
        a->id = req_str(v, "id");
        a->org_id = req_str(v, "organizationId");
        a->user_id = req_str(v, "userId");
        a->name = req_str(v, "name");
        a->seq = static_cast<uint64_t>(req_int(v, "seq"));
        a->status = req_str(v, "status");
        a->database_status = req_str(v, "databaseStatus");
        a->agent_config_json = req_str(v, "agentConfig");
        a->last_backup_ms = opt_int(v, "lastBackupMs");
        a->last_heartbeat_ms = opt_int(v, "lastHeartbeatMs");
        a->error_message = get_string(v, "errorMessage");
        a->error_count = req_int(v, "errorCount");
        a->created_ms = req_int(v, "createdMs");
        a->updated_ms = req_int(v, "updatedMs");
        a->started_ms = req_int(v, "startedMs");
        a->active_job_id = req_str(v, "activeJobId");
        a->execution_tier = get_string(v, "executionTier").value_or("");
        a->docker_image = get_string(v, "dockerImage");
        if (a->status == "running") {
            a->bridge_url = fake_bridge_url(a->seq);
            a->health_url = fake_health_url(a->seq);
        }
        if (a->status == "provisioning" && a->active_job_id.empty()) {
            // A synchronous provision was cut short by the restart.
            a->status = "error";
            a->error_message = "Provisioning interrupted by an emulator restart";
        }
        for (const auto &b : req_arr(v, "backups").GetArray()) {
            Backup bk;
            bk.id = req_str(b, "id");
            bk.agent_id = a->id;
            bk.type = req_str(b, "type");
            bk.size_bytes = req_int(b, "sizeBytes");
            bk.created_ms = req_int(b, "createdMs");
            bk.kind = get_string(b, "backupKind").value_or("full");
            bk.parent_id = get_string(b, "parentBackupId");
            a->backups.push_back(bk);
        }
        agents_[a->id] = a;
    }
    for (const auto &v : req_arr(doc, "jobs").GetArray()) {
        Job j;
        j.id = req_str(v, "id");
        j.agent_id = req_str(v, "agentId");
        j.org_id = req_str(v, "organizationId");
        j.kind = req_str(v, "kind");
        j.status = req_str(v, "status");
        j.attempts = req_int(v, "attempts");
        j.error = get_string(v, "error");
        j.result_json = req_str(v, "result");
        j.created_ms = req_int(v, "createdMs");
        j.updated_ms = req_int(v, "updatedMs");
        j.claim_ms = req_int(v, "claimMs");
        j.finish_ms = req_int(v, "finishMs");
        j.started_ms = opt_int(v, "startedMs");
        j.completed_ms = opt_int(v, "completedMs");
        j.will_fail = get_bool(v, "willFail").value_or(false);
        j.fail_message = req_str(v, "failMessage");
        if (j.status == "pending" || j.status == "in_progress") active_jobs_.push_back(j.id);
        jobs_[j.id] = j;
    }
    next_due_ = 0;  // apply whatever became due while the emulator was down
    advance_locked(now_ms());
}

}  // namespace emu
