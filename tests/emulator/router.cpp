#include "router.hpp"

#include <chrono>
#include <cstdio>
#include <exception>

namespace emu {

namespace {

const char *reason_phrase(int status) {
    switch (status) {
        case 400:
            return "Bad Request";
        case 401:
            return "Unauthorized";
        case 402:
            return "Payment Required";
        case 403:
            return "Forbidden";
        case 404:
            return "Not Found";
        case 405:
            return "Method Not Allowed";
        case 408:
            return "Request Timeout";
        case 409:
            return "Conflict";
        case 413:
            return "Payload Too Large";
        case 429:
            return "Too many requests";
        case 500:
            return "Internal Server Error";
        case 502:
            return "Bad Gateway";
        case 503:
            return "Service Unavailable";
        case 504:
            return "Gateway Timeout";
        default:
            return status >= 500 ? "Internal Server Error" : "Error";
    }
}

const char *code_for_status(int status) {
    switch (status) {
        case 400:
            return "validation_error";
        case 401:
            return "authentication_required";
        case 402:
            return "insufficient_credits";
        case 403:
            return "access_denied";
        case 404:
            return "resource_not_found";
        case 429:
            return "rate_limit_exceeded";
        default:
            return status >= 500 ? "internal_error" : nullptr;
    }
}

std::vector<std::string> split_path(const std::string &path) {
    std::vector<std::string> out;
    size_t i = 0;
    while (i < path.size()) {
        if (path[i] == '/') {
            ++i;
            continue;
        }
        size_t j = path.find('/', i);
        if (j == std::string::npos) j = path.size();
        out.push_back(path.substr(i, j - i));
        i = j;
    }
    return out;
}

int method_index(const std::string &m) {
    static const char *kMethods[] = {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"};
    for (int i = 0; i < 7; ++i) {
        if (m == kMethods[i]) return i;
    }
    return 7;
}

const char *method_name(int i) {
    static const char *kMethods[] = {"GET",    "POST",    "PUT",  "PATCH",
                                     "DELETE", "OPTIONS", "HEAD", "OTHER"};
    return kMethods[i];
}

void add_cors(httplib::Response &res) {
    res.set_header("Access-Control-Allow-Origin", "*");
    res.set_header("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS");
    res.set_header("Access-Control-Allow-Headers",
                   "Content-Type, Authorization, X-API-Key, X-App-Id, X-Request-ID, Cookie, "
                   "X-Miniapp-Token, X-Anonymous-Session, X-Gateway-Secret, X-Wallet-Address, "
                   "X-Timestamp, X-Wallet-Signature, X-Service-Key, Cache-Control, "
                   "X-Milady-Client-Id, X-PAYMENT, X-PAYMENT-RESPONSE, X-PAYMENT-STATUS");
    res.set_header("Access-Control-Max-Age", "86400");
    res.set_header("X-Content-Type-Options", "nosniff");
}

struct StreamPlan {
    std::vector<std::string> events;
    size_t idx = 0;
    int64_t delay_ms = 0;
    int64_t stall_after = -1;
    int64_t stall_ms = 0;
    int64_t abort_after = -1;
    bool abort_at_end = false;
    Sleeper *sleeper = nullptr;
    uint64_t generation = 0;  // interruptions after this end a stall
};

}  // namespace

Reply json_reply(int status, std::string body) {
    Reply r;
    r.status = status;
    r.body = std::move(body);
    return r;
}

Reply cloud_error(int status, const std::string &error, const char *code) {
    JsonOut o;
    o.begin_obj().f("success", false).f("error", error);
    if (code) o.f("code", code);
    return json_reply(status, o.end().str());
}

Reply bare_error(int status, const std::string &error) {
    JsonOut o;
    return json_reply(status, o.begin_obj().f("error", error).end().str());
}

std::string sse_event(const std::string &name, const std::string &data_json) {
    return "event: " + name + "\ndata: " + data_json + "\n\n";
}

std::string sse_data(const std::string &data) {
    return "data: " + data + "\n\n";
}

Router::Router(FaultEngine &faults, Sleeper &sleeper, std::atomic<bool> &record_requests)
    : faults_(faults), sleeper_(sleeper), record_requests_(record_requests) {}

void Router::add(const std::string &method, const std::string &templ, Handler handler) {
    Route r;
    r.method = method;
    r.templ = templ;
    r.segments = split_path(templ);
    if (!r.segments.empty() && r.segments.back() == "{*}") {
        r.rest = true;
        r.segments.pop_back();
    }
    r.handler = std::move(handler);
    r.count = std::make_unique<std::atomic<uint64_t>>(0);
    routes_.push_back(std::move(r));
}

void Router::add_unless_present(const std::string &method, const std::string &templ,
                                Handler handler) {
    auto shape = [](const std::string &t) {
        std::string out;
        for (const std::string &s : split_path(t))
            out += "/" + (s.size() >= 2 && s.front() == '{' && s.back() == '}' ? "{}" : s);
        return out;
    };
    const std::string wanted = shape(templ);
    for (const Route &r : routes_)
        if (r.method == method && shape(r.templ) == wanted) return;
    add(method, templ, std::move(handler));
}

bool Router::match(const Route &r, const std::vector<std::string> &segs,
                   std::vector<std::string> &params) {
    if (r.rest ? segs.size() <= r.segments.size() : segs.size() != r.segments.size()) {
        return false;
    }
    params.clear();
    for (size_t i = 0; i < r.segments.size(); ++i) {
        const std::string &t = r.segments[i];
        if (t.size() >= 2 && t.front() == '{' && t.back() == '}') {
            params.push_back(segs[i]);
        } else if (t != segs[i]) {
            return false;
        }
    }
    if (r.rest) {
        std::string rest;
        for (size_t i = r.segments.size(); i < segs.size(); ++i) {
            if (!rest.empty()) rest += '/';
            rest += segs[i];
        }
        params.push_back(rest);
    }
    return true;
}

Reply Router::fault_reply(const FaultRule &f, const httplib::Request &req) const {
    Reply r;
    if (f.action == "status") {
        r.status = f.status;
        r.content_type = f.content_type;
        if (f.body) {
            r.body = *f.body;
        } else {
            JsonOut o;
            o.begin_obj().f("success", false).f("error", reason_phrase(f.status));
            if (const char *code = code_for_status(f.status)) o.f("code", code);
            r.body = o.end().str();
        }
        r.headers = f.headers;
    } else if (f.action == "redirect") {
        r.status = f.status;
        r.content_type = "text/plain";
        r.body = "Redirecting to " + f.location;
        r.headers = f.headers;
        r.headers.emplace_back("Location", f.location);
    } else if (f.action == "malformed") {
        r.status = 200;
        r.content_type = f.content_type;
        r.body = f.body.value_or("{\"success\":true,\"data\":{\"id\":");
        r.headers = f.headers;
    } else {  // jsonrpc-error
        rapidjson::Document doc;
        const rapidjson::Value *id = nullptr;
        if (parse_json(req.body, doc)) id = member(doc, "id");
        JsonOut o;
        o.begin_obj().f("jsonrpc", "2.0");
        if (id) o.key("id").value(*id);
        o.begin_obj("error").f("code", f.rpc_code).f("message", f.rpc_message).end().end();
        r.status = f.status;
        r.body = o.str();
        r.headers = f.headers;
    }
    return r;
}

void Router::dispatch(const httplib::Request &req, httplib::Response &res) {
    auto t0 = std::chrono::steady_clock::now();
    const std::string &path = req.path;
    const std::string method = req.method == "HEAD" ? "GET" : req.method;
    bool is_api = path.rfind("/api/", 0) == 0;
    bool is_control = path.rfind("/__emulator/", 0) == 0;
    if (is_api) add_cors(res);

    std::vector<std::string> segs = split_path(path);
    std::vector<std::string> params;
    Route *route = nullptr;
    std::string allow;
    for (auto &r : routes_) {
        if (!match(r, segs, params)) continue;
        if (r.method == method) {
            route = &r;
            break;
        }
        if (allow.find(r.method) == std::string::npos)
            allow += (allow.empty() ? "" : ", ") + r.method;
    }
    if (route) {
        match(*route, segs, params);
        route->count->fetch_add(1, std::memory_order_relaxed);
    } else if (req.method == "OPTIONS" && is_api) {
        options_count_.fetch_add(1, std::memory_order_relaxed);
    } else {
        unmatched_[method_index(req.method)].fetch_add(1, std::memory_order_relaxed);
    }

    std::optional<FaultRule> fault;
    uint64_t generation = sleeper_.generation();
    if (!is_control && faults_.active()) fault = faults_.match(req.method, path, req.body);
    if (fault) {
        if (fault_hook_) fault_hook_(req, *fault);
        if (fault->delay_ms > 0) sleeper_.sleep_for(fault->delay_ms, generation);
        const std::string &a = fault->action;
        if (a == "status" || a == "redirect" || a == "malformed" || a == "jsonrpc-error") {
            Reply r = fault_reply(*fault, req);
            int status = r.status;
            write(std::move(r), res, nullptr, generation);
            record(req, status);
            return;
        }
        if (a == "delay") fault.reset();
    }

    Reply reply;
    if (req.method == "OPTIONS" && is_api) {
        reply.status = 204;
        reply.content_type.clear();
    } else if (route) {
        std::vector<std::pair<std::string, std::string>> limit_headers;
        std::optional<Reply> limited;
        if (limiter_) limited = limiter_(req, method, route->templ, limit_headers);
        if (limited) {
            reply = std::move(*limited);
        } else {
            Ctx ctx{req, params};
            try {
                reply = route->handler(ctx);
            } catch (const std::exception &e) {
                std::fprintf(stderr, "elizacloud-emulator: handler error on %s %s: %s\n",
                             req.method.c_str(), path.c_str(), e.what());
                reply = cloud_error(500, "An unexpected error occurred");
            }
            for (auto &h : limit_headers) reply.headers.push_back(std::move(h));
        }
    } else if (!allow.empty()) {
        reply = cloud_error(405, "Method not allowed");
        reply.headers.emplace_back("Allow", allow);
    } else if (json_not_found_) {
        reply = cloud_error(404, "Not found", "resource_not_found");
    } else {
        reply.status = 404;
        reply.content_type = "text/html; charset=utf-8";
        reply.body =
            "<!DOCTYPE html><html><head><title>404: This page could not be found.</title>"
            "</head><body><h1>404</h1><h2>This page could not be found.</h2></body></html>";
    }
    int status = reply.status;
    write(std::move(reply), res, fault ? &*fault : nullptr, generation);
    record(req, status);
    if (verbose_) {
        auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - t0)
                      .count();
        std::fprintf(stderr, "%s %s -> %d (%lld ms)%s\n", req.method.c_str(), req.target.c_str(),
                     status, static_cast<long long>(ms),
                     fault ? (" [fault " + fault->id + " " + fault->action + "]").c_str() : "");
    }
}

void Router::write(Reply reply, httplib::Response &res, const FaultRule *fault,
                   uint64_t generation) {
    res.status = reply.status;
    for (const auto &[k, v] : reply.headers) res.set_header(k, v);
    const std::string ct = reply.content_type;

    if (reply.streaming) {
        auto plan = std::make_shared<StreamPlan>();
        plan->events = std::move(reply.events);
        plan->delay_ms = reply.event_delay_ms;
        plan->abort_at_end = reply.abort_at_end;
        plan->sleeper = &sleeper_;
        plan->generation = generation;
        if (fault && fault->action == "stall") {
            plan->stall_after = fault->after_events;
            plan->stall_ms = fault->stall_ms;
        } else if (fault && fault->action == "close") {
            if (fault->after_events >= 0) {
                plan->abort_after = fault->after_events;
            } else {
                // Cut the concatenated stream mid-way (or after `bytes`).
                std::string all;
                for (const auto &e : plan->events) all += e;
                size_t cut = fault->bytes >= 0 ? static_cast<size_t>(fault->bytes) : all.size() / 2;
                if (cut > all.size()) cut = all.size();
                plan->events.clear();
                if (cut > 0) plan->events.push_back(all.substr(0, cut));
                plan->abort_after = static_cast<int64_t>(plan->events.size());
            }
        }
        res.set_chunked_content_provider(ct, [plan](size_t, httplib::DataSink &sink) {
            StreamPlan &p = *plan;
            if (p.stall_after >= 0 && p.idx == static_cast<size_t>(p.stall_after)) {
                p.sleeper->sleep_for(p.stall_ms, p.generation);
                return false;
            }
            if (p.abort_after >= 0 && p.idx == static_cast<size_t>(p.abort_after)) return false;
            if (p.idx >= p.events.size()) {
                if (p.abort_at_end) return false;
                sink.done();
                return true;
            }
            if (p.idx > 0 && p.delay_ms > 0 && !p.sleeper->sleep_for(p.delay_ms)) {
                if (p.sleeper->shutting_down()) return false;
            }
            const std::string &e = p.events[p.idx++];
            return sink.write(e.data(), e.size());
        });
        return;
    }

    if (fault && fault->action == "close") {
        auto body = std::make_shared<std::string>(std::move(reply.body));
        size_t cut = fault->bytes >= 0 ? static_cast<size_t>(fault->bytes) : body->size() / 2;
        if (cut > body->size()) cut = body->size();
        if (fault->chunked) {
            res.set_chunked_content_provider(ct, [body, cut](size_t, httplib::DataSink &sink) {
                if (cut > 0) sink.write(body->data(), cut);
                return false;
            });
        } else {
            size_t declared = cut < body->size() ? body->size() : cut + 1;
            res.set_content_provider(declared, ct,
                                     [body, cut](size_t offset, size_t, httplib::DataSink &sink) {
                                         if (offset < cut) {
                                             sink.write(body->data() + offset, cut - offset);
                                         }
                                         return false;
                                     });
        }
        return;
    }
    if (fault && fault->action == "stall") {
        Sleeper *sleeper = &sleeper_;
        int64_t ms = fault->stall_ms;
        res.set_chunked_content_provider(ct,
                                         [sleeper, ms, generation](size_t, httplib::DataSink &) {
                                             sleeper->sleep_for(ms, generation);
                                             return false;
                                         });
        return;
    }
    if (reply.status == 204 || reply.status == 304) return;
    res.set_content(reply.body, ct);
}

void Router::record(const httplib::Request &req, int status) {
    if (!record_requests_.load(std::memory_order_relaxed)) return;
    Recorded r;
    r.method = req.method;
    r.path = req.path;
    auto q = req.target.find('?');
    if (q != std::string::npos) r.query = req.target.substr(q + 1);
    r.status = status;
    r.ts = now_ms();
    std::string xkey = req.get_header_value("X-API-Key");
    std::string authz = req.get_header_value("Authorization");
    std::string cookie = req.get_header_value("Cookie");
    if (!xkey.empty()) {
        r.auth = "x-api-key";
        r.key_prefix = key_prefix(xkey);
    } else if (authz.rfind("Bearer ", 0) == 0) {
        r.auth = "bearer";
        r.key_prefix = key_prefix(authz.substr(7));
    } else if (cookie.find("steward-token=") != std::string::npos ||
               cookie.find("privy-token=") != std::string::npos) {
        r.auth = "cookie";
    } else {
        r.auth = "none";
    }
    std::lock_guard lock(rec_mu_);
    recorded_.push_back(std::move(r));
    while (recorded_.size() > 1000) recorded_.pop_front();
}

void Router::write_counts(JsonOut &out) const {
    out.begin_obj();
    for (const auto &r : routes_) out.f(r.method + " " + r.templ, r.count->load());
    out.f("OPTIONS /api/*", options_count_.load());
    for (int i = 0; i < 8; ++i) {
        out.f(std::string(method_name(i)) + " (unmatched)", unmatched_[i].load());
    }
    out.end();
}

void Router::write_requests(JsonOut &out) const {
    std::lock_guard lock(rec_mu_);
    out.begin_arr();
    for (const auto &r : recorded_) {
        out.begin_obj()
            .f("method", r.method)
            .f("path", r.path)
            .f("query", r.query)
            .f("status", r.status)
            .f("auth", r.auth)
            .f("keyPrefix", r.key_prefix)
            .f("timestamp", r.ts)
            .end();
    }
    out.end();
}

void Router::reset_counts() {
    for (auto &r : routes_) r.count->store(0);
    for (auto &u : unmatched_) u.store(0);
    options_count_ = 0;
    std::lock_guard lock(rec_mu_);
    recorded_.clear();
}

}  // namespace emu
