// backups.*: an agent's backups (contract §2.12–§2.14). Session operations: the connected agent's
// backups go through its scheduler, which keeps one snapshot in flight at a time; another agent's
// go straight to the cloud (the paths below).
#include <array>

#include "api/operations/common_params.hpp"
#include "api/operations/operations.hpp"

namespace elizacloud::api {
namespace {

constexpr std::array<ParamSpec, 1> kAgent{kAgentIdOrConnected};

constexpr std::array<ParamSpec, 2> kRestore{{
    kAgentIdOrConnected,
    {.name = "backupId",
     .type = ParamType::Uuid,
     .in = ParamIn::Body,
     .doc = "the backup to restore (default: the latest)"},
}};

constexpr std::array<OperationSpec, 3> kRows{{
    {.name = "backups.snapshot",
     .summary = "Takes a manual backup of an agent",
     .kind = Kind::Session,
     .handler = Method::Snapshot,
     .http_method = "POST",
     .milady_path = "/api/v1/milady/agents/{agentId}/snapshot",
     .eliza_path = "/api/v1/eliza/agents/{agentId}/snapshot",
     .params = kAgent,
     .result = "Backup",
     .follows_job = true,  // eliza snapshots in a job whose result is the backup (E§2.12)
     .job_end = JobEnd::JobResult},
    {.name = "backups.list",
     .summary = "An agent's backups, newest first (at most 10)",
     .kind = Kind::Session,
     .handler = Method::BackupsList,
     .http_method = "GET",
     .milady_path = "/api/v1/milady/agents/{agentId}/backups",
     .eliza_path = "/api/v1/eliza/agents/{agentId}/backups",
     .params = kAgent,
     .result = "BackupInfo[]",
     .shape = ResultShape::Array,
     .idempotent = true},
    {.name = "backups.restore",
     .summary = "Restores an agent from its latest backup or from one by id",
     .kind = Kind::Session,
     .handler = Method::Restore,
     .http_method = "POST",  // always with a JSON body, {} for the latest (C§8 item 10)
     .milady_path = "/api/v1/milady/agents/{agentId}/restore",
     .eliza_path = "/api/v1/eliza/agents/{agentId}/restore",
     .params = kRestore,
     .body = Body::Params,
     .result = "Restored",
     .follows_job = true},
}};

}  // namespace

std::span<const OperationSpec> backups_operations() {
    return kRows;
}

}  // namespace elizacloud::api
