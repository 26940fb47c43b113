#include "util/error.hpp"

namespace elizacloud {

const char *status_name(Status status) noexcept {
    switch (status) {
        case Status::Ok:
            return "EC_OK";
        case Status::InvalidArgument:
            return "EC_ERR_INVALID_ARGUMENT";
        case Status::NoMemory:
            return "EC_ERR_NO_MEMORY";
        case Status::Internal:
            return "EC_ERR_INTERNAL";
        case Status::Empty:
            return "EC_ERR_EMPTY";
        case Status::Timeout:
            return "EC_ERR_TIMEOUT";
        case Status::Cancelled:
            return "EC_ERR_CANCELLED";
        case Status::Network:
            return "EC_ERR_NETWORK";
        case Status::RedirectRefused:
            return "EC_ERR_REDIRECT_REFUSED";
        case Status::UrlBlocked:
            return "EC_ERR_URL_BLOCKED";
        case Status::Tls:
            return "EC_ERR_TLS";
        case Status::Protocol:
            return "EC_ERR_PROTOCOL";
        case Status::ResponseTooLarge:
            return "EC_ERR_RESPONSE_TOO_LARGE";
        case Status::Unauthorized:
            return "EC_ERR_UNAUTHORIZED";
        case Status::Forbidden:
            return "EC_ERR_FORBIDDEN";
        case Status::NotFound:
            return "EC_ERR_NOT_FOUND";
        case Status::Conflict:
            return "EC_ERR_CONFLICT";
        case Status::RateLimited:
            return "EC_ERR_RATE_LIMITED";
        case Status::InsufficientCredits:
            return "EC_ERR_INSUFFICIENT_CREDITS";
        case Status::InvalidRequest:
            return "EC_ERR_INVALID_REQUEST";
        case Status::Server:
            return "EC_ERR_SERVER";
        case Status::LoginExpired:
            return "EC_ERR_LOGIN_EXPIRED";
        case Status::KeyAlreadyRetrieved:
            return "EC_ERR_KEY_ALREADY_RETRIEVED";
        case Status::NotConnected:
            return "EC_ERR_NOT_CONNECTED";
        case Status::Reentrant:
            return "EC_ERR_REENTRANT";
        case Status::Busy:
            return "EC_ERR_BUSY";
        case Status::Overflow:
            return "EC_ERR_OVERFLOW";
        case Status::Io:
            return "EC_ERR_IO";
        case Status::Incompatible:
            return "EC_ERR_INCOMPATIBLE";
        case Status::ProvisionFailed:
            return "EC_ERR_PROVISION_FAILED";
        case Status::Agent:
            return "EC_ERR_AGENT";
    }
    return "EC_ERR_UNKNOWN";
}

}  // namespace elizacloud
