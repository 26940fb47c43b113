// Containers (contract §6; E§6: the eliza generation keeps only list, create, update, delete).
// Answers are the cloud's {success, data} envelope. A created container deploys on its own: its
// status moves on (pending, building, deploying, running); containers.get reads it.
#include <array>

#include "api/operations/common_params.hpp"
#include "api/operations/operations.hpp"

namespace elizacloud::api {
namespace {

constexpr std::array<ParamSpec, 1> kId{kIdInPath};

constexpr std::array<ParamSpec, 13> kCreate{{
    {.name = "name", .required = true, .min_length = 1, .max_length = 100, .doc = "its name"},
    {.name = "project_name",
     .required = true,
     .min_length = 1,
     .max_length = 50,
     .doc = "the project it belongs to"},
    {.name = "ecr_image_uri", .required = true, .min_length = 1, .doc = "the image to run"},
    {.name = "description", .doc = "a description"},
    {.name = "port", .type = ParamType::Integer, .doc = "the port it listens on (3000)"},
    {.name = "desired_count", .type = ParamType::Integer, .doc = "instances, 1 to 10"},
    {.name = "cpu", .type = ParamType::Integer, .doc = "CPU units, 256 to 2048 (1792)"},
    {.name = "memory", .type = ParamType::Integer, .doc = "memory in MB, 256 to 2048 (1792)"},
    {.name = "environment_vars",
     .type = ParamType::StringMap,
     .arg = "environment",
     .doc = "environment variables"},
    {.name = "health_check_path", .doc = "the health check's path (/health)"},
    {.name = "ecr_repository_uri", .doc = "the image's repository"},
    {.name = "image_tag", .doc = "the image's tag"},
    {.name = "architecture",
     .type = ParamType::Enum,
     .enum_values = "arm64|x86_64",
     .doc = "the CPU architecture"},
}};

constexpr std::array<ParamSpec, 5> kUpdate{{
    kIdInPath,
    {.name = "desired_count", .type = ParamType::Integer, .doc = "instances, 1 to 10"},
    {.name = "environment_vars",
     .type = ParamType::StringMap,
     .arg = "environment",
     .doc = "environment variables"},
    {.name = "description", .doc = "a description"},
    {.name = "ecr_image_uri", .min_length = 1, .doc = "a new image to deploy"},
}};

constexpr std::array<ParamSpec, 2> kLogs{{
    kIdInPath,
    {.name = "limit", .type = ParamType::Integer, .in = ParamIn::Query, .doc = "at most this many"},
}};

constexpr std::array<OperationSpec, 10> kRows{{
    {.name = "containers.create",
     .summary = "Starts a container's deployment (202: it deploys on its own; containers.deploy "
                "waits for it)",
     .http_method = "POST",
     .milady_path = "/api/v1/containers",
     .eliza_path = "/api/v1/containers",
     .params = kCreate,
     .body = Body::Params,
     .result = "Container"},
    {.name = "containers.deploy",
     .summary = "Deploys a container and follows it until it runs (progress: each status)",
     .http_method = "POST",
     .milady_path = "/api/v1/containers",
     .eliza_path = "/api/v1/containers",
     .params = kCreate,
     .body = Body::Params,
     .result = "Container",
     .follows_container = true,
     .timing = Timing::Job},
    {.name = "containers.list",
     .summary = "The organisation's containers",
     .http_method = "GET",
     .milady_path = "/api/v1/containers",
     .eliza_path = "/api/v1/containers",
     .result = "Container[]",
     .shape = ResultShape::Array,
     .idempotent = true},
    {.name = "containers.get",
     .summary = "One container (milady only)",
     .http_method = "GET",
     .milady_path = "/api/v1/containers/{id}",
     .params = kId,
     .result = "Container",
     .idempotent = true},
    {.name = "containers.update",
     .summary = "Changes a container's settings",
     .http_method = "PATCH",
     .milady_path = "/api/v1/containers/{id}",
     .eliza_path = "/api/v1/containers/{id}",
     .params = kUpdate,
     .body = Body::Params,
     .result = "Container",
     .idempotent = true},
    {.name = "containers.delete",
     .summary = "Deletes a container",
     .http_method = "DELETE",
     .milady_path = "/api/v1/containers/{id}",
     .eliza_path = "/api/v1/containers/{id}",
     .params = kId,
     .result = "Empty",
     .shape = ResultShape::Optional,
     .idempotent = true},
    {.name = "containers.logs",
     .summary = "A container's recent log lines (milady only)",
     .http_method = "GET",
     .milady_path = "/api/v1/containers/{id}/logs",
     .params = kLogs,
     .result = "ContainerLogs",
     .idempotent = true},
    {.name = "containers.metrics",
     .summary = "A container's resource use (milady only)",
     .http_method = "GET",
     .milady_path = "/api/v1/containers/{id}/metrics",
     .params = kId,
     .result = "ContainerMetrics",
     .idempotent = true},
    {.name = "containers.deployments",
     .summary = "A container's deployments, newest first (milady only)",
     .http_method = "GET",
     .milady_path = "/api/v1/containers/{id}/deployments",
     .params = kId,
     .result = "ContainerDeployment[]",
     .shape = ResultShape::Array,
     .idempotent = true},
    {.name = "containers.quota",
     .summary = "How many containers the organisation may run (milady only)",
     .http_method = "GET",
     .milady_path = "/api/v1/containers/quota",
     .result = "ContainerQuota",
     .idempotent = true},
}};

}  // namespace

std::span<const OperationSpec> containers_operations() {
    return kRows;
}

}  // namespace elizacloud::api
