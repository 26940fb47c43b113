// Command-line options of elizacloud-emulator (docs/emulator.md §1).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace emu {

struct Options {
    std::string host = "127.0.0.1";
    int port = 0;
    bool tls = false;
    std::string ca_out;
    std::string state_file;
    bool auto_approve = false;
    bool mint_session_ids = false;
    // The contract generation answered: "milady" (the seeds') or "eliza" (the live cloud's:
    // agent routes under /api/v1/eliza, server-minted login session ids, health markers).
    std::string generation = "milady";
    int64_t provision_ms = 300;
    int64_t job_poll_interval_ms = 5000;
    int64_t session_ttl_ms = 600000;
    double credits = 25.0;
    bool fail_provision = false;
    int64_t stream_chunk_chars = 0;
    int64_t stream_chunk_delay_ms = 0;
    std::optional<std::string> api_key;
    // The eliza generation's knobs (ignored on milady).
    std::string default_execution_tier = "dedicated-lazy";
    int64_t max_agents_per_org = 0;
    int64_t warm_pool = 0;
    bool reuse_live_agents = true;
    bool require_price_consent = true;
    std::string dedicated_price_acceptance = "dedicated-compute-v1:USD:0.150000:0.300000";
    std::string allowed_image_prefixes = "ghcr.io/elizaos/";  // comma-separated
    int threads = 256;
    bool record_requests = false;
    bool api_keys_accept_keys = false;
    bool rate_limits = false;
    bool has_payment_method = false;
    bool verbose = false;
    bool exit_with_parent = false;
};

// Parses argv. On --help/--version prints and sets exit_code 0; on an error prints to stderr and
// sets exit_code 2. Returns nullopt in both cases.
std::optional<Options> parse_options(int argc, char **argv, int &exit_code);

}  // namespace emu
