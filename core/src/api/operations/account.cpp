// The account: login, logout, the handle's status and the organisation's credits. Session
// operations: they read or replace the handle's key.
#include <array>

#include "api/operations/operations.hpp"

namespace elizacloud::api {
namespace {

constexpr std::array<ParamSpec, 1> kCredits{{
    {.name = "fresh",
     .type = ParamType::Boolean,
     .in = ParamIn::Query,
     .default_json = "false",
     .doc = "read the balance from the database instead of the cloud's cache"},
}};

constexpr std::array<ParamSpec, 1> kLoginSessionPoll{{
    {.name = "sessionId",
     .type = ParamType::Uuid,
     .in = ParamIn::Path,
     .required = true,
     .doc = "the session login_session.create answered"},
}};

constexpr std::array<OperationSpec, 6> kRows{{
    {.name = "login",
     .summary = "Browser login: opens a CLI session, reports the browser URL, waits for the key "
                "and saves it",
     .kind = Kind::Session,
     .handler = Method::Login,
     .surface = Surface::Custom,
     .scope = Scope::None,
     .http_method = "POST",
     .milady_path = "/api/auth/cli-session",
     .eliza_path = "/api/auth/cli-session",
     .result = "LoginResult",
     .timing = Timing::Login},
    {.name = "login_session.create",
     .summary = "A browser login driven by the host, step 1: opens a CLI session and answers the "
                "page the user must open",
     .kind = Kind::Session,
     .handler = Method::LoginSessionCreate,
     .scope = Scope::None,
     .http_method = "POST",
     .milady_path = "/api/auth/cli-session",
     .eliza_path = "/api/auth/cli-session",
     .result = "LoginSession",
     .timing = Timing::LoginStep},
    {.name = "login_session.poll",
     .summary = "A browser login driven by the host, step 2: polls the session once; when the "
                "user has logged in, the key is adopted and saved as login does",
     .kind = Kind::Session,
     .handler = Method::LoginSessionPoll,
     .scope = Scope::None,
     .http_method = "GET",
     .milady_path = "/api/auth/cli-session/{sessionId}",
     .eliza_path = "/api/auth/cli-session/{sessionId}",
     .params = kLoginSessionPoll,
     .result = "LoginPoll",
     .timing = Timing::LoginStep},
    {.name = "logout",
     .summary = "Disconnects (final backup), then forgets the API key in memory and in the config",
     .kind = Kind::Session,
     .handler = Method::Logout,
     .scope = Scope::None,
     .errors = ErrorFamily::Local,
     .idempotent = true,
     .timing = Timing::Local},
    {.name = "status",
     .summary = "Whether a key is configured and the cloud accepts it, and who it belongs to",
     .kind = Kind::Session,
     .handler = Method::Status,
     .scope = Scope::None,
     .http_method = "GET",
     .milady_path = "/api/v1/user",
     .eliza_path = "/api/v1/user",
     .result = "Status",
     .idempotent = true},
    {.name = "credits",
     .summary = "The organisation's credit balance, with the low and critical thresholds",
     .kind = Kind::Session,
     .handler = Method::Credits,
     .scope = Scope::None,
     .http_method = "GET",
     .milady_path = "/api/v1/credits/balance",
     .eliza_path = "/api/v1/credits/balance",
     .params = kCredits,
     .result = "Credits",
     .idempotent = true,
     .timing = Timing::Credits},
}};

}  // namespace

std::span<const OperationSpec> account_operations() {
    return kRows;
}

}  // namespace elizacloud::api
