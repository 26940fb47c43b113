#include "routes_breadth.hpp"

#include <cstdlib>

namespace emu {

const char *const kTinyPngBase64 =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg"
    "==";

bool object_body(const Ctx &c, rapidjson::Document &doc) {
    return parse_json(c.req.body, doc) && doc.IsObject();
}

std::string string_or(const rapidjson::Value &obj, const char *name, const std::string &fallback) {
    auto v = get_string(obj, name);
    return v ? *v : fallback;
}

std::optional<int64_t> query_int(const httplib::Request &req, const char *name, bool &bad) {
    if (!req.has_param(name)) return std::nullopt;
    const std::string v = req.get_param_value(name);
    char *end = nullptr;
    const long long n = std::strtoll(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0') {
        bad = true;
        return std::nullopt;
    }
    return static_cast<int64_t>(n);
}

std::optional<bool> query_bool(const httplib::Request &req, const char *name) {
    if (!req.has_param(name)) return std::nullopt;
    return req.get_param_value(name) == "true";
}

std::string records_array(const std::vector<Record> &records) {
    std::string out = "[";
    for (const Record &r : records) {
        if (out.size() > 1) out += ",";
        out += r.json;
    }
    return out + "]";
}

}  // namespace emu
