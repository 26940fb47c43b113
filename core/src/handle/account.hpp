// The account of one cloud handle: its API key (which the handle's one CloudClient reads for every
// request), whether the cloud is enabled, the config file the key is saved to, and the login in
// progress. Thread-safe; never calls out while holding its lock.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "net/base_url.hpp"
#include "net/engine.hpp"
#include "session/login.hpp"
#include "store/config_store.hpp"
#include "util/error.hpp"

namespace elizacloud {

class Account {
public:
    // store: where the key is saved (none with no_config_file); key and enabled: as resolved
    // from the options and the config file.
    // login_session_id: the CLI session that handed `key` out, when known (to revoke it).
    // key_base_url: the API origin that issued `key` (cloud.apiKeyBaseUrl); "" = not checked.
    Account(std::optional<ConfigStore> store, std::string key, bool enabled,
            std::shared_ptr<Engine> engine, BaseUrl base, LoginOptions login_options,
            std::string login_session_id = {}, std::string key_base_url = {});

    // The key to send: "" when there is none, or when it was issued by another cloud than this
    // handle's base URL (such a key is never sent).
    std::string key() const;
    bool has_key() const;  // key() is not empty
    // key(), or Error(NotConnected) saying why there is none to send: no key (log in first), or
    // the stored one belongs to another cloud (which, and what to do). Every operation that
    // needs a key asks this. Never puts the key in the message.
    std::string require_key() const;
    // The API origin that issued the stored key when it is not this handle's ("" otherwise).
    std::string foreign_key_origin() const;
    bool enabled() const;

    // The count of logouts begun so far. A login records it when it starts; its key is adopted
    // only if no logout began meanwhile.
    uint64_t logouts() const;
    // Adopts the key of a completed login that started when logouts() was `logouts`: saved to
    // the config file (blocking file I/O), in use from now on, the cloud enabled. Returns why it
    // could not be saved (the key is in use either way), or Cancelled without adopting it when a
    // logout began since.
    ErrorInfo adopt(const LoginResult &result, uint64_t logouts);
    // Forgets the key and disables the cloud, in memory and in the config file (blocking file
    // I/O). Returns why the file could not be updated.
    ErrorInfo forget();
    // The key and the login session that handed it out, for a revoke before forget(); the
    // session is "" when unknown (a key given by the host or written by hand).
    struct Revocable {
        std::string session_id;
        std::string key;
    };
    Revocable revocable() const;

    // The login component (for the steps of a login the host drives; no claim).
    std::shared_ptr<CloudLogin> login_component();
    // The login component for request id; Busy while another login request is in progress.
    std::shared_ptr<CloudLogin> begin_login(uint64_t request_id);
    // Ends request id's claim (a new login may start), even while its component winds down.
    void release_login(uint64_t request_id);
    // A logout begins: the logins in progress stop and none started before brings a key back.
    void begin_logout();
    // Stops the logins in progress (shutdown).
    void cancel_login();

private:
    bool foreign_locked() const;  // the key was issued by another cloud (mutex_ held)

    std::optional<ConfigStore> store_;  // itself safe across threads and processes
    const std::shared_ptr<Engine> engine_;
    const BaseUrl base_;
    const LoginOptions login_options_;

    mutable std::mutex mutex_;
    std::string key_;
    std::string login_session_id_;
    std::string key_base_url_;  // the issuing API origin, normalised; "" = not checked
    bool enabled_ = false;
    std::shared_ptr<CloudLogin> login_;  // created at the first login
    uint64_t login_request_ = 0;         // 0 = no login request in progress
    uint64_t logouts_ = 0;
};

}  // namespace elizacloud
