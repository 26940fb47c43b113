#include "net/curl_errors.hpp"

namespace elizacloud {

Status status_from_curl(CURLcode code) {
    switch (code) {
        case CURLE_OK:
            return Status::Ok;
        case CURLE_OPERATION_TIMEDOUT:
            return Status::Timeout;
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY:
        case CURLE_COULDNT_CONNECT:
        case CURLE_PARTIAL_FILE:
        case CURLE_RECV_ERROR:
        case CURLE_SEND_ERROR:
        case CURLE_GOT_NOTHING:
        case CURLE_HTTP2:
        case CURLE_HTTP2_STREAM:
        case CURLE_HTTP3:
        case CURLE_QUIC_CONNECT_ERROR:
        case CURLE_PROXY:
        case CURLE_INTERFACE_FAILED:
        case CURLE_AGAIN:
            return Status::Network;
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CERTPROBLEM:
        case CURLE_SSL_CIPHER:
        case CURLE_SSL_CACERT_BADFILE:
        case CURLE_SSL_ENGINE_NOTFOUND:
        case CURLE_SSL_ENGINE_SETFAILED:
        case CURLE_SSL_ENGINE_INITFAILED:
        case CURLE_SSL_SHUTDOWN_FAILED:
        case CURLE_SSL_CRL_BADFILE:
        case CURLE_SSL_ISSUER_ERROR:
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
        case CURLE_SSL_INVALIDCERTSTATUS:
        case CURLE_SSL_CLIENTCERT:
        case CURLE_USE_SSL_FAILED:
            return Status::Tls;
        case CURLE_FILESIZE_EXCEEDED:
            return Status::ResponseTooLarge;
        case CURLE_TOO_MANY_REDIRECTS:
            return Status::RedirectRefused;
        case CURLE_WEIRD_SERVER_REPLY:
        case CURLE_BAD_CONTENT_ENCODING:
            return Status::Protocol;
        case CURLE_UNSUPPORTED_PROTOCOL:
        case CURLE_URL_MALFORMAT:
        case CURLE_BAD_FUNCTION_ARGUMENT:
            return Status::InvalidArgument;
        case CURLE_OUT_OF_MEMORY:
            return Status::NoMemory;
        // Only an upload reads (a multipart file part, from disk while sending): the file went
        // away or became unreadable after it was checked.
        case CURLE_READ_ERROR:
            return Status::Io;
        case CURLE_ABORTED_BY_CALLBACK:
        case CURLE_WRITE_ERROR:
        case CURLE_FAILED_INIT:
        case CURLE_UNKNOWN_OPTION:
        case CURLE_NOT_BUILT_IN:
            return Status::Internal;
        default:
            return Status::Network;
    }
}

namespace {

const char *lead(Status status) {
    switch (status) {
        case Status::Timeout:
            return "request timed out";
        case Status::Network:
            return "network error";
        case Status::Tls:
            return "TLS error";
        case Status::ResponseTooLarge:
            return "response too large";
        case Status::Protocol:
            return "malformed HTTP response";
        case Status::InvalidArgument:
            return "invalid request";
        case Status::NoMemory:
            return "out of memory";
        default:
            return "transfer failed";
    }
}

}  // namespace

ErrorInfo curl_error(CURLcode code, const char *detail) {
    Status status = status_from_curl(code);
    std::string message = std::string(lead(status)) + ": " + curl_easy_strerror(code);
    if (detail != nullptr && detail[0] != '\0') message += std::string(" (") + detail + ")";
    return ErrorInfo::make(status, std::move(message));
}

}  // namespace elizacloud
