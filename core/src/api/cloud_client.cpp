#include "api/cloud_client.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "api/answers.hpp"
#include "api/call_params.hpp"
#include "api/cloud_errors.hpp"
#include "api/registry.hpp"
#include "api/retrying_request.hpp"
#include "api/upload_files.hpp"
#include "util/json.hpp"
#include "util/json_scan.hpp"
#include "util/log.hpp"
#include "util/uuid.hpp"

namespace elizacloud {
namespace {

constexpr std::array<std::string_view, 5> kChannelTypes{"DM", "GROUP", "VOICE_DM", "VOICE_GROUP",
                                                        "API"};

void require_agent_id(std::string_view agent_id) {
    // Checked locally so a malformed id never becomes a request path (and never a path trick).
    if (!is_uuid(agent_id))
        throw Error(Status::InvalidArgument, "agent id must be a UUID (8-4-4-4-12 hex digits)");
}

void require_channel_type(std::string_view channel_type) {
    for (std::string_view allowed : kChannelTypes)
        if (channel_type == allowed) return;
    throw Error(Status::InvalidArgument,
                "channel type must be one of DM, GROUP, VOICE_DM, VOICE_GROUP, API");
}

}  // namespace

Identity identity_from_json(std::string_view data_json) {
    json::Document doc;
    if (!json::parse(data_json, doc) || !doc.IsObject())
        throw Error(Status::Protocol, "the cloud's user record is not a JSON object");
    Identity identity;
    auto id = json::get_string(doc, "id");
    if (!id || id->empty()) throw Error(Status::Protocol, "the cloud's user record has no id");
    identity.user_id = *id;
    if (const json::Value *org = json::member(doc, "organization"); org && org->IsObject())
        identity.organization_id = json::get_string(*org, "id").value_or("");
    identity.json = std::string(data_json);
    return identity;
}

CloudClient::CloudClient(std::shared_ptr<Engine> engine, BaseUrl base, KeySupplier key,
                         ClientOptions options)
    : base_(std::move(base)),
      key_(std::move(key)),
      options_(options),
      generation_(options.generation),
      ops_(std::move(engine)) {
    if (!key_) throw Error(Status::InvalidArgument, "no key supplier");
    if (base_.api_url.empty()) throw Error(Status::InvalidArgument, "base URL not set");
}

CloudClient::CloudClient(std::shared_ptr<Engine> engine, BaseUrl base, std::string api_key,
                         ClientOptions options)
    : CloudClient(
          std::move(engine), std::move(base), [key = api_key](bool) { return key; }, options) {
    if (api_key.empty()) throw Error(Status::NotConnected, "no Eliza Cloud API key configured");
}

CloudClient::~CloudClient() = default;

std::string CloudClient::current_key() const {
    std::string key = key_(true);
    if (key.empty()) throw no_api_key_error();
    return key;
}

std::string CloudClient::key_prefix() const {
    return current_key().substr(0, 12);
}

void CloudClient::cancel_all() {
    ops_.cancel_all();
}

void CloudClient::cancel(OperationId id) {
    ops_.cancel(id);
}

HttpRequest CloudClient::make_request(std::string_view method, std::string path, int timeout_ms,
                                      bool key_optional) const {
    HttpRequest request;
    request.method = std::string(method);
    request.url = base_.site_url + path;
    const std::string key = key_optional ? key_(false) : current_key();
    if (!key.empty()) request.headers.emplace_back("X-API-Key", key);
    request.headers.emplace_back("Accept", "application/json");
    request.total_timeout_ms = timeout_ms;
    return request;
}

HttpRequest CloudClient::make_json_request(std::string_view method, std::string path,
                                           std::string body, int timeout_ms,
                                           bool key_optional) const {
    HttpRequest request = make_request(method, std::move(path), timeout_ms, key_optional);
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = std::move(body);
    return request;
}

// ---- envelope operations ---------------------------------------------------------------

OperationId CloudClient::envelope_call(HttpRequest request, DataKind kind, int max_retries,
                                       OpCallback done) {
    return ops_.start(
        std::move(done), [request = std::move(request), kind, max_retries](Operation &op) {
            Operation *o = &op;
            std::string what = request.method + " " + request.url.substr(0, request.url.find('?'));
            send_with_retries(op, request, max_retries, ErrorFamily::Cloud, std::move(what),
                              [o, kind](HttpResponse &&response, ErrorInfo &&, int) {
                                  json::Document doc;
                                  ErrorInfo error = parse_cloud_envelope(response, doc);
                                  if (!error.ok()) return o->fail(std::move(error));
                                  const json::Value *data = json::member(doc, "data");
                                  if (!data || data->IsNull()) {
                                      // Lists and deletes may legitimately come without data; a
                                      // record may not.
                                      if (kind == DataKind::Array) return o->succeed("[]");
                                      if (kind == DataKind::Optional) return o->succeed("{}");
                                      return o->fail(ErrorInfo::make(
                                          Status::Protocol, "the cloud's response has no data"));
                                  }
                                  if (kind == DataKind::Array && !data->IsArray())
                                      return o->fail(ErrorInfo::make(
                                          Status::Protocol, "the cloud's list is not an array"));
                                  o->succeed(json::stringify(*data));
                              });
        });
}

// ---- the generic executor ------------------------------------------------------------------

namespace {

std::string param_text(const json::Value &v) {
    if (v.IsString()) return std::string(v.GetString(), v.GetStringLength());
    if (v.IsBool()) return v.GetBool() ? "true" : "false";
    return json::stringify(v);
}

}  // namespace

int CloudClient::timeout_of(const api::OperationSpec &op) const {
    switch (op.timing) {
        case api::Timing::Bridge:
            return options_.bridge_timeout_ms;
        case api::Timing::Heartbeat:
            return options_.heartbeat_timeout_ms;
        case api::Timing::Credits:
            return options_.credits_timeout_ms;
        case api::Timing::Stream:
            return 0;  // the idle timeout bounds a stream
        case api::Timing::Upload:
            return std::max(options_.crud_timeout_ms, api::default_timeout_ms(api::Timing::Upload));
        default:
            return options_.crud_timeout_ms;  // per request; a job has its own overall bound
    }
}

HttpRequest CloudClient::request_for(const api::OperationSpec &op,
                                     const json::Value &params) const {
    if (op.http_method.empty() || (op.milady_path.empty() && op.eliza_path.empty()))
        throw Error(Status::Internal, std::string(op.name) + " has no HTTP route");
    const api::Generation generation = generation_.load();
    if (generation == api::Generation::Unknown && api::depends_on_generation(op))
        throw Error(Status::Internal,
                    std::string(op.name) + ": the cloud's API generation is not known yet");
    std::string path(api::path_on(op, generation));
    if (path.empty())
        throw Error(Status::Generation, std::string(op.name) + " is not available on this cloud (" +
                                            std::string(api::generation_name(generation)) +
                                            " API generation)");
    std::string query;
    std::vector<std::pair<std::string, std::string>> headers;
    for (const api::ParamSpec &p : op.params) {
        const json::Value *v = json::member(params, p.name);
        const bool given = v && !v->IsNull();
        if (p.in == api::ParamIn::Header) {
            // The call's own value, else the one the host gave the handle (the price consent).
            std::string value = given ? param_text(*v) : std::string();
            if (const auto it = options_.default_headers.find(p.header);
                value.empty() && it != options_.default_headers.end())
                value = it->second;
            if (!value.empty()) headers.emplace_back(std::string(p.header), std::move(value));
        } else if (p.in == api::ParamIn::Path) {
            // Encoded as one segment, so a "/" in a value can never change the path; a value that
            // is a dot segment would (a URL parser resolves it): refused.
            if (!given || !v->IsString())
                throw Error(Status::InvalidArgument, std::string(p.name) + " is required");
            if (is_dot_segment(param_text(*v)))
                throw Error(Status::InvalidArgument, std::string(p.name) + " must not be . or ..");
            const std::string hole = "{" + std::string(p.name) + "}";
            path.replace(path.find(hole), hole.size(), encode_path_segment(param_text(*v)));
        } else if (p.in == api::ParamIn::Query && given) {
            query += (query.empty() ? "?" : "&") + std::string(p.name) + "=" +
                     encode_query_value(param_text(*v));
        }
    }
    // The connected agent's routes: the session passes the agent id it is connected to.
    if (const size_t hole = path.find("{agentId}"); hole != std::string::npos) {
        const auto id = json::get_string(params, "agentId");
        if (!id || !is_uuid(*id))
            throw Error(Status::InvalidArgument, "agent id must be a UUID (8-4-4-4-12 hex digits)");
        path.replace(hole, 9, encode_path_segment(*id));
    }
    // A public route (Scope::None) goes without a key when there is none.
    const bool key_optional = op.kind == api::Kind::Http && op.scope == api::Scope::None;
    if (op.body == api::Body::Multipart) {
        // libcurl writes the multipart Content-Type with its boundary.
        HttpRequest request =
            make_request(op.http_method, path + query, timeout_of(op), key_optional);
        request.form = api::multipart_parts(op, params);
        for (auto &header : headers) request.headers.push_back(std::move(header));
        return request;
    }
    HttpRequest request =
        op.body == api::Body::None
            ? make_request(op.http_method, path + query, timeout_of(op), key_optional)
            : make_json_request(op.http_method, path + query,
                                op.answer == api::Answer::JsonRpc
                                    ? api::jsonrpc_request(op, body_for(op, params))
                                    : body_for(op, params),
                                timeout_of(op), key_optional);
    for (auto &header : headers) request.headers.push_back(std::move(header));
    return request;
}

std::string CloudClient::body_for(const api::OperationSpec &op, const json::Value &params) {
    json::Document body(rapidjson::kObjectType);
    auto &alloc = body.GetAllocator();
    for (auto it = params.MemberBegin(); it != params.MemberEnd(); ++it) {
        if (it->value.IsNull()) continue;
        const std::string_view key(it->name.GetString(), it->name.GetStringLength());
        const api::ParamSpec *spec = nullptr;
        for (const api::ParamSpec &p : op.params)
            if (p.name == key) spec = &p;
        // Params: the body parameters. Passthrough: everything but path, query and local ones.
        const bool in_body =
            spec ? spec->in == api::ParamIn::Body : op.body == api::Body::Passthrough;
        if (in_body) json::set(body, key, json::Value(it->value, alloc), alloc);
    }
    return json::stringify(body);
}

HttpRequest CloudClient::request_for(std::string_view op_name, std::string_view key,
                                     std::string_view value) const {
    json::Document params(rapidjson::kObjectType);
    json::set(params, key, json::string_value(value, params.GetAllocator()), params.GetAllocator());
    return request_for(api::operation(op_name), params);
}

namespace {

// What GET /api/health says: eliza's answer carries its environment and schema markers
// (E§7.8); milady's has only status, timestamp and region. Unknown for anything else.
api::Generation generation_from_health(const HttpResponse &response) {
    if (!response.ok() || response.http_status != 200) return api::Generation::Unknown;
    json::Document doc;
    if (!json::parse(response.body, doc) || !doc.IsObject()) return api::Generation::Unknown;
    if (json::member(doc, "environment") || json::member(doc, "schemaCompatibility"))
        return api::Generation::Eliza;
    return json::member(doc, "status") ? api::Generation::Milady : api::Generation::Unknown;
}

std::string generation_json(api::Generation generation) {
    return R"({"apiGeneration":")" + std::string(api::generation_name(generation)) + "\"}";
}

ErrorInfo undecided(const std::string &why) {
    return ErrorInfo::make(Status::Generation, "could not tell the cloud's API generation (" + why +
                                                   "); set cloud.apiGeneration (milady or eliza)");
}

}  // namespace

OperationId CloudClient::detect_generation_async(OpCallback done) {
    return ops_.start(std::move(done), [this](Operation &op) {
        Operation *o = &op;
        HttpRequest health;
        health.method = "GET";
        health.url = base_.site_url + "/api/health";
        health.headers = {{"Accept", "application/json"}};
        health.total_timeout_ms = options_.crud_timeout_ms;
        op.request(std::move(health), [this, o](HttpResponse &&response) {
            if (!response.ok()) return o->fail(std::move(response.error));  // not kept: retried
            api::Generation generation = generation_from_health(response);
            if (generation != api::Generation::Unknown) {
                generation_.store(generation);
                return o->succeed(generation_json(generation));
            }
            const std::string health_answer =
                "GET /api/health answered HTTP " + std::to_string(response.http_status);
            // Ambiguous: the agents list exists under /api/v1/eliza on eliza only.
            HttpRequest list;
            try {
                list = make_request("GET", "/api/v1/eliza/agents", options_.crud_timeout_ms);
            } catch (const Error &) {
                return o->fail(undecided(health_answer + " and there is no API key to ask more"));
            }
            o->request(std::move(list), [this, o, health_answer](HttpResponse &&answer) {
                if (!answer.ok()) return o->fail(std::move(answer.error));
                if (answer.http_status == 401 || answer.http_status == 403)
                    return o->fail(error_from_response(answer, ErrorFamily::Cloud));
                if (answer.http_status == 200) {
                    generation_.store(api::Generation::Eliza);
                } else if (answer.http_status == 404) {
                    generation_.store(api::Generation::Milady);
                } else {
                    return o->fail(undecided(health_answer + ", GET /api/v1/eliza/agents HTTP " +
                                             std::to_string(answer.http_status)));
                }
                o->succeed(generation_json(generation_.load()));
            });
        });
    });
}

OperationId CloudClient::call_async(const api::OperationSpec &op, std::string_view params_json,
                                    OpCallback done, ProgressCallback progress) {
    json::Document params;
    api::check_params(op, params_json, params);
    return call_checked(op, params, std::move(done), std::move(progress));
}

OperationId CloudClient::call_checked(const api::OperationSpec &op, const json::Document &params,
                                      OpCallback done, ProgressCallback progress,
                                      CallOverrides overrides) {
    HttpRequest request = request_for(op, params);
    if (overrides.timeout_ms > 0) request.total_timeout_ms = overrides.timeout_ms;
    if (api::depends_on_generation(op)) {
        // The router's own 404 ("Not found", resource_not_found) for a route of this generation
        // means the cloud speaks the other one: say so instead of "Not found".
        done = [done = std::move(done), name = std::string(op.name),
                generation =
                    std::string(api::generation_name(generation_.load()))](OpResult &&result) {
            const ErrorInfo &e = result.error;
            // The eliza router's JSON 404 on a milady route; milady's (Next.js) page 404, with no
            // message of the cloud's, on an eliza route.
            const bool router_404 =
                e.status == Status::NotFound &&
                ((e.cloud_code == "resource_not_found" && e.message == "Not found") ||
                 (e.cloud_code.empty() && e.message == "HTTP 404"));
            if (router_404) {
                result.error.status = Status::Generation;
                result.error.message = name + ": the cloud has no such route on the " + generation +
                                       " API generation (set api_generation to auto to detect "
                                       "the one it speaks)";
            }
            if (done) done(std::move(result));
        };
    }
    if (op.follows_container)
        return follow_container_call(op, std::move(request), std::move(done), std::move(progress));
    if (op.follows_job) {
        const std::string agent_id = api::string_param(op, params, "agentId").value_or("");
        return follow_job_call(op, agent_id, std::move(request), std::move(done),
                               std::move(progress));
    }
    // Reads and idempotent writes are sent again after a transient failure (SPEC §2.9).
    const int max_retries = !op.idempotent ? 0
                                           : (overrides.max_retries >= 0 ? overrides.max_retries
                                                                         : options_.max_retries);
    if (op.answer != api::Answer::Data) {
        // A bare body or a JSON-RPC answer (api/answers.hpp) instead of the {success, data} one.
        return ops_.start(
            std::move(done), [request = std::move(request), row = &op, max_retries](Operation &o) {
                Operation *op_ptr = &o;
                const ErrorFamily family =
                    row->answer == api::Answer::JsonRpc ? ErrorFamily::JsonRpc : ErrorFamily::Cloud;
                send_with_retries(o, request, max_retries, family, std::string(row->name),
                                  [op_ptr, row](HttpResponse &&response, ErrorInfo &&, int) {
                                      api::Answered answer = api::read_answer(*row, response);
                                      if (!answer.error.ok())
                                          return op_ptr->fail(std::move(answer.error));
                                      op_ptr->succeed(std::move(answer.json));
                                  });
            });
    }
    const DataKind kind = op.shape == api::ResultShape::Array      ? DataKind::Array
                          : op.shape == api::ResultShape::Optional ? DataKind::Optional
                                                                   : DataKind::Object;
    return envelope_call(std::move(request), kind, max_retries, std::move(done));
}

OperationId CloudClient::call_async(std::string_view op_name, std::string_view params_json,
                                    OpCallback done, ProgressCallback progress) {
    return call_async(api::operation(op_name), params_json, std::move(done), std::move(progress));
}

namespace {

std::string agent_params(std::string_view agent_id) {
    return R"({"agentId":)" + json::quote(agent_id) + "}";
}

}  // namespace

OperationId CloudClient::list_agents_async(OpCallback done) {
    return call_async("agents.list", "{}", std::move(done));
}

OperationId CloudClient::create_agent_async(std::string_view request_json, OpCallback done) {
    return call_async("agents.create", request_json, std::move(done));
}

OperationId CloudClient::get_agent_async(std::string_view agent_id, OpCallback done) {
    return call_async("agents.get", agent_params(agent_id), std::move(done));
}

OperationId CloudClient::delete_agent_async(std::string_view agent_id, OpCallback done) {
    return call_async("agents.delete", agent_params(agent_id), std::move(done));
}

OperationId CloudClient::suspend_async(std::string_view agent_id, OpCallback done) {
    return call_async("agents.suspend", agent_params(agent_id), std::move(done));
}

OperationId CloudClient::snapshot_async(std::string_view agent_id, OpCallback done) {
    require_agent_id(agent_id);  // optional in the row (the connected agent), required here
    return call_async("backups.snapshot", agent_params(agent_id), std::move(done));
}

OperationId CloudClient::list_backups_async(std::string_view agent_id, OpCallback done) {
    require_agent_id(agent_id);
    return call_async("backups.list", agent_params(agent_id), std::move(done));
}

OperationId CloudClient::get_user_async(OpCallback done) {
    return call_async("identity", "{}", std::move(done));
}

OperationId CloudClient::get_job_async(std::string_view job_id, OpCallback done) {
    return call_async("jobs.get", R"({"jobId":)" + json::quote(job_id) + "}", std::move(done));
}

OperationId CloudClient::provision_async(std::string_view agent_id, OpCallback done,
                                         ProgressCallback progress) {
    return call_async("agents.provision", agent_params(agent_id), std::move(done),
                      std::move(progress));
}

OperationId CloudClient::resume_async(std::string_view agent_id, OpCallback done,
                                      ProgressCallback progress) {
    return call_async("agents.resume", agent_params(agent_id), std::move(done),
                      std::move(progress));
}

OperationId CloudClient::restore_async(std::string_view agent_id, std::string_view backup_id,
                                       OpCallback done, ProgressCallback progress) {
    require_agent_id(agent_id);
    std::string params = R"({"agentId":)" + json::quote(agent_id);
    if (!backup_id.empty()) params += R"(,"backupId":)" + json::quote(backup_id);
    return call_async("backups.restore", params + "}", std::move(done), std::move(progress));
}

// ---- bridge ----------------------------------------------------------------------------

namespace {

// {"method":"heartbeat.ack",...} or a JSON-RPC response {"jsonrpc":"2.0","result":...}; replies
// carrying "error" were already failed by jsonrpc_error().
bool is_heartbeat_answer(const json::Value &doc) {
    if (json::get_string(doc, "method") == std::optional<std::string>("heartbeat.ack")) return true;
    return json::get_string(doc, "jsonrpc") == std::optional<std::string>("2.0") &&
           json::member(doc, "result") != nullptr;
}

}  // namespace

HttpRequest CloudClient::bridge_request(std::string_view agent_id) const {
    const api::Generation generation = generation_.load();
    const std::string key = key_(true);
    {
        std::lock_guard<std::mutex> lock(bridge_mutex_);
        const std::optional<BridgeTemplate> &t = bridge_template_;
        if (t && t->generation == generation && t->agent_id == agent_id && t->key == key)
            return t->request;
    }
    // The bridge route of the send row (agent.status and agent.alive use the same one).
    HttpRequest request = request_for("send", "agentId", agent_id);
    request.headers.emplace_back("Content-Type", "application/json");
    request.all_response_headers = false;  // nothing past this client sees the bridge's headers
    // Kept under what request_for read itself: its key header, and a generation that did not
    // change meanwhile (the key read above may already be another one).
    const std::string *sent_key = find_header(request.headers, "X-API-Key");
    if (sent_key && generation_.load() == generation) {
        std::lock_guard<std::mutex> lock(bridge_mutex_);
        bridge_template_ = BridgeTemplate{generation, std::string(agent_id), *sent_key, request};
    }
    return request;
}

OperationId CloudClient::bridge_call(std::string_view agent_id, std::string body, BridgeKind kind,
                                     OpCallback done) {
    int timeout =
        kind == BridgeKind::Heartbeat ? options_.heartbeat_timeout_ms : options_.bridge_timeout_ms;
    HttpRequest request = bridge_request(agent_id);
    request.body = std::move(body);
    request.total_timeout_ms = timeout;
    // A message carries its clientMessageId, so sending it again is safe: a cold cache's 503
    // (retryable, Retry-After: 1) is retried with the very same body (E§2.10). A heartbeat is
    // never repeated: its failure is what the connection monitor counts.
    const int max_retries = kind == BridgeKind::Heartbeat ? 0 : options_.max_retries;
    return ops_.start(
        std::move(done), [request = std::move(request), kind, max_retries](Operation &op) mutable {
            Operation *o = &op;
            // A first step runs once: the request is moved, not copied.
            send_with_retries(
                op, std::move(request), max_retries, ErrorFamily::JsonRpc, "the bridge",
                [o, kind](HttpResponse &&response, ErrorInfo &&error, int) {
                    OpResult result = read_bridge_answer(kind, response, std::move(error));
                    if (!result.error.ok()) return o->fail(std::move(result.error));
                    o->succeed(std::move(result.json));
                });
        });
}

OpResult CloudClient::read_bridge_answer(BridgeKind kind, const HttpResponse &response,
                                         ErrorInfo error) {
    auto failed = [](ErrorInfo e) { return OpResult{std::move(e), {}}; };
    auto done = [](std::string json_text) { return OpResult{{}, std::move(json_text)}; };
    if (!error.ok()) return failed(std::move(error));
    if (kind == BridgeKind::Message) {
        // The usual answer, read without building the document; an error reply, or one that
        // does not parse, takes the full path below for its details.
        if (auto reply = json::scan_reply(response.body); reply && !reply->has_error)
            return done(json::text_object(reply->text ? *reply->text : "(no response)"));
    }
    json::Document doc;
    ErrorInfo parse_error = parse_json_body(response, doc);
    if (!parse_error.ok()) return failed(std::move(parse_error));
    if (!doc.IsObject())
        return failed(ErrorInfo::make(Status::Protocol, "bridge reply is not an object"));
    if (auto rpc_error = jsonrpc_error(doc)) return failed(std::move(*rpc_error));
    if (kind == BridgeKind::Heartbeat) {
        // Alive = a 2xx whose body the agent wrote: a JSON-RPC response or heartbeat.ack
        // without error. Any other 2xx (a proxy's page, {}) says nothing about the agent.
        if (!is_heartbeat_answer(doc))
            return failed(ErrorInfo::make(
                Status::Protocol,
                "heartbeat reply is neither a JSON-RPC response nor heartbeat.ack"));
        return done(json::stringify(doc));
    }

    const json::Value *result = json::member(doc, "result");
    if (kind == BridgeKind::Status) {
        if (!result || !result->IsObject())
            return failed(ErrorInfo::make(Status::Protocol, "status.get returned no result"));
        return done(json::stringify(*result));
    }
    // message.send: {"text": the reply}, always present ("(no response)" as R125).
    const json::Value *text = result ? json::member(*result, "text") : nullptr;
    return done(json::text_object(text && text->IsString()
                                      ? std::string_view(text->GetString(), text->GetStringLength())
                                      : std::string_view("(no response)")));
}

std::string CloudClient::message_send_body(std::string_view text, const ChatTarget &options,
                                           bool with_channel_type) {
    // clientMessageId (E§2.10): the eliza cloud replays a landed turn instead of running it twice,
    // which makes a retry safe; the milady cloud forwards it to the agent, which ignores it.
    // Written in one string (this runs for every message sent).
    std::string body;
    body.reserve(200 + text.size() + options.room_id.size() + options.channel_type.size());
    body += R"({"jsonrpc":"2.0","id":")";
    append_uuid_v4(body);
    body += R"(","method":"message.send","params":{"text":)";
    json::append_quoted(body, text);
    body += R"(,"roomId":)";
    json::append_quoted(body, options.room_id);
    body += R"(,"clientMessageId":")";
    append_uuid_v4(body);
    body += '"';
    if (with_channel_type) {
        body += R"(,"channelType":)";
        json::append_quoted(body, options.channel_type);
    }
    body += "}}";
    return body;
}

OperationId CloudClient::send_message_async(std::string_view agent_id, std::string_view text,
                                            const ChatTarget &options, OpCallback done) {
    require_agent_id(agent_id);
    require_channel_type(options.channel_type);
    return bridge_call(agent_id, message_send_body(text, options, true), BridgeKind::Message,
                       std::move(done));
}

OperationId CloudClient::get_status_async(std::string_view agent_id, OpCallback done) {
    require_agent_id(agent_id);
    std::string body =
        R"({"jsonrpc":"2.0","id":)" + json::quote(uuid_v4()) + R"(,"method":"status.get"})";
    return bridge_call(agent_id, std::move(body), BridgeKind::Status, std::move(done));
}

OperationId CloudClient::heartbeat_async(std::string_view agent_id, OpCallback done) {
    require_agent_id(agent_id);
    // A notification (no id), as the agent expects; it answers heartbeat.ack.
    return bridge_call(agent_id, R"({"jsonrpc":"2.0","method":"heartbeat"})", BridgeKind::Heartbeat,
                       std::move(done));
}

// ---- credits -----------------------------------------------------------------------------

OperationId CloudClient::credits_balance_async(bool fresh, OpCallback done) {
    json::Document params(rapidjson::kObjectType);
    if (fresh) json::set(params, "fresh", json::Value(true), params.GetAllocator());
    HttpRequest request = request_for(api::operation("credits"), params);
    return ops_.start(std::move(done), [request = std::move(request)](Operation &op) {
        Operation *o = &op;
        op.request(request, [o](HttpResponse &&response) {
            json::Document doc;
            ErrorInfo error = parse_cloud_envelope(response, doc);
            if (!error.ok()) return o->fail(std::move(error));
            // Bare {balance} (C§3.1) or wrapped {data:{balance}} (R107).
            std::optional<double> balance = json::get_number(doc, "balance");
            if (!balance) {
                if (const json::Value *data = json::member(doc, "data"))
                    balance = json::get_number(*data, "balance");
            }
            if (!balance)
                return o->fail(ErrorInfo::make(Status::Protocol, "unexpected credits response"));
            json::Document out;
            out.SetObject();
            json::set(out, "balance", json::Value(*balance), out.GetAllocator());
            o->succeed(json::stringify(out));
        });
    });
}

}  // namespace elizacloud
