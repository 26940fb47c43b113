// Shared set-up for the orchestration tests that run in virtual time: an engine on a ManualClock
// and a FakeAgentOps. advance() moves time in small steps and lets every consequence run, so
// the tests can assert exact sequences (times of calls, events) without real waiting.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "fake_agent_ops.hpp"
#include "net/engine.hpp"
#include "util/clock.hpp"
#include "util/log.hpp"

namespace elizacloud::testing {

class VirtualTimeTest : public ::testing::Test {
protected:
    void SetUp() override {
        clock_ = std::make_shared<ManualClock>(0);
        EngineOptions options;
        options.clock = clock_;
        engine_ = Engine::create(options);
        ops_ = std::make_shared<FakeAgentOps>(engine_);
        baseline_timers_ = engine_->active_timers();
        log::set_sink([this](log::Level, std::string_view line) {
            std::lock_guard<std::mutex> lock(log_mutex_);
            log_lines_.emplace_back(line);
        });
    }
    void TearDown() override { log::set_sink(nullptr); }

    // Lets every task and timer due now run, including what they start in turn.
    void settle() {
        for (int i = 0; i < 6; ++i) engine_->drain();
    }
    // Moves virtual time forward by ms in steps of step ms, settling after each.
    void advance(int64_t ms, int64_t step = 500) {
        for (int64_t done = 0; done < ms; done += step) {
            clock_->advance(std::min(step, ms - done));
            settle();
        }
    }
    int64_t now() const { return clock_->now_ms(); }
    size_t extra_timers() const { return engine_->active_timers() - baseline_timers_; }
    bool logged(std::string_view needle) {
        std::lock_guard<std::mutex> lock(log_mutex_);
        for (auto &line : log_lines_) {
            if (line.find(needle) != std::string::npos) return true;
        }
        return false;
    }

    std::shared_ptr<ManualClock> clock_;
    std::shared_ptr<Engine> engine_;
    std::shared_ptr<FakeAgentOps> ops_;
    size_t baseline_timers_ = 0;
    std::mutex log_mutex_;
    std::vector<std::string> log_lines_;
};

// Differences between consecutive values.
inline std::vector<int64_t> gaps(const std::vector<int64_t> &times) {
    std::vector<int64_t> out;
    for (size_t i = 1; i < times.size(); ++i) out.push_back(times[i] - times[i - 1]);
    return out;
}

}  // namespace elizacloud::testing
