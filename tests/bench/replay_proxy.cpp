#include "replay_proxy.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>
#include <string_view>

namespace bench {
namespace {

bool send_all(int fd, std::string_view data) {
    while (!data.empty()) {
        ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (n <= 0) return false;
        data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
}

bool iprefix(std::string_view line, std::string_view name) {
    if (line.size() < name.size()) return false;
    for (size_t i = 0; i < name.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(line[i])) != name[i]) return false;
    }
    return true;
}

size_t collect(char *data, size_t size, size_t count, void *user) {
    static_cast<std::string *>(user)->append(data, size * count);
    return size * count;
}

size_t content_type_of(char *data, size_t size, size_t count, void *user) {
    std::string_view line(data, size * count);
    if (iprefix(line, "content-type:")) {
        line.remove_prefix(13);
        while (!line.empty() && (line.front() == ' ')) line.remove_prefix(1);
        while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
        *static_cast<std::string *>(user) = line;
    }
    return size * count;
}

}  // namespace

ReplayProxy::ReplayProxy(std::string upstream, std::string stream)
    : upstream_(std::move(upstream)), stream_(std::move(stream)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<sockaddr *>(&addr), len) != 0 ||
        ::listen(listen_fd_, 64) != 0 ||
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr *>(&addr), &len) != 0)
        throw std::runtime_error("replay proxy: cannot listen");
    url_ = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
    acceptor_ = std::thread([this] { accept_loop(); });
}

ReplayProxy::~ReplayProxy() {
    stopping_ = true;
    ::shutdown(listen_fd_, SHUT_RDWR);
    acceptor_.join();
    ::close(listen_fd_);
    {
        std::lock_guard<std::mutex> lock(mutex_);
        for (int fd : clients_) ::shutdown(fd, SHUT_RDWR);
    }
    for (auto &t : workers_) t.join();
}

void ReplayProxy::accept_loop() {
    while (!stopping_) {
        int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) {
            if (stopping_) return;
            continue;
        }
        int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        std::lock_guard<std::mutex> lock(mutex_);
        clients_.push_back(fd);
        workers_.emplace_back([this, fd] { serve(fd); });
    }
}

void ReplayProxy::serve(int fd) {
    CURL *easy = curl_easy_init();
    std::string in;
    char buf[65536];
    while (true) {
        size_t head_end;
        while ((head_end = in.find("\r\n\r\n")) == std::string::npos) {
            ssize_t n = ::recv(fd, buf, sizeof buf, 0);
            if (n <= 0) goto done;
            in.append(buf, static_cast<size_t>(n));
        }
        {
            const std::string head = in.substr(0, head_end);
            in.erase(0, head_end + 4);
            const size_t sp1 = head.find(' '), sp2 = head.find(' ', sp1 + 1);
            const std::string method = head.substr(0, sp1);
            const std::string target = head.substr(sp1 + 1, sp2 - sp1 - 1);
            size_t length = 0;
            curl_slist *headers = curl_slist_append(nullptr, "Expect:");
            size_t pos = head.find("\r\n");
            while (pos != std::string::npos) {
                const size_t next = head.find("\r\n", pos + 2);
                const std::string line = head.substr(pos + 2, next - pos - 2);
                pos = next;
                if (iprefix(line, "content-length:")) {
                    length = std::stoul(line.substr(15));
                } else if (!iprefix(line, "host:") && !iprefix(line, "expect:") &&
                           !iprefix(line, "connection:")) {
                    headers = curl_slist_append(headers, line.c_str());
                }
            }
            while (in.size() < length) {
                ssize_t n = ::recv(fd, buf, sizeof buf, 0);
                if (n <= 0) {
                    curl_slist_free_all(headers);
                    goto done;
                }
                in.append(buf, static_cast<size_t>(n));
            }
            const std::string body = in.substr(0, length);
            in.erase(0, length);

            std::string reply;
            if (method == "POST" && target.size() > 7 &&
                target.compare(target.size() - 7, 7, "/stream") == 0) {
                reply = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: " +
                        std::to_string(stream_.size()) + "\r\n\r\n";
                curl_slist_free_all(headers);
                if (!send_all(fd, reply) || !send_all(fd, stream_)) goto done;
                continue;
            }
            std::string answer, content_type = "application/json";
            curl_easy_reset(easy);
            const std::string url = upstream_ + target;
            curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
            curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
            curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
            curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &collect);
            curl_easy_setopt(easy, CURLOPT_WRITEDATA, &answer);
            curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &content_type_of);
            curl_easy_setopt(easy, CURLOPT_HEADERDATA, &content_type);
            if (method == "HEAD") {
                curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
            } else if (!body.empty() || method == "POST") {
                curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
                curl_easy_setopt(easy, CURLOPT_COPYPOSTFIELDS, body.c_str());
                if (method != "POST") curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, method.c_str());
            } else if (method != "GET") {
                curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, method.c_str());
            }
            long status = 502;
            if (curl_easy_perform(easy) == CURLE_OK)
                curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
            curl_slist_free_all(headers);
            reply = "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: " + content_type +
                    "\r\nContent-Length: " + std::to_string(answer.size()) + "\r\n\r\n" + answer;
            if (!send_all(fd, reply)) goto done;
        }
    }
done:
    curl_easy_cleanup(easy);
    std::lock_guard<std::mutex> lock(mutex_);
    std::erase(clients_, fd);
    ::close(fd);
}

}  // namespace bench
