// The cloud base URL, normalised once (G9): configuration may say "https://host", "https://host/",
// "https://host/api/v1" or "https://host/api/v1///"; every component then uses site_url for the
// login and dashboard pages and api_url for the REST API, so no request URL ever has "//" or a
// doubled "/api/v1".
#pragma once

#include <string>
#include <string_view>

#include "net/url_policy.hpp"
#include "util/error.hpp"

namespace elizacloud {

inline constexpr std::string_view kDefaultSiteUrl = "https://www.elizacloud.ai";

struct BaseUrl {
    std::string site_url;  // the API origin, e.g. https://www.elizacloud.ai (no trailing slash)
    std::string api_url;   // site_url + "/api/v1"
    // The browser site (login and billing pages). The same host as the API on the seeds' cloud;
    // the live cloud splits them (E§0): api.eliza.app serves the API, eliza.app the pages.
    std::string browser_url;

    // Normalises and validates a configured base URL (empty or blank = kDefaultSiteUrl) and the
    // browser site (empty = derived from the base URL) against the policy. Throws Error with the
    // policy's status (UrlBlocked / InvalidArgument) and message when one is refused.
    static BaseUrl from_config(std::string_view configured, const UrlPolicy &policy,
                               std::string_view site = {});

    // {browser site}/dashboard/settings?tab=billing
    std::string top_up_url() const;
};

// The browser site of an API origin: https://api.eliza.app → https://eliza.app,
// https://api.elizacloud.ai → https://www.elizacloud.ai, any other origin → itself.
std::string browser_site_for(std::string_view api_origin);

// The normalisation alone (no policy check): trims blanks, drops trailing slashes, then one
// trailing "/api/v1" (any case) and the slashes before it. Empty input gives kDefaultSiteUrl.
std::string normalise_site_url(std::string_view configured);

// Percent-encodes one path segment: everything but RFC 3986 unreserved characters
// (A-Z a-z 0-9 - . _ ~) becomes %XX, so "/" or ".." can never change the path.
std::string encode_path_segment(std::string_view segment);

// "." or "..", written as is or percent-encoded (%2e): a path segment a URL parser removes or
// resolves against its parent, so a value that is one would change the route it is put in.
bool is_dot_segment(std::string_view segment);

// Same for a query-string value (identical set; spaces become %20).
inline std::string encode_query_value(std::string_view value) {
    return encode_path_segment(value);
}

}  // namespace elizacloud
