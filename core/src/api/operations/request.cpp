// The generic request (SPEC §2.8): any public route of the cloud by method and path, with the
// client's key, URL policy, error mapping, retries, limits and streaming. The path must be a
// route of the generation in use (routes lists them) unless the call says uncatalogued.
#include <array>

#include "api/operations/operations.hpp"

namespace elizacloud::api {
namespace {

constexpr std::array<ParamSpec, 15> kRequest{{
    {.name = "method",
     .type = ParamType::Enum,
     .in = ParamIn::Local,
     .required = true,
     .enum_values = "GET|POST|PUT|PATCH|DELETE|HEAD",
     .doc = "the HTTP method"},
    {.name = "path",
     .in = ParamIn::Local,
     .required = true,
     .min_length = 1,
     .max_length = 4096,
     .doc = "the route from the origin, e.g. /api/v1/apps/{id} (placeholders filled from "
            "pathParams, each value percent-encoded) or a concrete path whose segments are "
            "already percent-encoded; no query string (use query)"},
    {.name = "pathParams",
     .type = ParamType::StringMap,
     .in = ParamIn::Local,
     .doc = "values of the path's {placeholders}; a catch-all keeps its '/'"},
    {.name = "query",
     .type = ParamType::Object,
     .in = ParamIn::Local,
     .doc = "query parameters: strings, numbers, booleans, or arrays of them (repeated keys)"},
    {.name = "json",
     .type = ParamType::Object,
     .in = ParamIn::Local,
     .doc = "a JSON body (sent as application/json)"},
    {.name = "body",
     .in = ParamIn::Local,
     .doc = "a text body, sent as contentType (instead of json)"},
    {.name = "contentType",
     .in = ParamIn::Local,
     .max_length = 200,
     .doc = "the Content-Type of body (default text/plain; charset=utf-8)"},
    {.name = "files",
     .type = ParamType::Object,
     .in = ParamIn::Local,
     .doc = "a multipart/form-data body: {field: file or [files]}, a file being a path or "
            "{path | data (base64), filename, contentType}; files on disk are streamed"},
    {.name = "form",
     .type = ParamType::StringMap,
     .in = ParamIn::Local,
     .doc = "text fields of the multipart body (with files)"},
    {.name = "headers",
     .type = ParamType::StringMap,
     .in = ParamIn::Local,
     .doc = "extra request headers (X-App-Id, X-PAYMENT …); the key's header, Host and framing "
            "headers cannot be set"},
    {.name = "stream",
     .type = ParamType::Enum,
     .in = ParamIn::Local,
     .enum_values = "none|sse|bytes",
     .default_json = "\"none\"",
     .doc = "sse: each Server-Sent Event is a chunk (text = data, json = {event, id}); bytes: "
            "the body's bytes as chunks; none: the whole body in the result"},
    {.name = "maxRetries",
     .type = ParamType::Integer,
     .in = ParamIn::Local,
     .doc = "retries of a transient failure (connection, timeout, 408, 429, 5xx, retryable); "
            "default the client's max_retries; only idempotent requests are retried"},
    {.name = "idempotent",
     .type = ParamType::Boolean,
     .in = ParamIn::Local,
     .doc = "the request is safe to repeat (GET, HEAD, PUT and DELETE always are); lets a POST "
            "be retried"},
    {.name = "timeoutMs",
     .type = ParamType::Integer,
     .in = ParamIn::Local,
     .doc = "bound on each attempt, in ms (default: the client's CRUD timeout; streams: none, "
            "the idle timeout applies)"},
    {.name = "uncatalogued",
     .type = ParamType::Boolean,
     .in = ParamIn::Local,
     .default_json = "false",
     .doc = "call a path that is not in the generation's route catalogue (a newer cloud route)"},
}};

constexpr std::array<ParamSpec, 1> kRoutes{{
    {.name = "generation",
     .type = ParamType::Enum,
     .in = ParamIn::Local,
     .enum_values = "milady|eliza",
     .doc = "the catalogue of this generation (default: the cloud's, detected when needed)"},
}};

constexpr std::array<OperationSpec, 2> kRows{{
    {.name = "request",
     .summary = "Any public route of the cloud by method and path: the key, URL policy, error "
                "mapping, retries, limits and streaming of every call",
     .kind = Kind::Session,
     .handler = Method::Request,
     .surface = Surface::Custom,
     .params = kRequest,
     .result = "ResponseRecord",
     .timing = Timing::Crud},
    {.name = "routes",
     .summary = "The cloud's public routes (method, path, parameters, response mode) that "
                "request can call",
     .kind = Kind::Session,
     .handler = Method::Routes,
     .scope = Scope::None,
     .params = kRoutes,
     .result = "RouteCatalogue",
     .errors = ErrorFamily::Local,
     .idempotent = true,
     .timing = Timing::Local},
}};

}  // namespace

std::span<const OperationSpec> request_operations() {
    return kRows;
}

}  // namespace elizacloud::api
