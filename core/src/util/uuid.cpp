#include "util/uuid.hpp"

#include <pthread.h>
#include <sys/random.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <mutex>

#include "util/error.hpp"

namespace elizacloud {

namespace {

// Kernel CSPRNG bytes fetched 16 UUIDs at a time: one getrandom per call was a syscall on every
// message sent. The bytes are the kernel's either way; what a buffer adds is the risk of a forked
// child handing out the same ones as its parent, so a fork empties every buffer (the generation
// below changes in the child and a buffer of an older generation is refilled before use).
constexpr size_t kBufferedUuids = 16;
std::atomic<uint64_t> g_fork_generation{0};

void on_fork_child() {
    g_fork_generation.fetch_add(1, std::memory_order_relaxed);
}

struct RandomBuffer {
    std::array<uint8_t, 16 * kBufferedUuids> bytes{};
    size_t used = bytes.size();  // empty
    uint64_t generation = 0;

    void refill() {
        size_t filled = 0;
        while (filled < bytes.size()) {
            ssize_t n = getrandom(bytes.data() + filled, bytes.size() - filled, 0);
            if (n < 0) {
                if (errno == EINTR) continue;
                throw Error(Status::Internal, "the kernel refused random bytes for a UUID");
            }
            filled += static_cast<size_t>(n);
        }
        used = 0;
    }

    void take(uint8_t *out, size_t n) {
        static std::once_flag registered;
        std::call_once(registered, [] { pthread_atfork(nullptr, nullptr, &on_fork_child); });
        const uint64_t now = g_fork_generation.load(std::memory_order_relaxed);
        if (generation != now || used + n > bytes.size()) {
            refill();
            generation = now;
        }
        std::memcpy(out, bytes.data() + used, n);
        std::memset(bytes.data() + used, 0, n);  // handed out once, not kept
        used += n;
    }
};

thread_local RandomBuffer t_random;

}  // namespace

void append_uuid_v4(std::string &out) {
    std::array<uint8_t, 16> bytes{};
    t_random.take(bytes.data(), bytes.size());
    bytes[6] = static_cast<uint8_t>((bytes[6] & 0x0f) | 0x40);  // version 4
    bytes[8] = static_cast<uint8_t>((bytes[8] & 0x3f) | 0x80);  // RFC 4122 variant
    static constexpr char kHex[] = "0123456789abcdef";
    char text[36];
    size_t at = 0;
    for (size_t i = 0; i < bytes.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) text[at++] = '-';
        text[at++] = kHex[bytes[i] >> 4];
        text[at++] = kHex[bytes[i] & 0x0f];
    }
    out.append(text, sizeof text);
}

std::string uuid_v4() {
    std::string out;
    append_uuid_v4(out);
    return out;
}

bool is_uuid(std::string_view text) {
    if (text.size() != 36) return false;
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') return false;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
            return false;
        }
    }
    return true;
}

}  // namespace elizacloud
