// Shared set-up for tests that talk to the emulator: an engine allowed to reach 127.0.0.1 (the
// insecure_local opt-in, as ELIZACLOUD_INSECURE_LOCAL=1 would) and the emulator's base URL.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "emulator_process.hpp"
#include "net/base_url.hpp"
#include "net/engine.hpp"
#include "net/url_policy.hpp"
#include "util/json.hpp"

namespace elizacloud::test {

inline std::shared_ptr<const UrlPolicy> local_policy() {
    UrlPolicyOptions options;
    options.insecure_local = true;
    return std::make_shared<const UrlPolicy>(options);
}

inline std::shared_ptr<Engine> make_local_engine(const std::string &ca_file = "") {
    EngineOptions options;
    options.policy = local_policy();
    options.ca_file = ca_file;
    return Engine::create(options);
}

inline BaseUrl emulator_base(const EmulatorProcess &emulator) {
    return BaseUrl::from_config(emulator.url(), *local_policy());
}

inline std::string json_string(const std::string &text, const char *key) {
    json::Document doc;
    if (!json::parse(text, doc)) return {};
    return json::get_string(doc, key).value_or("");
}

// Fixture base: one emulator per test suite (so one per process under gtest_discover_tests),
// reset before every test, and a fresh engine trusting its CA when it serves HTTPS. Derived
// declares static std::vector<std::string> emulator_flags().
template <typename Derived>
class EmulatorSuite : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        emulator_ = std::make_unique<EmulatorProcess>(Derived::emulator_flags());
    }
    static void TearDownTestSuite() { emulator_.reset(); }
    void SetUp() override {
        emulator_->reset();
        engine_ = make_local_engine(emulator_->ca_file());
    }

    static inline std::unique_ptr<EmulatorProcess> emulator_;
    std::shared_ptr<Engine> engine_;
};

// The error a call throws (Ok when it returns).
inline ErrorInfo error_of(const std::function<void()> &call) {
    try {
        call();
    } catch (const Error &e) {
        return e.info();
    }
    return {};
}

inline Status status_of(const std::function<void()> &call) {
    return error_of(call).status;
}

}  // namespace elizacloud::test
