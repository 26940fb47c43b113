// The one error model of the core: a Status (the ec_status numbers) plus a message and the
// details the cloud sent. Carried by value in async completions and thrown as Error by sync code.
#pragma once

#include <elizacloud/elizacloud.h>

#include <cmath>
#include <cstdint>
#include <exception>
#include <string>

namespace elizacloud {

enum class Status : int32_t {
#define EC_STATUS_CPP_(suffix, name, code, doc) name = EC_##suffix,
    EC_STATUS_MAP(EC_STATUS_CPP_)
#undef EC_STATUS_CPP_
};

// Stable name ("EC_ERR_TIMEOUT"); the same strings ec_status_name() returns.
const char *status_name(Status status) noexcept;

// Everything known about a failure. Fields the cloud did not send keep their "absent" values.
struct ErrorInfo {
    Status status = Status::Ok;
    std::string message;          // human-readable; never contains an API key
    int http_status = 0;          // 0 when no HTTP response was involved
    std::string cloud_code;       // the cloud's "code" field, e.g. "insufficient_credits"
    int64_t retry_after_ms = -1;  // from Retry-After / retryAfter, -1 if absent
    double required_balance = std::nan("");  // 402 figures, NaN if absent
    double current_balance = std::nan("");
    bool retryable = false;       // the body said "retryable": true (eliza generation)
    std::string pricing_json;     // 428 price consent: the cloud's "pricing" object, as JSON
    std::string details_json;     // the body's "details" object (quota figures …), as JSON
    std::string rate_limit_json;  // the X-RateLimit-* headers as {"limit","remaining","reset"}

    bool ok() const { return status == Status::Ok; }
    static ErrorInfo make(Status s, std::string msg) {
        ErrorInfo e;
        e.status = s;
        e.message = std::move(msg);
        return e;
    }
};

class Error : public std::exception {
public:
    explicit Error(ErrorInfo info) : info_(std::move(info)) {}
    Error(Status status, std::string message)
        : info_(ErrorInfo::make(status, std::move(message))) {}
    const char *what() const noexcept override { return info_.message.c_str(); }
    Status status() const { return info_.status; }
    const ErrorInfo &info() const { return info_; }

private:
    ErrorInfo info_;
};

}  // namespace elizacloud
