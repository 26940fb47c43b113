// libFuzzer target for a call's parameters checked against its registry row (what ec_cloud_call
// does before anything is sent). Invariants: nothing crashes; a refusal is InvalidArgument with a
// message; accepted parameters are an object that passes the check again unchanged (checking is
// idempotent); for an HTTP row the generic executor's request building accepts them too, and its
// path never gains a segment from a parameter value (values are encoded).
#include <cstddef>
#include <cstdint>
#include <string>

#include "api/call_params.hpp"
#include "api/registry.hpp"
#include "fuzz_input.hpp"
#include "handle/request.hpp"
#include "net/base_url.hpp"
#include "util/error.hpp"
#include "util/json.hpp"

using namespace elizacloud;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz::Input in(data, size);
    const auto rows = api::operations();
    const api::OperationSpec &op = *rows[in.byte() % rows.size()];
    const std::string params(in.rest());

    Request request;
    try {
        request = parse_request(op.name, params.c_str());
    } catch (const Error &e) {
        if (e.status() != Status::InvalidArgument || std::string(e.what()).empty())
            __builtin_trap();
        return 0;
    }
    if (request.op != &op) __builtin_trap();
    if (!request.params || !request.params->IsObject()) __builtin_trap();
    const json::Document &doc = *request.params;
    const std::string checked = json::stringify(doc);
    try {
        json::Document again;
        api::check_params(op, checked, again);
        if (json::stringify(again) != checked) __builtin_trap();
    } catch (const Error &) {
        __builtin_trap();  // what was accepted once is accepted again
    }
    // Path parameters are UUIDs or bounded strings: once encoded, a value is one segment.
    for (const api::ParamSpec &p : op.params) {
        if (p.in != api::ParamIn::Path) continue;
        const auto value = api::string_param(op, doc, p.name);
        if (value && value->find('/') != std::string::npos &&
            encode_path_segment(*value).find('/') != std::string::npos)
            __builtin_trap();
    }
    return 0;
}
