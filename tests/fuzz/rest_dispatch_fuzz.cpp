// libFuzzer target for the local REST API dispatcher, through the C ABI (ec_cloud_rest_dispatch)
// as a host would mount it: any method, target, headers and body. The cloud behind it is an
// address that refuses connections at once (127.0.0.1 port 1), with no key and no config file, so
// every route answers from local state or a fast network error. Invariants: the call succeeds
// (or refuses malformed headers_json with EC_ERR_INVALID_ARGUMENT and a message),
// the status is a real HTTP status, a non-streaming body is valid JSON, and no more than the
// 12-character prefix of the handle's key ever appears in an answer.
#include <elizacloud/elizacloud.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "fuzz_input.hpp"
#include "util/json.hpp"

namespace {

constexpr const char *kKey = "eliza_fuzzsecret0123456789abcdef";
constexpr std::string_view kKeyBeyondPrefix = "cret0123456789";  // past "eliza_fuzzse"
constexpr const char *kMethods[] = {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"};

ec_cloud *cloud() {
    static ec_cloud *handle = [] {
        ec_cloud_options options;
        ec_cloud_options_init(&options, sizeof options);
        options.base_url = "http://127.0.0.1:1";
        options.insecure_local = 1;
        options.no_config_file = 1;
        options.api_key = kKey;
        options.request_timeout_ms = 200;
        options.send_timeout_ms = 200;
        options.login_timeout_ms = 200;
        options.job_timeout_ms = 200;
        ec_log_set_level(EC_LOG_OFF);  // refused connections on every input: no value in the noise
        ec_cloud *c = nullptr;
        if (ec_cloud_create(&options, &c) != EC_OK) __builtin_trap();
        ec_rest_options rest;
        ec_rest_options_init(&rest, sizeof rest);
        rest.token = "";  // no token: every route is reachable
        if (ec_cloud_rest_configure(c, &rest) != EC_OK) __builtin_trap();
        return c;
    }();
    return handle;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz::Input in(data, size);
    const uint8_t pick = in.byte();
    const std::string method = pick < 7 * 32 ? kMethods[pick % 7] : std::string(in.piece());
    const std::string target(in.piece());
    const std::string headers(in.piece());
    const std::string_view body = in.rest();
    if (method.find('\0') != std::string::npos || target.find('\0') != std::string::npos ||
        headers.find('\0') != std::string::npos)
        return 0;  // C strings: a NUL ends them anyway

    ec_rest_response *response = nullptr;
    const ec_status status = ec_cloud_rest_dispatch(cloud(), method.c_str(), target.c_str(),
                                                    headers.empty() ? nullptr : headers.c_str(),
                                                    body.data(), body.size(), &response);
    if (status == EC_ERR_INVALID_ARGUMENT) {
        // Only a headers_json that is not an object of strings is the caller's error; everything
        // else about a request is answered with an HTTP status.
        if (headers.empty() || *ec_last_error_message() == '\0') __builtin_trap();
        return 0;
    }
    if (status != EC_OK || response == nullptr) __builtin_trap();
    if (response->status < 100 || response->status > 599) __builtin_trap();
    if (response->handled && !response->streaming && response->body_len > 0) {
        elizacloud::json::Document doc;
        if (!elizacloud::json::parse(std::string_view(response->body, response->body_len), doc))
            __builtin_trap();
    }
    const std::string_view answer(response->body ? response->body : "", response->body_len);
    if (answer.find(kKeyBeyondPrefix) != std::string_view::npos) __builtin_trap();
    if (fuzz::shows_a_key(answer) && !fuzz::shows_a_key(target) && !fuzz::shows_a_key(body))
        __builtin_trap();  // a key the request did not carry itself
    ec_rest_response_free(response);
    return 0;
}
