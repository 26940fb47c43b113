// The cloud options as one table: every member of ec_cloud_options a caller may set by name,
// with its type, default and meaning. ec_cloud_options_set, the plugin's config parser, the
// Python binding's timings and the catalogue's "options" (docs) all read this table.
#pragma once

#include <elizacloud/elizacloud.h>

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace elizacloud {

enum class OptionType { String, Flag, TriState, I32, I64, U32 };

struct OptionSpec {
    std::string_view name;  // the member's name: "heartbeat_interval_ms"
    OptionType type;
    size_t offset;  // into ec_cloud_options
    std::string_view default_text;
    std::string_view doc;
    bool timing = false;  // a duration or count of the "timings" group of the bindings
    int32_t min = 0;      // I32: the smallest value accepted (-1 where it means "none")
};

std::span<const OptionSpec> cloud_options();
const OptionSpec *find_cloud_option(std::string_view name);

// Sets one member from text (strings are borrowed, not copied). Throws Error(InvalidArgument)
// for an unknown name or a value of the wrong type or range: numbers are decimal integers >= 0
// that fit the member; flags are 0/1/true/false; insecure_local also takes -1 (never).
void set_cloud_option(ec_cloud_options &options, std::string_view name, const char *value);

// The registry's catalogue with "options": [{name, type, default, doc, timing}] added: what
// ec_cloud_operations_json returns.
std::string catalogue_with_options(const std::string &catalogue);

}  // namespace elizacloud
