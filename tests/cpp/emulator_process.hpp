// Runs elizacloud-emulator (EC_EMULATOR_PATH) as a child process for tests over real sockets:
// spawns it with the given flags, reads its one JSON start-up line {"url","caFile"}, offers the
// control API (docs/emulator.md §3) and terminates it in the destructor.
#pragma once

#include <fcntl.h>
#include <httplib.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "util/json.hpp"

#ifndef EC_EMULATOR_PATH
#error "EC_EMULATOR_PATH must name the emulator binary"
#endif

extern char **environ;

namespace elizacloud::test {

class EmulatorProcess {
public:
    struct Reply {
        int status = 0;
        std::string body;
    };

    explicit EmulatorProcess(std::vector<std::string> flags = {}) {
        // Started from the test's main thread (the parent-death signal follows the spawning
        // thread), so the emulator goes when the test process dies.
        std::vector<std::string> args{EC_EMULATOR_PATH, "--port", "0", "--exit-with-parent"};
        args.insert(args.end(), flags.begin(), flags.end());
        std::vector<char *> argv;
        for (auto &a : args) argv.push_back(a.data());
        argv.push_back(nullptr);

        int fds[2];
        if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
        int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        close(fds[1]);
        if (rc != 0) {
            close(fds[0]);
            throw std::runtime_error("cannot start the emulator at " EC_EMULATOR_PATH);
        }
        std::string line = read_line(fds[0], 15'000);
        close(fds[0]);  // the emulator writes nothing else on stdout
        json::Document doc;
        if (!json::parse(line, doc) || !doc.IsObject()) {
            stop();
            throw std::runtime_error("bad emulator start-up line: " + line);
        }
        url_ = json::get_string(doc, "url").value_or("");
        ca_file_ = json::get_string(doc, "caFile").value_or("");
        client_ = std::make_unique<httplib::Client>(url_);
        if (!ca_file_.empty()) client_->set_ca_cert_path(ca_file_.c_str());
        client_->set_read_timeout(30, 0);
    }

    ~EmulatorProcess() { stop(); }
    EmulatorProcess(const EmulatorProcess &) = delete;
    EmulatorProcess &operator=(const EmulatorProcess &) = delete;

    const std::string &url() const { return url_; }
    const std::string &ca_file() const { return ca_file_; }

    // Any request to the emulator (control API or cloud routes), JSON body when non-empty.
    Reply request(const std::string &method, const std::string &path, const std::string &body = "",
                  const httplib::Headers &headers = {}) {
        const char *type = "application/json";
        auto send = [&]() -> httplib::Result {
            if (method == "GET") return client_->Get(path, headers);
            if (method == "POST")
                return client_->Post(path, headers, body.empty() ? "{}" : body, type);
            if (method == "DELETE") return client_->Delete(path, headers);
            throw std::runtime_error("unsupported method " + method);
        };
        httplib::Result r = send();
        if (!r) throw std::runtime_error("emulator request failed: " + method + " " + path);
        return Reply{r->status, r->body};
    }

    Reply control(const std::string &method, const std::string &path,
                  const std::string &body = "") {
        return request(method, path, body);
    }

    // A fresh API key of the default organization.
    std::string create_key() {
        Reply r = control("POST", "/__emulator/keys", "{}");
        json::Document doc;
        json::parse(r.body, doc);
        return json::get_string(doc, "apiKey").value_or("");
    }

    void reset() { control("POST", "/__emulator/reset"); }

    // Adds a fault rule (docs/emulator.md §3.4); returns its JSON.
    std::string fault(const std::string &rule_json) {
        return control("POST", "/__emulator/faults", rule_json).body;
    }

    // Count of requests for "<METHOD> <route template>" in /__emulator/state.
    int64_t request_count(const std::string &key) {
        json::Document doc;
        json::parse(control("GET", "/__emulator/state").body, doc);
        const json::Value *requests = json::member(doc, "requests");
        return requests ? json::get_int(*requests, key).value_or(0) : 0;
    }

private:
    static std::string read_line(int fd, int timeout_ms) {
        std::string line;
        auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
        while (true) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                            deadline - std::chrono::steady_clock::now())
                            .count();
            if (left <= 0) throw std::runtime_error("emulator did not print its start-up line");
            pollfd p{fd, POLLIN, 0};
            if (poll(&p, 1, static_cast<int>(left)) <= 0) continue;
            char c;
            ssize_t n = read(fd, &c, 1);
            if (n <= 0) throw std::runtime_error("emulator exited before its start-up line");
            if (c == '\n') return line;
            line.push_back(c);
        }
    }

    void stop() {
        if (pid_ <= 0) return;
        kill(pid_, SIGTERM);
        for (int i = 0; i < 300; ++i) {  // up to 3 s, then force
            if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
                pid_ = -1;
                return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
        pid_ = -1;
    }

    pid_t pid_ = -1;
    std::string url_;
    std::string ca_file_;
    std::unique_ptr<httplib::Client> client_;
};

}  // namespace elizacloud::test
