#include "log_router.hpp"

#include <elizacloud/elizacloud.h>

#include <mutex>

namespace elizacloud::plugin {
namespace {

// Both mutexes are constant-initialised: loading the module runs no constructor.
// g_list_mu guards the list and is held while a line is forwarded, which is what lets
// log_detach promise that no call is still in flight when it returns.
std::mutex g_list_mu;
LogTarget *g_targets = nullptr;
// g_install_mu serialises installing the sink; never held together with g_list_mu, so the core's
// own sink lock (taken inside ec_log_set_sink and around calls to forward()) cannot invert.
std::mutex g_install_mu;
bool g_installed = false;

bool seen_before(const LogTarget *list, const LogTarget *t) {
    for (const LogTarget *o = list; o != t; o = o->next) {
        if (o->log == t->log && o->host_data == t->host_data) return true;
    }
    return false;
}

void forward(int32_t level, const char *line, void * /*user_data*/) {
    std::lock_guard lock(g_list_mu);
    for (const LogTarget *t = g_targets; t != nullptr; t = t->next) {
        if (t->log != nullptr && !seen_before(g_targets, t)) t->log(t->host_data, level, line);
    }
}

}  // namespace

void log_attach(LogTarget &t) {
    {
        // The sink stays installed until the module is unloaded: with no instance alive, lines
        // are dropped rather than written to a stderr the host never asked us to touch.
        std::lock_guard lock(g_install_mu);
        if (!g_installed && ec_log_set_sink(forward, nullptr, nullptr) == EC_OK) g_installed = true;
    }
    std::lock_guard lock(g_list_mu);
    t.next = g_targets;
    g_targets = &t;
}

void log_detach(LogTarget &t) {
    std::lock_guard lock(g_list_mu);
    for (LogTarget **link = &g_targets; *link != nullptr; link = &(*link)->next) {
        if (*link == &t) {
            *link = t.next;
            break;
        }
    }
    t.next = nullptr;
}

}  // namespace elizacloud::plugin
