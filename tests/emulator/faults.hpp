// Fault rules: for a method and a path pattern, the next N (or a share, or all) matching
// requests get a failure instead of (or on top of) the normal answer. See docs/emulator.md §3.4.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "json_util.hpp"

namespace emu {

struct FaultRule {
    std::string id;
    std::string method = "*";
    std::string path;  // glob, or
    std::string regex_src;
    std::shared_ptr<const std::regex> re;
    std::string rpc_method;

    enum class Budget { Times, Percent, Always } budget = Budget::Times;
    int64_t times = 1;
    double percent = 0;
    int64_t after = 0;

    std::string action;  // status | delay | close | stall | redirect | malformed | jsonrpc-error
    int64_t delay_ms = 0;
    int status = 0;
    std::optional<std::string> body;  // serialised JSON, or a verbatim string
    std::string content_type = "application/json";
    std::vector<std::pair<std::string, std::string>> headers;
    int64_t bytes = -1;
    bool chunked = false;
    int64_t after_events = -1;
    int64_t stall_ms = 30000;
    std::string location;
    int64_t rpc_code = -32000;
    std::string rpc_message = "Sandbox bridge is unreachable";

    std::string source_json;  // the rule as sent
    int64_t matched = 0, fired = 0;
    double acc = 0;
};

class FaultEngine {
public:
    // Validates and stores a rule; returns its listing. Throws std::invalid_argument.
    std::string add(const rapidjson::Value &rule);
    // The rule that fires for this request, if any (counters updated).
    std::optional<FaultRule> match(const std::string &method, const std::string &path,
                                   const std::string &body);
    bool active() const { return count_.load() > 0; }
    void clear();
    bool remove(const std::string &id);
    void write_list(JsonOut &out) const;

private:
    static void write_rule(JsonOut &out, const FaultRule &r);

    mutable std::mutex mu_;
    std::vector<FaultRule> rules_;
    std::atomic<size_t> count_{0};
    uint64_t next_id_ = 1;
};

}  // namespace emu
