#include "rest/rest_errors.hpp"

namespace elizacloud {

RestError rest_error(Status status) {
    switch (status) {
        case Status::NotConnected:
            return {401, "Not connected to Eliza Cloud"};
        case Status::Timeout:
            return {504, "Eliza Cloud request timed out"};
        case Status::Network:
        case Status::Tls:
        case Status::UrlBlocked:
            return {502, "Failed to reach Eliza Cloud"};
        case Status::RedirectRefused:
            return {502, "Eliza Cloud request was redirected; redirects are not allowed"};
        case Status::Protocol:
        case Status::ResponseTooLarge:
            return {502, "Eliza Cloud returned an invalid response"};
        case Status::Unauthorized:
            return {502, "Eliza Cloud rejected the API key"};
        case Status::Forbidden:
            return {502, "Eliza Cloud refused the request"};
        case Status::InvalidRequest:
            return {502, "Eliza Cloud rejected the request as invalid"};
        case Status::Server:
            return {502, "Eliza Cloud returned an error"};
        case Status::ProvisionFailed:
            return {502, "Cloud agent provisioning failed"};
        case Status::Agent:
            return {502, "The cloud agent reported an error"};
        case Status::Generation:
            return {502, "Eliza Cloud's API generation could not be told or does not offer this"};
        case Status::PriceConfirmation:
            return {428,
                    "Starting dedicated compute needs the quoted price confirmed (confirm_price)"};
        case Status::Quota:
            return {403, "The organisation's Eliza Cloud agent quota is reached"};
        case Status::ImageRefused:
            return {403, "Eliza Cloud refused the agent's Docker image"};
        case Status::SessionRequired:
            return {502,
                    "Eliza Cloud accepts only a browser session on this route, not an API key"};
        case Status::InsufficientCredits:
            return {402, "Insufficient Eliza Cloud credits"};
        case Status::NotFound:
            return {404, "Cloud agent not found"};
        case Status::Conflict:
            return {409, "Eliza Cloud reported a conflict (an operation is already in progress)"};
        case Status::RateLimited:
            return {429, "Rate limited by Eliza Cloud"};
        case Status::Busy:
            return {409, "Another operation is in progress"};
        case Status::Cancelled:
            return {503, "The request was cancelled"};
        case Status::InvalidArgument:
            return {400, "Invalid request"};
        case Status::Io:
            return {500, "Could not write the configuration file"};
        default:
            return {500, "Internal error"};
    }
}

}  // namespace elizacloud
