// CTest driver for the example host: starts the emulator (EC_EMULATOR_PATH), runs
//   <host> <plugin.so> <emulator url>
// twice: without ELIZACLOUD_INSECURE_LOCAL, where the plain http:// URL must be refused (the
// host never opts in by itself), then with ELIZACLOUD_INSECURE_LOCAL=1, where the whole
// lifecycle must succeed. Exits 0 when both did as expected (the emulator is stopped either way).
#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "../cpp/emulator_process.hpp"

namespace {

// The host's exit code with this process's environment, ELIZACLOUD_INSECURE_LOCAL set or not.
int run_host(char *const host_argv[], bool insecure_local) {
    std::vector<std::string> env;
    for (char **e = environ; *e; ++e)
        if (std::strncmp(*e, "ELIZACLOUD_INSECURE_LOCAL=", 26) != 0) env.emplace_back(*e);
    if (insecure_local) env.emplace_back("ELIZACLOUD_INSECURE_LOCAL=1");
    std::vector<char *> envp;
    for (std::string &e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    pid_t pid = -1;
    if (posix_spawn(&pid, host_argv[0], nullptr, nullptr, host_argv, envp.data()) != 0) {
        std::fprintf(stderr, "cannot start %s\n", host_argv[0]);
        return -1;
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFSIGNALED(status)) {
        std::fprintf(stderr, "host killed by signal %d\n", WTERMSIG(status));
        return -1;
    }
    return WEXITSTATUS(status);
}

}  // namespace

int main(int argc, char **argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s <host> <plugin.so>\n", argv[0]);
        return 2;
    }
    try {
        elizacloud::test::EmulatorProcess emulator(
            {"--auto-approve", "--provision-ms", "50", "--job-poll-interval-ms", "50"});
        std::string url = emulator.url();
        char *host_argv[] = {argv[1], argv[2], url.data(), nullptr};
        const int refused = run_host(host_argv, false);
        if (refused == 0 || refused == -1) {
            std::fprintf(stderr, "the host used plain http:// without the opt-in (exit %d)\n",
                         refused);
            return 1;
        }
        return run_host(host_argv, true) == 0 ? 0 : 1;
    } catch (const std::exception &e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
}
