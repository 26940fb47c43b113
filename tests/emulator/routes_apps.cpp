// Apps (C§6): create (409 on a name in use), list, get, update, delete, check-name, analytics,
// users, monetisation, earnings and withdrawals, the app's API key, custom domains. Records of
// another organisation answer 404 like unknown ones.
#include <cctype>

#include "routes_breadth.hpp"

namespace emu {

namespace {

constexpr const char *kApp = "app";
constexpr const char *kDomain = "app-domain";

Reply app_not_found() {
    return cloud_error(404, "App not found", "resource_not_found");
}

std::string slug_of(const std::string &name) {
    std::string out;
    for (char ch : name) {
        if (std::isalnum(static_cast<unsigned char>(ch))) {
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        } else if (!out.empty() && out.back() != '-') {
            out += '-';
        }
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out.empty() ? "app" : out;
}

bool name_taken(const Records &records, const std::string &org, const std::string &name) {
    for (const Record &r : records.list(kApp, org)) {
        rapidjson::Document d;
        if (parse_json(r.json, d) && get_string(d, "name") == name) return true;
    }
    return false;
}

std::string free_name(const Records &records, const std::string &org, const std::string &name) {
    for (int n = 2;; ++n) {
        std::string candidate = name + "-" + std::to_string(n);
        if (!name_taken(records, org, candidate)) return candidate;
    }
}

// The string fields a create or update may set, with their zod limits.
struct Field {
    const char *name;
    int64_t min, max;
};
constexpr Field kStringFields[] = {{"name", 1, 100},          {"app_url", 1, 2048},
                                   {"description", 0, 1000},  {"website_url", 0, 2048},
                                   {"contact_email", 0, 320}, {"logo_url", 0, 2048}};

void check_fields(const rapidjson::Value &body, bool create, std::vector<Issue> &issues) {
    for (const Field &f : kStringFields) {
        const auto *v = member(body, f.name);
        const bool required =
            create && (std::string_view(f.name) == "name" || std::string_view(f.name) == "app_url");
        if (!v) {
            if (required) expect_type(v, "string", {f.name}, issues);
            continue;
        }
        if (expect_type(v, "string", {f.name}, issues))
            check_string_len(*v, {f.name}, f.min, f.max, issues);
    }
    if (const auto *v = member(body, "app_url"); v && v->IsString()) {
        const std::string url = v->GetString();
        if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
            issues.push_back({"invalid_string", {"app_url"}, "Invalid url", "", "", -1, "url"});
    }
    if (const auto *v = member(body, "allowed_origins"))
        expect_type(v, "array", {"allowed_origins"}, issues);
    if (const auto *v = member(body, "is_active")) expect_type(v, "boolean", {"is_active"}, issues);
    if (const auto *v = member(body, "linked_character_ids");
        v && expect_type(v, "array", {"linked_character_ids"}, issues) && v->Size() > 4)
        issues.push_back({"too_big",
                          {"linked_character_ids"},
                          "Array must contain at most 4 element(s)",
                          "",
                          "",
                          4,
                          ""});
}

std::string app_key() {
    return "eliza_app_" + random_hex(24);
}

std::string domain_id(const std::string &app_id, const std::string &domain) {
    return app_id + " " + domain;
}

// 4–253 ASCII characters with a dot, no spaces, labels of letters, digits and hyphens.
bool valid_domain(const std::string &d) {
    if (d.size() < 4 || d.size() > 253 || d.find('.') == std::string::npos) return false;
    if (d.front() == '.' || d.back() == '.' || d.front() == '-') return false;
    for (char ch : d) {
        const auto u = static_cast<unsigned char>(ch);
        if (u >= 0x80 || !(std::isalnum(u) || ch == '.' || ch == '-')) return false;
    }
    return true;
}

}  // namespace

void register_app_routes(App &app) {
    Router &r = app.router;
    State &st = *app.state;
    Records &rec = app.records;

    r.add("POST", "/api/v1/apps/check-name", with_auth(st, [&rec](Ctx &c, const Principal &who) {
              rapidjson::Document body;
              if (!object_body(c, body)) return cloud_error(400, "Invalid JSON body");
              std::vector<Issue> issues;
              const auto *name = member(body, "name");
              if (expect_type(name, "string", {"name"}, issues))
                  check_string_len(*name, {"name"}, 1, 100, issues);
              if (!issues.empty()) return invalid_request("Invalid request data", issues);
              const std::string n = name->GetString();
              JsonOut o;
              o.begin_obj().f("success", true);
              const bool taken = name_taken(rec, who.org_id, n);
              o.f("available", !taken);
              if (taken) o.f("suggestedName", free_name(rec, who.org_id, n));
              return json_reply(200, o.end().str());
          }));

    r.add("POST", "/api/v1/apps", with_auth(st, [&rec](Ctx &c, const Principal &who) {
              rapidjson::Document body;
              if (!object_body(c, body)) return cloud_error(400, "Invalid JSON body");
              std::vector<Issue> issues;
              check_fields(body, true, issues);
              if (!issues.empty()) return invalid_request("Invalid request data", issues);
              const std::string name = body["name"].GetString();
              if (name_taken(rec, who.org_id, name)) {
                  JsonOut o;
                  o.begin_obj()
                      .f("success", false)
                      .f("error", "An app named \"" + name + "\" already exists")
                      .f("conflictType", "name")
                      .f("suggestedName", free_name(rec, who.org_id, name))
                      .end();
                  return json_reply(409, o.str());
              }
              const std::string id = uuid_v4();
              const int64_t now = now_ms();
              JsonOut a;
              a.begin_obj().f("id", id).f("name", name).f("slug", slug_of(name));
              a.f("app_url", body["app_url"].GetString());
              for (const char *k : {"description", "website_url", "contact_email", "logo_url"}) {
                  if (auto v = get_string(body, k)) {
                      a.f(k, *v);
                  } else {
                      a.f_null(k);
                  }
              }
              if (const auto *v = member(body, "allowed_origins")) {
                  a.key("allowed_origins").value(*v);
              } else {
                  a.begin_arr("allowed_origins").end();
              }
              a.f("is_active", true)
                  .f("organization_id", who.org_id)
                  .f("created_by_user_id", who.user_id)
                  .f("monetizationEnabled", false)
                  .f("inferenceMarkupPercentage", 0)
                  .f("purchaseSharePercentage", 0)
                  .f("earningsAvailable", 20.0)
                  .f("earningsPending", 5.0)
                  .f("created_at", iso_ms(now))
                  .f("updated_at", iso_ms(now))
                  .end();
              rec.put(kApp, {id, who.org_id, a.str(), now, 0});
              JsonOut o;
              o.begin_obj().f("success", true).f_raw("app", a.str()).f("apiKey", app_key()).end();
              return json_reply(200, o.str());
          }));

    r.add("GET", "/api/v1/apps", with_auth(st, [&rec](Ctx &, const Principal &who) {
              JsonOut o;
              o.begin_obj()
                  .f("success", true)
                  .f_raw("apps", records_array(rec.list(kApp, who.org_id)));
              return json_reply(200, o.end().str());
          }));

    // The app of the path, or the 404.
    auto with_app = [&st, &rec](auto fn) {
        return with_auth(st, [&rec, fn](Ctx &c, const Principal &who) -> Reply {
            auto found = rec.get(kApp, who.org_id, c.param(0));
            if (!found) return app_not_found();
            return fn(c, who, *found);
        });
    };

    r.add("GET", "/api/v1/apps/{id}", with_app([](Ctx &, const Principal &, const Record &a) {
              JsonOut o;
              o.begin_obj().f("success", true).f_raw("app", a.json).end();
              return json_reply(200, o.str());
          }));

    auto update = with_app([&rec](Ctx &c, const Principal &who, const Record &a) {
        rapidjson::Document body;
        if (!object_body(c, body)) return cloud_error(400, "Invalid JSON body");
        std::vector<Issue> issues;
        check_fields(body, false, issues);
        if (!issues.empty()) return invalid_request("Invalid request data", issues);
        auto updated = rec.update(kApp, who.org_id, a.id, [&body](rapidjson::Document &d) {
            for (auto it = body.MemberBegin(); it != body.MemberEnd(); ++it) {
                const std::string key = it->name.GetString();
                if (key == "id" || key == "organization_id") continue;
                set_member(d, key.c_str(), it->value);
            }
            set_member(d, "updated_at", iso_ms(now_ms()));
        });
        if (!updated) return app_not_found();
        JsonOut o;
        o.begin_obj().f("success", true).f_raw("app", updated->json).end();
        return json_reply(200, o.str());
    });
    r.add("PATCH", "/api/v1/apps/{id}", update);
    r.add("PUT", "/api/v1/apps/{id}", update);

    r.add("DELETE", "/api/v1/apps/{id}",
          with_app([&rec](Ctx &, const Principal &who, const Record &a) {
              rec.erase(kApp, who.org_id, a.id);
              for (const Record &d : rec.list(kDomain, who.org_id))
                  if (d.id.rfind(a.id + " ", 0) == 0) rec.erase(kDomain, who.org_id, d.id);
              JsonOut o;
              o.begin_obj().f("success", true).f("message", "App deleted successfully").end();
              return json_reply(200, o.str());
          }));

    r.add("GET", "/api/v1/apps/{id}/analytics",
          with_app([](Ctx &c, const Principal &, const Record &a) {
              const std::string period =
                  c.req.has_param("period") ? c.req.get_param_value("period") : "daily";
              if (period != "hourly" && period != "daily" && period != "monthly")
                  return cloud_error(400, "period must be hourly, daily or monthly",
                                     "validation_error");
              JsonOut o;
              o.begin_obj().f("success", true).begin_obj("analytics");
              o.f("appId", a.id).f("period", period).f("totalRequests", 0).f("uniqueUsers", 0);
              o.f("totalCost", 0.0).begin_arr("series").end().end().end();
              return json_reply(200, o.str());
          }));

    r.add("GET", "/api/v1/apps/{id}/users", with_app([](Ctx &, const Principal &, const Record &) {
              JsonOut o;
              o.begin_obj().f("success", true).begin_arr("users").end().f("total", 0).end();
              return json_reply(200, o.str());
          }));

    auto monetization_reply = [](const std::string &app_json) {
        rapidjson::Document d;
        parse_json(app_json, d);
        JsonOut o;
        o.begin_obj().f("success", true).begin_obj("monetization");
        o.f("monetizationEnabled", get_bool(d, "monetizationEnabled").value_or(false));
        o.f("inferenceMarkupPercentage", get_number(d, "inferenceMarkupPercentage").value_or(0));
        o.f("purchaseSharePercentage", get_number(d, "purchaseSharePercentage").value_or(0));
        o.end().end();
        return json_reply(200, o.str());
    };

    r.add("GET", "/api/v1/apps/{id}/monetization",
          with_app([monetization_reply](Ctx &, const Principal &, const Record &a) {
              return monetization_reply(a.json);
          }));

    r.add("PUT", "/api/v1/apps/{id}/monetization",
          with_app([&rec, monetization_reply](Ctx &c, const Principal &who, const Record &a) {
              rapidjson::Document body;
              if (!object_body(c, body)) return cloud_error(400, "Invalid JSON body");
              std::vector<Issue> issues;
              if (const auto *v = member(body, "monetizationEnabled"))
                  expect_type(v, "boolean", {"monetizationEnabled"}, issues);
              struct Range {
                  const char *name;
                  double max;
              };
              for (Range range : {Range{"inferenceMarkupPercentage", 1000},
                                  Range{"purchaseSharePercentage", 100}}) {
                  const auto *v = member(body, range.name);
                  if (!v || !expect_type(v, "number", {range.name}, issues)) continue;
                  if (v->GetDouble() < 0 || v->GetDouble() > range.max)
                      issues.push_back({v->GetDouble() < 0 ? "too_small" : "too_big",
                                        {range.name},
                                        std::string("Number must be between 0 and ") +
                                            std::to_string(static_cast<int>(range.max)),
                                        "",
                                        "",
                                        v->GetDouble() < 0 ? 0 : static_cast<int64_t>(range.max),
                                        ""});
              }
              if (!issues.empty()) return invalid_request("Invalid request data", issues);
              auto updated = rec.update(kApp, who.org_id, a.id, [&body](rapidjson::Document &d) {
                  for (const char *k : {"monetizationEnabled", "inferenceMarkupPercentage",
                                        "purchaseSharePercentage"})
                      if (const auto *v = member(body, k)) set_member(d, k, *v);
              });
              if (!updated) return app_not_found();
              return monetization_reply(updated->json);
          }));

    r.add("GET", "/api/v1/apps/{id}/earnings",
          with_app([](Ctx &, const Principal &, const Record &a) {
              rapidjson::Document d;
              parse_json(a.json, d);
              const double available = get_number(d, "earningsAvailable").value_or(0);
              const double pending = get_number(d, "earningsPending").value_or(0);
              const double withdrawn = get_number(d, "earningsWithdrawn").value_or(0);
              JsonOut o;
              o.begin_obj().f("success", true).begin_obj("earnings");
              o.f("total", available + pending + withdrawn).f("pending", pending);
              o.f("available", available).f("withdrawn", withdrawn).begin_arr("history").end();
              o.end().end();
              return json_reply(200, o.str());
          }));

    r.add("POST", "/api/v1/apps/{id}/earnings/withdraw",
          with_app([&rec](Ctx &c, const Principal &who, const Record &a) {
              rapidjson::Document body;
              if (!object_body(c, body)) return cloud_error(400, "Invalid JSON body");
              const auto amount = get_number(body, "amount");
              if (!amount || *amount <= 0)
                  return cloud_error(400, "amount must be a positive number", "validation_error");
              rapidjson::Document d;
              parse_json(a.json, d);
              const double available = get_number(d, "earningsAvailable").value_or(0);
              if (*amount > available)
                  return cloud_error(400, "Insufficient available earnings", "validation_error");
              const double withdrawn = get_number(d, "earningsWithdrawn").value_or(0);
              rec.update(kApp, who.org_id, a.id, [&](rapidjson::Document &doc) {
                  set_member(doc, "earningsAvailable", rapidjson::Value(available - *amount));
                  set_member(doc, "earningsWithdrawn", rapidjson::Value(withdrawn + *amount));
              });
              JsonOut o;
              o.begin_obj().f("success", true).f("amount", *amount);
              o.f("available", available - *amount).f("message", "Withdrawal requested").end();
              return json_reply(200, o.str());
          }));

    r.add("POST", "/api/v1/apps/{id}/regenerate-api-key",
          with_app([](Ctx &, const Principal &, const Record &) {
              JsonOut o;
              o.begin_obj().f("success", true).f("apiKey", app_key());
              o.f("message", "API key regenerated. Save it now: it is shown only once.").end();
              return json_reply(200, o.str());
          }));

    // ---- domains
    auto domain_body = [](Ctx &c, std::string &domain) -> std::optional<Reply> {
        rapidjson::Document body;
        if (!object_body(c, body)) return cloud_error(400, "Invalid JSON body");
        auto d = get_string(body, "domain");
        if (!d) return cloud_error(400, "domain is required", "validation_error");
        if (!valid_domain(*d))
            return cloud_error(400,
                               "Invalid domain: 4 to 253 ASCII characters, like app.example.com",
                               "validation_error");
        domain = *d;
        return std::nullopt;
    };

    r.add("POST", "/api/v1/apps/{id}/domains",
          with_app([&rec, domain_body](Ctx &c, const Principal &who, const Record &a) {
              std::string domain;
              if (auto bad = domain_body(c, domain)) return *bad;
              if (rec.get(kDomain, who.org_id, domain_id(a.id, domain)))
                  return cloud_error(409, "Domain already added to this app");
              JsonOut d;
              d.begin_obj().f("domain", domain).f("verified", false);
              d.f("createdAt", iso_ms(now_ms())).end();
              rec.put(kDomain, {domain_id(a.id, domain), who.org_id, d.str(), 0, 0});
              JsonOut o;
              o.begin_obj().f("success", true).f_raw("domain", d.str()).end();
              return json_reply(200, o.str());
          }));

    r.add("GET", "/api/v1/apps/{id}/domains",
          with_app([&rec](Ctx &, const Principal &who, const Record &a) {
              std::vector<Record> mine;
              for (Record &d : rec.list(kDomain, who.org_id))
                  if (d.id.rfind(a.id + " ", 0) == 0) mine.push_back(std::move(d));
              JsonOut o;
              o.begin_obj().f("success", true).f_raw("domains", records_array(mine)).end();
              return json_reply(200, o.str());
          }));

    r.add("DELETE", "/api/v1/apps/{id}/domains",
          with_app([&rec, domain_body](Ctx &c, const Principal &who, const Record &a) {
              std::string domain;
              if (auto bad = domain_body(c, domain)) return *bad;
              if (!rec.erase(kDomain, who.org_id, domain_id(a.id, domain)))
                  return cloud_error(404, "Domain not found", "resource_not_found");
              JsonOut o;
              o.begin_obj().f("success", true).f("message", "Domain removed").end();
              return json_reply(200, o.str());
          }));

    r.add("POST", "/api/v1/apps/{id}/domains/verify",
          with_app([&rec, domain_body](Ctx &c, const Principal &who, const Record &a) {
              std::string domain;
              if (auto bad = domain_body(c, domain)) return *bad;
              auto updated = rec.update(kDomain, who.org_id, domain_id(a.id, domain),
                                        [](rapidjson::Document &d) {
                                            set_member(d, "verified", rapidjson::Value(true));
                                        });
              if (!updated) return cloud_error(404, "Domain not found", "resource_not_found");
              JsonOut o;
              o.begin_obj().f("success", true).f_raw("domain", updated->json).end();
              return json_reply(200, o.str());
          }));
}

}  // namespace emu
