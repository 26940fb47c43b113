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

    void copy_from(const RuntimeConfig &o);
    void write_json(JsonOut &out) const;
};

inline constexpr const char *kDefaultUserId = "00000000-0000-4000-8000-000000000001";
inline constexpr const char *kDefaultOrgId = "00000000-0000-4000-8000-0000000000a1";
inline constexpr double kMinAgentBalance = 5.0;
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
};

struct Backup {
    std::string id, agent_id, type;  // auto | manual | pre-shutdown
    int64_t size_bytes = 0;
    int64_t created_ms = 0;
};

// One scripted answer to message.send.
struct ScriptedReply {
    enum class Kind { Text, Error, Result } kind = Kind::Text;
    std::string text;
    int64_t code = -32000;
    std::string message;
    std::string result_json;  // Kind::Result: serialised JSON value
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

    std::atomic<uint64_t> heartbeats{0}, heartbeat_failures{0}, bridge_calls{0}, messages{0},
        streams{0}, snapshots{0};

    std::mutex script_mu;
    std::deque<ScriptedReply> script;
    std::optional<ScriptedReply> script_default;
};

// Copy of an agent for building responses outside the lock.
struct AgentView {
    std::string id, org_id, name, status, database_status, agent_config_json;
    std::optional<int64_t> last_backup_ms, last_heartbeat_ms;
    std::optional<std::string> error_message;
    int64_t error_count = 0, created_ms = 0, updated_ms = 0, started_ms = 0;
    std::string bridge_url, health_url, active_job_id;
    size_t backups = 0;
    uint64_t heartbeats = 0, heartbeat_failures = 0, bridge_calls = 0, messages = 0, streams = 0,
             snapshots = 0;
};

struct Job {
    std::string id, agent_id, org_id;
    std::string kind;                // provision | resume
    std::string status = "pending";  // pending | in_progress | completed | failed
    int64_t attempts = 0;
    std::optional<std::string> error;
    std::string result_json;  // "" = null
    int64_t created_ms = 0, updated_ms = 0, claim_ms = 0, finish_ms = 0;
    std::optional<int64_t> started_ms, completed_ms;
    bool will_fail = false;
    std::string fail_message;
};

struct ProvisionOutcome {
    enum class Kind {
        NotFound,
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
    enum class Kind { NotFound, Pending, Key, Collected } kind = Kind::NotFound;
    std::string key, prefix;
};

struct SessionApprove {
    enum class Kind { NotFound, AlreadyDone, Ok } kind = Kind::NotFound;
    std::string key, prefix;
};

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
    SessionApprove approve_session(const std::string &id);
    std::vector<Session> sessions() const;

    // --- agents
    std::vector<AgentView> list_agents(const std::string &org_id);
    std::optional<AgentView> get_agent(const std::string &org_id, const std::string &id);
    AgentView create_agent(const Principal &who, const std::string &name,
                           const std::string &agent_config_json);
    // 0 = deleted, 1 = not found, 2 = conflict (provisioning)
    int delete_agent(const std::string &org_id, const std::string &id);
    ShutdownOutcome shutdown_agent(const std::string &org_id, const std::string &id);
    ProvisionOutcome begin_provision(const std::string &org_id, const std::string &id,
                                     const std::string &kind, bool sync);
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
    void add_backup_locked(Agent &a, const std::string &type, int64_t at);
    bool decide_failure_locked(std::string &message);
    std::shared_ptr<Agent> find_locked(const std::string &org_id, const std::string &id) const;
    void seed_locked();
    void clear_locked();
    void approve_locked(Session &s);
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
