// agents.*: the organisation's cloud agents (contract §2.3–§2.8, §2.15, §2.16).
#include <array>

#include "api/operations/common_params.hpp"
#include "api/operations/operations.hpp"

namespace elizacloud::api {
namespace {

constexpr std::array<ParamSpec, 1> kAgentId{kAgentIdInPath};
constexpr std::array<ParamSpec, 2> kStart{kAgentIdInPath, kConfirmPrice};

constexpr std::array<ParamSpec, 4> kWake{{
    kAgentIdInPath,
    kConfirmPrice,
    {.name = "restoreBackupId",
     .type = ParamType::Uuid,
     .doc = "wake from this (validated) backup instead of the latest"},
    {.name = "forceFreshBoot",
     .type = ParamType::Boolean,
     .doc = "boot empty, accepting the loss of the agent's saved state"},
}};

constexpr std::array<ParamSpec, 9> kCreate{{
    {.name = "agentName",
     .type = ParamType::String,
     .required = true,
     .arg = "name",
     .min_length = 1,
     .max_length = 100,
     .doc = "the agent's name"},
    {.name = "characterId",
     .type = ParamType::Uuid,
     .doc = "an existing character of the organisation to build the agent from"},
    {.name = "agentConfig",
     .type = ParamType::Object,
     .arg = "config",
     .doc = "agent configuration"},
    {.name = "environmentVars",
     .type = ParamType::StringMap,
     .arg = "environment",
     .doc = "environment variables for the agent"},
    // The eliza generation's create (E§2.4); the milady cloud ignores these.
    {.name = "autoProvision",
     .type = ParamType::Boolean,
     .doc = "eliza: start the agent too when its tier is eager (default true there)"},
    {.name = "forceCreate",
     .type = ParamType::Boolean,
     .doc = "eliza: create a new agent even when the organisation has a live one"},
    {.name = "dockerImage",
     .type = ParamType::String,
     .min_length = 1,
     .max_length = 512,
     .doc = "eliza: a custom image (digest-pinned, from an allowed registry)"},
    {.name = "alwaysOn",
     .type = ParamType::Boolean,
     .doc = "eliza: ask for a dedicated, always-on agent"},
    kConfirmPrice,
}};

constexpr std::array<OperationSpec, 9> kRows{{
    {.name = "agents.list",
     .summary = "Lists the organisation's agents, newest first",
     .http_method = "GET",
     .milady_path = "/api/v1/milady/agents",
     .eliza_path = "/api/v1/eliza/agents",
     .result = "AgentSummary[]",
     .shape = ResultShape::Array,
     .idempotent = true},
    {.name = "agents.create",
     .summary = "Creates an agent (milady: it starts when provisioned; eliza: an eager tier is "
                "started too, and its provisioning job followed)",
     .http_method = "POST",
     .milady_path = "/api/v1/milady/agents",
     .eliza_path = "/api/v1/eliza/agents",
     .params = kCreate,
     .body = Body::Passthrough,  // the cloud accepts more fields than these; all are forwarded
     .result = "AgentCreated",
     .follows_job = true,
     .timing = Timing::Job},
    {.name = "agents.get",
     .summary = "One agent's details",
     .http_method = "GET",
     .milady_path = "/api/v1/milady/agents/{agentId}",
     .eliza_path = "/api/v1/eliza/agents/{agentId}",
     .params = kAgentId,
     .result = "Agent",
     .idempotent = true},
    {.name = "agents.delete",
     .summary = "Deletes an agent and its backups",
     .http_method = "DELETE",
     .milady_path = "/api/v1/milady/agents/{agentId}",
     .eliza_path = "/api/v1/eliza/agents/{agentId}",
     .params = kAgentId,
     .result = "Empty",
     .shape = ResultShape::Optional,
     .follows_job = true,  // eliza deletes in a job (E§2.7)
     .job_end = JobEnd::StartData,
     .timing = Timing::Job},
    {.name = "agents.provision",
     .summary = "Starts an agent and follows its provisioning job to the end",
     .http_method = "POST",  // no body and no Content-Type, as the cloud expects (R120)
     .milady_path = "/api/v1/milady/agents/{agentId}/provision",
     .eliza_path = "/api/v1/eliza/agents/{agentId}/provision",
     .params = kStart,
     .result = "Agent",
     .idempotent = true,
     .follows_job = true,
     .timing = Timing::Job},
    {.name = "agents.suspend",
     .summary = "Stops an agent after a pre-shutdown backup",
     .http_method = "POST",
     .milady_path = "/api/v1/milady/agents/{agentId}/suspend",
     .eliza_path = "/api/v1/eliza/agents/{agentId}/suspend",
     .params = kAgentId,
     .result = "AgentAction",
     .shape = ResultShape::Optional,
     .follows_job = true,  // eliza suspends in a job (E§2.15)
     .job_end = JobEnd::StartData,
     .timing = Timing::Job},
    {.name = "agents.resume",
     .summary = "Restarts a suspended agent from its latest backup, following the job",
     .http_method = "POST",
     .milady_path = "/api/v1/milady/agents/{agentId}/resume",
     .eliza_path = "/api/v1/eliza/agents/{agentId}/resume",
     .params = kStart,
     .result = "Agent",
     .idempotent = true,
     .follows_job = true,
     .fetch_agent_after = true,  // resume's 200 is {agentId, action, message, status}
     .timing = Timing::Job},
    {.name = "agents.sleep",
     .summary = "Backs an agent's state up and removes its container (status sleeping, no compute "
                "cost), following the job",
     .http_method = "POST",
     .eliza_path = "/api/v1/eliza/agents/{agentId}/sleep",
     .params = kAgentId,
     .result = "Agent",
     .idempotent = true,
     .follows_job = true,
     .fetch_agent_after = true,
     .timing = Timing::Job},
    {.name = "agents.wake",
     .summary = "Wakes a sleeping agent in a new container from its latest (or a chosen) backup, "
                "following the job",
     .http_method = "POST",
     .eliza_path = "/api/v1/eliza/agents/{agentId}/wake",
     .params = kWake,
     .body = Body::Params,
     .result = "Agent",
     .idempotent = true,
     .follows_job = true,
     .fetch_agent_after = true,  // wake's 200 is {agentId, action, message, status}
     .timing = Timing::Job},
}};

}  // namespace

std::span<const OperationSpec> agents_operations() {
    return kRows;
}

}  // namespace elizacloud::api
