#include "api/answers.hpp"

#include "api/cloud_errors.hpp"
#include "util/json.hpp"
#include "util/uuid.hpp"

namespace elizacloud::api {
namespace {

// A JSON-RPC error that came with a 2xx: the A2A codes (C§6) name the situation.
Status jsonrpc_status(std::string_view code) {
    static constexpr std::pair<std::string_view, Status> kCodes[] = {
        {"-32700", Status::InvalidRequest},
        {"-32600", Status::InvalidRequest},
        {"-32602", Status::InvalidRequest},
        {"-32601", Status::NotFound},
        {"-32001", Status::NotFound},
        {"-32010", Status::Unauthorized},
        {"-32011", Status::InsufficientCredits},
        {"-32012", Status::RateLimited},
        {"-32013", Status::Forbidden},
    };
    for (const auto &[c, status] : kCodes)
        if (c == code) return status;
    return Status::Server;
}

Answered failed(ErrorInfo e) {
    return {std::move(e), {}};
}

}  // namespace

std::string jsonrpc_request(const OperationSpec &op, std::string_view params_object_json) {
    return R"({"jsonrpc":"2.0","id":)" + json::quote(uuid_v4()) + R"(,"method":)" +
           json::quote(op.rpc_method) + R"(,"params":)" + std::string(params_object_json) + "}";
}

Answered read_answer(const OperationSpec &op, const HttpResponse &response) {
    json::Document doc;
    if (op.answer == Answer::JsonRpc) {
        ErrorInfo error = error_from_response(response, elizacloud::ErrorFamily::JsonRpc);
        if (!error.ok()) return failed(std::move(error));
        error = parse_json_body(response, doc);
        if (!error.ok()) return failed(std::move(error));
        if (!doc.IsObject())
            return failed(
                ErrorInfo::make(Status::Protocol, "the JSON-RPC answer is not an object"));
        if (auto rpc = jsonrpc_error(doc)) {
            rpc->status = jsonrpc_status(rpc->cloud_code);
            rpc->http_status = response.http_status;
            return failed(std::move(*rpc));
        }
        const json::Value *result = json::member(doc, "result");
        if (!result || result->IsNull())
            return failed(ErrorInfo::make(Status::Protocol, "the JSON-RPC answer has no result"));
        return {{}, json::stringify(*result)};
    }
    ErrorInfo error = parse_cloud_envelope(response, doc);
    if (!error.ok()) return failed(std::move(error));
    return {{}, json::stringify(doc)};
}

}  // namespace elizacloud::api
