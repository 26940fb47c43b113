// An in-process cpp-httplib server on 127.0.0.1 with an ephemeral port, for tests over real
// sockets. Register handlers on server() before start(). Handlers that must stall use
// wait_for_stop(ms), which returns as soon as the server is stopped, so tear-down never waits
// for a sleeping handler.
#pragma once

#include <httplib.h>
#include <sys/socket.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>

namespace elizacloud::test {

class TestServer {
public:
    // threads: handler threads. A kept-alive connection holds one for its whole life, so tests
    // with many concurrent connections need as many.
    explicit TestServer(size_t threads = 16) {
        server_.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
        server_.set_keep_alive_max_count(100000);
        // Remember the listening socket (this hook runs on it before bind and listen) so that
        // start() can raise cpp-httplib's fixed backlog of 5: under a burst of connections the
        // kernel would otherwise drop handshakes and stall clients for seconds.
        server_.set_socket_options([this](socket_t sock) {
            int yes = 1;
            ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
            listen_fd_ = sock;
        });
        // Every request is counted by the client port of its connection: one port, one
        // connection (the kernel never reuses a port while the connection is open).
        server_.set_pre_routing_handler([this](const httplib::Request &req, httplib::Response &) {
            std::lock_guard<std::mutex> lock(mutex_);
            ports_.insert(req.remote_port);
            ++requests_;
            return httplib::Server::HandlerResponse::Unhandled;
        });
    }

    ~TestServer() { stop(); }

    TestServer(const TestServer &) = delete;
    TestServer &operator=(const TestServer &) = delete;

    httplib::Server &server() { return server_; }

    void start() {
        port_ = server_.bind_to_any_port("127.0.0.1");
        if (port_ <= 0) throw std::runtime_error("test server: bind failed");
        if (listen_fd_ >= 0) ::listen(listen_fd_, 1024);  // a second listen() sets the backlog
        // The socket is listening once bound; connections made before the accept loop runs
        // wait in the backlog, so there is no start-up race.
        thread_ = std::thread([this] { server_.listen_after_bind(); });
        // cpp-httplib's stop() does nothing until the accept loop runs (is_running()), so a test
        // that ends at once would leave the loop blocked in accept() for ever. Wait for it.
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (!server_.is_running()) {
            if (std::chrono::steady_clock::now() > deadline)
                throw std::runtime_error("test server: accept loop did not start");
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }

    void stop() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            stopping_ = true;
        }
        stop_cv_.notify_all();
        if (thread_.joinable()) {
            server_.stop();
            thread_.join();
        }
    }

    // Sleeps in a handler for up to ms; returns true when woken because the server is stopping.
    bool wait_for_stop(int ms) {
        std::unique_lock<std::mutex> lock(mutex_);
        return stop_cv_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopping_; });
    }

    int port() const { return port_; }
    std::string url(std::string_view path = "/") const {
        return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
    }

    size_t connections() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return ports_.size();
    }
    size_t requests() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return requests_;
    }

private:
    httplib::Server server_;
    std::thread thread_;
    int port_ = 0;
    int listen_fd_ = -1;
    mutable std::mutex mutex_;
    std::condition_variable stop_cv_;
    bool stopping_ = false;
    std::set<int> ports_;
    size_t requests_ = 0;
};

}  // namespace elizacloud::test
