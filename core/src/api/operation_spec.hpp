// The shape of one row of the operation registry (SPEC §10): everything a caller, a binding, the
// CLI or the docs need to know about one cloud operation, as constant data. Rows live in
// api/operations/<resource>.cpp; registry.hpp collects and checks them, call_params.hpp checks a
// call's parameters against them, and CloudClient::call_async runs any HTTP row.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace elizacloud {

// Who carries out an operation. Rows of kind Http all share one generic executor (Method::Http);
// the others need the handle's session state (the key being replaced, the connected agent, its
// backup scheduler) and have a handler of their own in handle/.
enum class Method {
    Http,
    Login,
    LoginSessionCreate,
    LoginSessionPoll,
    Logout,
    Status,
    Credits,
    Identity,
    Connect,
    Disconnect,
    Send,
    Stream,
    AgentStatus,
    IsAlive,
    Snapshot,
    BackupsList,
    Restore,
    Request,  // the generic request: any catalogued route
    Routes,   // the route catalogue
};

namespace api {

// The cloud's contract generations (SPEC §2.10): the seeds' ("milady") and the live cloud's
// ("eliza"). Unknown until configured or detected.
enum class Generation { Unknown, Milady, Eliza };
std::string_view generation_name(Generation g);  // "milady", "eliza", "" (Unknown)

// Json: any JSON value, passed as it is (OpenAI's messages, an embedding's string-or-array input).
// File, Files: one file or a list of files to upload, in a multipart body (Body::Multipart). A
// file is given as a path ("/tmp/a.txt" or {"path", "filename"?, "contentType"?}) or as bytes
// ({"data": base64, "filename", "contentType"?}); see api/upload_files.hpp.
enum class ParamType {
    String,
    Uuid,
    Boolean,
    Integer,
    Number,
    Object,
    StringMap,
    Enum,
    Json,
    File,
    Files
};
// Where a parameter goes: into the path template, the query string, the JSON body, a request
// header (ParamSpec::header), or to the session handler only (an optional agent id that
// defaults to the connected agent).
enum class ParamIn { Path, Query, Body, Header, Local };

struct ParamSpec {
    std::string_view name;  // the wire name, spelt as the cloud spells it
    ParamType type = ParamType::String;
    ParamIn in = ParamIn::Body;
    bool required = false;
    std::string_view arg = {};           // the SDKs' argument name; empty = snake_case(name)
    std::string_view enum_values = {};   // ParamType::Enum: "DM|GROUP|VOICE_DM"
    std::string_view default_json = {};  // applied when absent, e.g. "\"web-chat\"" or "false"
    int32_t min_length = -1;             // strings, in characters; -1 = no limit
    int32_t max_length = -1;             // strings: characters; File(s): bytes of each file
    std::string_view doc = {};
    std::string_view header = {};  // ParamIn::Header: the header's name
    int32_t max_items = -1;        // Files: how many at most
    int64_t max_total_bytes = -1;  // Files: all of them together
    std::string_view accept = {};  // File(s): the file name extensions taken, "mp3|wav"
    // Files: each file's multipart field name when it is not `name`; "{n}" is its index
    // (the voice clone route takes file0, file1, …).
    std::string_view part = {};
};

enum class Kind { Http, Session };
// Plain: parameters in, one JSON result out; every SDK method, CLI command and doc entry is
// generated. Custom: the SDKs keep a hand-written method (callbacks, connections, streams).
enum class Surface { Plain, Custom };
enum class Scope { None, Account, Connected };
// Params: the body parameters as a JSON object. Passthrough: those and whatever else the caller
// gives. Multipart: the body parameters as multipart/form-data parts, files as file parts (a
// JSON-valued parameter goes as its JSON text).
enum class Body { None, Params, Passthrough, Multipart };
enum class ErrorFamily { Cloud, Bridge, Local };
// How a streaming row answers (its chunks are EC_EVENT_STREAM_CHUNK, its end EC_EVENT_STREAM_END):
// an agent's reply (AgentSse), an OpenAI chat-completion stream (text deltas; the end carries the
// accumulated completion), an Anthropic message stream (text deltas; tool-use input accumulated;
// the end carries the final message), or raw bytes (audio).
enum class Streaming { None, AgentSse, OpenAiSse, AnthropicSse, Binary };
// Where a successful answer's result is: the "data" of the cloud's {success, data} envelope; the
// whole JSON body (bare answers: the OpenAI- and Anthropic-compatible routes, and the routes that
// put their sections at the top level, {success, app, apiKey}); or a JSON-RPC 2.0 call, whose body
// the executor builds as {jsonrpc, id, method: rpc_method, params: the body parameters} and whose
// "result" is the result (A2A).
enum class Answer { Data, Whole, JsonRpc };
// What a successful envelope's "data" must be: a record, a list, or possibly nothing ({}).
enum class ResultShape { Object, Array, Optional };
// What a followed job's call returns once the job completed: the agent record (provision,
// resume, wake, an auto-provisioning create), the job's result (an eliza snapshot's backup), or
// the first answer's data (suspend, delete: the job only has to have finished).
enum class JobEnd { Agent, JobResult, StartData };
// Which of the client's configurable timeouts bounds the operation (ClientOptions).
// Upload: the cloud's own limit for its upload routes (300 s, contract §7.8), or the CRUD
// timeout when that is longer.
enum class Timing {
    Crud,
    Bridge,
    Heartbeat,
    Credits,
    Job,
    Stream,
    Login,
    LoginStep,
    Local,
    Upload
};

struct OperationSpec {
    std::string_view name;  // "agents.create": resource "agents", action "create"
    std::string_view summary;
    Kind kind = Kind::Http;
    Method handler = Method::Http;
    Surface surface = Surface::Plain;
    Scope scope = Scope::Account;
    std::string_view http_method = {};  // empty for session operations without one request
    std::string_view milady_path =
        {};                            // template under the origin: /api/v1/milady/agents/{agentId}
    std::string_view eliza_path = {};  // the same route on the eliza generation; empty = absent
    std::span<const ParamSpec> params = {};
    Body body = Body::None;
    std::string_view result = "Empty";  // a type of api/types.cpp; "X[]" is a list of X
    ResultShape shape = ResultShape::Object;
    ErrorFamily errors = ErrorFamily::Cloud;
    bool idempotent = false;
    Streaming streaming = Streaming::None;
    // 202 (or 409 with success:true) answers carry a job that is followed to its end; what the
    // call then returns is job_end's.
    bool follows_job = false;
    JobEnd job_end = JobEnd::Agent;
    // A job-following call whose immediate 200 is not the agent record (resume): fetch it.
    bool fetch_agent_after = false;
    // A container deployment (202 with the container record and polling hints) followed until
    // the container runs (the call returns its record) or stops short of it (fails).
    bool follows_container = false;
    Timing timing = Timing::Crud;
    Answer answer = Answer::Data;
    std::string_view rpc_method = {};  // Answer::JsonRpc: the JSON-RPC method, e.g. "tasks/get"
};

// Result types, for the catalogue (typed SDK results and docs).
struct FieldSpec {
    std::string_view name;
    std::string_view type;  // string, integer, number, boolean, object, json, a type name, X[],
                            // and "|null" for nullable
    bool required = false;
    std::string_view doc = {};
};

struct TypeSpec {
    std::string_view name;
    std::span<const FieldSpec> fields;
    bool open = true;  // the cloud may send more fields than these
};

// The row's path on generation g (Unknown: milady's); empty when the row has none there.
std::string_view path_on(const OperationSpec &op, Generation g);
// Whether the row's route differs between the generations (so a call must know which one).
bool depends_on_generation(const OperationSpec &op);

}  // namespace api
}  // namespace elizacloud
