// Parameters the inference and media rows share: the per-call headers the seeds name (SPEC §2.8).
#pragma once

#include "api/operation_spec.hpp"

namespace elizacloud::api {

inline constexpr ParamSpec kAppIdHeader{.name = "appId",
                                        .type = ParamType::String,
                                        .in = ParamIn::Header,
                                        .arg = "app_id",
                                        .min_length = 1,
                                        .max_length = 256,
                                        .doc = "bill the call to this app's credits (X-App-Id)",
                                        .header = "X-App-Id"};

inline constexpr ParamSpec kAffiliateHeader{.name = "affiliateCode",
                                            .type = ParamType::String,
                                            .in = ParamIn::Header,
                                            .arg = "affiliate_code",
                                            .min_length = 1,
                                            .max_length = 256,
                                            .doc = "an affiliate code (X-Affiliate-Code)",
                                            .header = "X-Affiliate-Code"};

inline constexpr ParamSpec kPaymentHeader{
    .name = "payment",
    .type = ParamType::String,
    .in = ParamIn::Header,
    .min_length = 1,
    .max_length = 16384,
    .doc = "an x402 payment proof, for a call paid per request (X-PAYMENT)",
    .header = "X-PAYMENT"};

inline constexpr ParamSpec kWebhookHeader{
    .name = "webhookUrl",
    .type = ParamType::String,
    .in = ParamIn::Header,
    .arg = "webhook_url",
    .min_length = 1,
    .max_length = 2048,
    .doc = "a URL the cloud notifies when the generation is done (x-webhook-url)",
    .header = "x-webhook-url"};

}  // namespace elizacloud::api
