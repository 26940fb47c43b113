// Credits (C§3.1, C§3.2), identity (C§4) and health.
#include <cstdio>

#include "routes_common.hpp"

namespace emu {

namespace {

// {success, data: the user record (profile fields over their defaults) + organization}.
std::string user_reply(const User &user, const Org &org, const char *message) {
    rapidjson::Document profile;
    if (!parse_json(user.profile_json, profile) || !profile.IsObject()) profile.SetObject();
    auto text_or_null = [&](JsonOut &o, const char *key) {
        const auto *v = member(profile, key);
        if (v && v->IsString())
            o.f(key, std::string(v->GetString(), v->GetStringLength()));
        else
            o.f_null(key);
    };
    auto flag = [&](const char *key) {
        const auto *v = member(profile, key);
        return !v || !v->IsBool() || v->GetBool();
    };
    char bal[64];
    std::snprintf(bal, sizeof bal, "%.6f", org.balance);
    JsonOut o;
    o.begin_obj().f("success", true).begin_obj("data");
    o.f("id", user.id).f("email", user.email).f("name", user.name);
    text_or_null(o, "avatar");
    text_or_null(o, "nickname");
    text_or_null(o, "work_function");
    text_or_null(o, "preferences");
    o.f("response_notifications", flag("response_notifications"))
        .f("email_notifications", flag("email_notifications"))
        .f("role", "member")
        .f("email_verified", true)
        .f_null("wallet_address")
        .f_null("wallet_chain_type")
        .f("wallet_verified", false)
        .f("is_active", true)
        .f("created_at", iso_ms(user.created_ms))
        .f("updated_at", iso_ms(user.updated_ms ? user.updated_ms : user.created_ms));
    o.begin_obj("organization")
        .f("id", org.id)
        .f("name", org.name)
        .f("slug", org.slug)
        .f("credit_balance", std::string(bal))
        .end();
    o.end();
    if (message) o.f("message", message);
    o.end();
    return o.str();
}

}  // namespace

namespace {

Reply balance_reply(State &st, const Principal &who) {
    auto org = st.org(who.org_id);
    JsonOut o;
    o.begin_obj().f("balance", org ? org->balance : 0.0).end();
    Reply r = json_reply(200, o.str());
    r.headers.emplace_back("Cache-Control", "no-store, no-cache, must-revalidate");
    return r;
}

}  // namespace

void register_credit_routes(App &app) {
    Router &r = app.router;
    State &st = *app.state;

    auto balance =
        with_auth(st, [&st](Ctx &, const Principal &who) { return balance_reply(st, who); });
    r.add("GET", "/api/v1/credits/balance", balance);
    r.add("GET", "/api/credits/balance", balance);

    r.add("GET", "/api/v1/credits/summary", [&st](Ctx &c) {
        AuthCheck a = edge_auth(c.req, st);
        if (!a.who) {
            if (a.failure == AuthFailure::InvalidKey) {
                // The handler has no try/catch: a bad key surfaces as Next.js's bare 500.
                Reply r500;
                r500.status = 500;
                r500.content_type = "text/plain; charset=utf-8";
                r500.body = "Internal Server Error";
                return r500;
            }
            return auth_error(a);
        }
        auto org = st.org(a.who->org_id);
        if (!org) return cloud_error(500, "An unexpected error occurred");
        JsonOut o;
        o.begin_obj().f("success", true);
        o.begin_obj("organization")
            .f("id", org->id)
            .f("name", org->name)
            .f("creditBalance", org->balance)
            .f("autoTopUpEnabled", false)
            .f_null("autoTopUpThreshold")
            .f_null("autoTopUpAmount")
            .f("hasPaymentMethod", false)
            .end();
        o.begin_arr("agents").end();
        o.begin_obj("agentsSummary")
            .f("total", 0)
            .f("withBudget", 0)
            .f("paused", 0)
            .f("totalAllocated", 0)
            .f("totalSpent", 0)
            .f("totalAvailable", 0)
            .end();
        o.begin_arr("apps").end();
        o.begin_obj("earnings")
            .f("availableBalance", 0)
            .f("totalEarned", 0)
            .f("totalRedeemed", 0)
            .f("totalPending", 0)
            .begin_obj("breakdown")
            .f("miniapps", 0)
            .f("agents", 0)
            .f("mcps", 0)
            .end()
            .end();
        o.begin_arr("recentTransactions");
        size_t n = 0;
        for (auto it = org->txns.rbegin(); it != org->txns.rend() && n < 10; ++it, ++n) {
            o.begin_obj()
                .f("id", it->id)
                .f("type", it->type)
                .f("amount", it->amount)
                .f("description", it->description)
                .f("createdAt", iso_ms(it->created_ms))
                .end();
        }
        o.end();
        o.begin_obj("pricing")
            .f("creditsPerDollar", 100)
            .f("minimumTopUp", 5)
            .f("x402Enabled", false)
            .end();
        o.end();
        return json_reply(200, o.str());
    });

    r.add("GET", "/api/v1/user", with_auth(st, [&st](Ctx &, const Principal &who) {
              auto user = st.user(who.user_id);
              auto org = st.org(who.org_id);
              if (!user || !org) return cloud_error(500, "Failed to fetch user data");
              return json_reply(200, user_reply(*user, *org, nullptr));
          }));

    // PATCH /api/v1/user (contract §4): every field optional; 400 "Validation error" with
    // details; the profile afterwards with "Profile updated successfully".
    r.add("PATCH", "/api/v1/user", with_auth(st, [&st](Ctx &c, const Principal &who) {
              rapidjson::Document body;
              if (!parse_json(c.req.body, body)) return unexpected_error();
              std::vector<Issue> issues;
              if (expect_type(&body, "object", {}, issues)) {
                  for (const char *key : {"name", "avatar", "nickname", "preferences"}) {
                      const auto *v = member(body, key);
                      if (!v || !expect_type(v, "string", {key}, issues)) continue;
                      const std::string_view k(key);
                      if (k == "name") check_string_len(*v, {key}, 1, 100, issues);
                      if (k == "nickname") check_string_len(*v, {key}, 0, 50, issues);
                      if (k == "preferences") check_string_len(*v, {key}, 0, 1000, issues);
                  }
                  if (const auto *v = member(body, "work_function");
                      v && expect_type(v, "string", {"work_function"}, issues)) {
                      const std::string f = v->GetString();
                      if (f != "developer" && f != "designer" && f != "product" && f != "data" &&
                          f != "marketing" && f != "sales" && f != "other")
                          issues.push_back({"invalid_enum_value",
                                            {"work_function"},
                                            "Invalid enum value",
                                            "",
                                            "",
                                            -1,
                                            ""});
                  }
                  for (const char *key : {"response_notifications", "email_notifications"})
                      if (const auto *v = member(body, key))
                          expect_type(v, "boolean", {key}, issues);
              }
              if (!issues.empty()) return invalid_request("Validation error", issues);
              auto user = st.update_user(who.user_id, [&body](User &u) {
                  rapidjson::Document profile;
                  if (!parse_json(u.profile_json, profile) || !profile.IsObject())
                      profile.SetObject();
                  for (auto it = body.MemberBegin(); it != body.MemberEnd(); ++it) {
                      const std::string key(it->name.GetString(), it->name.GetStringLength());
                      if (key == "name") {
                          u.name = it->value.GetString();
                          continue;
                      }
                      profile.RemoveMember(key.c_str());
                      profile.AddMember(rapidjson::Value(key.c_str(), profile.GetAllocator()),
                                        rapidjson::Value(it->value, profile.GetAllocator()),
                                        profile.GetAllocator());
                  }
                  u.profile_json = to_json(profile);
              });
              auto org = st.org(who.org_id);
              if (!user || !org) return cloud_error(500, "Failed to update user");
              return json_reply(200, user_reply(*user, *org, "Profile updated successfully"));
          }));

    // The eliza generation's health answer carries its environment and schema markers (E§7.8),
    // which is how a client tells the generations apart without a key.
    const bool eliza = app.opts.generation == "eliza";
    r.add("GET", "/api/health", [eliza](Ctx &) {
        JsonOut o;
        o.begin_obj().f("status", "ok").f("timestamp", now_ms()).f("region", "emulator");
        if (eliza) {
            o.f("environment", "emulator").begin_obj("schemaCompatibility");
            o.f("usageQuotasTombstone", true).end();
        }
        o.end();
        Reply reply = json_reply(200, o.str());
        if (eliza) reply.headers.emplace_back("Cache-Control", "no-store");
        return reply;
    });
}

}  // namespace emu
