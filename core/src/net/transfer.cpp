#include "net/transfer.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <exception>
#include <functional>
#include <limits>
#include <utility>
#include <vector>

#include "net/curl_errors.hpp"
#include "net/data_callback.hpp"
#include "util/clock.hpp"
#include "util/log.hpp"
#include "util/strings.hpp"

namespace elizacloud {
namespace {

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    return true;
}

bool starts_with_ci(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

bool read_by_the_library(std::string_view name) {
    for (std::string_view known : kLibraryHeaders)
        if (name.size() == known.size() && iequals(name, known)) return true;
    return false;
}

bool has_line_break(std::string_view s) {
    // memchr reads a word at a time: checking the request's headers character by character
    // cost a thousand instructions per message.
    return !s.empty() && (std::memchr(s.data(), '\n', s.size()) != nullptr ||
                          std::memchr(s.data(), '\r', s.size()) != nullptr);
}

// Every received byte, header or body: counts against the size limit and, for a request with an
// idle timeout, as activity (the clock is read only then: once per header line, it was a dozen
// reads per bridge call, which has none). False when the transfer must stop.
bool accept_bytes(Transfer *t, size_t len) {
    if (t->abort) return false;
    if (t->request.idle_timeout_ms > 0) t->last_activity_ms = steady_now_ms();
    t->received_bytes += len;
    if (t->received_bytes <= t->request.max_response_bytes) return true;
    t->stop(ErrorInfo::make(Status::ResponseTooLarge,
                            "response too large: more than " +
                                std::to_string(t->request.max_response_bytes) + " bytes"));
    return false;
}

size_t on_header(char *data, size_t size, size_t count, void *user) {
    auto *t = static_cast<Transfer *>(user);
    size_t len = size * count;
    if (!accept_bytes(t, len)) return 0;
    std::string_view line(data, len);
    if (line.starts_with("HTTP/")) {
        // A new status line (after 1xx interim responses): only the final header block counts.
        t->response.headers.clear();
        // A lean request's success keeps no header: the library reads them to judge a failure
        // (retries, rate limits, redirects) and nothing past it sees them.
        // libcurl has parsed the status line it hands here.
        long status = 0;
        curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
        t->keep_headers = t->request.all_response_headers || status < 200 || status >= 300;
        // A cloud answer's usual count without regrowing; a lean response keeps a few.
        if (t->keep_headers) t->response.headers.reserve(t->request.all_response_headers ? 16 : 4);
        return len;
    }
    if (!t->keep_headers) return len;
    line = trim(line);
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) return len;
    const std::string_view name = trim(line.substr(0, colon));
    if (!t->request.all_response_headers && !read_by_the_library(name)) return len;
    t->response.headers.emplace_back(std::string(name), std::string(trim(line.substr(colon + 1))));
    return len;
}

// The transfer whose on_data runs on this (I/O) thread, for pause_current_transfer(), and the
// work to run once that call returns (after_current_data()).
thread_local Transfer *t_delivering = nullptr;
thread_local std::vector<std::function<void()>> *t_after_data = nullptr;

void run_after_data(std::vector<std::function<void()>> &after) {
    // Index loop: a deferred step may defer another.
    for (size_t i = 0; i < after.size(); ++i) {
        try {
            after[i]();
        } catch (const std::exception &e) {
            log::error("deferred data step threw: {}", e.what());
        } catch (...) {
            log::error("deferred data step threw");
        }
    }
}

size_t on_body(char *data, size_t size, size_t count, void *user) {
    auto *t = static_cast<Transfer *>(user);
    size_t len = size * count;
    if (t->pause_requested && !t->abort) {
        // libcurl keeps these bytes and hands them again after curl_easy_pause(CONT).
        t->pause_requested = false;
        t->paused = true;
        return CURL_WRITEFUNC_PAUSE;
    }
    if (!accept_bytes(t, len)) return 0;
    if (!t->status_known) {
        t->status_known = true;
        long code = 0;
        curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &code);
        t->response.http_status = static_cast<int>(code);
        t->streaming = t->request.on_data && code >= 200 && code < 300;
    }
    if (!t->streaming) {
        t->response.body.append(data, len);
        return len;
    }
    std::vector<std::function<void()>> after;
    t_delivering = t;
    t_after_data = &after;
    try {
        t->request.on_data(std::string_view(data, len));
    } catch (const std::exception &e) {
        t->stop(
            ErrorInfo::make(Status::Internal, std::string("stream consumer threw: ") + e.what()));
    } catch (...) {
        t->stop(ErrorInfo::make(Status::Internal, "stream consumer threw"));
    }
    run_after_data(after);
    t_after_data = nullptr;
    t_delivering = nullptr;
    return t->abort ? 0 : len;  // on_data may have cancelled the request
}

// Connect-time policy check: every address libcurl is about to connect to, for every new
// connection, so a name that re-resolves to an internal address (DNS rebinding) is refused.
curl_socket_t on_open_socket(void *user, curlsocktype purpose, curl_sockaddr *address) {
    auto *t = static_cast<Transfer *>(user);
    (void)purpose;
    auto ip = IpAddress::from_sockaddr(&address->addr, static_cast<socklen_t>(address->addrlen));
    if (!ip || !t->policy->address_allowed(*ip)) {
        t->blocked_address = ip ? ip->to_string() : "an address of unknown family";
        log::warn("refused to connect to {}: blocked by the URL policy", t->blocked_address);
        return CURL_SOCKET_BAD;
    }
    ++t->allowed_connects;
    return socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

}  // namespace

bool in_data_callback() {
    return t_after_data != nullptr;
}

void after_current_data(std::function<void()> fn) {
    if (t_after_data) {
        t_after_data->push_back(std::move(fn));
    } else {
        fn();
    }
}

void pause_current_transfer(std::function<bool()> ready) {
    // Every chunk of a block may ask once the queue is full: the first request stands.
    if (!t_delivering || t_delivering->pause_requested) return;
    t_delivering->pause_requested = true;
    t_delivering->resume_ready = std::move(ready);
}

Transfer::~Transfer() {
    if (easy) curl_easy_cleanup(easy);
    curl_mime_free(mime);  // after the easy handle: it may still refer to the parts until then
    curl_slist_free_all(resolve_list);
}

int64_t steady_now_ms() {
    return SteadyClock().now_ms();
}

const std::string *find_header(const Headers &headers, std::string_view name) {
    for (const auto &[key, value] : headers) {
        if (iequals(key, name)) return &value;
    }
    return nullptr;
}

std::optional<ErrorInfo> precheck_request(const HttpRequest &r, const UrlPolicy &policy) {
    if (starts_with_ci(r.url, "http://") && !policy.options().insecure_local) {
        return ErrorInfo::make(
            Status::UrlBlocked,
            "plain http:// refused by the URL policy (HTTPS only): " + log::redact_url(r.url));
    }
    if (has_line_break(r.method) || r.method.empty())
        return ErrorInfo::make(Status::InvalidArgument, "invalid HTTP method");
    for (const auto &[name, value] : r.headers) {
        if (name.empty() || has_line_break(name) || has_line_break(value) ||
            name.find(':') != std::string::npos)
            return ErrorInfo::make(Status::InvalidArgument,
                                   "invalid HTTP header \"" + log::redact(name) + "\"");
    }
    // Names, file names and types end up in the parts' headers; c_str() would cut at a NUL.
    auto unsafe = [](const std::string &s) {
        return has_line_break(s) || s.find('\0') != std::string::npos;
    };
    for (const FormPart &p : r.form) {
        if (p.name.empty() || unsafe(p.name) || unsafe(p.filename) || unsafe(p.content_type) ||
            unsafe(p.path))
            return ErrorInfo::make(Status::InvalidArgument,
                                   "invalid multipart part \"" + log::redact(p.name) + "\"");
    }
    return std::nullopt;
}

namespace {

// HttpRequest::form as a curl_mime. File parts from disk are read by libcurl while it sends.
CURLcode build_form(Transfer &t) {
    t.mime = curl_mime_init(t.easy);
    if (!t.mime) return CURLE_OUT_OF_MEMORY;
    for (const FormPart &p : t.request.form) {
        curl_mimepart *part = curl_mime_addpart(t.mime);
        if (!part) return CURLE_OUT_OF_MEMORY;
        CURLcode rc = curl_mime_name(part, p.name.c_str());
        if (rc == CURLE_OK && !p.path.empty()) rc = curl_mime_filedata(part, p.path.c_str());
        if (rc == CURLE_OK && p.path.empty())
            rc = curl_mime_data(part, p.data.data(), p.data.size());
        // After filedata, which sets the file's own base name: the caller's name wins.
        if (rc == CURLE_OK && !p.filename.empty())
            rc = curl_mime_filename(part, p.filename.c_str());
        if (rc == CURLE_OK && !p.content_type.empty())
            rc = curl_mime_type(part, p.content_type.c_str());
        if (rc != CURLE_OK) return rc;
    }
    return CURLE_OK;
}

}  // namespace

std::string fallback_ca_file(const char *builtin,
                             const std::function<bool(const std::string &)> &exists) {
    if (!builtin || !*builtin || exists(builtin)) return {};
    for (const char *candidate : kSystemCaFiles)
        if (exists(candidate)) return candidate;
    return {};
}

namespace {

// Decided once per process: where this libcurl finds the system's CAs.
const std::string &system_ca_file() {
    static const std::string file = [] {
        const curl_version_info_data *info = curl_version_info(CURLVERSION_NOW);
        std::string found = fallback_ca_file(
            info ? info->cainfo : nullptr,
            [](const std::string &path) { return ::access(path.c_str(), R_OK) == 0; });
        if (!found.empty())
            log::info("[net] libcurl's CA bundle {} is missing; using {}", info->cainfo, found);
        return found;
    }();
    return file;
}

}  // namespace

namespace {

// The options every request of an engine shares, set once per easy handle: a handle is reused
// without curl_easy_reset (which frees and copies them all again), so configure_request must
// set every option a request may change.
CURLcode configure_shared(CURL *e, const std::string &ca_file) {
    CURLcode rc = CURLE_OK;
    auto set = [&](CURLoption option, auto value) {
        if (rc == CURLE_OK) rc = curl_easy_setopt(e, option, value);
    };
    set(CURLOPT_NOSIGNAL, 1L);
    set(CURLOPT_PROTOCOLS_STR, "http,https");
    set(CURLOPT_FOLLOWLOCATION, 0L);
    set(CURLOPT_SSL_VERIFYPEER, 1L);
    set(CURLOPT_SSL_VERIFYHOST, 2L);
    const std::string &ca = ca_file.empty() ? system_ca_file() : ca_file;
    if (!ca.empty()) set(CURLOPT_CAINFO, ca.c_str());
    set(CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
    // No proxy, not even from the environment: the connect-time check must see the address
    // of the cloud itself, not of a proxy that would resolve the name on its own.
    set(CURLOPT_PROXY, "");
    // And no proxy for any host: libcurl otherwise reads no_proxy and NO_PROXY from the
    // environment for every request.
    set(CURLOPT_NOPROXY, "*");
    set(CURLOPT_TCP_KEEPALIVE, 1L);
    // Removing a transfer that is still resolving must not wait for getaddrinfo to return.
    set(CURLOPT_QUICK_EXIT, 1L);
    set(CURLOPT_OPENSOCKETFUNCTION, &on_open_socket);
    set(CURLOPT_HEADERFUNCTION, &on_header);
    set(CURLOPT_WRITEFUNCTION, &on_body);
    return rc;
}

// Everything of t's request, including the options a previous request on the handle may have
// set (method, body, limits, lists).
CURLcode configure_request(Transfer &t, const std::string &user_agent, RequestCache &cache) {
    CURL *e = t.easy;
    CURLcode rc = CURLE_OK;
    auto set = [&](CURLoption option, auto value) {
        if (rc == CURLE_OK) rc = curl_easy_setopt(e, option, value);
    };
    const HttpRequest &r = t.request;
    t.url_handle = cache.urls.get(r.url);
    // CURLOPT_CURLU overrides CURLOPT_URL (null clears a previous request's handle). The string
    // is set as well (copied, not parsed): libcurl before 8.12 otherwise keeps reporting a reused
    // handle's first URL as its effective URL.
    set(CURLOPT_URL, r.url.c_str());
    set(CURLOPT_CURLU, t.url_handle.get());
    set(CURLOPT_PRIVATE, static_cast<void *>(&t));
    // Over TLS, wait for a connection that may multiplex (HTTP/2) rather than open another.
    set(CURLOPT_PIPEWAIT, starts_with_ci(r.url, "https://") ? 1L : 0L);
    set(CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::max(0, r.connect_timeout_ms)));
    set(CURLOPT_TIMEOUT_MS, static_cast<long>(std::max(0, r.total_timeout_ms)));
    set(CURLOPT_OPENSOCKETDATA, static_cast<void *>(&t));
    set(CURLOPT_HEADERDATA, static_cast<void *>(&t));
    set(CURLOPT_WRITEDATA, static_cast<void *>(&t));
    set(CURLOPT_ERRORBUFFER, t.error_buffer);
    // Fails at once when Content-Length already says too much; 0 is no limit.
    const bool limited =
        r.max_response_bytes < static_cast<size_t>(std::numeric_limits<curl_off_t>::max());
    set(CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(limited ? r.max_response_bytes : 0));
    for (const std::string &entry : r.resolve) {
        t.resolve_list = curl_slist_append(t.resolve_list, entry.c_str());
    }
    set(CURLOPT_RESOLVE, t.resolve_list);

    t.header_list = cache.headers.get(r.headers, user_agent);
    if (!t.header_list) return CURLE_OUT_OF_MEMORY;
    set(CURLOPT_HTTPHEADER, t.header_list.get());

    // The method: each branch sets it from scratch (NOBODY 0 undoes a previous HEAD), and
    // CUSTOMREQUEST names it where libcurl's own choice would differ (nullptr clears it).
    const bool post = iequals(r.method, "POST");
    const bool head = iequals(r.method, "HEAD");
    const char *custom = nullptr;
    set(CURLOPT_NOBODY, head ? 1L : 0L);
    if (!r.form.empty()) {
        rc = rc == CURLE_OK ? build_form(t) : rc;
        set(CURLOPT_MIMEPOST, t.mime);
        if (!post) custom = r.method.c_str();
    } else if (head) {
    } else if (iequals(r.method, "GET") && r.body.empty()) {
        set(CURLOPT_HTTPGET, 1L);
    } else if (post || !r.body.empty()) {
        set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
        set(CURLOPT_POSTFIELDS, r.body.c_str());
        if (!post) custom = r.method.c_str();
    } else {
        set(CURLOPT_HTTPGET, 1L);  // no body: DELETE and the like
        custom = r.method.c_str();
    }
    set(CURLOPT_CUSTOMREQUEST, custom);
    return rc;
}

}  // namespace

std::shared_ptr<CURLU> UrlCache::get(const std::string &url) {
    if (handle_ && url == url_) return handle_;
    std::shared_ptr<CURLU> parsed(curl_url(), &curl_url_cleanup);
    if (!parsed || curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
        url_.clear();
        handle_.reset();
        return nullptr;
    }
    url_ = url;
    handle_ = parsed;
    return parsed;
}

namespace {

// Appends one line; on failure frees the whole list and returns null.
curl_slist *append_line(curl_slist *list, const char *line) {
    curl_slist *longer = curl_slist_append(list, line);
    if (!longer) curl_slist_free_all(list);
    return longer;
}

curl_slist *build_header_list(const Headers &headers, const std::string &user_agent) {
    curl_slist *list = nullptr;
    bool has_expect = false, has_user_agent = false;
    std::string line;  // one buffer for every line: curl_slist_append copies each
    line.reserve(256);
    for (const auto &[name, value] : headers) {
        has_expect = has_expect || iequals(name, "Expect");
        has_user_agent = has_user_agent || iequals(name, "User-Agent");
        line.assign(name).append(": ").append(value);
        if (!(list = append_line(list, line.c_str()))) return nullptr;
    }
    // No "Expect: 100-continue" round trip before large bodies.
    if (!has_expect && !(list = append_line(list, "Expect:"))) return nullptr;
    // A header of the list rather than CURLOPT_USERAGENT, which libcurl formats twice per
    // request through its printf (a third of the cost of its request headers).
    if (!has_user_agent) {
        line.assign("User-Agent: ").append(user_agent);
        list = append_line(list, line.c_str());
    }
    return list;
}

}  // namespace

std::shared_ptr<curl_slist> HeaderListCache::get(const Headers &headers,
                                                 const std::string &user_agent) {
    if (list_ && headers == headers_ && user_agent == user_agent_) return list_;
    std::shared_ptr<curl_slist> built(build_header_list(headers, user_agent), &curl_slist_free_all);
    list_.reset();  // kept only once the copies below are made
    if (!built) return nullptr;
    headers_ = headers;
    user_agent_ = user_agent;
    list_ = built;
    return built;
}

CURLcode configure_transfer(Transfer &t, const std::string &user_agent, const std::string &ca_file,
                            RequestCache &cache) {
    if (!t.easy) {
        t.easy = curl_easy_init();
        if (!t.easy) return CURLE_OUT_OF_MEMORY;
        CURLcode rc = configure_shared(t.easy, ca_file);
        if (rc != CURLE_OK) {
            // Never reused without the shared options (the protocol and TLS checks among them).
            curl_easy_cleanup(std::exchange(t.easy, nullptr));
            return rc;
        }
    }
    return configure_request(t, user_agent, cache);
}

bool detach_transfer(CURL *easy, bool reset, const std::string &ca_file) {
    long connects = 0;
    curl_easy_getinfo(easy, CURLINFO_NUM_CONNECTS, &connects);
    if (reset || connects > 0) {
        // libcurl counts the silent reconnects it makes when a kept-alive connection turns out
        // dead (at most 5 per handle, then CURLE_SEND_ERROR) and only curl_easy_reset zeroes
        // that count: a handle whose transfer connected or failed starts over.
        curl_easy_reset(easy);
        return configure_shared(easy, ca_file) == CURLE_OK;
    }
    // Pointers into the transfer, which is about to be freed; the rest is set anew by the next
    // configure_request.
    curl_easy_setopt(easy, CURLOPT_PRIVATE, nullptr);
    curl_easy_setopt(easy, CURLOPT_CURLU, nullptr);  // the transfer holds the handle's last use
    curl_easy_setopt(easy, CURLOPT_OPENSOCKETDATA, nullptr);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, nullptr);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, nullptr);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, nullptr);
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, nullptr);
    curl_easy_setopt(easy, CURLOPT_RESOLVE, nullptr);
    return true;
}

ErrorInfo transfer_outcome(Transfer &t, CURLcode code) {
    long status = 0;
    curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &status);
    t.response.http_status = static_cast<int>(status);
    if (t.abort) return *t.abort;
    if (code == CURLE_OK) {
        if (status >= 300 && status < 400) {
            const std::string *location = find_header(t.response.headers, "Location");
            ErrorInfo e = ErrorInfo::make(Status::RedirectRefused,
                                          "redirect refused: HTTP " + std::to_string(status) +
                                              (location ? " to " + log::redact_url(*location)
                                                        : std::string(" (no Location)")));
            e.http_status = static_cast<int>(status);
            return e;
        }
        return ErrorInfo{};
    }
    if (code == CURLE_COULDNT_CONNECT && !t.blocked_address.empty() && t.allowed_connects == 0) {
        return ErrorInfo::make(Status::UrlBlocked, "connection to " + t.blocked_address +
                                                       " refused: address blocked by the "
                                                       "URL policy");
    }
    ErrorInfo e = curl_error(code, t.error_buffer);
    if (code == CURLE_OPERATION_TIMEDOUT) {
        e.message = "request timed out (connect timeout " +
                    std::to_string(t.request.connect_timeout_ms) + " ms, total timeout " +
                    std::to_string(t.request.total_timeout_ms) + " ms): " + t.error_buffer;
    }
    return e;
}

}  // namespace elizacloud
