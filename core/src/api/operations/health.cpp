// The cloud's health (contract §6, E§7.8): public, no key needed by the cloud.
#include <array>

#include "api/operations/operations.hpp"

namespace elizacloud::api {
namespace {

constexpr std::array<OperationSpec, 1> kRows{{
    {.name = "health",
     .summary = "Whether the cloud is up (eliza adds its environment and schema markers)",
     .scope = Scope::None,
     .http_method = "GET",
     .milady_path = "/api/health",
     .eliza_path = "/api/health",
     .result = "Health",
     .idempotent = true,
     .answer = Answer::Whole},
}};

}  // namespace

std::span<const OperationSpec> health_operations() {
    return kRows;
}

}  // namespace elizacloud::api
