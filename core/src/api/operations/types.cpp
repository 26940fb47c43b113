// The result types the rows name, for the catalogue: the SDKs' typed results and the docs. Fields
// are those the cloud (contract §2–§4) or the handle documents; "open" types may carry more.
#include <array>
#include <vector>

#include "api/operations/operations.hpp"

namespace elizacloud::api {
namespace {

constexpr std::array<FieldSpec, 4> kLoginResult{{
    {"keyPrefix", "string", true, "the first 12 characters of the new key (never the key)"},
    {"userId", "string|null", true, "the user the key belongs to"},
    {"organizationId", "string|null", true, "the user's organisation"},
    {"expiresAt", "string|null", true, "ISO time the key expires, or null"},
}};

constexpr std::array<FieldSpec, 2> kLoginSession{{
    {"sessionId", "string", true, "the session to poll (the id the cloud minted)"},
    {"browserUrl", "string", true, "the page where the user logs in"},
}};

constexpr std::array<FieldSpec, 4> kLoginPoll{{
    {"status", "string", true,
     "pending (poll again), authenticated (the key is in use), or error (the cloud failed this "
     "time; poll again)"},
    {"keyPrefix", "string", false, "authenticated: the first 12 characters of the key"},
    {"saved", "boolean", false,
     "authenticated: whether the key was saved to the config file (it is in use either way)"},
    {"httpStatus", "integer", false, "error: what the cloud answered"},
}};

constexpr std::array<FieldSpec, 9> kStatus{{
    {"connected", "boolean", true, "a key is set and the cloud accepted it just now"},
    {"enabled", "boolean", true, "cloud.enabled of the configuration"},
    {"hasApiKey", "boolean", true, "a key is configured"},
    {"userId", "string", false, "when connected"},
    {"organizationId", "string|null", false, "when connected"},
    {"topUpUrl", "string", true, "where to buy credits"},
    {"apiGeneration", "string|null", true,
     "the cloud's API generation in use (milady or eliza); null until it was needed"},
    {"reason", "string", false, "why not connected"},
    {"apiKeyBaseUrl", "string", false,
     "the cloud that issued the stored key, when it is not this one (the key is then not sent)"},
}};

constexpr std::array<FieldSpec, 5> kCredits{{
    {"connected", "boolean", true, "a key is set (else balance is null)"},
    {"balance", "number|null", true, "US dollars"},
    {"low", "boolean", true, "balance below $2.00"},
    {"critical", "boolean", true, "balance below $0.50"},
    {"topUpUrl", "string", true, "where to buy credits"},
}};

constexpr std::array<FieldSpec, 4> kOrganization{{
    {"id", "string", true, ""},
    {"name", "string", false, ""},
    {"slug", "string", false, ""},
    {"credit_balance", "string", false, "a numeric string, e.g. \"12.500000\""},
}};

constexpr std::array<FieldSpec, 10> kUser{{
    {"id", "string", true, "the user id"},
    {"email", "string|null", false, ""},
    {"name", "string|null", false, ""},
    {"avatar", "string|null", false, ""},
    {"nickname", "string|null", false, ""},
    {"work_function", "string|null", false, ""},
    {"preferences", "string|null", false, ""},
    {"response_notifications", "boolean", false, ""},
    {"email_notifications", "boolean", false, ""},
    {"organization", "Organization", false, ""},
}};

constexpr std::array<FieldSpec, 5> kIdentity{{
    {"userId", "string", true, "data.id of GET /api/v1/user"},
    {"organizationId", "string|null", true, "data.organization.id"},
    {"email", "string|null", false, ""},
    {"name", "string|null", false, ""},
    {"organization", "Organization", false, ""},
}};

constexpr std::array<FieldSpec, 9> kAgentSummary{{
    {"id", "string", true, "the agent id (a UUID)"},
    {"agentName", "string|null", false, ""},
    {"status", "string", false, "pending, provisioning, running, stopped, disconnected, error"},
    {"databaseStatus", "string", false, ""},
    {"lastBackupAt", "string|null", false, ""},
    {"lastHeartbeatAt", "string|null", false, ""},
    {"errorMessage", "string|null", false, ""},
    {"createdAt", "string", false, ""},
    {"updatedAt", "string", false, ""},
}};

constexpr std::array<FieldSpec, 11> kAgent{{
    {"id", "string", true, "the agent id (a UUID)"},
    {"agentName", "string|null", false, ""},
    {"status", "string", false,
     "pending, provisioning, running, stopped, disconnected, error; eliza adds sleeping, "
     "deletion_pending, deletion_failed (other values may come)"},
    {"bridgeUrl", "string|null", false, "milady generation only"},
    {"executionTier", "string", false, "eliza: shared, dedicated-lazy, dedicated-always or custom"},
    {"webUiUrl", "string|null", false, "eliza: the agent's public web UI / REST host"},
    {"activeJob", "json", false, "eliza: the lifecycle job in flight, or null"},
    {"errorMessage", "string|null", false, ""},
    {"errorCount", "integer", false, ""},
    {"createdAt", "string", false, ""},
    {"updatedAt", "string", false, ""},
}};

constexpr std::array<FieldSpec, 6> kAgentCreated{{
    {"id", "string", true, "the agent's id"},
    {"agentName", "string", false, ""},
    {"status", "string", false,
     "pending; running once an auto-provisioning create's job finished (eliza)"},
    {"createdAt", "string", false, ""},
    {"executionTier", "string", false, "eliza: the tier the cloud chose"},
    {"created", "boolean", false,
     "eliza: false when the cloud returned the organisation's live agent instead of a new one"},
}};

constexpr std::array<FieldSpec, 4> kAgentAction{{
    {"agentId", "string", false, ""},
    {"action", "string", false, ""},
    {"message", "string", false, ""},
    {"previousStatus", "string", false, ""},
}};

constexpr std::array<FieldSpec, 3> kConnection{{
    {"agentId", "string", true, ""},
    {"agentName", "string", true, ""},
    {"state", "string", true, "connected"},
}};

constexpr std::array<FieldSpec, 1> kReply{{
    {"text", "string", true, "the agent's reply (all chunks, for a stream)"},
}};

constexpr std::array<FieldSpec, 2> kAgentState{{
    {"state", "string", true, "the agent's status in the cloud"},
    {"agentName", "string", true, ""},
}};

constexpr std::array<FieldSpec, 1> kAlive{{{"alive", "boolean", true, ""}}};

constexpr std::array<FieldSpec, 6> kBackup{{
    {"backupId", "string", false, ""},
    {"snapshotType", "string", false, "manual"},
    {"sizeBytes", "integer|null", false, ""},
    {"createdAt", "string", false, ""},
    {"backupKind", "string|null", false, "eliza: the kind of backup (full, incremental …)"},
    {"parentBackupId", "string|null", false, "eliza: the backup this one builds on"},
}};

constexpr std::array<FieldSpec, 7> kBackupInfo{{
    {"id", "string", true, "the backup id"},
    {"snapshotType", "string", false, "auto, manual, pre-shutdown (eliza adds pre-upgrade …)"},
    {"sizeBytes", "integer|null", false, ""},
    {"vercelSnapshotId", "string|null", false, "milady generation only"},
    {"backupKind", "string|null", false, "eliza: the kind of backup (full, incremental …)"},
    {"parentBackupId", "string|null", false, "eliza: the backup this one builds on"},
    {"createdAt", "string", false, ""},
}};

constexpr std::array<FieldSpec, 3> kRestored{{
    {"restoredFromBackupId", "string", false, ""},
    {"snapshotType", "string", false, ""},
    {"createdAt", "string", false, ""},
}};

constexpr std::array<FieldSpec, 5> kJob{{
    {"id", "string", true, "the job id"},
    {"type", "string", false, "e.g. milady_provision"},
    {"status", "string", true, "pending, in_progress, completed or failed"},
    {"result", "json", false, "when completed"},
    {"error", "string|null", false, "when failed"},
}};

constexpr std::array<FieldSpec, 3> kRateLimit{{
    {"limit", "integer|null", true, "X-RateLimit-Limit: requests allowed in the window"},
    {"remaining", "integer|null", true, "X-RateLimit-Remaining"},
    {"reset", "string|null", true, "X-RateLimit-Reset, as the cloud sent it"},
}};

constexpr std::array<FieldSpec, 6> kRouteInfo{{
    {"method", "string", true, "GET, POST, PUT, PATCH, DELETE or HEAD"},
    {"path", "string", true, "the template, parameters as {name}"},
    {"pathParams", "string[]", true, "the placeholders, in order"},
    {"responseMode", "string", true,
     "json, json-or-empty, mixed (JSON or SSE), stream, binary, text"},
    {"area", "string", true, "the route's area: apps, eliza/agents, api/health …"},
    {"catchAll", "boolean", true, "the last parameter takes the rest of the path"},
}};

constexpr std::array<FieldSpec, 2> kRouteCatalogue{{
    {"generation", "string", true, "milady or eliza"},
    {"routes", "RouteInfo[]", true, "every public route of that generation"},
}};

constexpr std::array<FieldSpec, 3> kSseFrame{{
    {"event", "string", true, "the event's name (message when unnamed)"},
    {"data", "string", true, "its data lines, joined with newlines"},
    {"id", "string", false, "the last event id, when the stream sends ids"},
}};

constexpr std::array<FieldSpec, 10> kResponse{{
    {"status", "integer", true, "the HTTP status (2xx: failures are errors)"},
    {"headers", "object", true, "the response headers, names in lower case (no Set-Cookie)"},
    {"json", "json", false, "the body, when it is JSON"},
    {"text", "string", false, "the body, when it is text that is not JSON"},
    {"base64", "string", false, "the body, base64-encoded, when it is binary"},
    {"events", "SseFrame[]", false, "stream sse without events: the stream's events"},
    {"bytes", "integer", true, "body bytes received"},
    {"route", "RouteInfo|null", true, "the catalogued route called (null: uncatalogued)"},
    {"attempts", "integer", true, "requests sent (1 + retries)"},
    {"rateLimit", "RateLimit|null", true, "the X-RateLimit-* headers, when sent"},
}};

constexpr std::array<TypeSpec, 26> kTypes{{
    {"Empty", {}, true},
    {"LoginResult", kLoginResult, true},
    {"LoginSession", kLoginSession, false},
    {"LoginPoll", kLoginPoll, false},
    {"Status", kStatus, true},
    {"Credits", kCredits, true},
    {"Organization", kOrganization, true},
    {"User", kUser, true},
    {"Identity", kIdentity, true},
    {"AgentSummary", kAgentSummary, true},
    {"Agent", kAgent, true},
    {"AgentCreated", kAgentCreated, true},
    {"AgentAction", kAgentAction, true},
    {"Connection", kConnection, true},
    {"Reply", kReply, true},
    {"AgentState", kAgentState, true},
    {"Alive", kAlive, false},
    {"Backup", kBackup, true},
    {"BackupInfo", kBackupInfo, true},
    {"Restored", kRestored, true},
    {"Job", kJob, true},
    {"RateLimit", kRateLimit, false},
    {"RouteInfo", kRouteInfo, false},
    {"RouteCatalogue", kRouteCatalogue, false},
    {"SseFrame", kSseFrame, false},
    {"ResponseRecord", kResponse, false},
}};

}  // namespace

std::span<const TypeSpec> result_types() {
    static const std::vector<TypeSpec> all = [] {
        std::vector<TypeSpec> out(kTypes.begin(), kTypes.end());
        for (const TypeSpec &t : breadth_types()) out.push_back(t);
        return out;
    }();
    return all;
}

}  // namespace elizacloud::api
