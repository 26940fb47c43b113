// A Python-owned copy of an ec_event: the ABI's event is freed (or, in a callback, borrowed)
// right away, so nothing Python holds points into library memory.
#pragma once

#include <elizacloud/elizacloud.h>

#include <cstdint>
#include <string>

namespace ecpy {

struct Event {
    explicit Event(const ec_event &ev);

    int32_t type;
    uint64_t request_id;
    ec_status status;
    std::string message;
    std::string text;
    std::string json;
    std::string agent_id;
    int32_t state;
    int32_t previous_state;
    int32_t attempt;
    int64_t next_delay_ms;
    int32_t log_level;
    uint64_t dropped;
};

}  // namespace ecpy
