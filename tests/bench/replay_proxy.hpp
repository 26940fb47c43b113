// A loopback HTTP/1.1 server for the SSE benchmark: it answers every POST whose path ends in
// "/stream" with one recorded event stream (sent whole, Content-Length framed, so the server is
// never what limits the rate), and forwards every other request to the emulator (libcurl, one
// keep-alive connection per client connection) so that a cloud handle can log in, provision and
// connect through it as usual. One thread per client connection; for benchmarks only.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace bench {

class ReplayProxy {
public:
    // upstream: the emulator's origin ("http://127.0.0.1:N"); stream: the bytes to replay.
    ReplayProxy(std::string upstream, std::string stream);
    ~ReplayProxy();
    ReplayProxy(const ReplayProxy &) = delete;
    ReplayProxy &operator=(const ReplayProxy &) = delete;

    const std::string &url() const { return url_; }

private:
    void accept_loop();
    void serve(int fd);

    std::string upstream_;
    std::string stream_;
    std::string url_;
    int listen_fd_ = -1;
    std::atomic<bool> stopping_{false};
    std::thread acceptor_;
    std::mutex mutex_;
    std::vector<int> clients_;
    std::vector<std::thread> workers_;
};

}  // namespace bench
