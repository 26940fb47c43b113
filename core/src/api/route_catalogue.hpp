// The cloud's public routes per contract generation (SPEC §2.8), shipped as data
// (core/data/routes/, embedded at build time): what the generic request may call, what
// `routes()` lists. A route is a method and a path template whose parameters are `{name}`
// segments; a catch-all (see core/data/routes/README.md) takes the rest of the path.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "api/operation_spec.hpp"

namespace elizacloud::api {

struct Route {
    std::string method;                 // GET, POST, PUT, PATCH, DELETE, HEAD
    std::string path;                   // template: /api/v1/apps/{id}/domains
    std::vector<std::string> params;    // the placeholders, in order
    std::string response_mode;          // json, json-or-empty, mixed, stream, binary, text
    std::string area;                   // apps, eliza/agents, api/health …
    std::vector<std::string> segments;  // path split on '/', without the leading empty one
    // The last segment is a catch-all: it takes one or more segments ("{path}", "{model}",
    // "_"), or none as well ("{[...path]}").
    bool catch_all = false;
    bool catch_all_optional = false;
};

// The routes of generation g (Unknown: milady's), the SDKs' tables plus the public routes
// outside them. Parsed once; valid for the process's life.
const std::vector<Route> &routes(Generation g);

// {"generation":"eliza","routes":[{"method","path","pathParams","responseMode","area",
// "catchAll"}]}
std::string routes_json(Generation g);

// The route of g that method + path (a concrete path: segments as they will be sent,
// percent-encoded) calls, the most specific one when several match; nullptr when none.
// allowed, when given and no route matched, receives the methods the path does have
// ("GET, DELETE"), empty when the path is unknown.
const Route *find_route(Generation g, std::string_view method, std::string_view path,
                        std::string *allowed = nullptr);

// "/a/b/{c}" → {"a", "b", "{c}"} (the segments after the leading '/'; empty ones kept).
std::vector<std::string> split_path(std::string_view path);

// Whether segment i of route is a placeholder ({name}, or the catch-all "_").
bool is_placeholder(const Route &route, size_t i);

}  // namespace elizacloud::api
