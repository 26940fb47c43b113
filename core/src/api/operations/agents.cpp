// agents.*: the organisation's cloud agents (contract §2.3–§2.8, §2.15, §2.16).
#include <array>

#include "api/operations/common_params.hpp"
#include "api/operations/operations.hpp"

namespace elizacloud::api {
namespace {

constexpr std::array<ParamSpec, 1> kAgentId{kAgentIdInPath};

constexpr std::array<ParamSpec, 4> kCreate{{
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
}};

constexpr std::array<OperationSpec, 7> kRows{{
    {.name = "agents.list",
     .summary = "Lists the organisation's agents, newest first",
     .http_method = "GET",
     .milady_path = "/api/v1/milady/agents",
     .eliza_path = "/api/v1/eliza/agents",
     .result = "AgentSummary[]",
     .shape = ResultShape::Array,
     .idempotent = true},
    {.name = "agents.create",
     .summary = "Creates an agent; it starts only when provisioned",
     .http_method = "POST",
     .milady_path = "/api/v1/milady/agents",
     .eliza_path = "/api/v1/eliza/agents",
     .params = kCreate,
     .body = Body::Passthrough,  // the cloud accepts more fields than these; all are forwarded
     .result = "AgentCreated"},
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
     .shape = ResultShape::Optional},
    {.name = "agents.provision",
     .summary = "Starts an agent and follows its provisioning job to the end",
     .http_method = "POST",  // no body and no Content-Type, as the cloud expects (R120)
     .milady_path = "/api/v1/milady/agents/{agentId}/provision",
     .eliza_path = "/api/v1/eliza/agents/{agentId}/provision",
     .params = kAgentId,
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
     .shape = ResultShape::Optional},
    {.name = "agents.resume",
     .summary = "Restarts a suspended agent from its latest backup, following the job",
     .http_method = "POST",
     .milady_path = "/api/v1/milady/agents/{agentId}/resume",
     .eliza_path = "/api/v1/eliza/agents/{agentId}/resume",
     .params = kAgentId,
     .result = "Agent",
     .idempotent = true,
     .follows_job = true,
     .fetch_agent_after = true,  // resume's 200 is {agentId, action, message, status}
     .timing = Timing::Job},
}};

}  // namespace

std::span<const OperationSpec> agents_operations() {
    return kRows;
}

}  // namespace elizacloud::api
