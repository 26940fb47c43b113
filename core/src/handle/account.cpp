#include "handle/account.hpp"

#include <exception>
#include <utility>

#include "api/cloud_errors.hpp"

namespace elizacloud {
namespace {

// Runs a config file edit; its failure as an ErrorInfo.
template <typename Edit>
ErrorInfo try_edit(Edit edit) {
    try {
        edit();
        return {};
    } catch (const Error &e) {
        return e.info();
    } catch (const std::exception &e) {
        return ErrorInfo::make(Status::Io, e.what());
    }
}

}  // namespace

Account::Account(std::optional<ConfigStore> store, std::string key, bool enabled,
                 std::shared_ptr<Engine> engine, BaseUrl base, LoginOptions login_options,
                 std::string login_session_id, std::string key_base_url)
    : store_(std::move(store)),
      engine_(std::move(engine)),
      base_(std::move(base)),
      login_options_(login_options),
      key_(std::move(key)),
      login_session_id_(std::move(login_session_id)),
      key_base_url_(key_base_url.empty() ? std::string() : normalise_site_url(key_base_url)),
      enabled_(enabled) {}

bool Account::foreign_locked() const {
    return !key_.empty() && !key_base_url_.empty() && key_base_url_ != base_.site_url;
}

std::string Account::key() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return foreign_locked() ? std::string() : key_;
}

bool Account::has_key() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return !key_.empty() && !foreign_locked();
}

std::string Account::require_key() const {
    std::lock_guard<std::mutex> lock(mutex_);
    if (key_.empty()) throw no_api_key_error();
    if (foreign_locked())
        throw Error(Status::NotConnected,
                    "the stored API key was issued by " + key_base_url_ + ", not " +
                        base_.site_url + ", so it is not sent there: log in again " +
                        "(elizacloud login), or use the base URL " + key_base_url_ +
                        " (--base-url or ELIZACLOUD_BASE_URL)");
    return key_;
}

std::string Account::foreign_key_origin() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return foreign_locked() ? key_base_url_ : std::string();
}

bool Account::enabled() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return enabled_;
}

uint64_t Account::logouts() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return logouts_;
}

ErrorInfo Account::adopt(const LoginResult &result, uint64_t logouts) {
    {
        // A logout that began after this check forgets the key after this adoption: both run
        // on the handle's worker, the logout's step last.
        std::lock_guard<std::mutex> lock(mutex_);
        if (logouts != logouts_)
            return ErrorInfo::make(Status::Cancelled,
                                   "a logout came in meanwhile: the new key was not adopted");
    }
    ErrorInfo saved;
    if (store_)
        saved = try_edit(
            [&] { store_->save_login(result.api_key, result.session_id, base_.site_url); });
    std::lock_guard<std::mutex> lock(mutex_);
    key_ = result.api_key;
    login_session_id_ = result.session_id;
    key_base_url_ = base_.site_url;
    enabled_ = true;
    return saved;
}

Account::Revocable Account::revocable() const {
    std::lock_guard<std::mutex> lock(mutex_);
    // Another cloud's key is not sent here, not even to revoke it.
    if (foreign_locked()) return {};
    return {login_session_id_, key_};
}

ErrorInfo Account::forget() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        key_.clear();
        login_session_id_.clear();
        key_base_url_.clear();
        enabled_ = false;
    }
    return store_ ? try_edit([&] { store_->clear_login(); }) : ErrorInfo{};
}

std::shared_ptr<CloudLogin> Account::login_component() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!login_) login_ = std::make_shared<CloudLogin>(engine_, base_, login_options_);
    return login_;
}

std::shared_ptr<CloudLogin> Account::begin_login(uint64_t request_id) {
    std::shared_ptr<CloudLogin> login = login_component();
    std::lock_guard<std::mutex> lock(mutex_);
    if (login_request_ != 0) throw Error(Status::Busy, "a login is already in progress");
    login_request_ = request_id;
    return login;
}

void Account::release_login(uint64_t request_id) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (login_request_ == request_id) login_request_ = 0;
}

void Account::begin_logout() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        ++logouts_;
    }
    cancel_login();
}

void Account::cancel_login() {
    std::shared_ptr<CloudLogin> login;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        login = login_;
    }
    if (login) login->cancel_all();
}

}  // namespace elizacloud
