// CTest driver for the example host: starts the emulator (EC_EMULATOR_PATH), runs
//   <host> <plugin.so> <emulator url>
// and exits with the host's exit code (the emulator is stopped either way).
#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstdio>
#include <exception>
#include <string>

#include "../cpp/emulator_process.hpp"

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
        pid_t pid = -1;
        if (posix_spawn(&pid, argv[1], nullptr, nullptr, host_argv, environ) != 0) {
            std::fprintf(stderr, "cannot start %s\n", argv[1]);
            return 1;
        }
        int status = 0;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        if (WIFSIGNALED(status)) {
            std::fprintf(stderr, "host killed by signal %d\n", WTERMSIG(status));
            return 1;
        }
        return WEXITSTATUS(status);
    } catch (const std::exception &e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
}
