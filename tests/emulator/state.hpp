// The emulated cloud's in-memory state: organizations, users, API keys, CLI login sessions,
// Milady agents with their backups, and provisioning jobs. Thread-safe.
//
// Locking: one shared_mutex guards the maps; read paths (authentication, the bridge) take it
// shared. Per-agent counters are atomics and per-agent scripted replies have their own mutex, so
// the hot bridge path never serialises on a global lock. Provisioning jobs advance lazily but on
// time: every access first applies the transitions whose time has come.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "json_util.hpp"

namespace emu {

// Settings that the control API may change while the emulator runs.
struct RuntimeConfig {
    std::atomic<int64_t> provision_ms{300};
    std::atomic<int64_t> job_poll_interval_ms{5000};
    std::atomic<int64_t> session_ttl_ms{600000};
    std::atomic<int64_t> stream_chunk_chars{0};
    std::atomic<int64_t> stream_chunk_delay_ms{0};
    std::atomic<bool> auto_approve{false};
    std::atomic<bool> mint_session_ids{false};  // today's cloud: ids are the server's
    std::atomic<bool> fail_provision{false};
    std::atomic<bool> record_requests{false};
    // The breadth areas (docs/emulator.md §8): API keys allowed on the session-only api-keys
    // routes; every organisation has a saved payment method (auto top-up can be enabled).
    std::atomic<bool> api_keys_accept_keys{false};
    std::atomic<bool> has_payment_method{false};
    // C§7.5 rate limiting (rate_limits.hpp), off by default; a window override for tests.
    std::atomic<bool> rate_limits{false};
    std::atomic<int64_t> rate_limit_window_ms{0};  // 0 = each preset's own window

    // The eliza generation's knobs (docs/emulator.md §6); only listed and settable there.
    bool eliza = false;                          // fixed at start-up, not copied
    std::atomic<int64_t> max_agents_per_org{0};  // 0 = unlimited
    std::atomic<int64_t> warm_pool{0};           // warm containers left
    std::atomic<bool> reuse_live_agents{true};
    std::atomic<bool> require_price_consent{true};

    std::string default_execution_tier() const;
    void set_default_execution_tier(std::string tier);
    std::vector<std::string> allowed_image_prefixes() const;
    void set_allowed_image_prefixes(std::vector<std::string> prefixes);
    std::string dedicated_price_acceptance() const;
    void set_dedicated_price_acceptance(std::string value);

    void copy_from(const RuntimeConfig &o);
    void write_json(JsonOut &out) const;

private:
    // The text settings are not atomics: each read or write takes text_mu_.
    template <class T>
    T locked_get(const T &field) const {
        std::lock_guard lock(text_mu_);
        return field;
    }
    template <class T>
    void locked_set(T &field, T value) {
        std::lock_guard lock(text_mu_);
        field = std::move(value);
    }

    mutable std::mutex text_mu_;
    std::string default_tier_ = "dedicated-lazy";
    std::vector<std::string> image_prefixes_{"ghcr.io/elizaos/"};
    std::string price_acceptance_ = "dedicated-compute-v1:USD:0.150000:0.300000";
};

inline constexpr const char *kDefaultUserId = "00000000-0000-4000-8000-000000000001";
inline constexpr const char *kDefaultOrgId = "00000000-0000-4000-8000-0000000000a1";
inline constexpr double kMinAgentBalance = 5.0;
inline constexpr double kMinAgentBalanceEliza = 0.30;
inline constexpr size_t kMaxBackups = 10;

struct Principal {
    std::string user_id;
    std::string org_id;
    std::string key_prefix;
};

struct Txn {
    std::string id;
    std::string type;  // credit | debit
    double amount = 0;
    std::string description;
    int64_t created_ms = 0;
};

struct Org {
    std::string id, name, slug;
    double balance = 0;
    int64_t created_ms = 0;
    std::vector<Txn> txns;  // oldest first
};

struct User {
    std::string id, email, name, org_id;
    int64_t created_ms = 0;
    // The profile fields PATCH /api/v1/user sets (contract §4), as a JSON object of those that
    // were set; GET /api/v1/user answers them over its defaults. Not persisted.
    std::string profile_json = "{}";
    int64_t updated_ms = 0;
};

struct KeyRecord {
    std::string key, user_id, org_id;
    int64_t created_ms = 0;
};

struct Session {
    std::string id;
    int64_t created_ms = 0, expires_ms = 0;
    bool authenticated = false;
    bool collected = false;
    std::string key_plain;  // cleared once collected
    std::string key_prefix;
    std::string issued_key;        // the key this session minted (kept: DELETE checks it)
    std::string approved_user_id;  // who completed it
    bool revoked = false;          // eliza: DELETE /api/auth/cli-session/{id}
};

struct Backup {
    std::string id, agent_id, type;  // auto | manual | pre-shutdown
    int64_t size_bytes = 0;
    int64_t created_ms = 0;
    std::string kind = "full";  // full | incremental (eliza's backupKind)
    std::optional<std::string> parent_id;
};

// One scripted answer to message.send.
struct ScriptedReply {
    enum class Kind { Text, Error, Result } kind = Kind::Text;
    std::string text;
    int64_t code = -32000;
    std::string message;
    std::string result_json;  // Kind::Result: serialised JSON value
};

// A message.send that carried a clientMessageId (eliza): what landed, for replays.
struct Turn {
    std::string text;  // the request text
    bool is_error = false;
    int64_t code = 0;
    std::string message;
    std::string result_json;  // the JSON-RPC result
    std::string answer;       // the reply text (what a stream replays)
};

struct Agent {
    std::string id, org_id, user_id, name;
    uint64_t seq = 0;
    std::string status = "pending";
    std::string database_status = "none";
    std::string agent_config_json;  // serialised object, "" when none
    std::optional<int64_t> last_backup_ms, last_heartbeat_ms;
    std::optional<std::string> error_message;
    int64_t error_count = 0;
    int64_t created_ms = 0, updated_ms = 0;
    std::string bridge_url, health_url;  // "" unless running
    std::atomic<int64_t> started_ms{0};  // read by the bridge without the lock
    std::deque<Backup> backups;          // newest first
    std::string active_job_id;
    bool sync_provisioning = false;

    // eliza: shared | dedicated-lazy | dedicated-always | custom ("" on milady). Set at creation,
    // never changed: read without the lock.
    std::string execution_tier;
    std::optional<std::string> docker_image;

    std::atomic<uint64_t> heartbeats{0}, heartbeat_failures{0}, bridge_calls{0}, messages{0},
        streams{0}, snapshots{0}, replays{0};

    std::mutex turns_mu;  // held across a turn that carries a clientMessageId
    std::unordered_map<std::string, Turn> turns;

    std::mutex script_mu;
    std::deque<ScriptedReply> script;
    std::optional<ScriptedReply> script_default;
};

struct Job;

// Copy of an agent for building responses outside the lock.
struct AgentView {
    std::string id, org_id, name, status, database_status, agent_config_json;
    std::optional<int64_t> last_backup_ms, last_heartbeat_ms;
    std::optional<std::string> error_message;
    int64_t error_count = 0, created_ms = 0, updated_ms = 0, started_ms = 0;
    std::string bridge_url, health_url, active_job_id;
    size_t backups = 0;
    uint64_t heartbeats = 0, heartbeat_failures = 0, bridge_calls = 0, messages = 0, streams = 0,
             snapshots = 0, replays = 0;
    std::string execution_tier;
    std::optional<std::string> docker_image;
    std::shared_ptr<const Job> active_job;  // list/detail only
};

struct Job {
    std::string id, agent_id, org_id;
    // provision | resume; eliza also wake | sleep | suspend | delete | snapshot
    std::string kind;
    std::string status = "pending";  // pending | in_progress | completed | failed
    int64_t attempts = 0;
    std::optional<std::string> error;
    std::string result_json;  // "" = null
    int64_t created_ms = 0, updated_ms = 0, claim_ms = 0, finish_ms = 0;
    std::optional<int64_t> started_ms, completed_ms;
    bool will_fail = false;
    std::string fail_message;
    std::optional<std::string> restore_backup_id;  // wake
};

// The job's `type` as GET /api/v1/jobs/{id} reports it.
std::string job_type_name(const std::string &kind, bool eliza);
// eliza: the dedicated agent's public web UI, https://<id>.agents.elizacloud.ai
std::string dedicated_web_ui_url(const std::string &agent_id);

// Extra gates of begin_provision on the eliza generation (defaults: milady's).
struct StartGate {
    bool eliza = false;
    double min_balance = kMinAgentBalance;
    bool price_ok = true;
    std::optional<std::string> restore_backup_id;  // wake
};

struct ProvisionOutcome {
    enum class Kind {
        NotFound,
        Shared,     // eliza: a shared-runtime agent (a no-op)
        Deleting,   // eliza: deletion pending
        NoBackup,   // eliza wake: restoreBackupId is not this agent's
        PriceGate,  // eliza: X-Eliza-Dedicated-Price missing or stale
        AlreadyRunning,
        CreditGate,
        JobActive,
        JobCreated,
        Busy,         // provisioning without a job (a synchronous provision is running)
        SyncStarted,  // caller sleeps, then calls finish_sync()
    } kind = Kind::NotFound;
    AgentView agent;
    Job job;
    double balance = 0;
    bool will_fail = false;
    std::string fail_message;
};

// Creation on the eliza generation (E§2.4), past validation and image policy.
struct ElizaCreate {
    std::string name, config_json, tier;
    std::optional<std::string> docker_image;
    bool force_create = false;
    bool eager = false;
    bool price_ok = true;
};

struct CreateOutcome {
    enum class Kind {
        Reused,
        Quota,
        PriceGate,
        CreditGate,
        Created,   // not eager (or shared)
        WarmPool,  // eager, a warm container was claimed: running at once
        JobCreated,
    } kind = Kind::Created;
    AgentView agent;
    Job job;
    double balance = 0;
    int64_t current_agents = 0, max_agents = 0;
};

// suspend | sleep | delete | snapshot as jobs (eliza, E§2.6, 2.7, 2.12, 2.15, 2.16a).
struct LifecycleOutcome {
    enum class Kind {
        NotFound,
        Shared,       // a shared-runtime agent (delete: deleted at once)
        AlreadyDone,  // suspend: already stopped/sleeping; sleep: already sleeping
        Conflict,     // provisioning
        NotRunning,   // snapshot
        JobActive,    // a job of the same kind is running: its job
        OtherJob,     // another kind of job is running
        JobCreated,
    } kind = Kind::NotFound;
    AgentView agent;
    Job job;
    std::string previous_status;
};

struct ShutdownOutcome {
    enum class Kind { NotFound, Conflict, AlreadyStopped, Done } kind = Kind::NotFound;
    std::string previous_status;
};

struct RestoreOutcome {
    enum class Kind {
        AgentNotFound,
        NoBackup,
        NotBelong,
        StoppedNotLatest,
        Busy,
        Restored,   // agent running: restored at once
        NeedsSync,  // agent not running: caller sleeps, then calls finish_sync()
    } kind = Kind::AgentNotFound;
    Backup backup;
    bool will_fail = false;
    std::string fail_message;
};

struct SessionPoll {
    enum class Kind { NotFound, Pending, Key, Collected, Revoked } kind = Kind::NotFound;
    std::string key, prefix;
};

struct SessionApprove {
    enum class Kind { NotFound, AlreadyDone, Ok } kind = Kind::NotFound;
    std::string key, prefix;
    bool same_user = false;  // AlreadyDone by the same user
};

enum class SessionRevoke { NotFound, Forbidden, Ok };

struct KeyInfo {
    std::string key, prefix, user_id, org_id;
};

// One agent's entry in GET /__emulator/state.
void write_agent_entry(JsonOut &o, const AgentView &v);

class State {
public:
    State(RuntimeConfig &cfg, double initial_credits, std::optional<std::string> seed_key);

    // Back to the start-up state (default org/user, seed key, initial balance).
    void reset();

    // --- keys and identity
    std::optional<Principal> lookup_key(std::string_view key) const;
    // Throws std::invalid_argument for a malformed or duplicate explicit key.
    KeyInfo create_key(const std::optional<std::string> &org_id,
                       const std::optional<std::string> &explicit_key);
    bool revoke_key(const std::string &key);
    std::optional<Org> org(const std::string &org_id) const;
    std::optional<User> user(const std::string &user_id) const;
    // Applies fn to the user under the state's lock; the user afterwards, or nullopt if unknown.
    std::optional<User> update_user(const std::string &user_id,
                                    const std::function<void(User &)> &fn);
    // nullopt when the org is unknown.
    std::optional<double> set_balance(const std::string &org_id, double balance);

    // --- CLI login sessions
    // false when the id already exists (expired ones too: the column is UNIQUE).
    bool create_session(const std::string &id, int64_t &expires_ms);
    SessionPoll poll_session(const std::string &id);
    // `who`: the approving user (default: the default user, as the browser page).
    SessionApprove approve_session(const std::string &id,
                                   const std::optional<Principal> &who = std::nullopt);
    // eliza: revokes the key the session handed out when `bearer` is exactly that key.
    SessionRevoke revoke_session(const std::string &id, const std::string &bearer);
    std::vector<Session> sessions() const;

    // --- agents
    std::vector<AgentView> list_agents(const std::string &org_id);
    std::optional<AgentView> get_agent(const std::string &org_id, const std::string &id);
    AgentView create_agent(const Principal &who, const std::string &name,
                           const std::string &agent_config_json);
    CreateOutcome create_agent_eliza(const Principal &who, const ElizaCreate &req);
    // The agent if it exists in the org (shared lock only).
    std::shared_ptr<Agent> find_agent(const std::string &org_id, const std::string &id);
    LifecycleOutcome begin_lifecycle(const std::string &org_id, const std::string &id,
                                     const std::string &kind);
    // 0 = deleted, 1 = not found, 2 = conflict (provisioning)
    int delete_agent(const std::string &org_id, const std::string &id);
    ShutdownOutcome shutdown_agent(const std::string &org_id, const std::string &id);
    ProvisionOutcome begin_provision(const std::string &org_id, const std::string &id,
                                     const std::string &kind, bool sync,
                                     const StartGate &gate = StartGate{});
    // Ends a synchronous provision started by begin_provision/begin_restore.
    std::optional<AgentView> finish_sync(const std::string &id, bool fail,
                                         const std::string &fail_message);
    std::optional<Backup> take_snapshot(const std::string &org_id, const std::string &id);
    std::vector<Backup> backups(const std::string &org_id, const std::string &id);
    RestoreOutcome begin_restore(const std::string &org_id, const std::string &id,
                                 const std::optional<std::string> &backup_id);
    // The agent if it exists in the org and is running (shared lock only).
    std::shared_ptr<Agent> running_agent(const std::string &org_id, const std::string &id);
    std::shared_ptr<Agent> any_agent(const std::string &id);
    // The agent if it is running, whatever its organization.
    std::shared_ptr<Agent> running_agent_any_org(const std::string &id);
    std::optional<AgentView> force_status(const std::string &id, const std::string &status,
                                          const std::optional<std::string> &error_message);
    std::optional<Job> job(const std::string &org_id, const std::string &id);

    // --- scripted bridge replies ("*" = every agent). false when the agent is unknown.
    bool script_replies(const std::string &agent_id, std::vector<ScriptedReply> replies,
                        bool set_default, std::optional<ScriptedReply> def);
    void clear_scripts();
    std::optional<ScriptedReply> next_reply(Agent &agent);

    // --- provisioning failures
    void set_provision_failures(int64_t count, bool always, const std::string &message);
    void write_provision_failures(JsonOut &out) const;

    // --- inspection and persistence
    void write_inspection(JsonOut &out);  // organizations, users, apiKeys, agents, jobs, sessions
    void write_sessions(JsonOut &out) const;
    std::string serialize();
    // Throws std::runtime_error on a malformed document.
    void load(const rapidjson::Value &doc);
    uint64_t version() const { return version_.load(); }

    static AgentView view_of(const Agent &a);

private:
    static std::string fake_bridge_url(uint64_t seq);
    static std::string fake_health_url(uint64_t seq);
    void write_sessions_locked(JsonOut &out, int64_t now) const;
    void tick();
    void advance_locked(int64_t now);
    void claim_locked(Job &job, int64_t at);
    void finish_locked(Job &job, int64_t at);
    void set_running_locked(Agent &a, int64_t at);
    Job &new_job_locked(Agent &a, const std::string &org_id, const std::string &kind, int64_t now);
    AgentView view_with_job_locked(const Agent &a) const;
    std::string web_ui_url_locked(const Agent &a) const;
    void add_backup_locked(Agent &a, const std::string &type, int64_t at);
    bool decide_failure_locked(std::string &message);
    std::shared_ptr<Agent> find_locked(const std::string &org_id, const std::string &id) const;
    void seed_locked();
    void clear_locked();
    void approve_locked(Session &s, const std::string &user_id, const std::string &org_id);
    void touch() { version_.fetch_add(1); }

    RuntimeConfig &cfg_;
    double initial_credits_;
    std::optional<std::string> seed_key_;

    mutable std::shared_mutex mu_;
    std::map<std::string, Org> orgs_;
    std::map<std::string, User> users_;
    std::unordered_map<std::string, KeyRecord> keys_;
    std::map<std::string, Session> sessions_;
    std::unordered_map<std::string, std::shared_ptr<Agent>> agents_;
    std::map<std::string, Job> jobs_;
    std::vector<std::string> active_jobs_;
    uint64_t next_seq_ = 1;
    std::atomic<int64_t> next_due_{INT64_MAX};
    std::atomic<uint64_t> version_{0};

    int64_t fail_remaining_ = 0;
    bool fail_always_ = false;
    std::string fail_message_ = "Emulated provisioning failure";

    std::mutex global_script_mu_;
    std::atomic<bool> has_global_script_{false};
    std::deque<ScriptedReply> global_script_;
    std::optional<ScriptedReply> global_default_;
};

}  // namespace emu
