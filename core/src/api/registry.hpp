// The operation registry: every row of api/operations/, checked once, looked up by name, and
// described as the catalogue JSON that ec_cloud_operations_json returns and from which the SDK
// surfaces, the CLI and docs/operations.md are generated (tools/gen_surfaces.py).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "api/operation_spec.hpp"

namespace elizacloud::api {

// Every operation, sorted by name. The first call checks the rows (check_rows) and throws
// Error(Internal) naming every defect, so a bad row fails every test at once.
std::span<const OperationSpec *const> operations();
// nullptr when there is no such operation.
const OperationSpec *find_operation(std::string_view name);
// Like find_operation, for names the core itself uses: throws Error(Internal) when absent.
const OperationSpec &operation(std::string_view name);
std::span<const TypeSpec> types();

// The defects of a set of rows and types (empty = none): duplicate names, unknown parameter or
// result types, path templates that do not match the path parameters, bad defaults...
std::vector<std::string> check_rows(std::span<const OperationSpec *const> rows,
                                    std::span<const TypeSpec> types);

// The whole catalogue (format: docs/operations.md "Catalogue"), built once.
const std::string &catalogue_json();

// The default total timeout of a timing class in milliseconds (0 = none of its own).
int32_t default_timeout_ms(Timing timing);

// "agentId" → "agent_id"; the SDKs' argument name when a row gives none.
std::string snake_case(std::string_view name);
std::string_view param_type_name(ParamType type);

}  // namespace elizacloud::api
