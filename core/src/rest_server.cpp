#include "rest_server.hpp"

#include <httplib.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <utility>

#include "cloud.hpp"
#include "json.hpp"
#include "log.hpp"
#include "rest_checks.hpp"

namespace elizacloud {
namespace {

constexpr int64_t kKeepAliveCommentMs = 15'000;  // lets clients and proxies see a live stream
// An over-long chunked body is read and dropped up to this much more, so the 413 reaches a
// client that is still sending; past it the connection is given up.
constexpr size_t kDiscardLimitBytes = 16u * 1024u * 1024u;

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

bool is_content_type(std::string_view name) {
    constexpr std::string_view kName = "content-type";
    return name.size() == kName.size() &&
           std::equal(name.begin(), name.end(), kName.begin(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) == b;
           });
}

void json_error(httplib::Response &res, int status, const char *message, bool close) {
    res.status = status;
    if (close) res.set_header("Connection", "close");
    res.set_content(std::string(R"({"error":)") + json::quote(message) + "}", "application/json");
}

}  // namespace

// Exposes the listening socket: the system cpp-httplib listens with a backlog of 5, which
// resets connections under a burst of connects (200 dashboards polling at once).
class RestHttpServer : public httplib::Server {
public:
    int listen_fd() const { return static_cast<int>(svr_sock_); }
};

struct RestServer::Impl {
    RestHttpServer server;
    std::atomic<bool> finished{false};
};

RestServer::RestServer(Cloud &cloud, RestServerOptions options,
                       std::shared_ptr<LoginSessions> sessions)
    : options_(std::move(options)) {
    std::string host = rest::trim(options_.host);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    if (host.empty()) host = "127.0.0.1";
    options_.host = host;
    if (options_.port < 0 || options_.port > 65535)
        throw Error(Status::InvalidArgument, "port must be 0..65535");
    if (options_.threads <= 0) options_.threads = 32;
    if (!rest::is_loopback_bind(host) && options_.rest.token.empty()) {
        throw Error(Status::InvalidArgument,
                    "refusing to serve on " + host +
                        " without a token: set MILADY_API_TOKEN or pass a token (only loopback "
                        "addresses may be served without one)");
    }
    // Clients name the bind host in Host: accept it besides the loopback names.
    options_.rest.allowed_hosts.push_back(host);
    options_.rest.max_event_streams = static_cast<size_t>(std::max(1, options_.threads / 2));
    api_ = std::make_unique<RestApi>(cloud, options_.rest, std::move(sessions));
    impl_ = std::make_unique<Impl>();
    httplib::Server &svr = impl_->server;

    const int threads = options_.threads;
    svr.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    svr.set_keep_alive_timeout(2);  // bounds how long stop() waits for an idle connection
    svr.set_read_timeout(5, 0);
    svr.set_write_timeout(5, 0);
    svr.set_payload_max_length(kRestMaxBodyBytes);
    // SO_REUSEADDR only: httplib's default adds SO_REUSEPORT, which would let a second server
    // silently share the port.
    svr.set_socket_options([](socket_t sock) {
        int yes = 1;
        ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });

    RestApi &api = *api_;
    const bool export_env = options_.export_env;
    auto answer = [&api, &cloud, export_env](const httplib::Request &req, httplib::Response &res,
                                             std::string body) {
        RestRequest request;
        request.method = req.method;
        request.target = req.target;
        request.headers.assign(req.headers.begin(), req.headers.end());
        request.body = std::move(body);
        RestResponse out = api.dispatch(request);
        log::debug("[rest] {} {} -> {}", req.method, req.path, out.status);
        if (export_env) export_credentials(cloud, out.credentials);
        res.status = out.status;
        std::string content_type;
        for (auto &[name, value] : out.headers) {
            if (is_content_type(name)) {
                content_type = value;
            } else {
                res.set_header(name, value);
            }
        }
        if (out.stream) {
            auto stream = out.stream;
            res.set_chunked_content_provider(
                content_type,
                [stream](size_t, httplib::DataSink &sink) {
                    auto frames = stream->read(kKeepAliveCommentMs);
                    if (!frames) {
                        sink.done();
                        return true;
                    }
                    if (frames->empty()) *frames = ": keep-alive\n\n";
                    return sink.write(frames->data(), frames->size());  // false: client gone
                },
                [stream](bool) { stream->close(); });
        } else if (!out.body.empty() || !content_type.empty()) {
            res.set_content(std::move(out.body), content_type);
        }
    };
    auto plain = [answer](const httplib::Request &req, httplib::Response &res) {
        answer(req, res, req.body);
    };
    auto with_body = [answer](const httplib::Request &req, httplib::Response &res,
                              const httplib::ContentReader &reader) {
        std::string body;
        bool too_large = false;
        size_t dropped = 0;
        const bool complete = reader([&](const char *data, size_t size) {
            if (too_large) {
                dropped += size;
                return dropped <= kDiscardLimitBytes;
            }
            if (body.size() + size > kRestMaxBodyBytes) {
                too_large = true;
                body.clear();
                body.shrink_to_fit();
                return true;
            }
            body.append(data, size);
            return true;
        });
        // httplib itself reads and drops a Content-Length body above the cap (status 413).
        if (too_large || res.status == 413) {
            json_error(res, 413, "Request body too large", true);
            return;
        }
        if (!complete) {
            json_error(res, 400, "Malformed request body", true);
            return;
        }
        answer(req, res, std::move(body));
    };
    svr.Get(".*", plain);
    svr.Options(".*", plain);
    svr.Post(".*", with_body);
    svr.Put(".*", with_body);
    svr.Patch(".*", with_body);
    svr.Delete(".*", with_body);
    // A chunked body on a method httplib cannot hand us a reader for would be read unbounded.
    svr.set_pre_routing_handler([](const httplib::Request &req, httplib::Response &res) {
        const bool readerless =
            req.method == "GET" || req.method == "HEAD" || req.method == "OPTIONS";
        if (readerless && req.has_header("Transfer-Encoding")) {
            json_error(res, 400, "Request body not allowed", true);
            return httplib::Server::HandlerResponse::Handled;
        }
        return httplib::Server::HandlerResponse::Unhandled;
    });
    svr.set_error_handler([](const httplib::Request &, httplib::Response &res) {
        if (!res.body.empty()) return;
        const char *message = res.status == 413   ? "Request body too large"
                              : res.status == 414 ? "Request URI too long"
                              : res.status == 404 ? "Not found"
                              : res.status == 405 ? "Method not allowed"
                                                  : "Bad request";
        json_error(res, res.status, message, res.status == 413);
    });
    svr.set_exception_handler(
        [](const httplib::Request &, httplib::Response &res, std::exception_ptr) {
            json_error(res, 500, "Internal error", false);
        });

    if (options_.port == 0) {
        port_ = svr.bind_to_any_port(host);
        if (port_ <= 0) throw Error(Status::Io, "cannot listen on " + host + " (any port)");
    } else {
        if (!svr.bind_to_port(host, options_.port))
            throw Error(Status::Io, "cannot listen on " + host + ":" +
                                        std::to_string(options_.port) +
                                        " (in use, or not an address of this machine)");
        port_ = options_.port;
    }
    if (::listen(impl_->server.listen_fd(), SOMAXCONN) != 0)
        log::warn("[rest] could not raise the listen backlog");
    Impl *impl = impl_.get();
    thread_ = std::thread([impl] {
        impl->server.listen_after_bind();
        impl->finished = true;
    });
    // stop() only stops a server that runs: wait until it does (or gave up).
    while (!svr.is_running() && !impl->finished)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
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
    impl_->server.stop();
    if (thread_.joinable()) thread_.join();
    impl_.reset();
    api_.reset();  // the last use of the cloud
}

}  // namespace elizacloud
