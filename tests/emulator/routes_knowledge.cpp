// Knowledge (C§6; E§6 renamed it /api/v1/documents): list, add (JSON), query, delete. A query
// ranks the documents by the share of the query's words they contain (case-insensitive).
#include <algorithm>
#include <cctype>
#include <sstream>

#include "routes_breadth.hpp"

namespace emu {

namespace {

constexpr const char *kDocument = "document";

std::string lower(std::string s) {
    for (char &ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return s;
}

std::vector<std::string> words_of(const std::string &text) {
    std::vector<std::string> out;
    std::string word;
    for (char ch : lower(text) + " ") {
        if (std::isalnum(static_cast<unsigned char>(ch))) {
            word += ch;
        } else if (!word.empty()) {
            out.push_back(word);
            word.clear();
        }
    }
    return out;
}

// The record without its content (what lists show).
std::string summary(const Record &r) {
    rapidjson::Document d;
    parse_json(r.json, d);
    d.RemoveMember("content");
    return to_json(d);
}

}  // namespace

void register_knowledge_routes(App &app) {
    Router &r = app.router;
    State &st = *app.state;
    Records &rec = app.records;
    const std::string base =
        app.opts.generation == "eliza" ? "/api/v1/documents" : "/api/v1/knowledge";

    r.add("GET", base, with_auth(st, [&rec](Ctx &c, const Principal &who) {
              bool bad = false;
              const int64_t count = query_int(c.req, "count", bad).value_or(20);
              const int64_t offset = query_int(c.req, "offset", bad).value_or(0);
              if (bad || count < 1 || offset < 0)
                  return cloud_error(400, "count and offset must be non-negative integers",
                                     "validation_error");
              const std::string character =
                  c.req.has_param("characterId") ? c.req.get_param_value("characterId") : "";
              std::vector<std::string> items;
              for (const Record &d : rec.list(kDocument, who.org_id)) {
                  rapidjson::Document doc;
                  parse_json(d.json, doc);
                  if (!character.empty() && get_string(doc, "characterId") != character) continue;
                  items.push_back(summary(d));
              }
              JsonOut o;
              o.begin_obj().f("success", true).begin_arr("documents");
              for (size_t i = static_cast<size_t>(offset);
                   i < items.size() && static_cast<int64_t>(i) < offset + count; ++i)
                  o.raw(items[i]);
              o.end().f("total", static_cast<int64_t>(items.size())).end();
              return json_reply(200, o.str());
          }));

    r.add("POST", base, with_auth(st, [&rec](Ctx &c, const Principal &who) {
              rapidjson::Document body;
              if (!object_body(c, body)) return cloud_error(400, "Invalid JSON body");
              std::vector<Issue> issues;
              for (const char *k : {"content", "contentType", "filename"}) {
                  const auto *v = member(body, k);
                  if (expect_type(v, "string", {k}, issues))
                      check_string_len(*v, {k}, 1, 5'000'000, issues);
              }
              if (const auto *v = member(body, "metadata"))
                  expect_type(v, "object", {"metadata"}, issues);
              std::optional<std::string> character;
              if (member(body, "characterId")) character = uuid_member(body, "characterId", issues);
              if (!issues.empty()) return invalid_request("Invalid request data", issues);
              const std::string id = uuid_v4();
              const std::string content = body["content"].GetString();
              JsonOut o;
              o.begin_obj().f("id", id).f("filename", body["filename"].GetString());
              o.f("contentType", body["contentType"].GetString());
              o.f("size", static_cast<int64_t>(content.size()));
              if (character) {
                  o.f("characterId", *character);
              } else {
                  o.f_null("characterId");
              }
              if (const auto *m = member(body, "metadata")) {
                  o.key("metadata").value(*m);
              } else {
                  o.begin_obj("metadata").end();
              }
              o.f("createdAt", iso_ms(now_ms())).f("content", content).end();
              Record added{id, who.org_id, o.str(), 0, 0};
              rec.put(kDocument, added);
              JsonOut a;
              a.begin_obj().f("success", true).f_raw("document", summary(added)).end();
              return json_reply(201, a.str());
          }));

    r.add("POST", base + "/query", with_auth(st, [&rec](Ctx &c, const Principal &who) {
              rapidjson::Document body;
              if (!object_body(c, body)) return cloud_error(400, "Invalid JSON body");
              auto query = get_string(body, "query");
              if (!query || query->empty())
                  return cloud_error(400, "query is required", "validation_error");
              const int64_t limit = get_int(body, "limit").value_or(5);
              if (limit < 1 || limit > 100)
                  return cloud_error(400, "limit must be 1 to 100", "validation_error");
              const auto character = get_string(body, "characterId");
              const auto wanted = words_of(*query);
              struct Hit {
                  double similarity;
                  uint64_t seq;
                  std::string id, content, metadata;
              };
              std::vector<Hit> hits;
              for (const Record &d : rec.list(kDocument, who.org_id)) {
                  rapidjson::Document doc;
                  parse_json(d.json, doc);
                  if (character && get_string(doc, "characterId") != character) continue;
                  const std::string content = string_or(doc, "content", "");
                  const auto have = words_of(content);
                  size_t found = 0;
                  for (const auto &w : wanted)
                      found += std::find(have.begin(), have.end(), w) != have.end();
                  if (found == 0 || wanted.empty()) continue;
                  const auto *m = member(doc, "metadata");
                  hits.push_back({static_cast<double>(found) / static_cast<double>(wanted.size()),
                                  d.seq, d.id, content, m ? to_json(*m) : "{}"});
              }
              std::stable_sort(hits.begin(), hits.end(), [](const Hit &a, const Hit &b) {
                  return a.similarity != b.similarity ? a.similarity > b.similarity : a.seq < b.seq;
              });
              JsonOut o;
              o.begin_obj().f("query", *query).begin_arr("results");
              for (size_t i = 0; i < hits.size() && static_cast<int64_t>(i) < limit; ++i)
                  o.begin_obj()
                      .f("id", hits[i].id)
                      .f("content", hits[i].content)
                      .f("similarity", hits[i].similarity)
                      .f_raw("metadata", hits[i].metadata)
                      .end();
              o.end().end();
              return json_reply(200, o.str());
          }));

    r.add("DELETE", base + "/{id}", with_auth(st, [&rec](Ctx &c, const Principal &who) {
              if (!rec.erase(kDocument, who.org_id, c.param(0)))
                  return cloud_error(404, "Document not found", "resource_not_found");
              return json_reply(200,
                                R"({"success":true,"message":"Document deleted successfully"})");
          }));
}

}  // namespace emu
