#include "faults.hpp"

#include <cctype>
#include <stdexcept>

#include "util.hpp"

namespace emu {

namespace {

[[noreturn]] void bad(const std::string &why) {
    throw std::invalid_argument(why);
}

int64_t opt_nonneg(const rapidjson::Value &v, const char *name, int64_t def) {
    const auto *m = member(v, name);
    if (!m) return def;
    if (!m->IsNumber() || m->GetDouble() < 0) bad(std::string(name) + " must be a number >= 0");
    return static_cast<int64_t>(m->GetDouble());
}

bool is_action(const std::string &a) {
    return a == "status" || a == "delay" || a == "close" || a == "stall" || a == "redirect" ||
           a == "malformed" || a == "jsonrpc-error";
}

}  // namespace

std::string FaultEngine::add(const rapidjson::Value &v) {
    if (!v.IsObject()) bad("a fault rule must be a JSON object");
    FaultRule r;
    r.source_json = to_json(v);
    if (const auto *m = member(v, "method")) {
        if (!m->IsString()) bad("method must be a string");
        r.method = m->GetString();
        for (auto &c : r.method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    auto path = get_string(v, "path");
    auto regex = get_string(v, "regex");
    if (path.has_value() == regex.has_value()) bad("exactly one of path and regex is required");
    if (path) {
        r.path = *path;
    } else {
        r.regex_src = *regex;
        try {
            r.re = std::make_shared<const std::regex>(*regex, std::regex::ECMAScript);
        } catch (const std::regex_error &e) {
            bad(std::string("invalid regex: ") + e.what());
        }
    }
    if (const auto *m = member(v, "rpcMethod")) {
        if (!m->IsString()) bad("rpcMethod must be a string");
        r.rpc_method = m->GetString();
    }
    int budgets = 0;
    if (member(v, "times")) {
        ++budgets;
        auto t = get_int(v, "times");
        if (!t || *t < 1) bad("times must be an integer >= 1");
        r.times = *t;
    }
    if (member(v, "percent")) {
        ++budgets;
        auto p = get_number(v, "percent");
        if (!p || *p <= 0 || *p > 100) bad("percent must be a number in (0, 100]");
        r.budget = FaultRule::Budget::Percent;
        r.percent = *p;
    }
    if (member(v, "always")) {
        auto a = get_bool(v, "always");
        if (!a) bad("always must be a boolean");
        if (*a) {
            ++budgets;
            r.budget = FaultRule::Budget::Always;
        }
    }
    if (budgets > 1) bad("use only one of times, percent and always");
    r.after = opt_nonneg(v, "after", 0);

    auto action = get_string(v, "action");
    if (!action || !is_action(*action)) {
        bad("action must be one of status, delay, close, stall, redirect, malformed, "
            "jsonrpc-error");
    }
    r.action = *action;
    r.delay_ms = opt_nonneg(v, "delayMs", 0);
    if (const auto *m = member(v, "body")) {
        r.body = m->IsString() ? std::string(m->GetString(), m->GetStringLength()) : to_json(*m);
    }
    if (auto ct = get_string(v, "contentType")) r.content_type = *ct;
    if (const auto *h = member(v, "headers")) {
        if (!h->IsObject()) bad("headers must be an object of strings");
        for (const auto &kv : h->GetObject()) {
            if (!kv.value.IsString()) bad("headers must be an object of strings");
            r.headers.emplace_back(kv.name.GetString(), kv.value.GetString());
        }
    }
    if (const auto *m = member(v, "status")) {
        if (!m->IsInt() || m->GetInt() < 100 || m->GetInt() > 599) {
            bad("status must be an integer HTTP status");
        }
        r.status = m->GetInt();
    }
    r.bytes = opt_nonneg(v, "bytes", -1);
    if (const auto *m = member(v, "chunked")) {
        if (!m->IsBool()) bad("chunked must be a boolean");
        r.chunked = m->GetBool();
    }
    r.after_events = opt_nonneg(v, "afterEvents", -1);
    r.stall_ms = opt_nonneg(v, "stallMs", 30000);
    if (auto loc = get_string(v, "location")) r.location = *loc;
    if (const auto *m = member(v, "code")) {
        if (!m->IsInt64()) bad("code must be an integer");
        r.rpc_code = m->GetInt64();
    }
    if (auto msg = get_string(v, "message")) r.rpc_message = *msg;

    if (r.action == "status" && r.status == 0) bad("action status needs a status");
    if (r.action == "redirect") {
        if (r.location.empty()) bad("action redirect needs a location");
        if (r.status == 0) r.status = 302;
        if (r.status < 300 || r.status > 399) bad("redirect status must be 3xx");
    }
    if (r.action == "jsonrpc-error") {
        auto hs = get_int(v, "httpStatus");
        r.status = hs ? static_cast<int>(*hs) : 200;
    }
    if (r.action == "stall" && r.after_events < 0) r.after_events = 1;

    std::lock_guard lock(mu_);
    r.id = "f" + std::to_string(next_id_++);
    rules_.push_back(r);
    count_ = rules_.size();
    JsonOut out;
    write_rule(out, r);
    return out.str();
}

std::optional<FaultRule> FaultEngine::match(const std::string &method, const std::string &path,
                                            const std::string &body) {
    std::lock_guard lock(mu_);
    std::optional<std::string> rpc_method;
    bool rpc_parsed = false;
    for (auto &r : rules_) {
        if (r.method == "*") {
            if (method == "OPTIONS") continue;
        } else if (r.method != method && !(r.method == "GET" && method == "HEAD")) {
            continue;
        }
        if (r.re) {
            if (!std::regex_match(path, *r.re)) continue;
        } else if (!glob_match(r.path, path)) {
            continue;
        }
        if (!r.rpc_method.empty()) {
            if (!rpc_parsed) {
                rpc_parsed = true;
                rapidjson::Document doc;
                if (parse_json(body, doc)) rpc_method = get_string(doc, "method");
            }
            if (rpc_method != r.rpc_method) continue;
        }
        bool exhausted = r.budget == FaultRule::Budget::Times && r.fired >= r.times;
        if (exhausted) continue;
        ++r.matched;
        if (r.matched <= r.after) continue;
        bool fire = true;
        if (r.budget == FaultRule::Budget::Percent) {
            r.acc += r.percent / 100.0;
            fire = r.acc >= 1.0 - 1e-9;
            if (fire) r.acc -= 1.0;
        }
        if (!fire) continue;
        ++r.fired;
        return r;
    }
    return std::nullopt;
}

void FaultEngine::clear() {
    std::lock_guard lock(mu_);
    rules_.clear();
    count_ = 0;
}

bool FaultEngine::remove(const std::string &id) {
    std::lock_guard lock(mu_);
    for (auto it = rules_.begin(); it != rules_.end(); ++it) {
        if (it->id == id) {
            rules_.erase(it);
            count_ = rules_.size();
            return true;
        }
    }
    return false;
}

void FaultEngine::write_rule(JsonOut &out, const FaultRule &r) {
    rapidjson::Document src;
    parse_json(r.source_json, src);
    out.begin_obj().f("id", r.id);
    for (const auto &kv : src.GetObject()) {
        std::string name = kv.name.GetString();
        if (name == "id" || name == "matched" || name == "fired") continue;
        out.key(name).value(kv.value);
    }
    out.f("matched", r.matched).f("fired", r.fired).end();
}

void FaultEngine::write_list(JsonOut &out) const {
    std::lock_guard lock(mu_);
    out.begin_arr();
    for (const auto &r : rules_) write_rule(out, r);
    out.end();
}

}  // namespace emu
