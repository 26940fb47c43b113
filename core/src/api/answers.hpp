// The answers of the rows whose result is not the "data" of the cloud's {success, data} envelope
// (OperationSpec::answer): a bare JSON body taken whole, or a JSON-RPC 2.0 call (A2A).
#pragma once

#include <string>
#include <string_view>

#include "api/operation_spec.hpp"
#include "net/http.hpp"
#include "util/error.hpp"

namespace elizacloud::api {

// {"jsonrpc":"2.0","id":<fresh uuid>,"method":op.rpc_method,"params":<params_object_json>}.
std::string jsonrpc_request(const OperationSpec &op, std::string_view params_object_json);

// The result of an Answer::Whole or Answer::JsonRpc row's response: its JSON text, or the error
// (the cloud's error shapes by HTTP status; a JSON-RPC error object, by its code, on a 2xx).
struct Answered {
    ErrorInfo error;
    std::string json;
};
Answered read_answer(const OperationSpec &op, const HttpResponse &response);

}  // namespace elizacloud::api
