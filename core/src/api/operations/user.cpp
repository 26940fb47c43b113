// The user behind the key (contract §4).
#include <array>

#include "api/operations/operations.hpp"

namespace elizacloud::api {
namespace {

constexpr std::array<ParamSpec, 7> kUpdate{{
    {.name = "name", .min_length = 1, .max_length = 100, .doc = "display name"},
    {.name = "avatar", .doc = "avatar URL, or empty to remove it"},
    {.name = "nickname", .max_length = 50, .doc = "nickname"},
    {.name = "work_function",
     .type = ParamType::Enum,
     .enum_values = "developer|designer|product|data|marketing|sales|other",
     .doc = "what the user does"},
    {.name = "preferences", .max_length = 1000, .doc = "free-text preferences"},
    {.name = "response_notifications", .type = ParamType::Boolean, .doc = "notify on responses"},
    {.name = "email_notifications", .type = ParamType::Boolean, .doc = "e-mail notifications"},
}};

constexpr std::array<OperationSpec, 2> kRows{{
    {.name = "identity",
     .summary = "The key's user and organisation (also cached for status)",
     .kind = Kind::Session,
     .handler = Method::Identity,
     .http_method = "GET",
     .milady_path = "/api/v1/user",
     .eliza_path = "/api/v1/user",
     .result = "Identity",
     .idempotent = true},
    {.name = "user.update",
     .summary = "Updates the user's profile (only the fields given)",
     .http_method = "PATCH",
     .milady_path = "/api/v1/user",
     .eliza_path = "/api/v1/user",
     .params = kUpdate,
     .body = Body::Params,
     .result = "User",
     .idempotent = true},
}};

}  // namespace

std::span<const OperationSpec> user_operations() {
    return kRows;
}

}  // namespace elizacloud::api
