// API keys (C§6): the /api/v1/api-keys subtree is session-only at the real cloud's edge: an API
// key gets 401 {success:false, error, code:"session_auth_required"}. The emulator has no browser
// sessions, so the knob apiKeysAcceptKeys (--api-keys-accept-keys) lets API keys through to
// exercise the routes. Created keys are real: they authenticate like any other.
#include "routes_breadth.hpp"

namespace emu {

namespace {

constexpr const char *kKey = "api-key";

Reply key_not_found() {
    return bare_error(404, "API key not found");
}

void check_body(const rapidjson::Value &body, bool create, std::vector<Issue> &issues) {
    const auto *name = member(body, "name");
    if ((create || name) && expect_type(name, "string", {"name"}, issues))
        check_string_len(*name, {"name"}, 1, 100, issues);
    if (const auto *v = member(body, "description"); v && !v->IsNull())
        expect_type(v, "string", {"description"}, issues);
    if (const auto *v = member(body, "permissions");
        v && expect_type(v, "array", {"permissions"}, issues)) {
        if (v->Size() > 50)
            issues.push_back({"too_big",
                              {"permissions"},
                              "Array must contain at most 50 element(s)",
                              "",
                              "",
                              50,
                              ""});
        for (rapidjson::SizeType i = 0; i < v->Size(); ++i)
            expect_type(&(*v)[i], "string", {"permissions", std::to_string(i)}, issues);
    }
    if (const auto *v = member(body, "rate_limit");
        v && expect_type(v, "number", {"rate_limit"}, issues)) {
        const int64_t n = v->IsInt64() ? v->GetInt64() : 0;
        if (n < 1 || n > 100000)
            issues.push_back({n < 1 ? "too_small" : "too_big",
                              {"rate_limit"},
                              "rate_limit must be 1 to 100000",
                              "",
                              "",
                              n < 1 ? 1 : 100000,
                              ""});
    }
    if (const auto *v = member(body, "expires_at"); v && !v->IsNull())
        expect_type(v, "string", {"expires_at"}, issues);
    if (const auto *v = member(body, "is_active")) expect_type(v, "boolean", {"is_active"}, issues);
}

// The stored record (with the key, as the real list shows it) without the secret.
std::string public_view(const std::string &json) {
    rapidjson::Document d;
    parse_json(json, d);
    d.RemoveMember("key");
    return to_json(d);
}

}  // namespace

void register_key_routes(App &app) {
    Router &r = app.router;
    State &st = *app.state;
    Records &rec = app.records;
    RuntimeConfig &cfg = app.cfg;

    // The edge's session-only gate, then the usual key check.
    auto session_only = [&st, &cfg](auto fn) -> Handler {
        return [&st, &cfg, fn](Ctx &c) -> Reply {
            if (has_programmatic_credentials(c.req) && !cfg.api_keys_accept_keys.load())
                return cloud_error(
                    401, "This endpoint requires a browser session; API keys are not accepted",
                    "session_auth_required");
            AuthCheck a = edge_auth(c.req, st);
            if (!a.who) return auth_error(a);
            return fn(c, *a.who);
        };
    };

    r.add("GET", "/api/v1/api-keys", session_only([&rec](Ctx &, const Principal &who) {
              JsonOut o;
              o.begin_obj().f_raw("keys", records_array(rec.list(kKey, who.org_id))).end();
              return json_reply(200, o.str());
          }));

    // A new key record for `info`, from the body's settings.
    auto record_of = [](const KeyInfo &info, const std::string &id, const rapidjson::Value &body,
                        const std::string &created) {
        JsonOut o;
        o.begin_obj().f("id", id).f("name", string_or(body, "name", "key"));
        if (auto d = get_string(body, "description")) {
            o.f("description", *d);
        } else {
            o.f_null("description");
        }
        o.f("key_prefix", info.prefix).f("key", info.key);
        if (const auto *p = member(body, "permissions")) {
            o.key("permissions").value(*p);
        } else {
            o.begin_arr("permissions").end();
        }
        o.f("rate_limit", get_int(body, "rate_limit").value_or(1000)).f("is_active", true);
        if (auto e = get_string(body, "expires_at")) {
            o.f("expires_at", *e);
        } else {
            o.f_null("expires_at");
        }
        o.f("created_at", created).end();
        return o.str();
    };

    r.add("POST", "/api/v1/api-keys",
          session_only([&rec, &st, record_of](Ctx &c, const Principal &who) {
              rapidjson::Document body;
              if (!object_body(c, body)) return bare_error(400, "Invalid JSON body");
              std::vector<Issue> issues;
              check_body(body, true, issues);
              if (!issues.empty()) return invalid_request("Validation error", issues, false);
              const KeyInfo info = st.create_key(who.org_id, std::nullopt);
              const std::string id = uuid_v4();
              const std::string json = record_of(info, id, body, iso_ms(now_ms()));
              rec.put(kKey, {id, who.org_id, json, 0, 0});
              JsonOut o;
              o.begin_obj().f_raw("apiKey", public_view(json)).f("plainKey", info.key).end();
              return json_reply(201, o.str());
          }));

    r.add("PATCH", "/api/v1/api-keys/{id}", session_only([&rec](Ctx &c, const Principal &who) {
              rapidjson::Document body;
              if (!object_body(c, body)) return bare_error(400, "Invalid JSON body");
              std::vector<Issue> issues;
              check_body(body, false, issues);
              if (!issues.empty()) return invalid_request("Validation error", issues, false);
              auto updated =
                  rec.update(kKey, who.org_id, c.param(0), [&body](rapidjson::Document &d) {
                      for (const char *k : {"name", "description", "permissions", "rate_limit",
                                            "expires_at", "is_active"})
                          if (const auto *v = member(body, k)) set_member(d, k, *v);
                  });
              if (!updated) return key_not_found();
              JsonOut o;
              o.begin_obj().f_raw("apiKey", public_view(updated->json)).end();
              return json_reply(200, o.str());
          }));

    r.add(
        "DELETE", "/api/v1/api-keys/{id}", session_only([&rec, &st](Ctx &c, const Principal &who) {
            auto found = rec.get(kKey, who.org_id, c.param(0));
            if (!found) return key_not_found();
            rapidjson::Document d;
            parse_json(found->json, d);
            st.revoke_key(string_or(d, "key", ""));
            rec.erase(kKey, who.org_id, found->id);
            return json_reply(200, R"({"success":true,"message":"API key deleted successfully"})");
        }));

    r.add("POST", "/api/v1/api-keys/{id}/regenerate",
          session_only([&rec, &st, record_of](Ctx &c, const Principal &who) {
              auto found = rec.get(kKey, who.org_id, c.param(0));
              if (!found) return key_not_found();
              rapidjson::Document d;
              parse_json(found->json, d);
              st.revoke_key(string_or(d, "key", ""));
              const KeyInfo info = st.create_key(who.org_id, std::nullopt);
              const std::string json =
                  record_of(info, found->id, d, string_or(d, "created_at", ""));
              rec.put(kKey, {found->id, who.org_id, json, found->created_ms, 0});
              JsonOut o;
              o.begin_obj().f_raw("apiKey", public_view(json)).f("plainKey", info.key).end();
              return json_reply(200, o.str());
          }));
}

}  // namespace emu
