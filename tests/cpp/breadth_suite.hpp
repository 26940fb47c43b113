// The fixture of the breadth suites (operations_breadth_test, operations_uploads_test): a
// CloudClient of a fresh key against one emulator per generation, run over real sockets.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "api/cloud_client.hpp"
#include "api/registry.hpp"
#include "blocking_client.hpp"
#include "cloud_test_env.hpp"

namespace elizacloud::test {

inline constexpr const char *kUnknownId = "5e1d6a4e-8f6b-4c55-9d2a-2f8f8b7c1a00";

struct Milady {
    static constexpr api::Generation kGeneration = api::Generation::Milady;
    static std::vector<std::string> flags() { return {"--provision-ms", "150"}; }
};
struct Eliza {
    static constexpr api::Generation kGeneration = api::Generation::Eliza;
    static std::vector<std::string> flags() {
        return {"--generation", "eliza", "--provision-ms", "150"};
    }
};

template <typename G>
class Breadth : public EmulatorSuite<Breadth<G>> {
public:
    static std::vector<std::string> emulator_flags() { return G::flags(); }

protected:
    using Base = EmulatorSuite<Breadth<G>>;
    static constexpr bool kEliza = G::kGeneration == api::Generation::Eliza;

    void SetUp() override {
        Base::SetUp();
        key_ = this->emulator().create_key();
        client_ = client_for(key_);
    }
    void TearDown() override {
        client_.reset();
        this->engine_.reset();
    }

    test::EmulatorProcess &emulator() { return *Base::emulator_; }

    std::unique_ptr<CloudClient> client_for(const std::string &key) {
        ClientOptions options;
        options.generation = G::kGeneration;
        return std::make_unique<CloudClient>(this->engine_, test::emulator_base(this->emulator()),
                                             key, options);
    }

    OpResult run(std::string_view op, const std::string &params, CloudClient *client = nullptr) {
        CloudClient &c = client ? *client : *client_;
        try {
            return test::blocking(c).wait(
                [&](OpCallback cb) { return c.call_async(op, params, std::move(cb)); });
        } catch (const Error &e) {
            return OpResult{e.info(), {}};  // refused before any request
        }
    }
    // The call's result; a failure fails the test. A plain rapidjson::Document, which moves
    // (json::Document points at its own pool).
    rapidjson::Document call(std::string_view op, const std::string &params = "{}") {
        OpResult r = run(op, params);
        EXPECT_TRUE(r.error.ok()) << op << ": " << status_name(r.error.status) << " "
                                  << r.error.message;
        rapidjson::Document doc;
        doc.Parse(r.json.data(), r.json.size());
        EXPECT_FALSE(doc.HasParseError()) << r.json;
        return doc;
    }
    ErrorInfo fail(std::string_view op, const std::string &params = "{}") {
        OpResult r = run(op, params);
        EXPECT_FALSE(r.error.ok()) << op << " succeeded: " << r.json;
        return r.error;
    }
    int64_t count(const std::string &route) { return this->emulator().request_count(route); }

    std::string key_;
    std::unique_ptr<CloudClient> client_;
};

using Generations = ::testing::Types<Milady, Eliza>;
class GenerationNames {
public:
    template <typename T>
    static std::string GetName(int) {
        return std::is_same_v<T, Milady> ? "Milady" : "Eliza";
    }
};

inline std::string str(const json::Value &v, const char *key) {
    return json::get_string(v, key).value_or("");
}

}  // namespace elizacloud::test
