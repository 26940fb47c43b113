// Everything a route handler needs, wired together once in main().
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "faults.hpp"
#include "options.hpp"
#include "rate_limits.hpp"
#include "records.hpp"
#include "router.hpp"
#include "state.hpp"
#include "util.hpp"

namespace emu {

struct App {
    explicit App(const Options &o);

    Options opts;
    RuntimeConfig cfg;          // live settings
    RuntimeConfig initial_cfg;  // from the command line, restored by reset
    std::unique_ptr<State> state;
    Records records;  // the breadth areas' records (apps, containers, keys…)
    FaultEngine faults;
    Sleeper sleeper;
    Router router;
    RateLimiter limiter{cfg.rate_limits, cfg.rate_limit_window_ms};
    std::atomic<bool> state_dirty{false};

    // Writes the state file (if configured); false on an I/O error.
    bool save_state(std::string &error);

private:
    // A fault fired on a heartbeat: it still counts as a heartbeat, and as a failed one.
    void count_faulted_heartbeat(const httplib::Request &req);
};

// "a,b,,c" -> {"a","b","c"}
std::vector<std::string> split_list(const std::string &csv);

// Route registration, one file per area.
void register_auth_routes(App &app);
void register_agent_routes(App &app);
void register_eliza_agent_routes(App &app);  // the eliza generation's agent routes
void register_bridge_routes(App &app);
void register_credit_routes(App &app);
void register_inference_routes(App &app);
void register_control_routes(App &app);
// The breadth areas (SPEC §2.8), both generations.
void register_media_routes(App &app);
void register_voice_routes(App &app);
void register_knowledge_routes(App &app);
void register_upload_routes(App &app);  // multipart: speech to text, voice clone, knowledge
void register_container_routes(App &app);
void register_a2a_routes(App &app);  // A2A and discovery
void register_key_routes(App &app);
void register_billing_routes(App &app);
void register_app_routes(App &app);
// Last: the generic answer of every catalogued route the files above do not implement.
void register_catalogue_routes(App &app);

}  // namespace emu
