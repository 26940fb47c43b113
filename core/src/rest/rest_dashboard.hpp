// The web dashboard's files (core/data/dashboard/, embedded at build time), served by the
// standalone server at "/" and "/dashboard/<name>". They hold no data: every figure on the page
// comes from the /api/cloud/* routes, with the token when one is configured.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace elizacloud::rest {

struct DashboardFile {
    std::string content;
    const char *content_type;
};

// The file for a request path ("/" = index.html); nullopt for anything else. With
// ELIZACLOUD_DASHBOARD_DIR set, files are read from that folder instead, on every request (for
// working on the page without rebuilding the library).
std::optional<DashboardFile> dashboard_file(std::string_view path);

// The headers every dashboard file is sent with: a strict Content-Security-Policy (scripts,
// styles and fetches from this server only; no inline script or style, no frames), nosniff,
// no referrer, no caching.
inline constexpr const char *kDashboardCsp =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

}  // namespace elizacloud::rest
