// CLI login (C§1): session create/poll, the cookie-only /complete, the browser page with an
// Approve button, and the emulator-only form endpoint that button posts to.
#include "app.hpp"
#include "auth.hpp"

namespace emu {

namespace {

Reply html(int status, const std::string &title, const std::string &body_html) {
    Reply r;
    r.status = status;
    r.content_type = "text/html; charset=utf-8";
    r.body =
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        "<title>" +
        html_escape(title) +
        " — Eliza Cloud (emulator)</title><style>"
        "body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;"
        "padding:0 1rem;color:#222}"
        "button{font-size:1.1rem;padding:.6rem 2rem;border-radius:.4rem;border:0;"
        "background:#1a7f37;color:#fff;cursor:pointer}"
        "code{background:#f2f2f2;padding:.1rem .3rem;border-radius:.2rem}"
        ".muted{color:#777;font-size:.9rem}</style></head><body>\n<h1>" +
        html_escape(title) + "</h1>\n" + body_html +
        "\n<p class=\"muted\">This is the local elizacloud-emulator, not the real Eliza "
        "Cloud.</p>\n</body></html>\n";
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
}

Reply key_json(const std::string &key, const std::string &prefix, bool with_success) {
    JsonOut o;
    o.begin_obj();
    if (with_success) {
        o.f("success", true);
    } else {
        o.f("status", "authenticated");
    }
    o.f("apiKey", key).f("keyPrefix", prefix).f_null("expiresAt").end();
    return json_reply(200, o.str());
}

Handler complete_milady(State &st) {
    return [&st](Ctx &c) {
        if (has_programmatic_credentials(c.req)) {
            return cloud_error(401,
                               "This endpoint requires session authentication. API keys and "
                               "Bearer tokens are not accepted.",
                               "session_auth_required");
        }
        if (!has_session_cookie(c.req)) {
            return cloud_error(401, "Unauthorized", "authentication_required");
        }
        SessionApprove a = st.approve_session(c.param(0));
        if (a.kind == SessionApprove::Kind::NotFound) {
            return cloud_error(400, "Invalid or expired session", "validation_error");
        }
        if (a.kind == SessionApprove::Kind::AlreadyDone) {
            return cloud_error(400, "Session already authenticated or expired", "validation_error");
        }
        return key_json(a.key, a.prefix, true);
    };
}

// The eliza generation's /complete (E§1.4; the version that takes a browser session or an API
// key) and DELETE (revoke, E§1.5).
void register_eliza_session_routes(App &app) {
    Router &r = app.router;
    State &st = *app.state;

    r.add("POST", "/api/auth/cli-session/{id}/complete", [&st](Ctx &c) {
        std::optional<Principal> who;
        if (has_programmatic_credentials(c.req)) {
            AuthCheck a = edge_auth(c.req, st);
            if (!a.who) return auth_error(a);
            who = a.who;
        } else if (!has_session_cookie(c.req)) {
            return cloud_error(401, "Unauthorized", "authentication_required");
        }
        SessionApprove a = st.approve_session(c.param(0), who);
        if (a.kind == SessionApprove::Kind::NotFound) {
            return cloud_error(400, "Invalid or expired session", "validation_error");
        }
        if (a.kind == SessionApprove::Kind::AlreadyDone && !a.same_user) {
            return cloud_error(400, "Session already authenticated or expired", "validation_error");
        }
        JsonOut o;
        o.begin_obj()
            .f("success", true)
            .f("keyPrefix", a.prefix)
            .f_null("expiresAt")
            .f("alreadyAuthenticated", a.kind == SessionApprove::Kind::AlreadyDone)
            .end();
        return json_reply(200, o.str());
    });

    r.add("DELETE", "/api/auth/cli-session/{id}", [&st](Ctx &c) {
        if (!is_uuid(c.param(0))) return bare_error(400, "Invalid session ID format");
        std::string h = c.req.get_header_value("Authorization");
        std::string key;
        if (h.size() > 7 && (h.compare(0, 7, "Bearer ") == 0 || h.compare(0, 7, "bearer ") == 0)) {
            key = h.substr(7);
            size_t b = key.find_first_not_of(' ');
            key = b == std::string::npos ? "" : key.substr(b);
        }
        if (key.empty()) return bare_error(401, "Credential required");
        switch (st.revoke_session(c.param(0), key)) {
            case SessionRevoke::NotFound:
                return cloud_error(404, "Not found", "resource_not_found");
            case SessionRevoke::Forbidden:
                return bare_error(403, "Credential does not match session");
            case SessionRevoke::Ok:
                break;
        }
        Reply reply;
        reply.status = 204;
        reply.content_type.clear();
        return reply;
    });
}

}  // namespace

void register_auth_routes(App &app) {
    Router &r = app.router;
    State &st = *app.state;

    r.add("POST", "/api/auth/cli-session", [&st, &app](Ctx &c) {
        std::optional<std::string> id;
        if (app.cfg.mint_session_ids.load()) {
            // Today's cloud mints the id and ignores whatever the client sends (C§1.2).
            id = uuid_v4();
        } else {
            rapidjson::Document doc;
            if (!parse_json(c.req.body, doc)) {
                return bare_error(500, "Failed to create authentication session");
            }
            id = get_string(doc, "sessionId");
            if (!id || id->empty()) return bare_error(400, "Session ID is required");
        }
        int64_t expires = 0;
        if (!st.create_session(*id, expires)) {
            return bare_error(500, "Failed to create authentication session");
        }
        JsonOut o;
        o.begin_obj()
            .f("sessionId", *id)
            .f("status", "pending")
            .f("expiresAt", iso_ms(expires))
            .end();
        return json_reply(201, o.str());
    });

    r.add("GET", "/api/auth/cli-session/{id}", [&st, &app](Ctx &c) {
        if (app.cfg.mint_session_ids.load() && !is_uuid(c.param(0))) {
            return bare_error(400, "Invalid session ID format");
        }
        SessionPoll p = st.poll_session(c.param(0));
        JsonOut o;
        switch (p.kind) {
            case SessionPoll::Kind::NotFound:
                return bare_error(404, "Session not found or expired");
            case SessionPoll::Kind::Pending:
                return json_reply(200, o.begin_obj().f("status", "pending").end().str());
            case SessionPoll::Kind::Key:
                return key_json(p.key, p.prefix, false);
            case SessionPoll::Kind::Revoked:
                return bare_error(410, "API key unavailable: revoked");
            case SessionPoll::Kind::Collected:
                break;
        }
        o.begin_obj().f("status", "authenticated").f("message", "API key already retrieved").end();
        return json_reply(200, o.str());
    });

    if (app.cfg.eliza) {
        register_eliza_session_routes(app);
    } else {
        r.add("POST", "/api/auth/cli-session/{id}/complete", complete_milady(st));
    }

    r.add("GET", "/auth/cli-login", [&st](Ctx &c) {
        std::string session = c.req.get_param_value("session");
        if (session.empty()) {
            return html(400, "Eliza Cloud CLI login",
                        "<p>Invalid authentication link. Missing session ID.</p>");
        }
        std::string status = "unknown";
        for (const auto &s : st.sessions()) {
            if (s.id == session) {
                status = now_ms() >= s.expires_ms ? "expired"
                         : s.authenticated        ? "authenticated"
                                                  : "pending";
            }
        }
        std::string esc = html_escape(session);
        std::string body =
            "<p>A command-line client asks to sign in to your account.</p>"
            "<p>Session: <code id=\"session\">" +
            esc + "</code> (status: <span id=\"status\">" + status +
            "</span>)</p>\n"
            "<form method=\"post\" action=\"/__emulator/cli-login/approve\">"
            "<input type=\"hidden\" name=\"session\" value=\"" +
            esc +
            "\">"
            "<button type=\"submit\" id=\"approve\">Approve</button></form>";
        return html(200, "Eliza Cloud CLI login", body);
    });

    r.add("POST", "/__emulator/cli-login/approve", [&st](Ctx &c) {
        std::string session = form_field(c.req.body, "session");
        if (session.empty()) session = c.req.get_param_value("session");
        if (session.empty()) {
            return html(400, "Login failed",
                        "<p>Invalid authentication link. Missing session ID.</p>");
        }
        SessionApprove a = st.approve_session(session);
        if (a.kind == SessionApprove::Kind::NotFound) {
            return html(404, "Login failed",
                        "<p id=\"result\">Session not found or expired. Start the login again "
                        "from the command line.</p>");
        }
        if (a.kind == SessionApprove::Kind::AlreadyDone) {
            return html(409, "Already approved",
                        "<p id=\"result\">This session was already approved.</p>");
        }
        return html(200, "Login approved",
                    "<p id=\"result\">Success! API key <code>" + html_escape(a.prefix) +
                        "…</code> was created for dev@emulator.local.</p><p>You can close this "
                        "window and return to the command line.</p>");
    });
}

}  // namespace emu
