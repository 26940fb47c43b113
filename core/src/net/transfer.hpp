// One HTTP request inside the engine: its libcurl easy handle, the callbacks that collect or
// stream the response, the connect-time policy hook, and how the result is judged. Used on the
// engine's I/O thread only.
#pragma once

#include <curl/curl.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "net/http.hpp"
#include "net/url_policy.hpp"

namespace elizacloud {

// The last URL a context sent to, parsed once into a curl URL handle (CURLOPT_CURLU): libcurl
// parses a CURLOPT_URL string anew for every request (a sixth of its work per request on the
// bridge), and consecutive requests mostly go to one URL. One cache per thread context (the
// loop's, the direct lane's); the handle is made from the request's own URL string, so the two
// never disagree.
class UrlCache {
public:
    // url's handle, parsed now if it is not the last one; null when libcurl does not parse it
    // (the request then goes by CURLOPT_URL and libcurl reports the error).
    std::shared_ptr<CURLU> get(const std::string &url);

private:
    std::string url_;
    std::shared_ptr<CURLU> handle_;
};

// The last header list a context sent, as libcurl's list (with the Expect and User-Agent lines
// configure_transfer adds): consecutive requests mostly carry the same headers (every bridge
// message of an agent does), and building the list costs two allocations per header and as many
// frees. Shared with the transfers that use it, so a replaced list lives until they end.
class HeaderListCache {
public:
    // null only when memory ran out.
    std::shared_ptr<curl_slist> get(const Headers &headers, const std::string &user_agent);

private:
    Headers headers_;
    std::string user_agent_;
    std::shared_ptr<curl_slist> list_;
};

// What one thread context (the loop's, the direct lane's) keeps from its last request.
struct RequestCache {
    UrlCache urls;
    HeaderListCache headers;
};

struct Transfer {
    RequestId id = 0;
    // The response being collected. Its `sent` is the request itself (the reference below): the
    // request goes back with the response without a move, and the Transfer stays small enough
    // for glibc's per-thread cache (a larger block made it consolidate its heap per request).
    HttpResponse response;
    HttpRequest &request = response.sent;
    // request.url parsed (UrlCache); libcurl reads it for as long as the transfer may connect.
    std::shared_ptr<CURLU> url_handle;
    Completion on_complete;
    const UrlPolicy *policy = nullptr;
    CURL *easy = nullptr;
    bool added = false;       // to the multi handle
    bool holds_slot = false;  // counts against its host's connection cap (HostQueue)
    std::shared_ptr<curl_slist> header_list;  // HeaderListCache; libcurl reads it while sending
    curl_slist *resolve_list = nullptr;
    curl_mime *mime = nullptr;  // HttpRequest::form, built for this attempt
    char error_buffer[CURL_ERROR_SIZE] = {};

    size_t received_bytes = 0;  // headers + body, against max_response_bytes
    bool keep_headers = true;   // the final status line decides (all_response_headers)
    bool status_known = false;
    bool streaming = false;
    // Set when something of ours stops the transfer (cancel, size limit, stream consumer error);
    // it then wins over whatever libcurl reports.
    // Rare, so kept apart.
    std::unique_ptr<ErrorInfo> abort;
    void stop(ErrorInfo why) { abort = std::make_unique<ErrorInfo>(std::move(why)); }
    // The last address the open-socket hook refused, and how many it let through: a failed
    // connect with none let through is the policy's doing.
    std::string blocked_address;
    int allowed_connects = 0;
    int64_t last_activity_ms = 0;  // steady clock, for the idle timeout
    // Back-pressure (pause_current_transfer): a pause asked for during on_data takes effect
    // before the next block of body bytes; `paused` while libcurl holds the transfer paused.
    // Neither counts as idle: the stall is the consumer's, not the network's.
    bool pause_requested = false;
    bool paused = false;
    std::function<bool()> resume_ready;

    Transfer() = default;
    Transfer(const Transfer &) = delete;
    Transfer &operator=(const Transfer &) = delete;
    ~Transfer();
};

// Problems found before any I/O (plain http without the opt-in, header injection); nullopt
// when the request may start.
std::optional<ErrorInfo> precheck_request(const HttpRequest &request, const UrlPolicy &policy);

// Configures t.easy for t's request: a handle that served an earlier transfer (and went through
// detach_transfer), or a new one when it is null, which then gets the options every request
// shares (protocols, TLS checks, CAs, callbacks). ca_file may be empty (system CAs:
// libcurl's own bundle, else the first of kSystemCaFiles that exists). A handle is not
// curl_easy_reset between transfers: that would free and copy the shared options each time.
CURLcode configure_transfer(Transfer &t, const std::string &user_agent, const std::string &ca_file,
                            RequestCache &cache);

// After a transfer on easy has ended and before the Transfer is freed: the handle forgets the
// pointers into it, keeping the shared options for the next configure_transfer. A handle whose
// transfer opened a connection, or when `reset` (the transfer failed; now and then anyway), is
// curl_easy_reset and set up again: libcurl's count of its own silent reconnects on a handle only
// goes back to zero that way. False when the handle could not be set up again (free it).
bool detach_transfer(CURL *easy, bool reset, const std::string &ca_file);

// Where Linux distributions keep the system's CA bundle (Debian/Ubuntu, RHEL/Fedora, the RHEL
// extracted trust store, openSUSE, Alpine/Arch).
inline constexpr const char *kSystemCaFiles[] = {
    "/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", "/etc/ssl/ca-bundle.pem",
    "/etc/ssl/cert.pem"};

// The CA file to set when none is configured: "" when libcurl's compiled-in bundle (`builtin`,
// from curl_version_info) exists or when it has none (it then uses its CA path or the TLS
// library's store); else the first of kSystemCaFiles that exists. A libcurl built on one
// distribution (the Python wheel carries Debian's) thus finds the CAs on another.
std::string fallback_ca_file(const char *builtin,
                             const std::function<bool(const std::string &)> &exists);

// The result of a transfer libcurl reports as done with `code`; fills response.http_status.
ErrorInfo transfer_outcome(Transfer &t, CURLcode code);

int64_t steady_now_ms();

}  // namespace elizacloud
