// A host function pointer with its user data, as the C ABI takes them (event callback, log sink).
// Destroying the last reference calls free_user_data. Holders keep a reference for the duration
// of each call, which is how "free_user_data runs after the previous fn has returned for the
// last time" is guaranteed when the callback is replaced.
#pragma once

namespace elizacloud {

template <typename Fn>
struct HostCallback {
    Fn fn = nullptr;
    void *user_data = nullptr;
    void (*free_user_data)(void *) = nullptr;

    HostCallback(Fn f, void *u, void (*free_fn)(void *))
        : fn(f), user_data(u), free_user_data(free_fn) {}
    HostCallback(const HostCallback &) = delete;
    HostCallback &operator=(const HostCallback &) = delete;
    ~HostCallback() {
        if (free_user_data) free_user_data(user_data);
    }
};

}  // namespace elizacloud
