// The user behind the key (contract §4).
#include <array>

#include "api/operations/operations.hpp"

namespace elizacloud::api {
namespace {

constexpr std::array<OperationSpec, 1> kRows{{
    {.name = "identity",
     .summary = "The key's user and organisation (also cached for status)",
     .kind = Kind::Session,
     .handler = Method::Identity,
     .http_method = "GET",
     .milady_path = "/api/v1/user",
     .eliza_path = "/api/v1/user",
     .result = "Identity",
     .idempotent = true},
}};

}  // namespace

std::span<const OperationSpec> user_operations() {
    return kRows;
}

}  // namespace elizacloud::api
