// Credential checks as the cloud's edge middleware and handlers do them (C§7.1, C§7.2).
#pragma once

#include <httplib.h>

#include <optional>
#include <string>

#include "router.hpp"
#include "state.hpp"

namespace emu {

enum class AuthFailure { None, Missing, InvalidKey, InvalidToken };

struct AuthCheck {
    std::optional<Principal> who;
    AuthFailure failure = AuthFailure::None;
    std::string message;  // the cloud's error text for the failure
};

// Protected /api/* paths (milady, jobs, credits, user): X-API-Key wins over Authorization;
// a Bearer must start with eliza_ or it is treated (and rejected) as a JWT.
AuthCheck edge_auth(const httplib::Request &req, const State &state);
// Handlers behind public paths (inference): any Bearer value is tried as an API key.
AuthCheck handler_auth(const httplib::Request &req, const State &state);
// 401 {success:false,error,code:"authentication_required"}
Reply auth_error(const AuthCheck &check);
// X-API-Key (any non-empty value) or Bearer eliza_…: what the edge calls programmatic credentials.
bool has_programmatic_credentials(const httplib::Request &req);
// A non-empty steward-token or privy-token cookie.
bool has_session_cookie(const httplib::Request &req);

}  // namespace emu
