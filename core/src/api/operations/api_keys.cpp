// API keys (contract §6): the whole /api/v1/api-keys subtree is session-only on the real cloud
// (an API key gets 401 session_auth_required: Status::SessionRequired).
#include <array>

#include "api/operations/common_params.hpp"
#include "api/operations/operations.hpp"

namespace elizacloud::api {
namespace {

constexpr std::array<ParamSpec, 1> kId{kIdInPath};

constexpr ParamSpec kName{
    .name = "name", .required = true, .min_length = 1, .max_length = 100, .doc = "the key's name"};
constexpr ParamSpec kDescription{.name = "description", .max_length = 500, .doc = "what it is for"};
constexpr ParamSpec kPermissions{.name = "permissions",
                                 .type = ParamType::Json,
                                 .doc = "at most 50 permission names (chat, agents, images…)"};
constexpr ParamSpec kRateLimit{.name = "rate_limit",
                               .type = ParamType::Integer,
                               .doc = "requests per minute, 1 to 100000 (1000)"};
constexpr ParamSpec kExpiresAt{
    .name = "expires_at", .max_length = 64, .doc = "ISO time it stops working (never when absent)"};

constexpr std::array<ParamSpec, 5> kCreate{kName, kDescription, kPermissions, kRateLimit,
                                           kExpiresAt};

constexpr std::array<ParamSpec, 7> kUpdate{{
    kIdInPath,
    {.name = "name", .min_length = 1, .max_length = 100, .doc = "the key's name"},
    kDescription,
    kPermissions,
    kRateLimit,
    kExpiresAt,
    {.name = "is_active", .type = ParamType::Boolean, .doc = "false disables the key"},
}};

constexpr std::array<OperationSpec, 5> kRows{{
    {.name = "api_keys.list",
     .summary = "The organisation's API keys (needs a browser session on the real cloud)",
     .http_method = "GET",
     .milady_path = "/api/v1/api-keys",
     .eliza_path = "/api/v1/api-keys",
     .result = "ApiKeyList",
     .idempotent = true,
     .answer = Answer::Whole},
    {.name = "api_keys.create",
     .summary = "Creates an API key; the key itself is in the answer once (plainKey)",
     .http_method = "POST",
     .milady_path = "/api/v1/api-keys",
     .eliza_path = "/api/v1/api-keys",
     .params = kCreate,
     .body = Body::Params,
     .result = "ApiKeyCreated",
     .answer = Answer::Whole},
    {.name = "api_keys.update",
     .summary = "Changes an API key's settings",
     .http_method = "PATCH",
     .milady_path = "/api/v1/api-keys/{id}",
     .eliza_path = "/api/v1/api-keys/{id}",
     .params = kUpdate,
     .body = Body::Params,
     .result = "ApiKeyAnswer",
     .idempotent = true,
     .answer = Answer::Whole},
    {.name = "api_keys.delete",
     .summary = "Deletes an API key",
     .http_method = "DELETE",
     .milady_path = "/api/v1/api-keys/{id}",
     .eliza_path = "/api/v1/api-keys/{id}",
     .params = kId,
     .result = "Done",
     .idempotent = true,
     .answer = Answer::Whole},
    {.name = "api_keys.regenerate",
     .summary = "Replaces an API key's secret; the new key is in the answer once (plainKey)",
     .http_method = "POST",
     .milady_path = "/api/v1/api-keys/{id}/regenerate",
     .eliza_path = "/api/v1/api-keys/{id}/regenerate",
     .params = kId,
     .result = "ApiKeyCreated",
     .answer = Answer::Whole},
}};

}  // namespace

std::span<const OperationSpec> api_keys_operations() {
    return kRows;
}

}  // namespace elizacloud::api
