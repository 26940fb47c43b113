#include "routes_common.hpp"

namespace emu {

std::string issues_json(const std::vector<Issue> &issues) {
    JsonOut o;
    o.begin_arr();
    for (const auto &i : issues) {
        o.begin_obj().f("code", i.code);
        if (i.code == "invalid_type") o.f("expected", i.expected).f("received", i.received);
        if (i.code == "invalid_literal") {
            o.key("expected").raw(i.expected);
            o.key("received").raw(i.received);
        }
        if (i.code == "too_small" || i.code == "too_big") {
            o.f(i.code == "too_small" ? "minimum" : "maximum", i.limit)
                .f("type", "string")
                .f("inclusive", true)
                .f("exact", false);
        }
        if (i.code == "invalid_string") o.f("validation", i.validation);
        o.begin_arr("path");
        for (const auto &p : i.path) o.put(p);
        o.end().f("message", i.message).end();
    }
    o.end();
    return o.str();
}

Reply invalid_request(const char *error, const std::vector<Issue> &issues, bool with_success) {
    JsonOut o;
    o.begin_obj();
    if (with_success) o.f("success", false);
    o.f("error", error).f_raw("details", issues_json(issues)).end();
    return json_reply(400, o.str());
}

bool expect_type(const rapidjson::Value *v, const char *type, const std::vector<std::string> &path,
                 std::vector<Issue> &issues) {
    std::string got = js_type(v);
    if (got == type) return true;
    Issue i;
    i.code = "invalid_type";
    i.path = path;
    i.expected = type;
    i.received = got;
    i.message = v ? "Expected " + std::string(type) + ", received " + got : "Required";
    issues.push_back(i);
    return false;
}

void check_string_len(const rapidjson::Value &v, const std::vector<std::string> &path, int64_t min,
                      int64_t max, std::vector<Issue> &issues) {
    auto len =
        static_cast<int64_t>(utf8_length(std::string_view(v.GetString(), v.GetStringLength())));
    if (len < min) {
        issues.push_back({"too_small", path,
                          "String must contain at least " + std::to_string(min) + " character(s)",
                          "", "", min, ""});
    } else if (len > max) {
        issues.push_back({"too_big", path,
                          "String must contain at most " + std::to_string(max) + " character(s)",
                          "", "", max, ""});
    }
}

}  // namespace emu
