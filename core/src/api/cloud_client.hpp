// ElizaCloudClient (SPEC §2.2, C§2–§4): the cloud's agent, job, bridge, stream, credits and
// identity endpoints. Every operation is asynchronous (returns an OperationId at once; the
// completion runs on the engine's I/O thread with the record as JSON text); waiting is the
// handle's business (Cloud::run), not the client's.
// Arguments are checked before anything is sent: the async forms throw Error(InvalidArgument)
// for a non-UUID agent id, an unknown channel type or a create body that is not a JSON object.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "api/agent_ops.hpp"
#include "api/operation_spec.hpp"
#include "api/raw_call.hpp"
#include "net/base_url.hpp"
#include "net/engine.hpp"
#include "net/operation.hpp"
#include "util/json.hpp"

namespace elizacloud {

// All in milliseconds; tests shrink them.
struct ClientOptions {
    int crud_timeout_ms = 30'000;    // agents, snapshots, backups, jobs, user
    int bridge_timeout_ms = 60'000;  // message.send, status.get
    int heartbeat_timeout_ms = 10'000;
    int credits_timeout_ms = 10'000;
    int job_poll_interval_ms = 0;              // > 0 overrides the cloud's polling.intervalMs
    int job_default_poll_interval_ms = 5'000;  // when the cloud sends no interval
    int job_timeout_ms = 300'000;              // overall bound on following a provisioning job
    int stream_idle_timeout_ms = 120'000;      // no byte for this long ends a stream with Timeout
    // The cloud's API generation; Unknown: told by detect_generation_async before the first
    // call whose route depends on it (the handle does that for "auto").
    api::Generation generation = api::Generation::Milady;
    // Values for the header parameters a call does not give, by header name: the handle's
    // confirm_price is the X-Eliza-Dedicated-Price of the rows that can start paid compute
    // (E§2.4.1). Absent: the header is not sent.
    std::map<std::string, std::string, std::less<>> default_headers;
    // Retries of an answer the cloud marks retryable, for requests safe to repeat (SPEC §2.9).
    int max_retries = 2;
};

struct Identity {
    std::string user_id;          // data.id
    std::string organization_id;  // data.organization.id (empty if the key has no org)
    std::string json;             // the whole data object
};

// Extracts userId/organizationId from the GET /api/v1/user data object. Protocol error when
// data.id is missing.
Identity identity_from_json(std::string_view data_json);

// The client is the AgentOps of the orchestration layer (CloudManager, proxy, scheduler) itself.
// Per-call overrides of the client's options (ec_cloud_call_with); -1 = the client's.
// max_retries applies to the rows that retry (idempotent ones); timeout_ms bounds each request of
// the call (a followed job keeps its overall job timeout).
struct CallOverrides {
    int max_retries = -1;
    int timeout_ms = -1;
};

class CloudClient final : public AgentOps {
public:
    // The key to send now. required: throws Error(NotConnected) saying why when there is none;
    // not required: "" then. A handle's one client reads its account's key through this, so it
    // survives login and logout.
    using KeySupplier = std::function<std::string(bool required)>;

    // The API key is sent as X-API-Key on every call and never appears in errors or logs.
    CloudClient(std::shared_ptr<Engine> engine, BaseUrl base, KeySupplier key,
                ClientOptions options = {});
    // A fixed key (NotConnected at once when it is empty).
    CloudClient(std::shared_ptr<Engine> engine, BaseUrl base, std::string api_key,
                ClientOptions options = {});
    // Cancels every operation and waits for their completions (off the I/O thread).
    ~CloudClient() override;
    CloudClient(const CloudClient &) = delete;
    CloudClient &operator=(const CloudClient &) = delete;

    const BaseUrl &base() const { return base_; }
    const ClientOptions &options() const { return options_; }
    // "eliza_ab12cd" — the only part of the key that may be shown.
    std::string key_prefix() const;

    // ---- AgentOps (api/agent_ops.hpp): the orchestration layer's calls ----
    OperationId provision(const std::string &agent_id, OpCallback done,
                          ProgressCallback progress) override {
        return start_agent_async(agent_id, std::move(done), std::move(progress));
    }
    OperationId get_agent(const std::string &agent_id, OpCallback done) override {
        return get_agent_async(agent_id, std::move(done));
    }
    OperationId snapshot(const std::string &agent_id, OpCallback done) override {
        return snapshot_async(agent_id, std::move(done));
    }
    OperationId list_backups(const std::string &agent_id, OpCallback done) override {
        return list_backups_async(agent_id, std::move(done));
    }
    OperationId restore(const std::string &agent_id, const std::string &backup_id,
                        OpCallback done) override {
        return restore_async(agent_id, backup_id, std::move(done));
    }
    OperationId heartbeat(const std::string &agent_id, OpCallback done) override {
        return heartbeat_async(agent_id, std::move(done));
    }
    OperationId send(const std::string &agent_id, const std::string &text, const ChatTarget &target,
                     OpCallback done) override {
        return send_message_async(agent_id, text, target, std::move(done));
    }
    OperationId stream(const std::string &agent_id, const std::string &text,
                       const ChatTarget &target, ChunkCallback on_chunk, OpCallback done) override {
        return stream_async(agent_id, text, target, std::move(on_chunk), std::move(done));
    }
    OperationId status(const std::string &agent_id, OpCallback done) override {
        return get_status_async(agent_id, std::move(done));
    }

    // ---- asynchronous forms: json in the completion is described per call ----
    OperationId list_agents_async(OpCallback done);                                  // data array
    OperationId create_agent_async(std::string_view request_json, OpCallback done);  // data
    OperationId get_agent_async(std::string_view agent_id, OpCallback done);         // data
    OperationId delete_agent_async(std::string_view agent_id, OpCallback done);      // {} or data
    // Provision / resume: follow the job to completion; json = the agent record afterwards.
    OperationId provision_async(std::string_view agent_id, OpCallback done,
                                ProgressCallback progress = {});
    OperationId resume_async(std::string_view agent_id, OpCallback done,
                             ProgressCallback progress = {});
    // What connect needs: the agent running. Provision, or on the eliza generation wake it when
    // it sleeps (its container is gone; wake restores its state). json = the agent record.
    OperationId start_agent_async(std::string_view agent_id, OpCallback done,
                                  ProgressCallback progress = {});
    // Restore the latest backup (empty backup_id) or one by id; a job answer is followed too.
    OperationId restore_async(std::string_view agent_id, std::string_view backup_id,
                              OpCallback done, ProgressCallback progress = {});
    OperationId suspend_async(std::string_view agent_id, OpCallback done);       // data
    OperationId snapshot_async(std::string_view agent_id, OpCallback done);      // data
    OperationId list_backups_async(std::string_view agent_id, OpCallback done);  // data array
    // Bridge message.send; json = {"text": the result's text, or "(no response)"}.
    OperationId send_message_async(std::string_view agent_id, std::string_view text,
                                   const ChatTarget &options, OpCallback done);
    OperationId get_status_async(std::string_view agent_id, OpCallback done);  // result object
    // Ok (json = the agent's reply, or {}) iff HTTP 2xx and no JSON-RPC error.
    OperationId heartbeat_async(std::string_view agent_id, OpCallback done);
    // SSE stream; on_chunk gets each chunk's text in order; json = {"text":<all chunks>}.
    OperationId stream_async(std::string_view agent_id, std::string_view text,
                             const ChatTarget &options, ChunkCallback on_chunk, OpCallback done);
    OperationId credits_balance_async(bool fresh, OpCallback done);       // {"balance":<number>}
    OperationId get_user_async(OpCallback done);                          // data
    OperationId get_job_async(std::string_view job_id, OpCallback done);  // data
    // The generic executor: any HTTP row of the registry with its parameters (a JSON object,
    // checked against the row): builds the request, sends it with the key, maps errors, reads
    // the envelope, follows the job of a job row (progress after each poll).
    OperationId call_async(const api::OperationSpec &op, std::string_view params_json,
                           OpCallback done, ProgressCallback progress = {});
    // The same with parameters already checked against op (api::check_params).
    OperationId call_checked(const api::OperationSpec &op, const json::Document &params,
                             OpCallback done, ProgressCallback progress = {},
                             CallOverrides overrides = {});
    OperationId call_async(std::string_view op_name, std::string_view params_json, OpCallback done,
                           ProgressCallback progress = {});
    // The generic request (the "request" row, api/raw_call.hpp): sends call with the key, maps a
    // non-2xx answer to its error, retries transient failures of an idempotent call (SPEC §2.9),
    // and completes with the Response record (json = {status, headers, json|text|base64, bytes,
    // route, attempts, rateLimit}). A streamed call hands each SSE event (text = data, json =
    // {"event","id"}) or each read of bytes (json empty) to on_chunk as it arrives; with no
    // on_chunk the stream is collected into the result (events, or base64).
    using RawChunkCallback = std::function<void(std::string_view text, std::string_view json)>;
    OperationId request_async(api::RawCall call, RawChunkCallback on_chunk, OpCallback done);
    // A streaming row other than the agent's (api/inference_stream.cpp): OpenAI or Anthropic SSE
    // (text deltas to on_chunk; the result is the accumulated completion or final message) or
    // binary (bytes to on_chunk; the result {bytes, contentType}). Empty on_chunk: only the
    // result (a synchronous caller).
    OperationId stream_call(const api::OperationSpec &op, const json::Document &params,
                            RawChunkCallback on_chunk, OpCallback done);
    // The cloud's API generation: configured, detected, or Unknown (not yet detected).
    api::Generation generation() const { return generation_.load(); }
    // Tells the generation and keeps it for the client's life (json = {"apiGeneration"}): GET
    // /api/health (public; the eliza generation adds environment and schema markers), and when
    // that is ambiguous GET /api/v1/eliza/agents with the key (200: eliza, 404: milady). A
    // network failure or an undecidable answer fails (Status::Generation) and is not kept.
    OperationId detect_generation_async(OpCallback done);
    // The bridge's JSON-RPC calls, and how one answer is read (shared with the stream, whose
    // reply comes from the bridge for a dedicated eliza agent).
    enum class BridgeKind { Message, Status, Heartbeat };
    // error: error_from_response's for the answer. json: {"text": message.send's reply, or
    // "(no response)"}, status.get's result, the heartbeat's reply.
    static OpResult read_bridge_answer(BridgeKind kind, const HttpResponse &response,
                                       ErrorInfo error);
    // {"jsonrpc":"2.0","id":…,"method":"message.send","params":{text, roomId, [channelType,]
    // clientMessageId}}: a fresh id for each new message (E§2.10).
    static std::string message_send_body(std::string_view text, const ChatTarget &target,
                                         bool with_channel_type);
    // Cancels any operation of this client, whatever step it is in (Cancelled completion).
    void cancel(OperationId id) override;
    // Cancels every operation in flight (the account's key changed: logout, a new login).
    void cancel_all();

private:
    // path: from the origin ("/api/v1/user").
    // key_optional: a public route, sent without X-API-Key when there is no key.
    HttpRequest make_request(std::string_view method, std::string path, int timeout_ms,
                             bool key_optional = false) const;
    // A row's request: path template filled (each value one encoded segment), query, JSON body.
    HttpRequest request_for(const api::OperationSpec &op, const json::Value &params) const;
    // The same for a row with one string parameter (an agent or job id).
    HttpRequest request_for(std::string_view op_name, std::string_view key,
                            std::string_view value) const;
    int timeout_of(const api::OperationSpec &op) const;
    // A row's JSON body: its body parameters (Params), or everything but the path, query, header
    // and local ones (Passthrough).
    static std::string body_for(const api::OperationSpec &op, const json::Value &params);
    HttpRequest make_json_request(std::string_view method, std::string path, std::string body,
                                  int timeout_ms, bool key_optional = false) const;
    struct JobFollower;  // job_poller.cpp: the steps of following a provisioning job
    friend struct JobFollower;
    enum class DataKind { Object, Array, Optional };  // what a missing "data" means
    // max_retries > 0: a transient failure is sent again (idempotent rows).
    OperationId envelope_call(HttpRequest request, DataKind kind, int max_retries, OpCallback done);
    OperationId follow_job_call(const api::OperationSpec &spec, std::string agent_id,
                                HttpRequest first, OpCallback done, ProgressCallback progress);
    struct ContainerFollower;  // container_follower.cpp: following a container's deployment
    friend struct ContainerFollower;
    OperationId follow_container_call(const api::OperationSpec &spec, HttpRequest first,
                                      OpCallback done, ProgressCallback progress);
    OperationId bridge_call(std::string_view agent_id, std::string body, BridgeKind kind,
                            OpCallback done);
    // The bridge request of the send row for an agent (no body yet): request_for's, kept for the
    // next call while the agent, the generation and the key stay the same (every message and
    // heartbeat goes there; working the row out again cost more than the rest of the send).
    HttpRequest bridge_request(std::string_view agent_id) const;
    struct BridgeTemplate {
        api::Generation generation = api::Generation::Unknown;
        std::string agent_id;
        std::string key;
        HttpRequest request;
    };
    mutable std::mutex bridge_mutex_;
    mutable std::optional<BridgeTemplate> bridge_template_;

    BaseUrl base_;
    std::string current_key() const;  // key_(true), or no_api_key_error() when it is empty
    KeySupplier key_;
    ClientOptions options_;
    std::atomic<api::Generation> generation_;
    OperationSet ops_;  // last: destroyed (operations cancelled) before the fields above
};

}  // namespace elizacloud
