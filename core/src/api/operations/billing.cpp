// Credits and billing (contract §3; E§3): the summary, Stripe checkout and its verification, the
// transactions (milady only), the auto top-up settings and its manual trigger (milady only).
// The balance itself is the `credits` session operation.
#include <array>

#include "api/operations/inference_params.hpp"
#include "api/operations/operations.hpp"

namespace elizacloud::api {
namespace {

constexpr std::array<ParamSpec, 4> kCheckout{{
    {.name = "credits",
     .type = ParamType::Number,
     .required = true,
     .doc = "US dollars to buy, 1 to 1000"},
    {.name = "success_url",
     .required = true,
     .min_length = 1,
     .max_length = 2048,
     .doc = "where Stripe sends the user after paying (an allowed origin)"},
    {.name = "cancel_url",
     .required = true,
     .min_length = 1,
     .max_length = 2048,
     .doc = "where Stripe sends the user after cancelling (an allowed origin)"},
    kAffiliateHeader,
}};

constexpr std::array<ParamSpec, 1> kVerify{{
    {.name = "session_id",
     .in = ParamIn::Query,
     .required = true,
     .min_length = 1,
     .max_length = 512,
     .doc = "the checkout session (billing.checkout's sessionId)"},
}};

constexpr std::array<ParamSpec, 2> kTransactions{{
    {.name = "limit",
     .type = ParamType::Integer,
     .in = ParamIn::Query,
     .doc = "the most recent N (100)"},
    {.name = "hours",
     .type = ParamType::Integer,
     .in = ParamIn::Query,
     .doc = "only those of the last N hours (among the most recent `limit`)"},
}};

constexpr std::array<ParamSpec, 2> kSettings{{
    {.name = "autoTopUp",
     .type = ParamType::Object,
     .doc = "{enabled?, amount? 1–1000, threshold? 0–1000}"},
    {.name = "payAsYouGoFromEarnings",
     .type = ParamType::Boolean,
     .doc = "pay usage from earnings first"},
}};

constexpr std::array<OperationSpec, 7> kRows{{
    {.name = "billing.summary",
     .summary = "The organisation's credits, agents' budgets, apps, earnings and recent "
                "transactions",
     .http_method = "GET",
     .milady_path = "/api/v1/credits/summary",
     .eliza_path = "/api/v1/credits/summary",
     .result = "CreditsSummary",
     .idempotent = true,
     .timing = Timing::Credits,
     .answer = Answer::Whole},
    {.name = "billing.checkout",
     .summary = "Starts a Stripe checkout for credits; answers the page the user pays on",
     .http_method = "POST",
     .milady_path = "/api/v1/credits/checkout",
     .eliza_path = "/api/v1/credits/checkout",
     .params = kCheckout,
     .body = Body::Params,
     .result = "Checkout",
     .answer = Answer::Whole},
    {.name = "billing.verify",
     .summary = "Whether a checkout was paid, and how much it added",
     .http_method = "GET",
     .milady_path = "/api/v1/credits/verify",
     .eliza_path = "/api/v1/credits/verify",
     .params = kVerify,
     .result = "CheckoutVerified",
     .idempotent = true,
     .answer = Answer::Whole},
    {.name = "billing.transactions",
     .summary = "The organisation's credit transactions, newest first (milady only)",
     .http_method = "GET",
     .milady_path = "/api/credits/transactions",
     .params = kTransactions,
     .result = "Transactions",
     .idempotent = true,
     .answer = Answer::Whole},
    {.name = "billing.settings",
     .summary = "The auto top-up settings and their limits",
     .http_method = "GET",
     .milady_path = "/api/v1/billing/settings",
     .eliza_path = "/api/v1/billing/settings",
     .result = "BillingSettings",
     .idempotent = true,
     .answer = Answer::Whole},
    {.name = "billing.update_settings",
     .summary = "Changes the auto top-up settings (enabling needs a saved payment method)",
     .http_method = "PUT",
     .milady_path = "/api/v1/billing/settings",
     .eliza_path = "/api/v1/billing/settings",
     .params = kSettings,
     .body = Body::Params,
     .result = "BillingSettings",
     .idempotent = true,
     .answer = Answer::Whole},
    {.name = "billing.auto_top_up",
     .summary = "Runs the auto top-up now if the balance is below the threshold (milady only)",
     .http_method = "POST",
     .milady_path = "/api/auto-top-up/trigger",
     .result = "TopUp",
     .answer = Answer::Whole},
}};

}  // namespace

std::span<const OperationSpec> billing_operations() {
    return kRows;
}

}  // namespace elizacloud::api
