#include "rest/rest_api.hpp"

#include <condition_variable>
#include <optional>
#include <utility>

#include "handle/cloud.hpp"
#include "rest/rest_checks.hpp"
#include "rest/rest_dashboard.hpp"
#include "rest/rest_errors.hpp"
#include "rest/rest_responses.hpp"
#include "session/login.hpp"
#include "util/json.hpp"
#include "util/log.hpp"
#include "util/strings.hpp"
#include "util/uuid.hpp"

namespace elizacloud {
namespace {

using rest::error_response;
using rest::from_error;
using rest::json_response;
using rest::parse_result;

constexpr std::string_view kPrefix = "/api/cloud/";
constexpr const char *kExpired = "Session not found or expired";

enum class RouteId {
    Login,
    LoginStatus,
    Status,
    Credits,
    Disconnect,
    Agents,
    Provision,
    Connect,
    Shutdown,
    Events,
    Chat,
    ChatStream,
    Backups,
    Snapshot,
    Restore
};

RestResponse expired() {
    json::Document doc(rapidjson::kObjectType);
    auto &alloc = doc.GetAllocator();
    json::set(doc, "status", json::string_value("expired", alloc), alloc);
    json::set(doc, "error", json::string_value(kExpired, alloc), alloc);
    return json_response(200, json::stringify(doc));
}

// Seed 000 names an agent's display name "name"; the cloud calls it "agentName" (SPEC §3: both).
void add_name(json::Value &agent, json::Document::AllocatorType &alloc) {
    if (!agent.IsObject() || json::member(agent, "name")) return;
    const json::Value *name = json::member(agent, "agentName");
    if (name && name->IsString()) json::set(agent, "name", json::Value(*name, alloc), alloc);
}

struct Match {
    RouteId id;
    const char *allow;  // the methods the path accepts
    std::string agent_id;
};

// Exact paths only (G14): no prefix or suffix matching, no trailing slash, no extra segments.
std::optional<Match> match(std::string_view path) {
    if (!path.starts_with(kPrefix)) return std::nullopt;
    const std::string_view rest = path.substr(kPrefix.size());
    if (rest == "login") return Match{RouteId::Login, "POST", {}};
    if (rest == "login/status") return Match{RouteId::LoginStatus, "GET", {}};
    if (rest == "status") return Match{RouteId::Status, "GET", {}};
    if (rest == "credits") return Match{RouteId::Credits, "GET", {}};
    if (rest == "disconnect") return Match{RouteId::Disconnect, "POST", {}};
    if (rest == "agents") return Match{RouteId::Agents, "GET, POST", {}};
    if (rest == "events") return Match{RouteId::Events, "GET", {}};
    if (rest == "chat") return Match{RouteId::Chat, "POST", {}};
    if (rest == "chat/stream") return Match{RouteId::ChatStream, "POST", {}};
    constexpr std::string_view kAgents = "agents/";
    if (!rest.starts_with(kAgents)) return std::nullopt;
    const std::string_view tail = rest.substr(kAgents.size());
    const size_t slash = tail.find('/');
    if (slash == 0 || slash == std::string_view::npos) return std::nullopt;
    const std::string id(tail.substr(0, slash));
    const std::string_view action = tail.substr(slash + 1);
    if (action == "provision") return Match{RouteId::Provision, "POST", id};
    if (action == "connect") return Match{RouteId::Connect, "POST", id};
    if (action == "shutdown") return Match{RouteId::Shutdown, "POST", id};
    if (action == "backups") return Match{RouteId::Backups, "GET", id};
    if (action == "snapshot") return Match{RouteId::Snapshot, "POST", id};
    if (action == "restore") return Match{RouteId::Restore, "POST", id};
    return std::nullopt;
}

bool method_allowed(const Match &m, std::string_view method) {
    const std::string_view allow = m.allow;
    if (method == "GET") return allow.find("GET") != std::string_view::npos;
    if (method == "POST") return allow.find("POST") != std::string_view::npos;
    return false;
}

const std::string *header(const RestRequest &request, std::string_view name) {
    return find_header(request.headers, name);
}

}  // namespace

RestApi::RestApi(Cloud &cloud, RestOptions options, std::shared_ptr<LoginSessions> sessions)
    : cloud_(cloud),
      options_(std::move(options)),
      sessions_(sessions ? std::move(sessions)
                         : std::make_shared<LoginSessions>(options_.login_session_ttl_ms)),
      events_(cloud, options_.max_event_streams),
      chat_streams_(options_.max_event_streams) {}

RestApi::~RestApi() {
    shutdown();
}

void RestApi::shutdown() {
    std::set<uint64_t> operations;
    {
        std::lock_guard<std::mutex> lock(inflight_mutex_);
        closing_ = true;
        operations = operations_;
    }
    for (uint64_t id : operations) cloud_.cancel(id);
    events_.close_all();
    chat_streams_.join_all();  // their operations were cancelled (or refused) above
}

RestResponse RestApi::dispatch(const RestRequest &request) {
    const std::string_view target = request.target;
    const size_t question = target.find('?');
    const std::string_view path = target.substr(0, question);
    const std::string_view query =
        question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
    if (options_.dashboard && (path == "/" || path.starts_with("/dashboard/")))
        return dashboard(request, path);
    if (!path.starts_with(kPrefix) && path != "/api/cloud") {
        RestResponse r = error_response(404, "Not found");
        r.handled = false;
        return r;
    }
    try {
        return route(request, path, query);
    } catch (const Error &e) {
        return from_error(e.info());
    } catch (const std::bad_alloc &) {
        return error_response(500, "Internal error");
    } catch (const std::exception &e) {
        log::error("[rest] {} {}: {}", request.method, path, e.what());
        return error_response(500, "Internal error");
    }
}

std::optional<RestResponse> RestApi::host_refused(const RestRequest &request) const {
    if (const std::string *host = header(request, "Host");
        host && !rest::host_allowed(*host, options_.allowed_hosts))
        return error_response(403, "Forbidden \u2014 invalid Host header");
    return std::nullopt;
}

RestResponse RestApi::route(const RestRequest &request, std::string_view path,
                            std::string_view query) {
    // Against DNS rebinding: a page served from evil.example resolving to 127.0.0.1 still says
    // "Host: evil.example".
    if (auto refused = host_refused(request)) return std::move(*refused);
    const std::string *origin = header(request, "Origin");
    if (origin && !rest::origin_allowed(*origin, options_.allowed_origins))
        return error_response(403, "Origin not allowed");
    auto with_cors = [&](RestResponse r) {
        if (origin && !origin->empty()) {
            r.headers.emplace_back("Access-Control-Allow-Origin", *origin);
            r.headers.emplace_back("Vary", "Origin");
        }
        return r;
    };
    if (request.method == "OPTIONS") {  // CORS preflight: no token (R193), empty body
        RestResponse r;
        r.status = 204;
        r.headers = {{"Access-Control-Allow-Methods", "GET, POST, OPTIONS"},
                     {"Access-Control-Allow-Headers", "Authorization, Content-Type"},
                     {"Access-Control-Max-Age", "600"}};
        return with_cors(std::move(r));
    }
    if (!options_.token.empty()) {
        const std::string *authorization = header(request, "Authorization");
        const auto token = authorization ? rest::bearer_token(*authorization) : std::nullopt;
        if (!token || !rest::constant_time_equal(*token, options_.token))
            return with_cors(error_response(401, "Unauthorized"));
    }
    if (request.body.size() > kRestMaxBodyBytes) {
        RestResponse r = error_response(413, "Request body too large");
        r.headers.emplace_back("Connection", "close");
        return with_cors(std::move(r));
    }
    const auto m = match(path);
    if (!m) return with_cors(error_response(404, "Not found"));
    if (!method_allowed(*m, request.method)) {
        RestResponse r = error_response(405, "Method not allowed");
        r.headers.emplace_back("Allow", m->allow);
        return with_cors(std::move(r));
    }
    {
        std::lock_guard<std::mutex> lock(inflight_mutex_);
        if (closing_) return with_cors(error_response(503, "The server is shutting down"));
    }
    switch (m->id) {
        case RouteId::Login:
            return with_cors(login());
        case RouteId::LoginStatus:
            return with_cors(login_status(query));
        case RouteId::Status:
            return with_cors(status());
        case RouteId::Credits:
            return with_cors(credits());
        case RouteId::Disconnect:
            return with_cors(disconnect());
        case RouteId::Agents:
            return with_cors(request.method == "GET" ? agents_list() : agents_create(request.body));
        case RouteId::Provision:
        case RouteId::Connect:
            return with_cors(connect(m->agent_id));
        case RouteId::Shutdown:
            return with_cors(shutdown_agent(m->agent_id));
        case RouteId::Events:
            return with_cors(events());
        case RouteId::Chat:
            return with_cors(chat(request.body));
        case RouteId::ChatStream:
            return with_cors(chat_stream(request.body));
        case RouteId::Backups:
            return with_cors(backups_list(m->agent_id));
        case RouteId::Snapshot:
            return with_cors(backups_snapshot(m->agent_id));
        case RouteId::Restore:
            return with_cors(backups_restore(m->agent_id, request.body));
    }
    return with_cors(error_response(404, "Not found"));
}

// ---- plumbing ---------------------------------------------------------------------------------

std::string RestApi::run(Request request, int32_t timeout_ms) {
    uint64_t op = 0;
    bool cancel_now = false;
    auto forget = [&] {
        std::lock_guard<std::mutex> lock(inflight_mutex_);
        operations_.erase(op);
    };
    try {
        std::string result = cloud_.run(std::move(request), timeout_ms, [&](uint64_t id) {
            {
                std::lock_guard<std::mutex> lock(inflight_mutex_);
                op = id;
                operations_.insert(id);
                cancel_now = closing_;
            }
            if (cancel_now) cloud_.cancel(id);
        });
        forget();
        return result;
    } catch (...) {
        forget();
        throw;
    }
}

bool RestApi::has_key() const {
    try {
        cloud_.api_key();
        return true;
    } catch (const Error &) {
        return false;
    }
}

// ---- login ------------------------------------------------------------------------------------

RestResponse RestApi::login() {
    std::string answer;
    try {
        answer = run(make_request("login_session.create"), options_.login_request_timeout_ms);
    } catch (const Error &e) {
        log::warn("[rest] login: {}", e.what());
        switch (e.status()) {
            case Status::Timeout:
                return error_response(504, "Eliza Cloud login request timed out");
            case Status::RedirectRefused:
                return error_response(
                    502, "Eliza Cloud login request was redirected; redirects are not allowed");
            case Status::Cancelled:
                return error_response(503, rest_error(Status::Cancelled).message);
            default:
                return error_response(502, e.info().http_status > 0
                                               ? "Failed to create auth session with Eliza Cloud"
                                               : "Failed to reach Eliza Cloud");
        }
    }
    json::Document session;
    json::parse(answer, session);
    const std::string session_id = json::get_string(session, "sessionId").value_or("");
    sessions_->add(session_id);
    json::Document doc(rapidjson::kObjectType);
    auto &alloc = doc.GetAllocator();
    json::set(doc, "ok", json::Value(true), alloc);
    json::set(doc, "sessionId", json::string_value(session_id, alloc), alloc);
    json::set(doc, "browserUrl",
              json::string_value(json::get_string(session, "browserUrl").value_or(""), alloc),
              alloc);
    return json_response(200, json::stringify(doc));
}

RestResponse RestApi::login_status(std::string_view query) {
    constexpr const char *kError = "error";
    const auto id = rest::query_param(query, "sessionId");
    if (!id || trim(*id).empty())
        return error_response(400, "sessionId query parameter is required");
    if (!is_uuid(*id)) return error_response(400, "sessionId must be a UUID");
    LoginSessions::Claim claim = sessions_->claim(*id);
    if (!claim) return expired();  // not created here, finished, or expired (G5)

    std::string answer;
    try {
        // A disconnect meanwhile (sessions_->clear(), then logout) keeps the key from being
        // adopted: the logout begins before this poll's key could be.
        answer = run(make_request("login_session.poll", {{"sessionId", id->c_str()}}),
                     options_.login_request_timeout_ms);
    } catch (const Error &e) {
        log::warn("[rest] login status: {}", e.what());
        switch (e.status()) {
            case Status::LoginExpired:
                claim.finish();
                return expired();
            case Status::KeyAlreadyRetrieved:
                // Not "authenticated": no key was saved (G13).
                claim.finish();
                return error_response(
                    200, "The API key of this login session was already retrieved; log in again",
                    kError);
            case Status::Timeout:
                return error_response(504, "Eliza Cloud status request timed out", kError);
            case Status::RedirectRefused:
                return error_response(
                    502, "Eliza Cloud status request was redirected; redirects are not allowed",
                    kError);
            case Status::Protocol:
                return error_response(502, "Eliza Cloud returned an invalid response", kError);
            case Status::Cancelled:
                return error_response(503, rest_error(Status::Cancelled).message, kError);
            default:
                return error_response(502, "Failed to reach Eliza Cloud", kError);
        }
    }
    json::Document poll;
    json::parse(answer, poll);
    const std::string status = json::get_string(poll, "status").value_or("");
    if (status == "pending") return json_response(200, R"({"status":"pending"})");
    if (status != "authenticated") {
        const auto code = json::get_number(poll, "httpStatus").value_or(0);
        return error_response(
            200, "Eliza Cloud returned HTTP " + std::to_string(static_cast<int>(code)), kError);
    }
    const std::string key_prefix = json::get_string(poll, "keyPrefix").value_or("");
    if (!claim.finish()) return expired();  // a disconnect came in: the key was not adopted
    log::info("[rest] login: authenticated, key {}\u2026", key_prefix);
    json::Document doc(rapidjson::kObjectType);
    auto &alloc = doc.GetAllocator();
    json::set(doc, "status", json::string_value("authenticated", alloc), alloc);
    json::set(doc, "keyPrefix", json::string_value(key_prefix, alloc), alloc);
    RestResponse r = json_response(200, json::stringify(doc));
    r.credentials = CredentialsChange::Stored;
    return r;
}

// ---- status, credits, disconnect --------------------------------------------------------------

RestResponse RestApi::status() {
    // Exactly seed 000's record: the REST API answers the same whichever generation the cloud
    // speaks (SPEC §3), so the handle's apiGeneration stays out.
    json::Document doc;
    if (!json::parse(run(make_request("status")), doc) || !doc.IsObject())
        return error_response(500, "Internal error");
    doc.RemoveMember("apiGeneration");
    return json_response(200, json::stringify(doc));
}

RestResponse RestApi::credits() {
    // Fresh: the thresholds must reflect the balance now.
    Request request = parse_request("credits", R"({"fresh":true})");
    try {
        return json_response(200, run(std::move(request)));
    } catch (const Error &e) {
        if (e.status() == Status::Cancelled) throw;
        // Always 200 with a null balance and the reason (R104–R107), in our words.
        log::warn("[rest] credits: {}", e.what());
        json::Document doc(rapidjson::kObjectType);
        auto &alloc = doc.GetAllocator();
        json::set(doc, "connected", json::Value(true), alloc);
        json::set(doc, "balance", json::Value(), alloc);
        json::set(doc, "low", json::Value(false), alloc);
        json::set(doc, "critical", json::Value(false), alloc);
        json::set(doc, "topUpUrl", json::string_value(cloud_.base_url().top_up_url(), alloc),
                  alloc);
        json::set(doc, "error", json::string_value(rest_error(e.status()).message, alloc), alloc);
        return json_response(200, json::stringify(doc));
    }
}

RestResponse RestApi::disconnect() {
    // A login still being polled must not bring the key back afterwards.
    sessions_->clear();
    try {
        run(make_request("logout"));  // final backup when connected, then the key goes
    } catch (const Error &e) {
        log::warn("[rest] disconnect: {}", e.what());  // always 200 (R86)
    }
    RestResponse r = json_response(200, R"({"ok":true,"status":"disconnected"})");
    r.credentials = CredentialsChange::Removed;
    return r;
}

// ---- agents -----------------------------------------------------------------------------------

RestResponse RestApi::agents_list() {
    if (!has_key()) return error_response(401, "Not connected to Eliza Cloud");
    json::Document agents;
    parse_result(run(make_request("agents.list")), agents);
    if (!agents.IsArray()) throw Error(Status::Protocol, "the agent list is not an array");
    json::Document doc(rapidjson::kObjectType);
    auto &alloc = doc.GetAllocator();
    json::Value list(rapidjson::kArrayType);
    for (auto &agent : agents.GetArray()) {
        json::Value copy(agent, alloc);
        add_name(copy, alloc);
        list.PushBack(copy, alloc);
    }
    json::set(doc, "ok", json::Value(true), alloc);
    json::set(doc, "agents", std::move(list), alloc);
    return json_response(200, json::stringify(doc));
}

RestResponse RestApi::agents_create(const std::string &body) {
    if (!has_key()) return error_response(401, "Not connected to Eliza Cloud");  // R67
    json::Document input;
    if (auto refused = rest::refuse_body(body, input)) return std::move(*refused);
    const json::Value *name = json::member(input, "agentName");
    if (name && !name->IsNull() && !name->IsString())
        return error_response(400, "agentName must be a string");  // G12
    const std::string agent_name =
        name && name->IsString() ? std::string(trim({name->GetString(), name->GetStringLength()}))
                                 : "";
    if (agent_name.empty()) return error_response(400, "agentName is required");
    // Escapes decode to anything (\u0000, a lone surrogate): the decoded name is checked too.
    if (!rest::valid_utf8(agent_name) || rest::has_control_chars(agent_name))
        return error_response(400, "agentName must be text without control characters");
    const json::Value *config = json::member(input, "agentConfig");
    if (config && !config->IsNull() && !config->IsObject())
        return error_response(400, "agentConfig must be a JSON object");
    const json::Value *env = json::member(input, "environmentVars");
    if (env && !env->IsNull()) {
        bool strings = env->IsObject();
        if (strings)
            for (auto it = env->MemberBegin(); it != env->MemberEnd(); ++it)
                strings = strings && it->value.IsString();
        if (!strings) return error_response(400, "environmentVars must be an object of strings");
        // Names are plain text; values may hold newlines (keys, certificates) but no NUL.
        for (auto it = env->MemberBegin(); it != env->MemberEnd(); ++it) {
            const std::string_view key(it->name.GetString(), it->name.GetStringLength());
            const std::string_view value(it->value.GetString(), it->value.GetStringLength());
            if (!rest::valid_utf8(key) || rest::has_control_chars(key) ||
                !rest::valid_utf8(value) || value.find('\0') != std::string_view::npos)
                return error_response(400, "environmentVars must be text (no NUL characters)");
        }
    }

    json::Document params(rapidjson::kObjectType);
    auto &alloc = params.GetAllocator();
    json::set(params, "agentName", json::string_value(agent_name, alloc), alloc);
    if (config && config->IsObject())
        json::set(params, "agentConfig", json::Value(*config, alloc), alloc);
    if (env && env->IsObject())
        json::set(params, "environmentVars", json::Value(*env, alloc), alloc);
    // Seed 000's create only creates; starting (and paying) is POST …/provision. The eliza cloud
    // would start an eager tier at once otherwise (E§2.4); the milady cloud ignores the field.
    json::set(params, "autoProvision", json::Value(false), alloc);
    const std::string text = json::stringify(params);

    json::Document agent;
    parse_result(run(parse_request("agents.create", text.c_str())), agent);
    json::Document doc(rapidjson::kObjectType);
    auto &out = doc.GetAllocator();
    json::Value copy(agent, out);
    add_name(copy, out);
    json::set(doc, "ok", json::Value(true), out);
    json::set(doc, "agent", std::move(copy), out);
    return json_response(201, json::stringify(doc));
}

RestResponse RestApi::connect(const std::string &agent_id) {
    // R77/R83: one message for both, and no request reaches the cloud.
    if (!is_uuid(agent_id) || !has_key())
        return error_response(400, "Invalid agent ID or cloud not connected");
    // The manager disconnects another active agent first (with its final backup) and follows
    // the provisioning job; the same agent again is a no-op (SPEC §2.3).
    json::Document result;
    parse_result(run(make_request("connect", {{"agentId", agent_id.c_str()}})), result);
    json::Document doc(rapidjson::kObjectType);
    auto &alloc = doc.GetAllocator();
    json::set(doc, "ok", json::Value(true), alloc);
    json::set(doc, "agentId", json::string_value(agent_id, alloc), alloc);
    const auto name = json::get_string(result, "agentName");
    json::set(doc, "agentName", name ? json::string_value(*name, alloc) : json::Value(), alloc);
    json::Value status(rapidjson::kObjectType);
    json::set(status, "connected", json::Value(true), alloc);
    json::set(status, "state", json::string_value("connected", alloc), alloc);
    json::set(doc, "status", std::move(status), alloc);
    return json_response(200, json::stringify(doc));
}

RestResponse RestApi::shutdown_agent(const std::string &agent_id) {
    if (!is_uuid(agent_id) || !has_key())
        return error_response(400, "Invalid agent ID or cloud not connected");
    std::string active;
    try {
        active = cloud_.active_agent();
    } catch (const Error &) {  // none
    }
    // The active agent is disconnected first (final backup while it still runs), R81.
    if (!active.empty() && active == agent_id) run(make_request("disconnect"));
    run(make_request("agents.delete", {{"agentId", agent_id.c_str()}}));
    json::Document doc(rapidjson::kObjectType);
    auto &alloc = doc.GetAllocator();
    json::set(doc, "ok", json::Value(true), alloc);
    json::set(doc, "agentId", json::string_value(agent_id, alloc), alloc);
    json::set(doc, "status", json::string_value("stopped", alloc), alloc);
    return json_response(200, json::stringify(doc));
}

// ---- events -----------------------------------------------------------------------------------

RestResponse RestApi::events() {
    auto stream = events_.subscribe();
    if (!stream) return error_response(503, "Too many event streams");
    return rest::stream_response(std::move(stream));
}

// ---- dashboard --------------------------------------------------------------------------------

RestResponse RestApi::dashboard(const RestRequest &request, std::string_view path) {
    // The pages hold no data (no token needed to load them), but a rebinding page must not
    // be able to load them under its own name either.
    if (auto refused = host_refused(request)) return std::move(*refused);
    if (request.method != "GET" && request.method != "HEAD") {
        RestResponse r = error_response(405, "Method not allowed");
        r.headers.emplace_back("Allow", "GET, HEAD");
        return r;
    }
    auto file = rest::dashboard_file(path);
    if (!file) return error_response(404, "Not found");
    RestResponse r;
    r.status = 200;
    r.headers = rest::base_headers(file->content_type);
    r.headers.emplace_back("Content-Security-Policy", rest::kDashboardCsp);
    r.headers.emplace_back("Referrer-Policy", "no-referrer");
    r.headers.emplace_back("X-Frame-Options", "DENY");
    r.headers.emplace_back("Cross-Origin-Opener-Policy", "same-origin");
    r.body = std::move(file->content);
    return r;
}

}  // namespace elizacloud
