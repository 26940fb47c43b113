// Every route of the generation's public catalogue (core/data/routes/, the same data the client
// ships) answers: the routes the emulator implements answer as the cloud does, every other one
// with a documented generic answer (docs/emulator.md "Catalogued routes"), so no catalogued path
// gets a 404. Registered after every specific route, which therefore wins.
#include <string>
#include <string_view>

#include "routes_common.hpp"

namespace emu::data {
extern const std::string_view kRoutesMilady;
extern const std::string_view kRoutesEliza;
extern const std::string_view kRoutesExtra;
}  // namespace emu::data

namespace emu {
namespace {

// The catalogue's template in the router's syntax: a catch-all last segment ({path},
// {[...path]}, "_", and the model id of /api/v1/models/{model}) becomes {*}.
std::string router_template(const std::string &path) {
    const size_t last = path.rfind('/');
    const std::string tail = path.substr(last + 1);
    if (tail == "{path}" || tail == "{[...path]}" || tail == "_" ||
        path == "/api/v1/models/{model}")
        return path.substr(0, last) + "/{*}";
    return path;
}

// 16 fixed bytes, a NUL among them: what a binary route answers.
std::string binary_body() {
    return std::string(
        "\x89"
        "EMU\r\n\x1a\n\x00\x01\x02\x03\xfe\xff\x7f\x80",
        16);
}

Reply generic_reply(const Ctx &c, const std::string &method, const std::string &path,
                    const std::string &mode) {
    const std::string route = method + " " + path;
    if (mode == "binary") {
        Reply r;
        r.content_type = "application/octet-stream";
        r.body = binary_body();
        return r;
    }
    if (mode == "text") {
        Reply r;
        r.content_type = "text/plain; charset=utf-8";
        r.body = "emulated: " + route + "\n";
        return r;
    }
    JsonOut o;
    o.begin_obj().f("emulated", true).f("route", route);
    o.key("pathParams").begin_arr();
    for (const std::string &p : c.params) o.put(p);
    o.end();
    o.key("query").begin_obj();
    for (const auto &[k, v] : c.req.params) o.f(k, v);
    o.end();
    rapidjson::Document body;
    if (!c.req.body.empty() && parse_json(c.req.body, body)) {
        o.key("body").value(body);
    } else {
        o.f_null("body");
    }
    o.end();
    if (mode == "stream") {
        Reply r;
        r.content_type = "text/event-stream";
        r.streaming = true;
        r.events = {sse_data(o.str()), sse_data("[DONE]")};
        return r;
    }
    return json_reply(method == "POST" ? 201 : 200, R"({"success":true,"data":)" + o.str() + "}");
}

// catch_alls: this pass registers only the catch-all routes (or only the others), so that a
// specific route wins over a catch-all that also matches it (the router takes the first match).
void register_from(App &app, std::string_view text, const char *generation, bool catch_alls) {
    rapidjson::Document doc;
    if (!parse_json(text, doc) || !doc.IsArray()) return;
    for (const auto &entry : doc.GetArray()) {
        if (const rapidjson::Value *gens = member(entry, "generations");
            generation && gens && gens->IsArray()) {
            bool listed = false;
            for (const auto &g : gens->GetArray())
                listed = listed || (g.IsString() && std::string_view(g.GetString()) == generation);
            if (!listed) continue;
        }
        const std::string method = get_string(entry, "method").value_or("GET");
        const std::string path = get_string(entry, "path").value_or("/");
        const std::string mode = get_string(entry, "responseMode").value_or("json");
        const std::string templ = router_template(path);
        if (templ.ends_with("/{*}") != catch_alls) continue;
        // HEAD is served by the GET route (the router answers HEAD with GET's headers).
        const std::string as = method == "HEAD" ? "GET" : method;
        app.router.add_unless_present(
            as, templ, with_auth(*app.state, [method, path, mode](Ctx &c, const Principal &) {
                return generic_reply(c, method, path, mode);
            }));
    }
}

}  // namespace

void register_catalogue_routes(App &app) {
    const bool eliza = app.cfg.eliza;
    for (const bool catch_alls : {false, true}) {
        register_from(app, eliza ? data::kRoutesEliza : data::kRoutesMilady, nullptr, catch_alls);
        register_from(app, data::kRoutesExtra, eliza ? "eliza" : "milady", catch_alls);
    }
}

}  // namespace emu
