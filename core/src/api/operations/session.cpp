// The connection to one agent and what acts on the connected agent (contract §2.10, §2.11).
// Session operations: the CloudManager provisions, heartbeats, reconnects and backs up.
#include <array>

#include "api/operations/common_params.hpp"
#include "api/operations/operations.hpp"

namespace elizacloud::api {
namespace {

constexpr std::array<ParamSpec, 1> kConnect{{
    {.name = "agentId",
     .type = ParamType::Uuid,
     .in = ParamIn::Local,
     .required = true,
     .doc = "the agent to connect to"},
}};

constexpr std::array<ParamSpec, 4> kMessage{{
    {.name = "text",
     .type = ParamType::String,
     .required = true,
     .min_length = 1,
     .doc = "the message"},
    {.name = "roomId",
     .type = ParamType::String,
     .default_json = "\"web-chat\"",
     .min_length = 1,
     .doc = "the conversation"},
    {.name = "channelType",
     .type = ParamType::Enum,
     .enum_values = kChannelTypes,
     .default_json = "\"DM\"",
     .doc = "the channel type"},
    {.name = "agentId",
     .type = ParamType::Uuid,
     .in = ParamIn::Local,
     .doc = "talk to this running agent without connecting (no heartbeat, no backups); "
            "default: the connected agent"},
}};

constexpr std::array<OperationSpec, 6> kRows{{
    {.name = "connect",
     .summary = "Connects to an agent (provisioning it if needed) and keeps it alive: heartbeats, "
                "reconnects, scheduled backups",
     .kind = Kind::Session,
     .handler = Method::Connect,
     .surface = Surface::Custom,
     .params = kConnect,
     .result = "Connection",
     .idempotent = true,
     .follows_job = true,
     .timing = Timing::Job},
    {.name = "disconnect",
     .summary = "Takes a final backup of the connected agent and disconnects",
     .kind = Kind::Session,
     .handler = Method::Disconnect,
     .surface = Surface::Custom,
     .scope = Scope::None,
     .errors = ErrorFamily::Local,
     .idempotent = true,
     .timing = Timing::Local},
    {.name = "send",
     .summary = "Sends a message to the connected agent and returns its reply",
     .kind = Kind::Session,
     .handler = Method::Send,
     .scope = Scope::Connected,
     .http_method = "POST",
     .milady_path = "/api/v1/milady/agents/{agentId}/bridge",
     .eliza_path = "/api/v1/eliza/agents/{agentId}/bridge",
     .params = kMessage,
     .result = "Reply",
     .errors = ErrorFamily::Bridge,
     .timing = Timing::Bridge},
    {.name = "stream",
     .summary = "Sends a message to the connected agent and streams the reply",
     .kind = Kind::Session,
     .handler = Method::Stream,
     .surface = Surface::Custom,
     .scope = Scope::Connected,
     .http_method = "POST",
     .milady_path = "/api/v1/milady/agents/{agentId}/stream",
     .eliza_path = "/api/v1/eliza/agents/{agentId}/stream",
     .params = kMessage,
     .result = "Reply",
     .streaming = Streaming::AgentSse,
     .timing = Timing::Stream},
    {.name = "agent.status",
     .summary = "The connected agent's state and name, from a fresh agent record",
     .kind = Kind::Session,
     .handler = Method::AgentStatus,
     .scope = Scope::Connected,
     .http_method = "GET",
     .milady_path = "/api/v1/milady/agents/{agentId}",
     .eliza_path = "/api/v1/eliza/agents/{agentId}",
     .result = "AgentState",
     .idempotent = true},
    {.name = "agent.alive",
     .summary = "Whether the connected agent answers a heartbeat",
     .kind = Kind::Session,
     .handler = Method::IsAlive,
     .scope = Scope::Connected,
     .http_method = "POST",
     .milady_path = "/api/v1/milady/agents/{agentId}/bridge",
     .eliza_path = "/api/v1/eliza/agents/{agentId}/bridge",
     .result = "Alive",
     .errors = ErrorFamily::Bridge,
     .idempotent = true,
     .timing = Timing::Heartbeat},
}};

}  // namespace

std::span<const OperationSpec> session_operations() {
    return kRows;
}

}  // namespace elizacloud::api
