// Containers (C§6; E§6): {success, data} answers. A created container deploys on its own: its
// status is pending, then building, deploying and running, each a third of --provision-ms; an
// image whose URI contains "fail" ends failed instead of running (with an error_message).
// The eliza generation keeps list, create, update and delete only.
#include "routes_breadth.hpp"

namespace emu {

namespace {

constexpr const char *kContainer = "container";
constexpr int64_t kMaxContainers = 10;

Reply container_not_found() {
    return cloud_error(404, "Container not found", "resource_not_found");
}

std::string status_at(int64_t created_ms, int64_t provision_ms, int64_t now) {
    const int64_t elapsed = now - created_ms;
    if (elapsed >= provision_ms) return "running";
    if (elapsed * 3 >= provision_ms * 2) return "deploying";
    if (elapsed * 3 >= provision_ms) return "building";
    return "pending";
}

// The record with its status as of now (the stored one unless it is still deploying).
std::string current(const Record &r, const RuntimeConfig &cfg) {
    rapidjson::Document d;
    if (!parse_json(r.json, d) || !d.IsObject()) return r.json;
    const std::string stored = string_or(d, "status", "pending");
    if (stored == "pending" || stored == "building" || stored == "deploying") {
        std::string now = status_at(r.created_ms, cfg.provision_ms.load(), now_ms());
        if (now == "running" &&
            string_or(d, "ecr_image_uri", "").find("fail") != std::string::npos) {
            set_member(d, "status", std::string("failed"));
            set_member(d, "error_message",
                       std::string("health check failed: the container exited with code 1"));
            return to_json(d);
        }
        set_member(d, "status", now);
        if (now == "running")
            set_member(d, "load_balancer_url",
                       "https://" + string_or(d, "name", "c") + ".containers.emulator.invalid");
    }
    return to_json(d);
}

struct IntRange {
    const char *name;
    int64_t min, max;
};
constexpr IntRange kRanges[] = {
    {"port", 1, 65535}, {"desired_count", 1, 10}, {"cpu", 256, 2048}, {"memory", 256, 2048}};

void check_body(const rapidjson::Value &body, bool create, std::vector<Issue> &issues) {
    struct Str {
        const char *name;
        int64_t min, max;
        bool required;
    };
    for (Str s : {Str{"name", 1, 100, true}, Str{"project_name", 1, 50, true},
                  Str{"ecr_image_uri", 1, 1024, true}, Str{"description", 0, 1000, false},
                  Str{"health_check_path", 1, 256, false}, Str{"image_tag", 1, 128, false},
                  Str{"ecr_repository_uri", 1, 1024, false}}) {
        const auto *v = member(body, s.name);
        if (!v && !(create && s.required)) continue;
        if (expect_type(v, "string", {s.name}, issues))
            check_string_len(*v, {s.name}, s.min, s.max, issues);
    }
    for (IntRange range : kRanges) {
        const auto *v = member(body, range.name);
        if (!v || !expect_type(v, "number", {range.name}, issues)) continue;
        const int64_t n = v->IsInt64() ? v->GetInt64() : -1;
        if (n < range.min || n > range.max)
            issues.push_back({n < range.min ? "too_small" : "too_big",
                              {range.name},
                              std::string(range.name) + " must be between " +
                                  std::to_string(range.min) + " and " + std::to_string(range.max),
                              "",
                              "",
                              n < range.min ? range.min : range.max,
                              ""});
    }
    if (const auto *v = member(body, "architecture");
        v && expect_type(v, "string", {"architecture"}, issues)) {
        const std::string a = v->GetString();
        if (a != "arm64" && a != "x86_64")
            issues.push_back(
                {"invalid_enum_value", {"architecture"}, "Invalid enum value", "", "", -1, ""});
    }
    if (const auto *v = member(body, "environment_vars"))
        expect_type(v, "object", {"environment_vars"}, issues);
}

Reply data(int status, const std::string &json) {
    return json_reply(status, R"({"success":true,"data":)" + json + "}");
}

}  // namespace

void register_container_routes(App &app) {
    Router &r = app.router;
    State &st = *app.state;
    Records &rec = app.records;
    RuntimeConfig &cfg = app.cfg;
    const bool eliza = app.opts.generation == "eliza";

    r.add("GET", "/api/v1/containers", with_auth(st, [&rec, &cfg](Ctx &, const Principal &who) {
              std::string out = "[";
              for (const Record &c : rec.list(kContainer, who.org_id))
                  out += (out.size() > 1 ? "," : "") + current(c, cfg);
              return data(200, out + "]");
          }));

    r.add("POST", "/api/v1/containers", with_auth(st, [&rec, &st](Ctx &c, const Principal &who) {
              rapidjson::Document body;
              if (!object_body(c, body)) return cloud_error(400, "Invalid JSON body");
              std::vector<Issue> issues;
              check_body(body, true, issues);
              if (!issues.empty()) return invalid_request("Invalid request data", issues);
              if (static_cast<int64_t>(rec.list(kContainer, who.org_id).size()) >= kMaxContainers)
                  return cloud_error(403, "Container quota reached", "access_denied");
              const std::string id = uuid_v4();
              const int64_t now = now_ms();
              JsonOut o;
              o.begin_obj().f("id", id).f("name", body["name"].GetString());
              o.f("project_name", body["project_name"].GetString());
              o.f("ecr_image_uri", body["ecr_image_uri"].GetString());
              o.f("description", string_or(body, "description", ""));
              o.f("port", get_int(body, "port").value_or(3000));
              o.f("desired_count", get_int(body, "desired_count").value_or(1));
              o.f("cpu", get_int(body, "cpu").value_or(1792));
              o.f("memory", get_int(body, "memory").value_or(1792));
              o.f("health_check_path", string_or(body, "health_check_path", "/health"));
              o.f("architecture", string_or(body, "architecture", "arm64"));
              if (const auto *env = member(body, "environment_vars")) {
                  o.key("environment_vars").value(*env);
              } else {
                  o.begin_obj("environment_vars").end();
              }
              o.f("status", "pending").f_null("load_balancer_url");
              o.f("organization_id", who.org_id).f("created_at", iso_ms(now)).end();
              rec.put(kContainer, {id, who.org_id, o.str(), now, 0});
              auto org = st.org(who.org_id);
              JsonOut a;
              a.begin_obj().f("success", true).f_raw("data", o.str());
              a.f("message", "Container deployment started").f("creditsDeducted", 0.0);
              a.f("creditsRemaining", org ? org->balance : 0.0)
                  .f("stackName", "ec-" + id.substr(0, 8));
              a.begin_obj("polling").f("endpoint", "/api/v1/containers/" + id);
              a.f("intervalMs", 10000).f("expectedDurationMs", 600000).end().end();
              return json_reply(202, a.str());
          }));

    if (!eliza) {
        // Before /{id}: "quota" is not an id.
        r.add("GET", "/api/v1/containers/quota", with_auth(st, [&rec](Ctx &, const Principal &who) {
                  JsonOut o;
                  o.begin_obj().f("current",
                                  static_cast<int64_t>(rec.list(kContainer, who.org_id).size()));
                  o.f("max", kMaxContainers).end();
                  return data(200, o.str());
              }));
    }

    auto with_container = [&st, &rec](auto fn) {
        return with_auth(st, [&rec, fn](Ctx &c, const Principal &who) -> Reply {
            auto found = rec.get(kContainer, who.org_id, c.param(0));
            if (!found) return container_not_found();
            return fn(c, who, *found);
        });
    };

    r.add("PATCH", "/api/v1/containers/{id}",
          with_container([&rec, &cfg](Ctx &c, const Principal &who, const Record &found) {
              rapidjson::Document body;
              if (!object_body(c, body)) return cloud_error(400, "Invalid JSON body");
              std::vector<Issue> issues;
              check_body(body, false, issues);
              if (!issues.empty()) return invalid_request("Invalid request data", issues);
              auto updated =
                  rec.update(kContainer, who.org_id, found.id, [&body](rapidjson::Document &d) {
                      for (const char *k :
                           {"desired_count", "environment_vars", "description", "ecr_image_uri"})
                          if (const auto *v = member(body, k)) set_member(d, k, *v);
                  });
              if (!updated) return container_not_found();
              return data(200, current(*updated, cfg));
          }));

    r.add("DELETE", "/api/v1/containers/{id}",
          with_container([&rec](Ctx &, const Principal &who, const Record &found) {
              rec.erase(kContainer, who.org_id, found.id);
              return json_reply(200,
                                R"({"success":true,"message":"Container deleted successfully"})");
          }));

    if (eliza) return;  // E§6: no detail, logs, metrics or deployments any more

    r.add("GET", "/api/v1/containers/{id}",
          with_container([&cfg](Ctx &, const Principal &, const Record &found) {
              return data(200, current(found, cfg));
          }));

    r.add("GET", "/api/v1/containers/{id}/logs",
          with_container([&cfg](Ctx &c, const Principal &, const Record &found) {
              bool bad = false;
              const int64_t limit = query_int(c.req, "limit", bad).value_or(100);
              if (bad || limit < 1)
                  return cloud_error(400, "limit must be a positive integer", "validation_error");
              rapidjson::Document d;
              parse_json(current(found, cfg), d);
              const std::string status = string_or(d, "status", "pending");
              const char *lines[] = {"container created", "image pulled", "listening on port",
                                     "health check passed"};
              const size_t n = status == "running"     ? 4
                               : status == "deploying" ? 3
                               : status == "building"  ? 2
                                                       : 1;
              JsonOut o;
              o.begin_obj().f("containerId", found.id).begin_arr("logs");
              for (size_t i = 0; i < n && static_cast<int64_t>(i) < limit; ++i)
                  o.begin_obj()
                      .f("timestamp", iso_ms(found.created_ms + static_cast<int64_t>(i)))
                      .f("message", lines[i])
                      .end();
              o.end().end();
              return data(200, o.str());
          }));

    r.add("GET", "/api/v1/containers/{id}/metrics",
          with_container([](Ctx &, const Principal &, const Record &found) {
              JsonOut o;
              o.begin_obj().f("containerId", found.id).f("cpu_utilization", 12.5);
              o.f("memory_utilization", 30.0).f("request_count", 0).end();
              return data(200, o.str());
          }));

    r.add("GET", "/api/v1/containers/{id}/deployments",
          with_container([&cfg](Ctx &, const Principal &, const Record &found) {
              rapidjson::Document d;
              parse_json(current(found, cfg), d);
              const std::string status = string_or(d, "status", "pending");
              JsonOut o;
              o.begin_arr().begin_obj().f("id", found.id.substr(0, 8) + "-deploy-1");
              o.f("status", status == "running" ? "completed" : "in_progress");
              o.f("created_at", iso_ms(found.created_ms)).end().end();
              return data(200, o.str());
          }));
}

}  // namespace emu
