// jobs.*: the cloud's asynchronous jobs (contract §2.9). Provisioning calls follow their job by
// themselves; this row is for callers that hold a job id.
#include <array>

#include "api/operations/operations.hpp"

namespace elizacloud::api {
namespace {

constexpr std::array<ParamSpec, 1> kJobId{{
    {.name = "jobId",
     .type = ParamType::String,
     .in = ParamIn::Path,
     .required = true,
     .min_length = 1,
     .max_length = 200,
     .doc = "the job's id"},
}};

constexpr std::array<OperationSpec, 1> kRows{{
    {.name = "jobs.get",
     .summary = "One job's state (pending, in_progress, completed, failed) and result",
     .http_method = "GET",
     .milady_path = "/api/v1/jobs/{jobId}",
     .eliza_path = "/api/v1/jobs/{jobId}",
     .params = kJobId,
     .result = "Job",
     .idempotent = true},
}};

}  // namespace

std::span<const OperationSpec> jobs_operations() {
    return kRows;
}

}  // namespace elizacloud::api
