// Voices (C§6), the JSON routes: list, get, delete. Every organisation starts with two cloned
// voices (one instant, one professional, which is inactive) the first time it lists or reads.
#include "routes_breadth.hpp"

namespace emu {

namespace {

constexpr const char *kVoice = "voice";

void seed_voices(Records &rec, const std::string &org) {
    if (rec.get("voice-seeded", org, org)) return;
    rec.put("voice-seeded", {org, org, "{}", 0, 0});
    struct Seed {
        const char *name, *type;
        bool active;
    };
    for (Seed s : {Seed{"Narrator", "instant", true}, Seed{"Studio", "professional", false}}) {
        const std::string id = uuid_v4();
        JsonOut o;
        o.begin_obj().f("id", id).f("name", s.name).f("cloneType", s.type);
        o.f("isActive", s.active).f("elevenlabsVoiceId", "emu_" + id.substr(0, 8));
        o.f("createdAt", iso_ms(now_ms())).end();
        rec.put(kVoice, {id, org, o.str(), 0, 0});
    }
}

}  // namespace

void register_voice_routes(App &app) {
    Router &r = app.router;
    State &st = *app.state;
    Records &rec = app.records;

    // Before /{id}: "list" is not an id.
    r.add("GET", "/api/v1/voice/list", with_auth(st, [&rec](Ctx &c, const Principal &who) {
              seed_voices(rec, who.org_id);
              bool bad = false;
              const int64_t limit = query_int(c.req, "limit", bad).value_or(50);
              const int64_t offset = query_int(c.req, "offset", bad).value_or(0);
              if (bad || limit < 1 || limit > 100 || offset < 0)
                  return cloud_error(400, "limit must be 1 to 100 and offset at least 0",
                                     "validation_error");
              const bool inactive = query_bool(c.req, "includeInactive").value_or(false);
              const std::string type =
                  c.req.has_param("cloneType") ? c.req.get_param_value("cloneType") : "";
              if (!type.empty() && type != "instant" && type != "professional")
                  return cloud_error(400, "cloneType must be instant or professional",
                                     "validation_error");
              std::vector<Record> matching;
              for (Record &v : rec.list(kVoice, who.org_id)) {
                  rapidjson::Document d;
                  parse_json(v.json, d);
                  if (!inactive && !get_bool(d, "isActive").value_or(true)) continue;
                  if (!type.empty() && get_string(d, "cloneType") != type) continue;
                  matching.push_back(std::move(v));
              }
              std::vector<Record> page;
              for (size_t i = static_cast<size_t>(offset);
                   i < matching.size() && static_cast<int64_t>(page.size()) < limit; ++i)
                  page.push_back(matching[i]);
              JsonOut o;
              o.begin_obj().f("success", true).f_raw("voices", records_array(page));
              o.f("total", static_cast<int64_t>(matching.size())).end();
              return json_reply(200, o.str());
          }));

    r.add("GET", "/api/v1/voice/{id}", with_auth(st, [&rec](Ctx &c, const Principal &who) {
              if (!is_uuid(c.param(0)))
                  return cloud_error(400, "Invalid voice id", "validation_error");
              seed_voices(rec, who.org_id);
              auto v = rec.get(kVoice, who.org_id, c.param(0));
              if (!v) return cloud_error(404, "Voice not found", "resource_not_found");
              JsonOut o;
              o.begin_obj().f("success", true).f_raw("voice", v->json).end();
              return json_reply(200, o.str());
          }));

    r.add("DELETE", "/api/v1/voice/{id}", with_auth(st, [&rec](Ctx &c, const Principal &who) {
              if (!is_uuid(c.param(0)))
                  return cloud_error(400, "Invalid voice id", "validation_error");
              seed_voices(rec, who.org_id);
              if (!rec.erase(kVoice, who.org_id, c.param(0)))
                  return cloud_error(404, "Voice not found", "resource_not_found");
              return json_reply(200, R"({"success":true,"message":"Voice deleted successfully"})");
          }));
}

}  // namespace emu
