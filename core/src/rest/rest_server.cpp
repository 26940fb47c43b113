#include "rest/rest_server.hpp"

#include <fcntl.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <thread>
#include <unordered_set>
#include <utility>
#include <vector>

#include "handle/cloud.hpp"
#include "rest/rest_checks.hpp"
#include "util/json.hpp"
#include "util/log.hpp"
#include "util/strings.hpp"

namespace elizacloud {
namespace {

using ServerClock = std::chrono::steady_clock;

// An event stream with nothing to say writes a comment this often: proxies see a live stream,
// and a write to a client that has gone fails soon.
constexpr auto kKeepAliveComment = std::chrono::milliseconds(1'000);
// An over-long body is read and dropped up to this much more, so the 413 reaches a client that
// is still sending; past it the connection is closed.
constexpr size_t kDiscardLimitBytes = 16u * 1024u * 1024u;
// epoll threads owning the sockets (the dispatching happens on the worker threads).
constexpr unsigned kPollingThreads = 2;
constexpr unsigned kMaxConnections = 4096;
// How often the deadlines are checked and the hang-up of waiting event streams looked at.
constexpr int kHousekeepingMs = 100;

std::mutex g_env_mutex;  // setenv/unsetenv of concurrent requests

void export_credentials(Cloud &cloud, CredentialsChange change) {
    std::lock_guard<std::mutex> lock(g_env_mutex);
    if (change == CredentialsChange::Stored) {
        try {
            const std::string key = cloud.api_key();
            ::setenv("ELIZAOS_CLOUD_API_KEY", key.c_str(), 1);
            ::setenv("ELIZAOS_CLOUD_ENABLED", "true", 1);
        } catch (const Error &) {  // removed again meanwhile
        }
    } else if (change == CredentialsChange::Removed) {
        ::unsetenv("ELIZAOS_CLOUD_API_KEY");
        ::unsetenv("ELIZAOS_CLOUD_ENABLED");
    }
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

size_t count_header(const Headers &headers, std::string_view name) {
    return static_cast<size_t>(std::count_if(
        headers.begin(), headers.end(), [&](const auto &h) { return iequals(h.first, name); }));
}

// Request framing that a proxy and this server could read differently (request smuggling, a
// second Host slipping past the allow-list): refused before the dispatcher sees anything.
const char *framing_problem(std::string_view method, const Headers &headers) {
    if (count_header(headers, "Host") > 1) return "Duplicate Host header";
    const size_t lengths = count_header(headers, "Content-Length");
    const size_t encodings = count_header(headers, "Transfer-Encoding");
    if (lengths > 1) return "Duplicate Content-Length header";
    if (lengths > 0 && encodings > 0) return "Content-Length with Transfer-Encoding";
    const bool bodiless = method == "GET" || method == "HEAD" || method == "OPTIONS";
    if (bodiless && encodings > 0) return "Request body not allowed";
    return nullptr;
}

std::string error_body(const char *message) {
    return std::string(R"({"error":)") + json::quote(message) + "}";
}

// Where a connection is in its current request, and since when (for the deadlines).
struct ConnState {
    enum class Phase { AwaitRequest, Headers, Body, Busy };
    int fd = -1;
    Phase phase = Phase::AwaitRequest;
    ServerClock::time_point since = ServerClock::now();
    bool cut = false;  // shut down for a missed deadline
};

// One request, from its request line to its response.
struct Exchange {
    RestRequest request;
    bool started = false;     // the headers were seen
    bool dispatched = false;  // handed to a worker
    bool answered = false;    // the worker filled response
    bool too_large = false;
    size_t dropped = 0;
    RestResponse response;
};

// An event stream being written. Its connection is suspended while there is nothing to write
// (an event-driven server must not wait inside a callback) and resumed by the housekeeper.
struct StreamWriter {
    std::shared_ptr<RestStream> stream;
    MHD_Connection *connection = nullptr;
    int fd = -1;
    RestServer::Impl *impl = nullptr;
    std::mutex mutex;
    bool suspended = false;
    bool gone = false;  // the client hung up
    std::string buffer;
    size_t offset = 0;
    ServerClock::time_point last_write = ServerClock::now();
};

}  // namespace

struct RestServer::Impl {
    Impl(RestApi &api_, Cloud &cloud_, const RestServerOptions &options)
        : api(api_),
          cloud(cloud_),
          export_env(options.export_env),
          idle_timeout(options.idle_timeout_ms),
          header_timeout(options.header_timeout_ms),
          body_timeout(options.body_timeout_ms) {}

    RestApi &api;
    Cloud &cloud;
    const bool export_env;
    const std::chrono::milliseconds idle_timeout;
    const std::chrono::milliseconds header_timeout;
    const std::chrono::milliseconds body_timeout;

    MHD_Daemon *daemon = nullptr;
    int wake_fd = -1;

    // Workers: dispatch complete requests, then resume their connections.
    std::mutex work_mutex;
    std::condition_variable work_ready;
    std::deque<std::pair<MHD_Connection *, Exchange *>> work;
    bool work_stopping = false;
    std::vector<std::thread> workers;

    // Open connections, for the deadlines.
    std::mutex conns_mutex;
    std::unordered_set<ConnState *> conns;

    // Event streams being written.
    std::mutex writers_mutex;
    std::vector<std::shared_ptr<StreamWriter>> writers;
    std::atomic<bool> streams_ending{false};

    std::thread housekeeper;
    std::atomic<bool> housekeeping{true};

    void wake() {
        const uint64_t one = 1;
        [[maybe_unused]] ssize_t n = ::write(wake_fd, &one, sizeof one);
    }

    void set_phase(MHD_Connection *connection, ConnState::Phase phase) {
        const MHD_ConnectionInfo *info =
            MHD_get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
        if (!info || !info->socket_context) return;
        auto *state = static_cast<ConnState *>(info->socket_context);
        std::lock_guard<std::mutex> lock(conns_mutex);
        state->phase = phase;
        state->since = ServerClock::now();
    }

    // Hands a request to the workers with its connection suspended; false once stopping.
    bool submit(MHD_Connection *connection, Exchange *exchange) {
        {
            std::lock_guard<std::mutex> lock(work_mutex);
            if (work_stopping) return false;
            // Suspended before a worker can see it, so the worker's resume always follows.
            MHD_suspend_connection(connection);
            work.emplace_back(connection, exchange);
        }
        work_ready.notify_one();
        return true;
    }

    void work_loop() {
        while (true) {
            std::pair<MHD_Connection *, Exchange *> job;
            {
                std::unique_lock<std::mutex> lock(work_mutex);
                work_ready.wait(lock, [this] { return work_stopping || !work.empty(); });
                if (work.empty()) return;  // stopping, and every request was answered
                job = work.front();
                work.pop_front();
            }
            Exchange &exchange = *job.second;
            exchange.response = api.dispatch(exchange.request);
            log::debug("[rest] {} {} -> {}", exchange.request.method, exchange.request.target,
                       exchange.response.status);
            if (export_env) export_credentials(cloud, exchange.response.credentials);
            exchange.answered = true;
            MHD_resume_connection(job.first);
        }
    }

    void housekeep_loop() {
        while (housekeeping) {
            // Suspended stream connections stay open until this thread resumes them, so their
            // descriptors are safe to poll for a hang-up.
            std::vector<pollfd> fds{{wake_fd, POLLIN, 0}};
            std::vector<std::shared_ptr<StreamWriter>> polled;
            {
                std::lock_guard<std::mutex> lock(writers_mutex);
                for (auto &writer : writers) {
                    std::lock_guard<std::mutex> wl(writer->mutex);
                    if (!writer->suspended) continue;
                    fds.push_back({writer->fd, POLLRDHUP, 0});
                    polled.push_back(writer);
                }
            }
            ::poll(fds.data(), fds.size(), kHousekeepingMs);
            if (fds[0].revents & POLLIN) {
                uint64_t count = 0;
                [[maybe_unused]] ssize_t n = ::read(wake_fd, &count, sizeof count);
            }
            for (size_t i = 0; i < polled.size(); ++i) {
                if (fds[i + 1].revents & (POLLRDHUP | POLLHUP | POLLERR)) {
                    std::lock_guard<std::mutex> wl(polled[i]->mutex);
                    polled[i]->gone = true;
                }
            }
            resume_streams(false);
            enforce_deadlines();
        }
        resume_streams(true);  // none may stay suspended when the daemon stops
    }

    void resume_streams(bool all) {
        const auto now = ServerClock::now();
        std::lock_guard<std::mutex> lock(writers_mutex);
        for (auto &writer : writers) {
            std::lock_guard<std::mutex> wl(writer->mutex);
            if (!writer->suspended) continue;
            if (all || writer->gone || streams_ending || writer->stream->ready() ||
                now - writer->last_write >= kKeepAliveComment) {
                writer->suspended = false;
                MHD_resume_connection(writer->connection);
            }
        }
    }

    void enforce_deadlines() {
        const auto now = ServerClock::now();
        std::lock_guard<std::mutex> lock(conns_mutex);
        for (ConnState *state : conns) {
            if (state->cut) continue;
            std::chrono::milliseconds limit;
            switch (state->phase) {
                case ConnState::Phase::AwaitRequest:
                    limit = idle_timeout;
                    break;
                case ConnState::Phase::Headers:
                    limit = header_timeout;
                    break;
                case ConnState::Phase::Body:
                    limit = body_timeout;
                    break;
                default:
                    continue;
            }
            if (now - state->since > limit) {
                // The polling thread sees the end of the socket and closes the connection (the
                // descriptor stays ours until its close notification, taken under this lock).
                ::shutdown(state->fd, SHUT_RDWR);
                state->cut = true;
            }
        }
    }

    void remove_writer(StreamWriter *writer) {
        std::lock_guard<std::mutex> lock(writers_mutex);
        std::erase_if(writers, [writer](const auto &w) { return w.get() == writer; });
    }

    MHD_Result queue(MHD_Connection *connection, int status, const std::string &body,
                     const Headers &headers, bool close) {
        MHD_Response *response = MHD_create_response_from_buffer(
            body.size(), const_cast<char *>(body.data()), MHD_RESPMEM_MUST_COPY);
        if (!response) return MHD_NO;
        for (const auto &[name, value] : headers)
            MHD_add_response_header(response, name.c_str(), value.c_str());
        if (close) MHD_add_response_header(response, "Connection", "close");
        const MHD_Result result =
            MHD_queue_response(connection, static_cast<unsigned>(status), response);
        MHD_destroy_response(response);
        return result;
    }

    MHD_Result queue_error(MHD_Connection *connection, int status, const char *message,
                           bool close) {
        return queue(connection, status, error_body(message),
                     {{"Content-Type", "application/json"}}, close);
    }

    MHD_Result queue_answer(MHD_Connection *connection, Exchange &exchange) {
        RestResponse &out = exchange.response;
        if (!out.stream) return queue(connection, out.status, out.body, out.headers, false);
        auto writer = std::make_shared<StreamWriter>();
        writer->stream = out.stream;
        writer->connection = connection;
        writer->impl = this;
        const MHD_ConnectionInfo *info =
            MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
        writer->fd = info ? info->connect_fd : -1;
        auto *holder = new std::shared_ptr<StreamWriter>(writer);
        MHD_Response *response = MHD_create_response_from_callback(
            MHD_SIZE_UNKNOWN, 16 * 1024, &read_stream, holder, &free_stream);
        if (!response) {
            delete holder;
            out.stream->close();
            return MHD_NO;
        }
        for (const auto &[name, value] : out.headers)
            MHD_add_response_header(response, name.c_str(), value.c_str());
        {
            std::lock_guard<std::mutex> lock(writers_mutex);
            writers.push_back(writer);
        }
        out.stream->set_listener([this] { wake(); });
        const MHD_Result result =
            MHD_queue_response(connection, static_cast<unsigned>(out.status), response);
        MHD_destroy_response(response);  // the connection keeps it (and the writer) alive
        return result;
    }

    static ssize_t read_stream(void *cls, uint64_t, char *buf, size_t max) {
        StreamWriter &w = **static_cast<std::shared_ptr<StreamWriter> *>(cls);
        std::lock_guard<std::mutex> lock(w.mutex);
        if (w.gone) return MHD_CONTENT_READER_END_WITH_ERROR;
        if (w.offset == w.buffer.size()) {
            auto frames = w.stream->read(0);
            if (!frames) return MHD_CONTENT_READER_END_OF_STREAM;
            if (frames->empty() && ServerClock::now() - w.last_write >= kKeepAliveComment)
                *frames = ": keep-alive\n\n";
            if (frames->empty()) {
                if (w.impl->streams_ending) return MHD_CONTENT_READER_END_OF_STREAM;
                w.suspended = true;
                MHD_suspend_connection(w.connection);
                w.impl->wake();  // poll this connection for a hang-up from now on
                return 0;
            }
            w.buffer = std::move(*frames);
            w.offset = 0;
        }
        const size_t n = std::min(max, w.buffer.size() - w.offset);
        std::memcpy(buf, w.buffer.data() + w.offset, n);
        w.offset += n;
        w.last_write = ServerClock::now();
        return static_cast<ssize_t>(n);
    }

    static void free_stream(void *cls) {
        auto *holder = static_cast<std::shared_ptr<StreamWriter> *>(cls);
        StreamWriter &w = **holder;
        w.stream->set_listener(nullptr);
        w.stream->close();  // frees its slot among the event streams
        w.impl->remove_writer(&w);
        delete holder;
    }

    // ---- libmicrohttpd callbacks (on the polling threads) -----------------------------------

    static void on_connection(void *cls, MHD_Connection *connection, void **socket_context,
                              MHD_ConnectionNotificationCode code) {
        Impl &impl = *static_cast<Impl *>(cls);
        if (code == MHD_CONNECTION_NOTIFY_STARTED) {
            auto *state = new ConnState;
            const MHD_ConnectionInfo *info =
                MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
            state->fd = info ? info->connect_fd : -1;
            // Small responses go out at once, not after the 40 ms delayed-ACK wait.
            int yes = 1;
            ::setsockopt(state->fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
            std::lock_guard<std::mutex> lock(impl.conns_mutex);
            impl.conns.insert(state);
            *socket_context = state;
        } else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
            auto *state = static_cast<ConnState *>(*socket_context);
            if (!state) return;
            std::lock_guard<std::mutex> lock(impl.conns_mutex);
            impl.conns.erase(state);
            delete state;
            *socket_context = nullptr;
        }
    }

    // The request line is in: the headers' deadline starts, and the raw target is kept (the
    // handler gets the path already percent-decoded; the dispatcher routes on the raw one).
    static void *on_request_line(void *cls, const char *uri, MHD_Connection *connection) {
        static_cast<Impl *>(cls)->set_phase(connection, ConnState::Phase::Headers);
        auto *exchange = new Exchange;
        exchange->request.target = uri ? uri : "";
        return exchange;
    }

    static void on_completed(void *cls, MHD_Connection *connection, void **req_cls,
                             MHD_RequestTerminationCode) {
        delete static_cast<Exchange *>(*req_cls);
        *req_cls = nullptr;
        static_cast<Impl *>(cls)->set_phase(connection, ConnState::Phase::AwaitRequest);
    }

    static MHD_Result collect_header(void *cls, MHD_ValueKind, const char *name,
                                     const char *value) {
        static_cast<Headers *>(cls)->emplace_back(name ? name : "", value ? value : "");
        return MHD_YES;
    }

    static MHD_Result on_request(void *cls, MHD_Connection *connection, const char *,
                                 const char *method, const char *, const char *upload_data,
                                 size_t *upload_size, void **req_cls) {
        Impl &impl = *static_cast<Impl *>(cls);
        auto *exchange = static_cast<Exchange *>(*req_cls);
        if (!exchange) return MHD_NO;  // no request line callback: cannot happen
        if (!exchange->started) {
            exchange->started = true;
            exchange->request.method = method ? method : "";
            MHD_get_connection_values(connection, MHD_HEADER_KIND, &collect_header,
                                      &exchange->request.headers);
            impl.set_phase(connection, ConnState::Phase::Body);
            if (const char *problem =
                    framing_problem(exchange->request.method, exchange->request.headers))
                return impl.queue_error(connection, 400, problem, true);
            return MHD_YES;
        }
        if (*upload_size != 0) {
            std::string &body = exchange->request.body;
            if (!exchange->too_large && body.size() + *upload_size > kRestMaxBodyBytes) {
                exchange->too_large = true;
                std::string().swap(body);
            }
            if (exchange->too_large) {
                exchange->dropped += *upload_size;
                *upload_size = 0;
                // Past the discard limit the connection is closed without an answer: the
                // library takes a response only before the body or after all of it.
                if (exchange->dropped > kDiscardLimitBytes) return MHD_NO;
                return MHD_YES;
            }
            body.append(upload_data, *upload_size);
            *upload_size = 0;
            return MHD_YES;
        }
        if (exchange->too_large)
            return impl.queue_error(connection, 413, "Request body too large", true);
        if (exchange->answered) return impl.queue_answer(connection, *exchange);
        if (exchange->dispatched) return MHD_YES;
        exchange->dispatched = true;
        impl.set_phase(connection, ConnState::Phase::Busy);
        if (!impl.submit(connection, exchange))
            return impl.queue_error(connection, 503, "Server is shutting down", true);
        return MHD_YES;
    }

    void start_threads(int count) {
        for (int i = 0; i < count; ++i) workers.emplace_back([this] { work_loop(); });
        housekeeper = std::thread([this] { housekeep_loop(); });
    }

    // Requests in flight are answered (the dispatcher answers 503 once shut down), streams end,
    // and only then are the sockets closed.
    void shutdown() {
        {
            std::lock_guard<std::mutex> lock(work_mutex);
            work_stopping = true;
        }
        work_ready.notify_all();
        for (auto &t : workers)
            if (t.joinable()) t.join();
        streams_ending = true;
        wake();
        // Let the last answers and stream ends go out (bounded: a client may not read).
        const auto until = ServerClock::now() + std::chrono::seconds(2);
        while (ServerClock::now() < until) {
            bool busy;
            {
                std::lock_guard<std::mutex> lock(writers_mutex);
                busy = !writers.empty();
            }
            if (!busy) {
                std::lock_guard<std::mutex> lock(conns_mutex);
                busy = std::any_of(conns.begin(), conns.end(),
                                   [](ConnState *s) { return s->phase == ConnState::Phase::Busy; });
            }
            if (!busy) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        housekeeping = false;
        wake();
        if (housekeeper.joinable()) housekeeper.join();
        if (daemon) MHD_stop_daemon(daemon);
        daemon = nullptr;
        if (wake_fd >= 0) ::close(wake_fd);
        wake_fd = -1;
    }
};

namespace {

// The listening socket, made here rather than by the library: SO_REUSEADDR without
// SO_REUSEPORT (a second server must not silently share the port), the system's full backlog
// (a burst of connects must not be reset), and a clear error for an address in use.
int listen_on(const std::string &host, int port, int &bound_port, bool &ipv6) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo *found = nullptr;
    const std::string service = std::to_string(port);
    if (::getaddrinfo(host.c_str(), service.c_str(), &hints, &found) != 0 || !found)
        throw Error(Status::Io, "cannot listen on " + host + ": unknown address");
    int fd = -1;
    int error = 0;
    for (addrinfo *ai = found; ai; ai = ai->ai_next) {
        fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
                      ai->ai_protocol);
        if (fd < 0) continue;
        int yes = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        if (::bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && ::listen(fd, SOMAXCONN) == 0) {
            ipv6 = ai->ai_family == AF_INET6;
            break;
        }
        error = errno;
        ::close(fd);
        fd = -1;
    }
    ::freeaddrinfo(found);
    if (fd < 0) {
        throw Error(Status::Io, "cannot listen on " + host + ":" + std::to_string(port) + " (" +
                                    std::strerror(error) +
                                    "; in use, or not an address of this machine)");
    }
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len);
    bound_port = addr.ss_family == AF_INET6
                     ? ntohs(reinterpret_cast<sockaddr_in6 *>(&addr)->sin6_port)
                     : ntohs(reinterpret_cast<sockaddr_in *>(&addr)->sin_port);
    return fd;
}

}  // namespace

RestServer::RestServer(Cloud &cloud, RestServerOptions options,
                       std::shared_ptr<LoginSessions> sessions)
    : options_(std::move(options)) {
    std::string host(trim(options_.host));
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    if (host.empty()) host = "127.0.0.1";
    options_.host = host;
    if (options_.port < 0 || options_.port > 65535)
        throw Error(Status::InvalidArgument, "port must be 0..65535");
    if (options_.threads <= 0) options_.threads = 32;
    if (options_.idle_timeout_ms <= 0 || options_.header_timeout_ms <= 0 ||
        options_.body_timeout_ms <= 0)
        throw Error(Status::InvalidArgument, "timeouts must be positive");
    if (!rest::is_loopback_bind(host) && options_.rest.token.empty()) {
        throw Error(Status::InvalidArgument,
                    "refusing to serve on " + host +
                        " without a token: set MILADY_API_TOKEN or pass a token (only loopback "
                        "addresses may be served without one)");
    }
    // Clients name the bind host in Host: accept it besides the loopback names.
    options_.rest.allowed_hosts.push_back(host);
    options_.rest.max_event_streams = static_cast<size_t>(std::max(1, options_.threads / 2));

    bool ipv6 = false;
    const int listen_fd = listen_on(host, options_.port, port_, ipv6);
    api_ = std::make_unique<RestApi>(cloud, options_.rest, std::move(sessions));
    impl_ = std::make_unique<Impl>(*api_, cloud, options_);
    Impl *impl = impl_.get();
    impl->wake_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    // The library's own inactivity limit: a backstop behind the deadlines above.
    const int longest =
        std::max({options_.idle_timeout_ms, options_.header_timeout_ms, options_.body_timeout_ms});
    const unsigned inactivity = static_cast<unsigned>(longest / 1000 + 2);
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME;
    if (ipv6) flags |= MHD_USE_IPv6;
    impl->daemon = MHD_start_daemon(
        flags, 0, nullptr, nullptr, &Impl::on_request, impl, MHD_OPTION_LISTEN_SOCKET, listen_fd,
        MHD_OPTION_THREAD_POOL_SIZE, kPollingThreads, MHD_OPTION_CONNECTION_LIMIT, kMaxConnections,
        MHD_OPTION_CONNECTION_TIMEOUT, inactivity, MHD_OPTION_NOTIFY_CONNECTION,
        &Impl::on_connection, impl, MHD_OPTION_URI_LOG_CALLBACK, &Impl::on_request_line, impl,
        MHD_OPTION_NOTIFY_COMPLETED, &Impl::on_completed, impl, MHD_OPTION_END);
    if (!impl->daemon || impl->wake_fd < 0) {
        ::close(listen_fd);
        if (impl->wake_fd >= 0) ::close(impl->wake_fd);
        impl_.reset();
        api_.reset();
        throw Error(Status::Io, "cannot start the REST server on " + host);
    }
    impl->start_threads(options_.threads);
    log::info("[rest] serving /api/cloud/* on {}:{}{}", host, port_,
              options_.rest.token.empty() ? "" : " (token required)");
}

RestServer::~RestServer() {
    stop();
}

void RestServer::stop() {
    std::lock_guard<std::mutex> lock(stop_mutex_);
    if (!impl_) return;
    api_->shutdown();  // requests in flight answer 503 now; event streams end
    impl_->shutdown();
    impl_.reset();
    api_.reset();  // the last use of the cloud
}

}  // namespace elizacloud
