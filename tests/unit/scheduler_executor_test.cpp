#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include "scheduler/executor.hpp"

namespace berth::scheduler {
namespace {

using namespace std::chrono_literals;

// A barrier whose wait gives up at a deadline, so a test of concurrency fails instead of hanging
// when the steps run one after the other.
class DeadlineBarrier {
  public:
    explicit DeadlineBarrier(int count) : count_(count) {}
    bool arrive_and_wait(std::chrono::milliseconds timeout) {
        std::unique_lock lock(mu_);
        if (++arrived_ >= count_) cv_.notify_all();
        return cv_.wait_for(lock, timeout, [&] { return arrived_ >= count_; });
    }

  private:
    std::mutex mu_;
    std::condition_variable cv_;
    int count_;
    int arrived_ = 0;
};

// Start and end of each step on one counter, plus the most steps seen running at once.
class Recorder {
  public:
    explicit Recorder(std::size_t n) : start_(n, -1), end_(n, -1) {}
    void begin(std::size_t i) {
        std::lock_guard lock(mu_);
        start_[i] = clock_++;
        max_running_ = std::max(max_running_, ++running_);
    }
    void finish(std::size_t i) {
        std::lock_guard lock(mu_);
        end_[i] = clock_++;
        --running_;
    }
    int start(std::size_t i) const { return start_[i]; }
    int end(std::size_t i) const { return end_[i]; }
    int max_running() const { return max_running_; }

  private:
    std::mutex mu_;
    std::vector<int> start_, end_;
    int clock_ = 0;
    int running_ = 0;
    int max_running_ = 0;
};

// Yields until several steps overlap, or a short deadline passes: enough for the bound to be
// tested without fixed sleeps deciding the outcome.
void linger(const std::atomic<int>& running, int want) {
    auto deadline = std::chrono::steady_clock::now() + 50ms;
    while (running.load() < want && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::yield();
    }
}

TEST(Executor, EmptyPlanSucceeds) {
    auto errors = run_plan(
        {}, 4, [](std::size_t) { return Result<void>(); }, nullptr);
    EXPECT_TRUE(errors.empty());
}

TEST(Executor, IndependentStepsRunConcurrently) {
    constexpr int kSteps = 4;
    DeadlineBarrier barrier(kSteps);
    std::vector<ExecutorItem> items(kSteps);
    auto errors = run_plan(
        items, kSteps,
        [&](std::size_t i) -> Result<void> {
            if (!barrier.arrive_and_wait(10s)) {
                return Error("step " + std::to_string(i) + " ran alone");
            }
            return {};
        },
        nullptr);
    EXPECT_TRUE(errors.empty()) << errors.front().message();
}

TEST(Executor, AStepStartsOnlyAfterItsDependenciesFinished) {
    // 0 and 1 first; 2 after 0; 3 after 1 and 2; 4 after 3; 5 after nothing.
    std::vector<ExecutorItem> items{{}, {}, {{0}}, {{1, 2}}, {{3}}, {}};
    for (int round = 0; round < 20; ++round) {
        Recorder rec(items.size());
        auto errors = run_plan(
            items, 3,
            [&](std::size_t i) -> Result<void> {
                rec.begin(i);
                std::this_thread::yield();
                rec.finish(i);
                return {};
            },
            nullptr);
        ASSERT_TRUE(errors.empty());
        for (std::size_t i = 0; i < items.size(); ++i) {
            ASSERT_GE(rec.start(i), 0) << "step " << i << " never ran";
            for (std::size_t dep : items[i].after) {
                EXPECT_GT(rec.start(i), rec.end(dep)) << "step " << i << " before " << dep;
            }
        }
    }
}

TEST(Executor, ADependentDoesNotWaitForAWholeLevel) {
    // 2 depends on 0 only; 1 (same level as 0) blocks until 2 has run. With level barriers this
    // would wait for the deadline and fail.
    std::vector<ExecutorItem> items{{}, {}, {{0}}};
    std::mutex mu;
    std::condition_variable cv;
    bool two_done = false;
    auto errors = run_plan(
        items, 2,
        [&](std::size_t i) -> Result<void> {
            std::unique_lock lock(mu);
            if (i == 2) {
                two_done = true;
                cv.notify_all();
            } else if (i == 1 && !cv.wait_for(lock, 10s, [&] { return two_done; })) {
                return Error("step 2 waited for step 1");
            }
            return {};
        },
        nullptr);
    EXPECT_TRUE(errors.empty()) << errors.front().message();
}

TEST(Executor, NeverRunsMoreThanTheBound) {
    for (int parallel : {1, 2, 3}) {
        std::vector<ExecutorItem> items(12);
        items[8].after = {0, 1};
        items[9].after = {8};
        std::atomic<int> running{0};
        Recorder rec(items.size());
        auto errors = run_plan(
            items, parallel,
            [&](std::size_t i) -> Result<void> {
                rec.begin(i);
                ++running;
                linger(running, parallel + 1);
                --running;
                rec.finish(i);
                return {};
            },
            nullptr);
        EXPECT_TRUE(errors.empty());
        EXPECT_LE(rec.max_running(), parallel);
        EXPECT_GE(rec.max_running(), 1);
    }
}

TEST(Executor, ZeroParallelMeansOne) {
    std::vector<ExecutorItem> items(5);
    Recorder rec(items.size());
    std::atomic<int> running{0};
    auto errors = run_plan(
        items, 0,
        [&](std::size_t i) -> Result<void> {
            rec.begin(i);
            ++running;
            linger(running, 2);
            --running;
            rec.finish(i);
            return {};
        },
        nullptr);
    EXPECT_TRUE(errors.empty());
    EXPECT_EQ(rec.max_running(), 1);
}

TEST(Executor, AFailureSkipsDependentsTransitivelyButNotIndependentSteps) {
    // 0 fails; 1 after 0; 2 after 1; 3 after 2 and 4; 4 independent; 5 after 4.
    std::vector<ExecutorItem> items{{}, {{0}}, {{1}}, {{2, 4}}, {}, {{4}}};
    std::mutex mu;
    std::set<std::size_t> ran, skipped;
    auto errors = run_plan(
        items, 2,
        [&](std::size_t i) -> Result<void> {
            {
                std::lock_guard lock(mu);
                ran.insert(i);
            }
            if (i == 0) return Error("create container shop-db-1: no space left on device");
            return {};
        },
        [&](std::size_t i) {
            std::lock_guard lock(mu);
            skipped.insert(i);
        });
    EXPECT_EQ(ran, (std::set<std::size_t>{0, 4, 5}));
    EXPECT_EQ(skipped, (std::set<std::size_t>{1, 2, 3}));
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].message(), "create container shop-db-1: no space left on device");
}

TEST(Executor, EveryErrorIsReturnedInItemOrder) {
    std::vector<ExecutorItem> items(6);
    items[5].after = {1};
    std::set<std::size_t> skipped;
    auto errors = run_plan(
        items, 3,
        [&](std::size_t i) -> Result<void> {
            if (i % 2 == 1) return Error("step " + std::to_string(i) + " failed");
            return {};
        },
        [&](std::size_t i) { skipped.insert(i); });
    ASSERT_EQ(errors.size(), 2u);
    EXPECT_EQ(errors[0].message(), "step 1 failed");
    EXPECT_EQ(errors[1].message(), "step 3 failed");
    EXPECT_EQ(skipped, std::set<std::size_t>{5});
}

TEST(Executor, AThrowingStepFailsLikeAnyOther) {
    std::vector<ExecutorItem> items{{}, {{0}}};
    std::atomic<bool> second_ran{false};
    auto errors = run_plan(
        items, 2,
        [&](std::size_t i) -> Result<void> {
            if (i == 0) throw std::runtime_error("boom");
            second_ran = true;
            return {};
        },
        nullptr);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].message().find("boom"), std::string::npos);
    EXPECT_FALSE(second_ran);
}

TEST(Executor, ACycleIsSkippedNotAHang) {
    // 1 and 2 wait on each other; 3 waits on a step that does not exist; 0 is fine.
    std::vector<ExecutorItem> items{{}, {{2}}, {{1}}, {{7}}};
    std::set<std::size_t> ran, skipped;
    std::mutex mu;
    auto errors = run_plan(
        items, 2,
        [&](std::size_t i) -> Result<void> {
            std::lock_guard lock(mu);
            ran.insert(i);
            return {};
        },
        [&](std::size_t i) {
            std::lock_guard lock(mu);
            skipped.insert(i);
        });
    EXPECT_EQ(ran, std::set<std::size_t>{0});
    EXPECT_EQ(skipped, (std::set<std::size_t>{1, 2, 3}));
    EXPECT_EQ(errors.size(), 3u);
}

TEST(Executor, ALongChainRunsEveryStepOnce) {
    std::vector<ExecutorItem> items(200);
    for (std::size_t i = 1; i < items.size(); ++i) items[i].after = {i - 1};
    std::vector<int> order;
    std::mutex mu;
    auto errors = run_plan(
        items, 8,
        [&](std::size_t i) -> Result<void> {
            std::lock_guard lock(mu);
            order.push_back(static_cast<int>(i));
            return {};
        },
        nullptr);
    EXPECT_TRUE(errors.empty());
    ASSERT_EQ(order.size(), items.size());
    EXPECT_TRUE(std::is_sorted(order.begin(), order.end()));
}

}  // namespace
}  // namespace berth::scheduler
