#include "api/route_catalogue.hpp"

#include <array>
#include <mutex>

#include "util/error.hpp"
#include "util/json.hpp"

namespace elizacloud::data {
// Generated from core/data/routes/ (cmake/EmbedFiles.cmake).
extern const std::string_view kRoutesMilady;
extern const std::string_view kRoutesEliza;
extern const std::string_view kRoutesExtra;
}  // namespace elizacloud::data

namespace elizacloud::api {
namespace {

Route route_from(const json::Value &entry) {
    Route r;
    r.method = json::get_string(entry, "method").value_or("");
    r.path = json::get_string(entry, "path").value_or("");
    r.response_mode = json::get_string(entry, "responseMode").value_or("json");
    r.area = json::get_string(entry, "area").value_or("");
    if (const json::Value *params = json::member(entry, "pathParams"); params && params->IsArray())
        for (const auto &p : params->GetArray())
            if (p.IsString()) r.params.emplace_back(p.GetString(), p.GetStringLength());
    r.segments = split_path(r.path);
    const std::string &last = r.segments.back();
    r.catch_all_optional = last == "{[...path]}";
    r.catch_all = r.catch_all_optional || last == "{path}" || last == "_" ||
                  (r.path == "/api/v1/models/{model}");
    return r;
}

bool has_generation(const json::Value &entry, std::string_view name) {
    const json::Value *gens = json::member(entry, "generations");
    if (!gens || !gens->IsArray()) return true;
    for (const auto &g : gens->GetArray())
        if (g.IsString() && std::string_view(g.GetString(), g.GetStringLength()) == name)
            return true;
    return false;
}

void add_routes(std::vector<Route> &out, std::string_view text, std::string_view generation) {
    json::Document doc;
    if (!json::parse(text, doc) || !doc.IsArray())
        throw Error(Status::Internal, "the embedded route catalogue is not a JSON array");
    for (const auto &entry : doc.GetArray())
        if (entry.IsObject() && has_generation(entry, generation)) out.push_back(route_from(entry));
}

std::vector<Route> load(Generation g) {
    std::vector<Route> out;
    const bool eliza = g == Generation::Eliza;
    add_routes(out, eliza ? data::kRoutesEliza : data::kRoutesMilady, "");
    add_routes(out, data::kRoutesExtra, eliza ? "eliza" : "milady");
    return out;
}

// How well route matches the concrete segments: -1 when it does not, else a score that prefers
// literal segments over parameters, and parameters over a catch-all.
// How route matches the request's segments, one rank per request segment: 3 a literal, 2 a
// placeholder, 1 a segment taken by the catch-all; empty when it does not match. Ranks compare
// from the left, as Next.js orders its routes: at the first difference a literal beats a
// placeholder, which beats a catch-all ("/a/b/{y}" wins over "/a/{x}/c" for /a/b/c).
std::vector<int> match_ranks(const Route &route, const std::vector<std::string> &segments) {
    const size_t n = route.segments.size();
    if (route.catch_all) {
        const size_t fixed = n - 1;
        if (segments.size() < fixed + (route.catch_all_optional ? 0 : 1)) return {};
    } else if (segments.size() != n) {
        return {};
    }
    std::vector<int> ranks;
    ranks.reserve(segments.size());
    for (size_t i = 0; i < n; ++i) {
        if (route.catch_all && i == n - 1) {
            for (size_t j = i; j < segments.size(); ++j) {
                if (segments[j].empty()) return {};
                ranks.push_back(1);
            }
            break;
        }
        if (is_placeholder(route, i)) {
            if (segments[i].empty()) return {};
            ranks.push_back(2);
        } else {
            if (route.segments[i] != segments[i]) return {};
            ranks.push_back(3);
        }
    }
    return ranks;
}

}  // namespace

std::vector<std::string> split_path(std::string_view path) {
    std::vector<std::string> segments;
    size_t start = 1;  // after the leading '/'
    while (start <= path.size()) {
        size_t end = path.find('/', start);
        if (end == std::string_view::npos) end = path.size();
        segments.emplace_back(path.substr(start, end - start));
        start = end + 1;
    }
    return segments;
}

bool is_placeholder(const Route &route, size_t i) {
    const std::string &s = route.segments.at(i);
    return (s.size() > 2 && s.front() == '{' && s.back() == '}') ||
           (route.catch_all && i + 1 == route.segments.size());
}

const std::vector<Route> &routes(Generation g) {
    static const std::vector<Route> milady = load(Generation::Milady);
    static const std::vector<Route> eliza = load(Generation::Eliza);
    return g == Generation::Eliza ? eliza : milady;
}

std::string routes_json(Generation g) {
    json::Document doc(rapidjson::kObjectType);
    auto &alloc = doc.GetAllocator();
    const std::string_view name = g == Generation::Eliza ? "eliza" : "milady";
    json::set(doc, "generation", json::string_value(name, alloc), alloc);
    json::Value list(rapidjson::kArrayType);
    for (const Route &r : routes(g)) {
        json::Value entry(rapidjson::kObjectType);
        json::set(entry, "method", json::string_value(r.method, alloc), alloc);
        json::set(entry, "path", json::string_value(r.path, alloc), alloc);
        json::Value params(rapidjson::kArrayType);
        for (const std::string &p : r.params) params.PushBack(json::string_value(p, alloc), alloc);
        json::set(entry, "pathParams", std::move(params), alloc);
        json::set(entry, "responseMode", json::string_value(r.response_mode, alloc), alloc);
        json::set(entry, "area", json::string_value(r.area, alloc), alloc);
        json::set(entry, "catchAll", json::Value(r.catch_all), alloc);
        list.PushBack(std::move(entry), alloc);
    }
    json::set(doc, "routes", std::move(list), alloc);
    return json::stringify(doc);
}

const Route *find_route(Generation g, std::string_view method, std::string_view path,
                        std::string *allowed) {
    if (path.empty() || path.front() != '/') return nullptr;
    const std::vector<std::string> segments = split_path(path);
    const Route *best = nullptr;
    std::vector<int> best_ranks;
    std::vector<std::string_view> methods;
    for (const Route &r : routes(g)) {
        std::vector<int> ranks = match_ranks(r, segments);
        if (ranks.empty()) continue;
        if (r.method != method) {
            bool seen = false;
            for (std::string_view m : methods) seen = seen || m == r.method;
            if (!seen) methods.push_back(r.method);
            continue;
        }
        // Equal ranks (the same route twice) keep the first.
        if (!best || ranks > best_ranks ||
            (ranks == best_ranks && !r.catch_all && best->catch_all)) {
            best = &r;
            best_ranks = std::move(ranks);
        }
    }
    if (!best && allowed) {
        allowed->clear();
        for (std::string_view m : methods) {
            if (!allowed->empty()) *allowed += ", ";
            *allowed += m;
        }
    }
    return best;
}

}  // namespace elizacloud::api
