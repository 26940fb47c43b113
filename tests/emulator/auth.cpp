#include "auth.hpp"

namespace emu {

namespace {

std::string bearer_of(const httplib::Request &req, bool &present) {
    std::string h = req.get_header_value("Authorization");
    present = false;
    if (h.size() >= 6 && (h.compare(0, 6, "Bearer") == 0 || h.compare(0, 6, "bearer") == 0)) {
        present = true;
        std::string v = h.substr(6);
        size_t b = v.find_first_not_of(' ');
        return b == std::string::npos ? "" : v.substr(b);
    }
    return "";
}

AuthCheck by_key(const State &state, const std::string &key) {
    AuthCheck c;
    c.who = state.lookup_key(key);
    if (!c.who) {
        c.failure = AuthFailure::InvalidKey;
        c.message = "Invalid or expired API key";
    }
    return c;
}

}  // namespace

bool has_session_cookie(const httplib::Request &req) {
    std::string cookie = req.get_header_value("Cookie");
    for (const char *name : {"steward-token=", "privy-token="}) {
        size_t pos = 0;
        while ((pos = cookie.find(name, pos)) != std::string::npos) {
            bool at_start = pos == 0 || cookie[pos - 1] == ' ' || cookie[pos - 1] == ';';
            size_t v = pos + std::string(name).size();
            if (at_start && v < cookie.size() && cookie[v] != ';') return true;
            pos = v;
        }
    }
    return false;
}

bool has_programmatic_credentials(const httplib::Request &req) {
    if (!req.get_header_value("X-API-Key").empty()) return true;
    bool present = false;
    std::string b = bearer_of(req, present);
    return present && b.rfind("eliza_", 0) == 0;
}

AuthCheck edge_auth(const httplib::Request &req, const State &state) {
    std::string xkey = req.get_header_value("X-API-Key");
    if (!xkey.empty()) return by_key(state, xkey);
    bool present = false;
    std::string bearer = bearer_of(req, present);
    if (!bearer.empty()) {
        if (bearer.rfind("eliza_", 0) == 0) return by_key(state, bearer);
        return {std::nullopt, AuthFailure::InvalidToken, "Invalid authentication token"};
    }
    if (has_session_cookie(req)) {
        // Cookies are verified as Privy/Steward JWTs; the emulator has no such sessions.
        return {std::nullopt, AuthFailure::InvalidToken, "Invalid authentication token"};
    }
    return {std::nullopt, AuthFailure::Missing, "Unauthorized"};
}

AuthCheck handler_auth(const httplib::Request &req, const State &state) {
    std::string xkey = req.get_header_value("X-API-Key");
    if (!xkey.empty()) return by_key(state, xkey);
    bool present = false;
    std::string bearer = bearer_of(req, present);
    if (present && bearer.empty()) {
        return {std::nullopt, AuthFailure::InvalidToken, "Invalid authorization header"};
    }
    if (!bearer.empty()) {
        AuthCheck c = by_key(state, bearer);
        size_t dots = 0;
        for (char ch : bearer) dots += ch == '.';
        if (!c.who && dots == 2) c.message = "Invalid or expired token";
        return c;
    }
    return {std::nullopt, AuthFailure::Missing, "Authentication required"};
}

Reply auth_error(const AuthCheck &check) {
    return cloud_error(401, check.message, "authentication_required");
}

}  // namespace emu
