// elizacloud-emulator: a local Eliza Cloud over HTTP/HTTPS with a control API for test set-up
// and fault injection. Behaviour and interfaces: docs/emulator.md.
#include <httplib.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>

#include "app.hpp"
#include "tls_cert.hpp"

#if defined(__SANITIZE_THREAD__)
// Shutdown deliberately _exit()s while idle keep-alive connections still hold worker threads;
// those unjoined threads are not bugs. Data races are still reported.
extern "C" __attribute__((visibility("default"), used)) const char *__tsan_default_options() {
    return "report_thread_leaks=0";
}
#endif

namespace {

// Exposes the listening socket so that its backlog can be raised: the system cpp-httplib
// listens with a backlog of 5, which resets connections under a burst of connects.
template <class Base>
class EmulatorServer : public Base {
public:
    using Base::Base;
    int listen_fd() const { return static_cast<int>(this->svr_sock_); }
};

struct ExitSignal {
    std::mutex mu;
    std::condition_variable cv;
    bool signalled = false;
    bool listener_done = false;
};

std::string url_host(const std::string &host) {
    if (host == "0.0.0.0" || host == "::" || host.empty()) return "127.0.0.1";
    if (host.find(':') != std::string::npos) return "[" + host + "]";
    return host;
}

bool load_state_file(emu::App &app) {
    const std::string &path = app.opts.state_file;
    if (path.empty() || !std::filesystem::exists(path)) return true;
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    rapidjson::Document doc;
    if (!emu::parse_json(ss.str(), doc)) {
        std::fprintf(stderr, "elizacloud-emulator: %s is not valid JSON\n", path.c_str());
        return false;
    }
    try {
        app.state->load(doc);
    } catch (const std::exception &e) {
        std::fprintf(stderr, "elizacloud-emulator: %s\n", e.what());
        return false;
    }
    return true;
}

}  // namespace

int main(int argc, char **argv) {
    int exit_code = 0;
    auto opts = emu::parse_options(argc, argv, exit_code);
    if (!opts) return exit_code;

    // Signals are taken synchronously by one thread; every other thread inherits the mask.
    std::signal(SIGPIPE, SIG_IGN);
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    pthread_sigmask(SIG_BLOCK, &sigs, nullptr);
    // A test process that dies (a sanitizer abort) must not leave its emulator behind: an orphan
    // keeps the test's output pipe open and CTest waits for it until its timeout.
    if (opts->exit_with_parent) {
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() == 1) return 0;  // the parent died before the request took effect
    }

    emu::App app(*opts);
    if (!load_state_file(app)) return 2;
    emu::register_auth_routes(app);
    emu::register_agent_routes(app);
    emu::register_bridge_routes(app);
    emu::register_credit_routes(app);
    emu::register_inference_routes(app);
    emu::register_media_routes(app);
    emu::register_voice_routes(app);
    emu::register_knowledge_routes(app);
    emu::register_upload_routes(app);
    emu::register_container_routes(app);
    emu::register_a2a_routes(app);
    emu::register_key_routes(app);
    emu::register_billing_routes(app);
    emu::register_app_routes(app);
    emu::register_control_routes(app);
    emu::register_catalogue_routes(app);

    std::unique_ptr<httplib::Server> svr;
    std::string ca_file, temp_dir;
    if (opts->tls) {
        try {
            emu::TlsMaterial tls = emu::generate_tls(opts->host);
            if (!opts->ca_out.empty()) {
                ca_file = opts->ca_out;
            } else {
                const char *tmp = std::getenv("TMPDIR");
                std::string tmpl =
                    std::string(tmp && *tmp ? tmp : "/tmp") + "/elizacloud-emulator-XXXXXX";
                if (!mkdtemp(tmpl.data())) {
                    std::perror("elizacloud-emulator: mkdtemp");
                    return 1;
                }
                temp_dir = tmpl;
                ca_file = temp_dir + "/ca.pem";
            }
            std::ofstream out(ca_file, std::ios::binary | std::ios::trunc);
            out << tls.ca_pem;
            out.close();
            if (!out) {
                std::fprintf(stderr, "elizacloud-emulator: cannot write %s\n", ca_file.c_str());
                return 1;
            }
            svr = std::make_unique<EmulatorServer<httplib::SSLServer>>(tls.server_cert.get(),
                                                                       tls.server_key.get());
        } catch (const std::exception &e) {
            std::fprintf(stderr, "elizacloud-emulator: %s\n", e.what());
            return 1;
        }
    } else {
        svr = std::make_unique<EmulatorServer<httplib::Server>>();
    }
    if (!svr->is_valid()) {
        std::fprintf(stderr, "elizacloud-emulator: server set-up failed\n");
        return 1;
    }

    int threads = opts->threads;
    svr->new_task_queue = [threads] {
        return new httplib::ThreadPool(static_cast<size_t>(threads));
    };
    svr->set_keep_alive_max_count(100000);
    svr->set_keep_alive_timeout(5);
    svr->set_tcp_nodelay(true);
    // Uploads reach 100 MB (a voice clone, C§7.8); the routes check their own limits.
    svr->set_payload_max_length(128 * 1024 * 1024);
    // SO_REUSEADDR only: httplib's default also sets SO_REUSEPORT, which would let a second
    // emulator silently share the port.
    svr->set_socket_options([](socket_t sock) {
        int yes = 1;
        setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    auto handler = [&app](const httplib::Request &req, httplib::Response &res) {
        app.router.dispatch(req, res);
    };
    svr->Get(".*", handler);
    svr->Post(".*", handler);
    svr->Put(".*", handler);
    svr->Patch(".*", handler);
    svr->Delete(".*", handler);
    svr->Options(".*", handler);

    int port = opts->port;
    if (port == 0) {
        port = svr->bind_to_any_port(opts->host);
        if (port <= 0) {
            std::fprintf(stderr, "elizacloud-emulator: cannot bind %s\n", opts->host.c_str());
            return 1;
        }
    } else if (!svr->bind_to_port(opts->host, port)) {
        std::fprintf(stderr, "elizacloud-emulator: cannot bind %s:%d\n", opts->host.c_str(), port);
        return 1;
    }

    int fd = opts->tls ? static_cast<EmulatorServer<httplib::SSLServer> *>(svr.get())->listen_fd()
                       : static_cast<EmulatorServer<httplib::Server> *>(svr.get())->listen_fd();
    if (::listen(fd, SOMAXCONN) != 0) std::perror("elizacloud-emulator: listen backlog");

    std::string url = std::string(opts->tls ? "https://" : "http://") + url_host(opts->host) + ":" +
                      std::to_string(port);
    {
        emu::JsonOut line;
        line.begin_obj().f("url", url);
        if (ca_file.empty()) {
            line.f_null("caFile");
        } else {
            line.f("caFile", std::filesystem::absolute(ca_file).string());
        }
        line.end();
        std::fprintf(stdout, "%s\n", line.str().c_str());
        std::fflush(stdout);
    }
    std::fprintf(stderr, "elizacloud-emulator: serving %s\n", url.c_str());

    ExitSignal ex;
    std::thread listener([&] {
        svr->listen_after_bind();
        std::lock_guard lock(ex.mu);
        ex.listener_done = true;
        ex.cv.notify_all();
    });
    std::thread([&ex, sigs] {
        int sig = 0;
        sigwait(&sigs, &sig);
        std::lock_guard lock(ex.mu);
        ex.signalled = true;
        ex.cv.notify_all();
    }).detach();
    std::thread saver([&app] {
        uint64_t saved = app.state->version();
        while (!app.sleeper.shutting_down()) {
            app.sleeper.sleep_for(1000);
            if (app.opts.state_file.empty()) continue;
            uint64_t v = app.state->version();
            if (v != saved || app.state_dirty.exchange(false)) {
                std::string error;
                if (!app.save_state(error))
                    std::fprintf(stderr, "elizacloud-emulator: %s\n", error.c_str());
                saved = v;
            }
        }
    });

    bool by_signal = false;
    {
        std::unique_lock lock(ex.mu);
        ex.cv.wait(lock, [&] { return ex.signalled || ex.listener_done; });
        by_signal = ex.signalled;
    }
    app.sleeper.shutdown();
    svr->stop();
    bool finished = false;
    {
        std::unique_lock lock(ex.mu);
        finished =
            ex.cv.wait_for(lock, std::chrono::milliseconds(300), [&] { return ex.listener_done; });
    }
    saver.join();
    std::string error;
    if (!app.save_state(error)) std::fprintf(stderr, "elizacloud-emulator: %s\n", error.c_str());
    if (!temp_dir.empty()) {
        std::error_code ec;
        std::filesystem::remove_all(temp_dir, ec);
    }
    int code = by_signal ? 0 : 1;
    if (!finished) {
        // Idle keep-alive connections hold worker threads for up to their timeout; do not wait.
        std::fflush(stdout);
        std::fflush(stderr);
        listener.detach();  // it may still finish before _exit; it is not a leak either way
        _exit(code);
    }
    listener.join();
    return code;
}
