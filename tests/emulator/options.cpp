#include "options.hpp"

#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "util.hpp"

namespace emu {

namespace {

constexpr const char *kUsage =
    "usage: elizacloud-emulator [options]\n"
    "  --host HOST                 bind address (default 127.0.0.1)\n"
    "  --port N                    port, 0 = ephemeral (default 0)\n"
    "  --tls                       HTTPS with a generated CA and server certificate\n"
    "  --ca-out PATH               where to write the CA PEM (default: a temp dir)\n"
    "  --state-file PATH           load/save state as JSON\n"
    "  --auto-approve              approve CLI login sessions on their first poll\n"
    "  --exit-with-parent          exit (as on SIGTERM) when the process that started it dies\n"
    "  --mint-session-ids          CLI login as today's cloud: the server mints the session id\n"
    "  --generation G              contract generation: milady (default) or eliza\n"
    "  --provision-ms N            provisioning job duration (default 300)\n"
    "  --job-poll-interval-ms N    polling.intervalMs announced (default 5000)\n"
    "  --session-ttl-ms N          CLI session lifetime (default 600000)\n"
    "  --credits X                 initial credit balance in USD (default 25.0)\n"
    "  --fail-provision            every provisioning fails\n"
    "  --stream-chunk-chars N      split stream replies into chunks of N characters (0 = one)\n"
    "  --stream-chunk-delay-ms N   pause between SSE events (default 0)\n"
    "  eliza generation only:\n"
    "  --default-execution-tier T  tier of a plain create: dedicated-lazy (default),\n"
    "                              dedicated-always or shared\n"
    "  --max-agents-per-org N      agent quota per organization, 0 = unlimited (default)\n"
    "  --warm-pool N               warm containers an eager create can claim (default 0)\n"
    "  --no-reuse-live-agents      create never returns the org's live agent\n"
    "  --no-price-consent          no X-Eliza-Dedicated-Price check (428)\n"
    "  --dedicated-price-acceptance S  the current acceptance string\n"
    "  --allowed-image-prefixes L  comma-separated dockerImage prefixes (ghcr.io/elizaos/)\n"
    "  --api-key KEY               pre-register this API key (eliza_ + 64 hex)\n"
    "  --threads N                 worker threads (default 256)\n"
    "  --record-requests           keep a log of the last 1000 requests\n"
    "  --api-keys-accept-keys      let API keys use the (session-only) /api/v1/api-keys routes\n"
    "  --rate-limits               apply the cloud's per-route rate limits (C7.5)\n"
    "  --payment-method            organisations have a saved payment method (auto top-up)\n"
    "  --verbose                   access log on stderr\n"
    "  --help, --version\n"
    "Control API and behaviour: docs/emulator.md\n";

bool parse_int(std::string_view s, int64_t lo, int64_t hi, int64_t &out) {
    if (s.empty()) return false;
    char *end = nullptr;
    std::string tmp(s);
    long long v = std::strtoll(tmp.c_str(), &end, 10);
    if (*end != '\0' || v < lo || v > hi) return false;
    out = v;
    return true;
}

}  // namespace

std::optional<Options> parse_options(int argc, char **argv, int &exit_code) {
    Options o;
    auto fail = [&](const std::string &msg) -> std::optional<Options> {
        std::fprintf(stderr, "elizacloud-emulator: %s\n%s", msg.c_str(), kUsage);
        exit_code = 2;
        return std::nullopt;
    };
    for (int i = 1; i < argc; ++i) {
        std::string_view a = argv[i];
        std::string_view value;
        bool has_inline = false;
        if (a.rfind("--", 0) == 0) {
            auto eq = a.find('=');
            if (eq != std::string_view::npos) {
                value = a.substr(eq + 1);
                a = a.substr(0, eq);
                has_inline = true;
            }
        }
        auto next = [&](std::string_view &v) {
            if (has_inline) {
                v = value;
                return true;
            }
            if (i + 1 >= argc) return false;
            v = argv[++i];
            return true;
        };
        auto int_opt = [&](int64_t lo, int64_t hi, int64_t &dst) {
            std::string_view v;
            if (!next(v)) return false;
            return parse_int(v, lo, hi, dst);
        };
        std::string_view v;
        int64_t n = 0;
        if (a == "--help" || a == "-h") {
            std::fputs(kUsage, stdout);
            exit_code = 0;
            return std::nullopt;
        } else if (a == "--version") {
            std::puts("elizacloud-emulator 0.2.0");
            exit_code = 0;
            return std::nullopt;
        } else if (a == "--host") {
            if (!next(v) || v.empty()) return fail("--host needs a value");
            o.host = v;
        } else if (a == "--port") {
            if (!int_opt(0, 65535, n)) return fail("--port needs a number 0-65535");
            o.port = static_cast<int>(n);
        } else if (a == "--tls") {
            o.tls = true;
        } else if (a == "--ca-out") {
            if (!next(v) || v.empty()) return fail("--ca-out needs a path");
            o.ca_out = v;
        } else if (a == "--state-file") {
            if (!next(v) || v.empty()) return fail("--state-file needs a path");
            o.state_file = v;
        } else if (a == "--auto-approve") {
            o.auto_approve = true;
        } else if (a == "--exit-with-parent") {
            o.exit_with_parent = true;
        } else if (a == "--mint-session-ids") {
            o.mint_session_ids = true;
        } else if (a == "--generation") {
            if (!next(v) || (v != "milady" && v != "eliza"))
                return fail("--generation needs milady or eliza");
            o.generation = v;
            if (v == "eliza") o.mint_session_ids = true;
        } else if (a == "--provision-ms") {
            if (!int_opt(0, 86400000, o.provision_ms)) return fail("--provision-ms needs ms >= 0");
        } else if (a == "--job-poll-interval-ms") {
            if (!int_opt(1, 86400000, o.job_poll_interval_ms)) {
                return fail("--job-poll-interval-ms needs ms >= 1");
            }
        } else if (a == "--session-ttl-ms") {
            if (!int_opt(1, 86400000LL * 365, o.session_ttl_ms)) {
                return fail("--session-ttl-ms needs ms >= 1");
            }
        } else if (a == "--credits") {
            if (!next(v)) return fail("--credits needs a number");
            std::string tmp(v);
            char *end = nullptr;
            o.credits = std::strtod(tmp.c_str(), &end);
            if (tmp.empty() || *end != '\0') return fail("--credits needs a number");
        } else if (a == "--fail-provision") {
            o.fail_provision = true;
        } else if (a == "--stream-chunk-chars") {
            if (!int_opt(0, 1 << 30, o.stream_chunk_chars)) {
                return fail("--stream-chunk-chars needs a number >= 0");
            }
        } else if (a == "--stream-chunk-delay-ms") {
            if (!int_opt(0, 600000, o.stream_chunk_delay_ms)) {
                return fail("--stream-chunk-delay-ms needs ms >= 0");
            }
        } else if (a == "--default-execution-tier") {
            if (!next(v) || (v != "dedicated-lazy" && v != "dedicated-always" && v != "shared")) {
                return fail(
                    "--default-execution-tier needs dedicated-lazy, dedicated-always or "
                    "shared");
            }
            o.default_execution_tier = v;
        } else if (a == "--max-agents-per-org") {
            if (!int_opt(0, 1000000, o.max_agents_per_org)) {
                return fail("--max-agents-per-org needs a number >= 0");
            }
        } else if (a == "--warm-pool") {
            if (!int_opt(0, 1000000, o.warm_pool)) return fail("--warm-pool needs a number >= 0");
        } else if (a == "--no-reuse-live-agents") {
            o.reuse_live_agents = false;
        } else if (a == "--no-price-consent") {
            o.require_price_consent = false;
        } else if (a == "--dedicated-price-acceptance") {
            if (!next(v) || v.empty()) return fail("--dedicated-price-acceptance needs a value");
            o.dedicated_price_acceptance = v;
        } else if (a == "--allowed-image-prefixes") {
            if (!next(v)) return fail("--allowed-image-prefixes needs a value");
            o.allowed_image_prefixes = v;
        } else if (a == "--api-key") {
            if (!next(v) || !is_api_key_format(v)) {
                return fail("--api-key needs eliza_ followed by 64 lowercase hex characters");
            }
            o.api_key = std::string(v);
        } else if (a == "--threads") {
            if (!int_opt(1, 4096, n)) return fail("--threads needs a number 1-4096");
            o.threads = static_cast<int>(n);
        } else if (a == "--record-requests") {
            o.record_requests = true;
        } else if (a == "--rate-limits") {
            o.rate_limits = true;
        } else if (a == "--api-keys-accept-keys") {
            o.api_keys_accept_keys = true;
        } else if (a == "--payment-method") {
            o.has_payment_method = true;
        } else if (a == "--verbose") {
            o.verbose = true;
        } else {
            return fail("unknown option " + std::string(a));
        }
    }
    return o;
}

}  // namespace emu
