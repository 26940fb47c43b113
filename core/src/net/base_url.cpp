#include "net/base_url.hpp"

#include <cctype>

#include "util/strings.hpp"

namespace elizacloud {
namespace {

bool ends_with_ci(std::string_view text, std::string_view suffix) {
    if (text.size() < suffix.size()) return false;
    std::string_view tail = text.substr(text.size() - suffix.size());
    for (size_t i = 0; i < suffix.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(tail[i])) !=
            std::tolower(static_cast<unsigned char>(suffix[i])))
            return false;
    }
    return true;
}

std::string_view strip_trailing_slashes(std::string_view text) {
    while (!text.empty() && text.back() == '/') text.remove_suffix(1);
    return text;
}

}  // namespace

std::string normalise_site_url(std::string_view configured) {
    std::string_view url = strip_trailing_slashes(trim(configured));
    // Only strip "/api/v1" when it is a whole path segment ("https://x/my-api/v1" stays).
    if (ends_with_ci(url, "/api/v1")) url = strip_trailing_slashes(url.substr(0, url.size() - 7));
    if (url.empty()) return std::string(kDefaultSiteUrl);
    return std::string(url);
}

std::string browser_site_for(std::string_view api_origin) {
    if (api_origin == "https://api.eliza.app") return "https://eliza.app";
    if (api_origin == "https://api.elizacloud.ai") return "https://www.elizacloud.ai";
    return std::string(api_origin);
}

BaseUrl BaseUrl::from_config(std::string_view configured, const UrlPolicy &policy,
                             std::string_view site) {
    BaseUrl base;
    base.site_url = normalise_site_url(configured);
    UrlVerdict verdict = policy.check_base_url(base.site_url);
    if (!verdict.ok()) throw Error(verdict.error);
    base.api_url = base.site_url + "/api/v1";
    if (trim(site).empty()) {
        base.browser_url = browser_site_for(base.site_url);
    } else {
        // Where the user's browser goes: held to the same policy as the API origin.
        base.browser_url = normalise_site_url(site);
        UrlVerdict site_verdict = policy.check_base_url(base.browser_url);
        if (!site_verdict.ok()) throw Error(site_verdict.error);
    }
    return base;
}

std::string BaseUrl::top_up_url() const {
    return (browser_url.empty() ? site_url : browser_url) + "/dashboard/settings?tab=billing";
}

bool is_dot_segment(std::string_view segment) {
    size_t dots = 0;
    for (size_t i = 0; i < segment.size(); ++i) {
        if (segment[i] == '.') {
            ++dots;
        } else if (segment[i] == '%' && i + 2 < segment.size() && segment[i + 1] == '2' &&
                   (segment[i + 2] == 'e' || segment[i + 2] == 'E')) {
            ++dots;
            i += 2;
        } else {
            return false;
        }
    }
    return dots == 1 || dots == 2;
}

std::string encode_path_segment(std::string_view segment) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(segment.size());
    for (char ch : segment) {
        auto c = static_cast<unsigned char>(ch);
        bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                          (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
        if (unreserved) {
            out.push_back(ch);
        } else {
            out.push_back('%');
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 0x0f]);
        }
    }
    return out;
}

}  // namespace elizacloud
