// A call's parameters checked against its row before anything is sent, so a bad argument is
// always a synchronous EC_ERR_INVALID_ARGUMENT and never a network round trip: strict (a
// misspelt name is an error, not a silently used default), typed, required ones present, enums
// and lengths respected, no NUL inside a string.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "api/operation_spec.hpp"
#include "util/json.hpp"

namespace elizacloud::api {

// Parses params_json (NULL-like empty text = {}) into doc and checks it against op. JSON null
// counts as absent. Throws Error(InvalidArgument). Defaults are not inserted: what the caller
// left out is not sent; string_param() and the handlers apply the row's defaults.
void check_params(const OperationSpec &op, std::string_view params_json, json::Document &doc);
// The same for parameters already parsed (or built) into doc.
void check_params(const OperationSpec &op, const json::Document &doc);

// Whether value is one of a row's "a|b|c" lists (enum values, accepted file extensions).
bool in_bar_list(std::string_view value, std::string_view values);

// A string parameter's value, else its row default, else nullopt.
std::optional<std::string> string_param(const OperationSpec &op, const json::Value &params,
                                        std::string_view name);
// A boolean parameter's value, else its row default, else false.
bool bool_param(const OperationSpec &op, const json::Value &params, std::string_view name);

}  // namespace elizacloud::api
