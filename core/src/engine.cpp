#include "engine.hpp"

#include <curl/curl.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <climits>
#include <condition_variable>
#include <exception>
#include <future>
#include <limits>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <tuple>
#include <unordered_map>

#include "curl_errors.hpp"
#include "log.hpp"

namespace elizacloud {
namespace {

// Upper bound of one idle wait. Wake-ups and timers always end a wait earlier; the bound only
// keeps a lost wake-up (a bug) from hanging the engine for ever.
constexpr int kIdleWaitMs = 3'600'000;

void global_init() {
    static std::once_flag once;
    std::call_once(once, [] {
        CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);
        if (rc != CURLE_OK) log::error("curl_global_init failed: {}", curl_easy_strerror(rc));
    });
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
        auto la = static_cast<char>(std::tolower(static_cast<unsigned char>(a[i])));
        auto lb = static_cast<char>(std::tolower(static_cast<unsigned char>(b[i])));
        if (la != lb) return false;
    }
    return true;
}

bool starts_with_ci(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() &&
           (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
        s.remove_suffix(1);
    return s;
}

bool has_line_break(std::string_view s) {
    return s.find_first_of("\r\n") != s.npos;
}

// Runs a callback on the I/O thread; an exception must never unwind through libcurl or the loop.
template <typename F>
void run_guarded(const char *what, F &&fn) {
    try {
        fn();
    } catch (const std::exception &e) {
        log::error("{} threw: {}", what, e.what());
    } catch (...) {
        log::error("{} threw a non-standard exception", what);
    }
}

// curl_multi_wakeup for any thread, valid even after the engine is gone (ManualClock listeners
// cannot be unregistered and may outlive the engine).
struct Waker {
    std::mutex mutex;
    CURLM *multi = nullptr;

    void wake() {
        std::lock_guard<std::mutex> lock(mutex);
        if (multi) curl_multi_wakeup(multi);
    }
    void close() {
        std::lock_guard<std::mutex> lock(mutex);
        multi = nullptr;
    }
};

}  // namespace

const std::string *find_header(const Headers &headers, std::string_view name) {
    for (const auto &[key, value] : headers) {
        if (iequals(key, name)) return &value;
    }
    return nullptr;
}

namespace {

int64_t steady_now_ms() {
    return SteadyClock().now_ms();
}

// One request in flight. Owned by the I/O thread from the moment it leaves the inbox.
struct Transfer {
    RequestId id = 0;
    HttpRequest request;
    Completion on_complete;
    const UrlPolicy *policy = nullptr;
    CURL *easy = nullptr;
    bool added = false;  // to the multi handle
    curl_slist *header_list = nullptr;
    curl_slist *resolve_list = nullptr;
    char error_buffer[CURL_ERROR_SIZE] = {};

    HttpResponse response;
    size_t received_bytes = 0;  // headers + body, against max_response_bytes
    bool status_known = false;
    bool streaming = false;
    // Set when something of ours stops the transfer (cancel, size limit, stream consumer error);
    // it then wins over whatever libcurl reports.
    std::optional<ErrorInfo> abort;
    // The last address the open-socket hook refused, and how many it let through: a failed
    // connect with none let through is the policy's doing.
    std::string blocked_address;
    int allowed_connects = 0;
    int64_t last_activity_ms = 0;  // steady clock, for the idle timeout

    Transfer() = default;
    Transfer(const Transfer &) = delete;
    Transfer &operator=(const Transfer &) = delete;
    ~Transfer() {
        if (easy) curl_easy_cleanup(easy);
        curl_slist_free_all(header_list);
        curl_slist_free_all(resolve_list);
    }
};

// Every received byte, header or body: counts as activity for the idle timeout and against the
// size limit. False when the transfer must stop.
bool accept_bytes(Transfer *t, size_t len) {
    if (t->abort) return false;
    t->last_activity_ms = steady_now_ms();
    t->received_bytes += len;
    if (t->received_bytes <= t->request.max_response_bytes) return true;
    t->abort = ErrorInfo::make(Status::ResponseTooLarge,
                               "response too large: more than " +
                                   std::to_string(t->request.max_response_bytes) + " bytes");
    return false;
}

size_t on_header(char *data, size_t size, size_t count, void *user) {
    auto *t = static_cast<Transfer *>(user);
    size_t len = size * count;
    if (!accept_bytes(t, len)) return 0;
    std::string_view line = trim(std::string_view(data, len));
    if (line.substr(0, 5) == "HTTP/") {
        // A new status line (after 1xx interim responses): only the final header block counts.
        t->response.headers.clear();
        return len;
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) return len;
    t->response.headers.emplace_back(std::string(trim(line.substr(0, colon))),
                                     std::string(trim(line.substr(colon + 1))));
    return len;
}

size_t on_body(char *data, size_t size, size_t count, void *user) {
    auto *t = static_cast<Transfer *>(user);
    size_t len = size * count;
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
    try {
        t->request.on_data(std::string_view(data, len));
    } catch (const std::exception &e) {
        t->abort =
            ErrorInfo::make(Status::Internal, std::string("stream consumer threw: ") + e.what());
    } catch (...) {
        t->abort = ErrorInfo::make(Status::Internal, "stream consumer threw");
    }
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

struct TimerKey {
    int64_t due;
    int kind;  // 0 = user timer; 1 = drain fence, which sorts after user timers due at once
    uint64_t seq;
    TimerId id;
    bool operator<(const TimerKey &o) const {
        return std::tie(due, kind, seq, id) < std::tie(o.due, o.kind, o.seq, o.id);
    }
};

// A timer set or cancelled from another thread, applied by the loop right after it reads the
// clock (see run_due_timers).
struct TimerOp {
    TimerId id = 0;
    bool cancel = false;
    int64_t due = 0;
    int kind = 0;
    int64_t repeat_ms = 0;
    std::shared_ptr<std::function<void()>> fn;
};

struct Timer {
    TimerKey key;
    int64_t repeat_ms = 0;
    std::shared_ptr<std::function<void()>> fn;  // shared: a callback may cancel its own timer
};

}  // namespace

struct Engine::Impl {
    std::shared_ptr<const UrlPolicy> policy;
    std::shared_ptr<Clock> clock;
    std::string ca_file;
    std::string user_agent;
    CURLM *multi = nullptr;
    std::shared_ptr<Waker> waker = std::make_shared<Waker>();
    std::thread thread;
    std::atomic<std::thread::id> io_thread_id{};
    bool self_delete = false;  // destroyed from its own I/O thread: run() frees the Impl

    std::atomic<uint64_t> next_request_id{1};
    std::atomic<uint64_t> next_timer_id{1};
    std::atomic<size_t> request_count{0};
    std::atomic<size_t> timer_count{0};

    // The inbox: everything other threads (and I/O-thread callbacks) hand to the loop.
    std::mutex mutex;
    std::vector<std::unique_ptr<Transfer>> submitted;
    std::vector<RequestId> cancelled;
    std::vector<std::function<void()>> tasks;
    std::vector<TimerOp> timer_ops;
    bool stopping = false;
    bool closed = false;  // the loop has ended; nothing handed in now would ever run

    // I/O thread only.
    std::unordered_map<RequestId, std::unique_ptr<Transfer>> transfers;
    std::set<TimerKey> timer_queue;
    std::unordered_map<TimerId, Timer> timers;
    uint64_t timer_seq = 0;

    ~Impl() {
        waker->close();
        if (multi) curl_multi_cleanup(multi);
    }

    bool on_io_thread() const { return io_thread_id.load() == std::this_thread::get_id(); }

    bool inbox_empty_locked() const {
        return submitted.empty() && cancelled.empty() && tasks.empty() && timer_ops.empty();
    }

    // Adds to the inbox under the lock and wakes the loop. Returns false once the loop has ended.
    template <typename F>
    bool hand_in(F &&add) {
        bool wake;
        {
            std::lock_guard<std::mutex> lock(mutex);
            if (closed) return false;
            // A non-empty inbox has already been signalled and not yet taken.
            wake = inbox_empty_locked();
            add();
        }
        if (wake) waker->wake();
        return true;
    }

    // ---- timers (I/O thread) ----

    void insert_timer(TimerId id, int64_t due, int kind, int64_t repeat_ms,
                      std::shared_ptr<std::function<void()>> fn) {
        Timer timer{TimerKey{due, kind, ++timer_seq, id}, repeat_ms, std::move(fn)};
        timer_queue.insert(timer.key);
        timers.emplace(id, std::move(timer));
    }

    void erase_timer(TimerId id) {
        auto it = timers.find(id);
        if (it == timers.end()) return;
        timer_queue.erase(it->second.key);
        if (it->second.key.kind == 0) timer_count.fetch_sub(1);
        timers.erase(it);
    }

    void apply_timer_ops() {
        std::vector<TimerOp> ops;
        {
            std::lock_guard<std::mutex> lock(mutex);
            ops.swap(timer_ops);
        }
        for (TimerOp &op : ops) {
            if (op.cancel) {
                erase_timer(op.id);
            } else {
                insert_timer(op.id, op.due, op.kind, op.repeat_ms, std::move(op.fn));
            }
        }
    }

    void run_due_timers() {
        // The clock is read before pending timer changes are taken: a set_timer or cancel_timer
        // made before the clock was advanced is then always applied before the timers that
        // advance made due (ManualClock tests rely on it; so does cancel-then-wait).
        const int64_t now = clock->now_ms();
        apply_timer_ops();
        while (!timer_queue.empty() && timer_queue.begin()->due <= now) {
            TimerKey key = *timer_queue.begin();
            timer_queue.erase(timer_queue.begin());
            auto it = timers.find(key.id);
            if (it == timers.end()) continue;
            std::shared_ptr<std::function<void()>> fn = it->second.fn;
            if (it->second.repeat_ms > 0) {
                int64_t next = key.due + it->second.repeat_ms;
                // A manual clock replays every period it jumped over; real time does not burst
                // after the process was suspended.
                if (!clock->is_manual() && next <= now) next = now + it->second.repeat_ms;
                it->second.key = TimerKey{next, key.kind, ++timer_seq, key.id};
                timer_queue.insert(it->second.key);
            } else {
                if (key.kind == 0) timer_count.fetch_sub(1);
                timers.erase(it);
            }
            run_guarded("timer callback", *fn);
        }
    }

    // ---- transfers (I/O thread) ----

    CURLcode configure(Transfer &t) {
        CURL *e = t.easy;
        CURLcode rc = CURLE_OK;
        auto set = [&](CURLoption option, auto value) {
            if (rc == CURLE_OK) rc = curl_easy_setopt(e, option, value);
        };
        const HttpRequest &r = t.request;
        set(CURLOPT_URL, r.url.c_str());
        set(CURLOPT_PRIVATE, static_cast<void *>(&t));
        set(CURLOPT_NOSIGNAL, 1L);
        set(CURLOPT_USERAGENT, user_agent.c_str());
        set(CURLOPT_PROTOCOLS_STR, "http,https");
        set(CURLOPT_FOLLOWLOCATION, 0L);
        set(CURLOPT_SSL_VERIFYPEER, 1L);
        set(CURLOPT_SSL_VERIFYHOST, 2L);
        if (!ca_file.empty()) set(CURLOPT_CAINFO, ca_file.c_str());
        set(CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
        // Over TLS, wait for a connection that may multiplex (HTTP/2) rather than open another.
        if (starts_with_ci(r.url, "https://")) set(CURLOPT_PIPEWAIT, 1L);
        // No proxy, not even from the environment: the connect-time check must see the address
        // of the cloud itself, not of a proxy that would resolve the name on its own.
        set(CURLOPT_PROXY, "");
        set(CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::max(0, r.connect_timeout_ms)));
        set(CURLOPT_TIMEOUT_MS, static_cast<long>(std::max(0, r.total_timeout_ms)));
        set(CURLOPT_TCP_KEEPALIVE, 1L);
        // Removing a transfer that is still resolving must not wait for getaddrinfo to return.
        set(CURLOPT_QUICK_EXIT, 1L);
        set(CURLOPT_OPENSOCKETFUNCTION, &on_open_socket);
        set(CURLOPT_OPENSOCKETDATA, static_cast<void *>(&t));
        set(CURLOPT_HEADERFUNCTION, &on_header);
        set(CURLOPT_HEADERDATA, static_cast<void *>(&t));
        set(CURLOPT_WRITEFUNCTION, &on_body);
        set(CURLOPT_WRITEDATA, static_cast<void *>(&t));
        set(CURLOPT_ERRORBUFFER, t.error_buffer);
        if (r.max_response_bytes < static_cast<size_t>(std::numeric_limits<curl_off_t>::max())) {
            // Fails at once when Content-Length already says too much.
            set(CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(r.max_response_bytes));
        }
        for (const std::string &entry : r.resolve) {
            t.resolve_list = curl_slist_append(t.resolve_list, entry.c_str());
        }
        if (t.resolve_list) set(CURLOPT_RESOLVE, t.resolve_list);

        bool has_expect = false;
        for (const auto &[name, value] : r.headers) {
            has_expect = has_expect || iequals(name, "Expect");
            std::string line = name + ": " + value;
            t.header_list = curl_slist_append(t.header_list, line.c_str());
        }
        // No "Expect: 100-continue" round trip before large bodies.
        if (!has_expect) t.header_list = curl_slist_append(t.header_list, "Expect:");
        set(CURLOPT_HTTPHEADER, t.header_list);

        if (iequals(r.method, "GET") && r.body.empty()) {
            set(CURLOPT_HTTPGET, 1L);
        } else if (iequals(r.method, "HEAD")) {
            set(CURLOPT_NOBODY, 1L);
        } else if (iequals(r.method, "POST") || !r.body.empty()) {
            set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
            set(CURLOPT_POSTFIELDS, r.body.c_str());
            if (!iequals(r.method, "POST")) set(CURLOPT_CUSTOMREQUEST, r.method.c_str());
        } else {
            set(CURLOPT_CUSTOMREQUEST, r.method.c_str());
        }
        return rc;
    }

    // Problems found before any I/O; nullopt when the request may start.
    std::optional<ErrorInfo> precheck(const HttpRequest &r) const {
        if (starts_with_ci(r.url, "http://") && !policy->options().insecure_local) {
            return ErrorInfo::make(
                Status::UrlBlocked,
                "plain http:// refused by the URL policy (HTTPS only): " + log::redact(r.url));
        }
        if (has_line_break(r.method) || r.method.empty())
            return ErrorInfo::make(Status::InvalidArgument, "invalid HTTP method");
        for (const auto &[name, value] : r.headers) {
            if (name.empty() || has_line_break(name) || has_line_break(value) ||
                name.find(':') != std::string::npos)
                return ErrorInfo::make(Status::InvalidArgument,
                                       "invalid HTTP header \"" + log::redact(name) + "\"");
        }
        return std::nullopt;
    }

    void start(std::unique_ptr<Transfer> t) {
        if (auto problem = precheck(t->request)) {
            complete(std::move(t), std::move(*problem));
            return;
        }
        t->policy = policy.get();
        t->easy = curl_easy_init();
        if (!t->easy) {
            complete(std::move(t), ErrorInfo::make(Status::NoMemory, "curl_easy_init failed"));
            return;
        }
        CURLcode rc = configure(*t);
        if (rc != CURLE_OK) {
            ErrorInfo error = curl_error(rc, t->error_buffer);
            complete(std::move(t), std::move(error));
            return;
        }
        t->last_activity_ms = steady_now_ms();
        CURLMcode mrc = curl_multi_add_handle(multi, t->easy);
        if (mrc != CURLM_OK) {
            complete(std::move(t),
                     ErrorInfo::make(Status::Internal, std::string("curl_multi_add_handle: ") +
                                                           curl_multi_strerror(mrc)));
            return;
        }
        t->added = true;
        RequestId id = t->id;
        transfers.emplace(id, std::move(t));
    }

    // The result of a transfer libcurl reports as done.
    ErrorInfo outcome(Transfer &t, CURLcode code) {
        long status = 0;
        curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &status);
        t.response.http_status = static_cast<int>(status);
        if (t.abort) return *t.abort;
        if (code == CURLE_OK) {
            if (status >= 300 && status < 400) {
                const std::string *location = find_header(t.response.headers, "Location");
                ErrorInfo e = ErrorInfo::make(
                    Status::RedirectRefused,
                    "redirect refused: HTTP " + std::to_string(status) +
                        (location ? " to " + *location : std::string(" (no Location)")));
                e.http_status = static_cast<int>(status);
                return e;
            }
            return ErrorInfo{};
        }
        if (code == CURLE_COULDNT_CONNECT && !t.blocked_address.empty() &&
            t.allowed_connects == 0) {
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

    // Removes a transfer from libcurl, frees it, then runs its completion exactly once.
    void complete(std::unique_ptr<Transfer> t, ErrorInfo error) {
        if (t->added) curl_multi_remove_handle(multi, t->easy);
        t->added = false;
        error.message = log::redact(error.message);  // messages never carry a key
        HttpResponse response = std::move(t->response);
        response.error = std::move(error);
        Completion done = std::move(t->on_complete);
        log::debug("HTTP {} {} -> {} {}", t->request.method, t->request.url, response.http_status,
                   status_name(response.error.status));
        t.reset();
        request_count.fetch_sub(1);
        if (done) run_guarded("request completion", [&] { done(std::move(response)); });
    }

    void complete_by_id(RequestId id, ErrorInfo error) {
        auto node = transfers.extract(id);
        if (node.empty()) return;
        complete(std::move(node.mapped()), std::move(error));
    }

    void collect_finished() {
        int left = 0;
        while (CURLMsg *msg = curl_multi_info_read(multi, &left)) {
            if (msg->msg != CURLMSG_DONE) continue;
            void *priv = nullptr;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
            auto *t = static_cast<Transfer *>(priv);
            ErrorInfo e = outcome(*t, msg->data.result);
            complete_by_id(t->id, std::move(e));
        }
    }

    void expire_idle() {
        const int64_t now = steady_now_ms();
        std::vector<std::pair<RequestId, int>> expired;
        for (const auto &[id, t] : transfers) {
            int idle = t->request.idle_timeout_ms;
            if (idle > 0 && now - t->last_activity_ms >= idle && !t->abort)
                expired.emplace_back(id, idle);
        }
        for (auto [id, idle] : expired) {
            complete_by_id(id, ErrorInfo::make(Status::Timeout,
                                               "request timed out: no data received for " +
                                                   std::to_string(idle) + " ms (idle timeout)"));
        }
    }

    void cancel_now(RequestId id) {
        auto it = transfers.find(id);
        if (it == transfers.end()) return;  // finished already
        ErrorInfo e =
            it->second->abort.value_or(ErrorInfo::make(Status::Cancelled, "request cancelled"));
        complete_by_id(id, std::move(e));
    }

    // How long the loop may sleep: 0 when work is waiting.
    int wait_ms() {
        {
            std::lock_guard<std::mutex> lock(mutex);
            if (!inbox_empty_locked() || stopping) return 0;
        }
        int64_t wait = kIdleWaitMs;
        if (!timer_queue.empty()) {
            int64_t until = timer_queue.begin()->due - clock->now_ms();
            if (until <= 0) return 0;
            // A manual clock moves only through advance(), which wakes the loop.
            if (!clock->is_manual()) wait = std::min(wait, until);
        }
        const int64_t now = steady_now_ms();
        for (const auto &[id, t] : transfers) {
            if (t->request.idle_timeout_ms <= 0) continue;
            int64_t until = t->last_activity_ms + t->request.idle_timeout_ms - now;
            wait = std::min(wait, std::max<int64_t>(until, 0));
        }
        return static_cast<int>(wait);
    }

    void run() {
        io_thread_id.store(std::this_thread::get_id());
        while (true) {
            std::vector<std::unique_ptr<Transfer>> new_transfers;
            std::vector<RequestId> new_cancels;
            std::vector<std::function<void()>> new_tasks;
            {
                std::lock_guard<std::mutex> lock(mutex);
                if (stopping) break;
                new_transfers.swap(submitted);
                new_cancels.swap(cancelled);
                new_tasks.swap(tasks);
            }
            for (auto &t : new_transfers) start(std::move(t));
            for (RequestId id : new_cancels) cancel_now(id);
            for (auto &task : new_tasks) run_guarded("posted task", task);
            new_tasks.clear();  // captured state is released on this thread, before waiting
            run_due_timers();

            int running = 0;
            CURLMcode mrc = curl_multi_perform(multi, &running);
            if (mrc != CURLM_OK) log::error("curl_multi_perform: {}", curl_multi_strerror(mrc));
            collect_finished();
            expire_idle();

            int wait = wait_ms();
            if (wait > 0) {
                mrc = curl_multi_poll(multi, nullptr, 0, wait, nullptr);
                if (mrc != CURLM_OK) log::error("curl_multi_poll: {}", curl_multi_strerror(mrc));
            }
        }
        shut_down();
        if (self_delete) delete this;
    }

    // Every request still known completes with Cancelled (on this thread, before the join);
    // timers and posted tasks are dropped. Completions may hand in more; those are cancelled too.
    void shut_down() {
        const ErrorInfo cancelled_error =
            ErrorInfo::make(Status::Cancelled, "request cancelled: engine shut down");
        while (true) {
            timers.clear();
            timer_queue.clear();
            timer_count.store(0);
            std::vector<std::unique_ptr<Transfer>> new_transfers;
            std::vector<std::function<void()>> dropped;
            std::vector<TimerOp> dropped_timers;
            {
                std::lock_guard<std::mutex> lock(mutex);
                if (transfers.empty() && inbox_empty_locked()) {
                    closed = true;
                    break;
                }
                new_transfers.swap(submitted);
                dropped.swap(tasks);
                dropped_timers.swap(timer_ops);
                cancelled.clear();
            }
            dropped.clear();
            dropped_timers.clear();
            for (auto &t : new_transfers) complete(std::move(t), cancelled_error);
            while (!transfers.empty()) complete_by_id(transfers.begin()->first, cancelled_error);
        }
    }
};

Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

std::shared_ptr<Engine> Engine::create(EngineOptions options) {
    global_init();
    auto impl = std::make_unique<Impl>();
    impl->policy = options.policy ? std::move(options.policy) : std::make_shared<UrlPolicy>();
    impl->clock = options.clock ? std::move(options.clock) : std::make_shared<SteadyClock>();
    impl->ca_file = std::move(options.ca_file);
    impl->user_agent = options.user_agent.empty() ? std::string("elizacloud/") + EC_VERSION_STRING
                                                  : std::move(options.user_agent);
    impl->multi = curl_multi_init();
    if (!impl->multi) throw Error(Status::NoMemory, "curl_multi_init failed");
    impl->waker->multi = impl->multi;
    if (auto *manual = dynamic_cast<ManualClock *>(impl->clock.get())) {
        std::weak_ptr<Waker> weak = impl->waker;
        manual->on_advance([weak] {
            if (auto waker = weak.lock()) waker->wake();
        });
    }
    Impl *raw = impl.get();
    impl->thread = std::thread([raw] { raw->run(); });
    impl->io_thread_id.store(impl->thread.get_id());
    return std::shared_ptr<Engine>(new Engine(std::move(impl)));
}

Engine::~Engine() {
    {
        std::lock_guard<std::mutex> lock(impl_->mutex);
        impl_->stopping = true;
    }
    impl_->waker->wake();
    if (impl_->on_io_thread()) {
        // The last reference went away inside a callback. Joining would deadlock: the loop
        // finishes its shutdown when the callback returns and then frees the Impl itself.
        log::warn("engine destroyed on its own I/O thread; shutting down asynchronously");
        impl_->self_delete = true;
        impl_->thread.detach();
        (void)impl_.release();
        return;
    }
    impl_->thread.join();
}

RequestId Engine::submit(HttpRequest request, Completion on_complete) {
    auto t = std::make_unique<Transfer>();
    t->id = impl_->next_request_id.fetch_add(1);
    t->request = std::move(request);
    t->on_complete = std::move(on_complete);
    RequestId id = t->id;
    impl_->request_count.fetch_add(1);
    if (!impl_->hand_in([&] { impl_->submitted.push_back(std::move(t)); })) {
        // Submitted after the engine shut down (a misuse): report it rather than drop it. The
        // inbox refused it, so t still owns the request.
        impl_->request_count.fetch_sub(1);
        HttpResponse response;
        response.error = ErrorInfo::make(Status::Cancelled, "request cancelled: engine shut down");
        if (t->on_complete) t->on_complete(std::move(response));
    }
    return id;
}

void Engine::cancel(RequestId id) {
    if (impl_->on_io_thread()) {
        // Stop at once: a stream consumer that cancels inside on_data gets no further data.
        auto it = impl_->transfers.find(id);
        if (it != impl_->transfers.end() && !it->second->abort)
            it->second->abort = ErrorInfo::make(Status::Cancelled, "request cancelled");
    }
    impl_->hand_in([&] { impl_->cancelled.push_back(id); });
}

HttpResponse Engine::perform(HttpRequest request, int wait_timeout_ms) {
    if (in_io_thread()) {
        HttpResponse response;
        response.error = ErrorInfo::make(
            Status::Reentrant, "perform() called on the engine's I/O thread; use submit()");
        return response;
    }
    struct Waiter {
        std::mutex mutex;
        std::condition_variable cv;
        bool done = false;
        HttpResponse response;
    };
    auto waiter = std::make_shared<Waiter>();
    RequestId id = submit(std::move(request), [waiter](HttpResponse &&response) {
        std::lock_guard<std::mutex> lock(waiter->mutex);
        waiter->response = std::move(response);
        waiter->done = true;
        waiter->cv.notify_all();
    });
    std::unique_lock<std::mutex> lock(waiter->mutex);
    auto finished = [&] { return waiter->done; };
    bool in_time = true;
    if (wait_timeout_ms > 0) {
        in_time = waiter->cv.wait_for(lock, std::chrono::milliseconds(wait_timeout_ms), finished);
    } else {
        waiter->cv.wait(lock, finished);
    }
    if (!in_time) {
        lock.unlock();
        cancel(id);
        lock.lock();
        waiter->cv.wait(lock, finished);  // the completion always runs, promptly after cancel
        if (waiter->response.error.status == Status::Cancelled) {
            waiter->response.error =
                ErrorInfo::make(Status::Timeout, "request timed out: no response within " +
                                                     std::to_string(wait_timeout_ms) + " ms");
        }
    }
    return std::move(waiter->response);
}

TimerId Engine::set_timer(int64_t delay_ms, std::function<void()> fn, int64_t repeat_ms) {
    TimerId id = impl_->next_timer_id.fetch_add(1);
    // The deadline is taken now, on the caller's clock reading, so set_timer(100) followed by
    // ManualClock::advance(100) fires even if the loop has not seen the timer yet.
    int64_t due = impl_->clock->now_ms() + std::max<int64_t>(delay_ms, 0);
    auto shared = std::make_shared<std::function<void()>>(std::move(fn));
    repeat_ms = std::max<int64_t>(repeat_ms, 0);
    impl_->timer_count.fetch_add(1);
    if (impl_->on_io_thread()) {
        impl_->insert_timer(id, due, 0, repeat_ms, std::move(shared));
        return id;
    }
    TimerOp op{id, false, due, 0, repeat_ms, std::move(shared)};
    if (!impl_->hand_in([&] { impl_->timer_ops.push_back(std::move(op)); })) {
        impl_->timer_count.fetch_sub(1);
    }
    return id;
}

void Engine::cancel_timer(TimerId id) {
    if (impl_->on_io_thread() && impl_->timers.count(id) != 0) {
        impl_->erase_timer(id);
        return;
    }
    // Also from the I/O thread when the timer is unknown: it may still be pending in timer_ops.
    TimerOp op;
    op.id = id;
    op.cancel = true;
    impl_->hand_in([&] { impl_->timer_ops.push_back(std::move(op)); });
}

void Engine::post(std::function<void()> fn) {
    impl_->hand_in([&] { impl_->tasks.push_back(std::move(fn)); });
}

void Engine::drain() {
    if (in_io_thread()) {
        log::error("Engine::drain() called on the I/O thread; ignored");
        return;
    }
    const int64_t deadline = impl_->clock->now_ms();
    auto done = std::make_shared<std::promise<void>>();
    std::future<void> finished = done->get_future();
    Impl *impl = impl_.get();
    // A fence timer due at the call's time sorts after every user timer due by then; when it
    // fires it posts a last task, so tasks those timers posted run before drain() returns.
    TimerOp fence;
    fence.id = impl->next_timer_id.fetch_add(1);
    fence.due = deadline;
    fence.kind = 1;
    fence.fn = std::make_shared<std::function<void()>>([impl, done] {
        std::lock_guard<std::mutex> lock(impl->mutex);
        impl->tasks.push_back([done] { done->set_value(); });
    });
    // Tasks posted before the call are taken from the inbox before the fence is applied, and
    // the fence's own task runs after them.
    impl->hand_in([&] { impl->timer_ops.push_back(std::move(fence)); });
    finished.wait();  // also returns when the engine shuts down (broken promise)
}

bool Engine::in_io_thread() const {
    return impl_->on_io_thread();
}

const Clock &Engine::clock() const {
    return *impl_->clock;
}

const UrlPolicy &Engine::policy() const {
    return *impl_->policy;
}

size_t Engine::active_requests() const {
    return impl_->request_count.load();
}

size_t Engine::active_timers() const {
    return impl_->timer_count.load();
}

}  // namespace elizacloud
