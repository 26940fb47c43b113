// Billing (C§3.3–§3.6): Stripe checkout and its verification (the emulator's checkouts count as
// paid: the first verify adds the credits), the transactions (milady), the auto top-up settings
// and the manual trigger (milady). Enabling auto top-up needs a saved payment method: the knob
// hasPaymentMethod (--payment-method) gives every organisation one.
#include "routes_breadth.hpp"

namespace emu {

namespace {

constexpr const char *kCheckout = "checkout";
constexpr const char *kSettings = "billing-settings";

bool allowed_redirect(const std::string &url) {
    if (url.find('@') != std::string::npos) return false;  // no embedded credentials
    for (const char *origin :
         {"http://localhost:3000", "http://localhost:3001", "http://127.0.0.1:3000",
          "http://127.0.0.1:3001", "https://milady.ai", "https://www.milady.ai",
          "https://app.milady.ai", "https://www.elizacloud.ai", "https://eliza.app"}) {
        const std::string o = origin;
        if (url == o || url.rfind(o + "/", 0) == 0 || url.rfind(o + "?", 0) == 0) return true;
    }
    return false;
}

struct AutoTopUp {
    bool enabled = false;
    double amount = 0, threshold = 0;
    bool pay_from_earnings = true;
};

AutoTopUp settings_of(const Records &rec, const std::string &org) {
    AutoTopUp s;
    if (auto r = rec.get(kSettings, org, org)) {
        rapidjson::Document d;
        parse_json(r->json, d);
        s.enabled = get_bool(d, "enabled").value_or(false);
        s.amount = get_number(d, "amount").value_or(0);
        s.threshold = get_number(d, "threshold").value_or(0);
        s.pay_from_earnings = get_bool(d, "payAsYouGoFromEarnings").value_or(true);
    }
    return s;
}

void write_settings(JsonOut &o, const AutoTopUp &s, bool payment_method, bool limits) {
    o.begin_obj("settings").begin_obj("autoTopUp").f("enabled", s.enabled).f("amount", s.amount);
    o.f("threshold", s.threshold).f("hasPaymentMethod", payment_method).end();
    o.f("payAsYouGoFromEarnings", s.pay_from_earnings);
    if (limits) {
        o.begin_obj("limits").f("minAmount", 1).f("maxAmount", 1000).f("minThreshold", 0);
        o.f("maxThreshold", 1000).end();
    }
    o.end();
}

}  // namespace

void register_billing_routes(App &app) {
    Router &r = app.router;
    State &st = *app.state;
    Records &rec = app.records;
    RuntimeConfig &cfg = app.cfg;
    const bool eliza = app.opts.generation == "eliza";

    r.add("POST", "/api/v1/credits/checkout", with_auth(st, [&rec](Ctx &c, const Principal &who) {
              rapidjson::Document body;
              if (!object_body(c, body)) return bare_error(400, "Invalid request");
              std::vector<Issue> issues;
              const auto *credits = member(body, "credits");
              if (expect_type(credits, "number", {"credits"}, issues) &&
                  (credits->GetDouble() < 1 || credits->GetDouble() > 1000))
                  issues.push_back({credits->GetDouble() < 1 ? "too_small" : "too_big",
                                    {"credits"},
                                    "credits must be between 1 and 1000",
                                    "",
                                    "",
                                    credits->GetDouble() < 1 ? 1 : 1000,
                                    ""});
              for (const char *k : {"success_url", "cancel_url"})
                  expect_type(member(body, k), "string", {k}, issues);
              if (!issues.empty()) return invalid_request("Invalid request", issues, false);
              if (!allowed_redirect(body["success_url"].GetString()))
                  return bare_error(400, "Invalid success_url");
              if (!allowed_redirect(body["cancel_url"].GetString()))
                  return bare_error(400, "Invalid cancel_url");
              const std::string session = "cs_test_" + random_hex(12);
              JsonOut s;
              s.begin_obj().f("amount", credits->GetDouble()).f("verified", false).end();
              rec.put(kCheckout, {session, who.org_id, s.str(), 0, 0});
              JsonOut o;
              o.begin_obj()
                  .f("url", "https://checkout.stripe.com/c/pay/" + session)
                  .f("sessionId", session)
                  .end();
              return json_reply(200, o.str());
          }));

    r.add("GET", "/api/v1/credits/verify", with_auth(st, [&rec, &st](Ctx &c, const Principal &who) {
              const std::string session =
                  c.req.has_param("session_id") ? c.req.get_param_value("session_id") : "";
              if (session.empty()) return cloud_error(400, "session_id is required");
              auto found = rec.get(kCheckout, who.org_id, session);
              if (!found) {
                  JsonOut o;
                  o.begin_obj()
                      .f("success", false)
                      .f("error", "Payment not completed")
                      .f("status", "unpaid")
                      .end();
                  return json_reply(200, o.str());
              }
              rapidjson::Document d;
              parse_json(found->json, d);
              const double amount = get_number(d, "amount").value_or(0);
              if (!get_bool(d, "verified").value_or(false)) {
                  rec.update(kCheckout, who.org_id, session, [](rapidjson::Document &doc) {
                      set_member(doc, "verified", rapidjson::Value(true));
                  });
                  if (auto org = st.org(who.org_id))
                      st.set_balance(who.org_id, org->balance + amount);
              }
              JsonOut o;
              o.begin_obj()
                  .f("success", true)
                  .f("amount", amount)
                  .f("message", "Payment verified successfully")
                  .end();
              return json_reply(200, o.str());
          }));

    r.add("GET", "/api/v1/billing/settings",
          with_auth(st, [&rec, &cfg](Ctx &, const Principal &who) {
              JsonOut o;
              o.begin_obj().f("success", true);
              write_settings(o, settings_of(rec, who.org_id), cfg.has_payment_method.load(), true);
              return json_reply(200, o.end().str());
          }));

    r.add(
        "PUT", "/api/v1/billing/settings",
        with_auth(st, [&rec, &cfg](Ctx &c, const Principal &who) {
            rapidjson::Document body;
            if (!object_body(c, body)) return cloud_error(400, "Invalid request data");
            std::vector<Issue> issues;
            AutoTopUp s = settings_of(rec, who.org_id);
            bool enabling = false;
            if (const auto *a = member(body, "autoTopUp");
                a && expect_type(a, "object", {"autoTopUp"}, issues)) {
                if (const auto *v = member(*a, "enabled");
                    v && expect_type(v, "boolean", {"autoTopUp", "enabled"}, issues)) {
                    enabling = v->GetBool() && !s.enabled;
                    s.enabled = v->GetBool();
                }
                struct Range {
                    const char *name;
                    double min, max;
                    double *dst;
                };
                for (Range range : {Range{"amount", 1, 1000, &s.amount},
                                    Range{"threshold", 0, 1000, &s.threshold}}) {
                    const auto *v = member(*a, range.name);
                    if (!v || !expect_type(v, "number", {"autoTopUp", range.name}, issues))
                        continue;
                    if (v->GetDouble() < range.min || v->GetDouble() > range.max) {
                        issues.push_back({v->GetDouble() < range.min ? "too_small" : "too_big",
                                          {"autoTopUp", range.name},
                                          std::string(range.name) + " is out of range",
                                          "",
                                          "",
                                          static_cast<int64_t>(
                                              v->GetDouble() < range.min ? range.min : range.max),
                                          ""});
                        continue;
                    }
                    *range.dst = v->GetDouble();
                }
            }
            if (const auto *v = member(body, "payAsYouGoFromEarnings");
                v && expect_type(v, "boolean", {"payAsYouGoFromEarnings"}, issues))
                s.pay_from_earnings = v->GetBool();
            if (!issues.empty()) return invalid_request("Invalid request data", issues);
            if (enabling && !cfg.has_payment_method.load())
                return cloud_error(400,
                                   "Cannot enable auto top-up without a default payment method. "
                                   "Please add a payment method first.");
            if (s.enabled && s.amount < 1)
                return cloud_error(400, "Auto top-up amount must be at least $1");
            JsonOut stored;
            stored.begin_obj()
                .f("enabled", s.enabled)
                .f("amount", s.amount)
                .f("threshold", s.threshold);
            stored.f("payAsYouGoFromEarnings", s.pay_from_earnings).end();
            rec.put(kSettings, {who.org_id, who.org_id, stored.str(), 0, 0});
            JsonOut o;
            o.begin_obj().f("success", true).f("message", "Billing settings updated successfully");
            write_settings(o, s, cfg.has_payment_method.load(), false);
            return json_reply(200, o.end().str());
        }));

    if (eliza) return;  // E§3: no transactions route and no manual trigger found there

    r.add("GET", "/api/credits/transactions", [&st](Ctx &c) {
        AuthCheck a = edge_auth(c.req, st);
        if (!a.who) return bare_error(500, a.message);  // every error is a 500 here (C§3.6)
        bool bad = false;
        const int64_t limit = query_int(c.req, "limit", bad).value_or(100);
        const auto hours = query_int(c.req, "hours", bad);
        if (bad || limit < 1) return bare_error(500, "Invalid query parameters");
        auto org = st.org(a.who->org_id);
        if (!org) return bare_error(500, "Organization not found");
        const int64_t now = now_ms();
        JsonOut o;
        o.begin_obj().begin_arr("transactions");
        int64_t n = 0, oldest = now;
        for (auto it = org->txns.rbegin(); it != org->txns.rend() && n < limit; ++it) {
            if (hours && it->created_ms < now - *hours * 3'600'000) continue;
            ++n;
            oldest = std::min(oldest, it->created_ms);
            o.begin_obj().f("id", it->id).f("organization_id", org->id).f("amount", it->amount);
            o.f("type", it->type).f("description", it->description).begin_obj("metadata").end();
            o.f_null("stripe_payment_intent_id").f("created_at", iso_ms(it->created_ms)).end();
        }
        o.end()
            .f("total", n)
            .begin_obj("period")
            .f("start", iso_ms(oldest))
            .f("end", iso_ms(now))
            .end()
            .end();
        return json_reply(200, o.str());
    });

    r.add("POST", "/api/auto-top-up/trigger",
          with_auth(st, [&rec, &st](Ctx &, const Principal &who) {
              const AutoTopUp s = settings_of(rec, who.org_id);
              auto org = st.org(who.org_id);
              const double balance = org ? org->balance : 0;
              if (!s.enabled || balance >= s.threshold) {
                  JsonOut o;
                  o.begin_obj().f("success", false);
                  o.f("message",
                      s.enabled ? "Balance is above the threshold" : "Auto top-up is not enabled");
                  o.f("currentBalance", balance).f("threshold", s.threshold).end();
                  return json_reply(200, o.str());
              }
              st.set_balance(who.org_id, balance + s.amount);
              JsonOut o;
              o.begin_obj()
                  .f("success", true)
                  .f("message", "Auto top-up completed")
                  .f("amount", s.amount);
              o.f("previousBalance", balance).f("newBalance", balance + s.amount).end();
              return json_reply(200, o.str());
          }));
}

}  // namespace emu
