// Agent-to-agent (contract §6): the cloud's A2A JSON-RPC endpoint (message/send, tasks/get,
// tasks/cancel: the executor builds the JSON-RPC request from the row), its agent card, and the
// public service discovery.
#include <array>

#include "api/operations/operations.hpp"

namespace elizacloud::api {
namespace {

constexpr std::array<ParamSpec, 3> kSend{{
    {.name = "message",
     .type = ParamType::Object,
     .required = true,
     .doc = "the A2A message: {role: \"user\", parts: [{kind: \"text\", text}], messageId}"},
    {.name = "configuration", .type = ParamType::Object, .doc = "A2A send configuration"},
    {.name = "metadata", .type = ParamType::Object, .doc = "metadata for the task"},
}};

constexpr std::array<ParamSpec, 2> kGet{{
    {.name = "id",
     .required = true,
     .arg = "task_id",
     .min_length = 1,
     .max_length = 256,
     .doc = "the task's id"},
    {.name = "historyLength",
     .type = ParamType::Integer,
     .doc = "how many messages of the history to include"},
}};

constexpr std::array<ParamSpec, 1> kCancel{{
    {.name = "id",
     .required = true,
     .arg = "task_id",
     .min_length = 1,
     .max_length = 256,
     .doc = "the task's id"},
}};

constexpr std::array<ParamSpec, 8> kDiscovery{{
    {.name = "query", .in = ParamIn::Query, .max_length = 500, .doc = "free-text search"},
    {.name = "types",
     .in = ParamIn::Query,
     .doc = "comma-separated service types: agent, mcp, a2a, app"},
    {.name = "categories", .in = ParamIn::Query, .doc = "comma-separated categories"},
    {.name = "tags", .in = ParamIn::Query, .doc = "comma-separated tags"},
    {.name = "x402Only",
     .type = ParamType::Boolean,
     .in = ParamIn::Query,
     .doc = "only services paid per request (x402)"},
    {.name = "activeOnly",
     .type = ParamType::Boolean,
     .in = ParamIn::Query,
     .doc = "only active services (the cloud's default)"},
    {.name = "limit", .type = ParamType::Integer, .in = ParamIn::Query, .doc = "1 to 100 (50)"},
    {.name = "offset", .type = ParamType::Integer, .in = ParamIn::Query, .doc = "skip this many"},
}};

constexpr std::array<OperationSpec, 5> kRows{{
    {.name = "a2a.send",
     .summary = "Sends an A2A message to the cloud (JSON-RPC message/send); answers the task or "
                "message",
     .http_method = "POST",
     .milady_path = "/api/a2a",
     .eliza_path = "/api/a2a",
     .params = kSend,
     .body = Body::Params,
     .result = "A2ATask",
     .answer = Answer::JsonRpc,
     .rpc_method = "message/send"},
    {.name = "a2a.get_task",
     .summary = "One A2A task (JSON-RPC tasks/get)",
     .http_method = "POST",
     .milady_path = "/api/a2a",
     .eliza_path = "/api/a2a",
     .params = kGet,
     .body = Body::Params,
     .result = "A2ATask",
     .idempotent = true,
     .answer = Answer::JsonRpc,
     .rpc_method = "tasks/get"},
    {.name = "a2a.cancel_task",
     .summary = "Cancels an A2A task (JSON-RPC tasks/cancel)",
     .http_method = "POST",
     .milady_path = "/api/a2a",
     .eliza_path = "/api/a2a",
     .params = kCancel,
     .body = Body::Params,
     .result = "A2ATask",
     .idempotent = true,
     .answer = Answer::JsonRpc,
     .rpc_method = "tasks/cancel"},
    {.name = "a2a.card",
     .summary = "The cloud's A2A card: name, protocol version, methods and skills",
     .scope = Scope::None,
     .http_method = "GET",
     .milady_path = "/api/a2a",
     .eliza_path = "/api/a2a",
     .result = "AgentCard",
     .idempotent = true,
     .answer = Answer::Whole},
    {.name = "discovery.search",
     .summary = "Public services (agents, MCP servers, A2A endpoints, apps) to discover",
     .scope = Scope::None,
     .http_method = "GET",
     .milady_path = "/api/v1/discovery",
     .eliza_path = "/api/v1/discovery",
     .params = kDiscovery,
     .result = "DiscoveryResults",
     .idempotent = true,
     .answer = Answer::Whole},
}};

}  // namespace

std::span<const OperationSpec> a2a_operations() {
    return kRows;
}

}  // namespace elizacloud::api
