// The executor: a ready set fed by finished steps, drained by at most `parallel` worker threads
// that are started only when there is work for them.
#include "scheduler/executor.hpp"

#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace berth::scheduler {

namespace {

enum class Status { Waiting, Ready, Running, Done, Failed, Skipped };

class Executor {
  public:
    Executor(const std::vector<ExecutorItem>& items, int parallel,
             const std::function<Result<void>(std::size_t)>& run,
             const std::function<void(std::size_t)>& skipped)
        : items_(items),
          parallel_(parallel <= 0 ? 1 : static_cast<std::size_t>(parallel)),
          run_(run),
          skipped_(skipped),
          status_(items.size(), Status::Waiting),
          waiting_on_(items.size(), 0),
          dependents_(items.size()) {}

    std::vector<Error> execute();

  private:
    const std::vector<ExecutorItem>& items_;
    const std::size_t parallel_;
    const std::function<Result<void>(std::size_t)>& run_;
    const std::function<void(std::size_t)>& skipped_;

    std::mutex mu_;
    std::condition_variable cv_;
    std::vector<Status> status_;
    std::vector<std::size_t> waiting_on_;  // unfinished entries of `after`
    std::vector<std::vector<std::size_t>> dependents_;
    std::set<std::size_t> ready_;  // lowest index first: the plan's order where there is a choice
    std::size_t finished_ = 0;
    std::size_t running_ = 0;
    std::size_t idle_ = 0;  // workers waiting for work, or started and about to
    std::vector<std::thread> workers_;
    std::map<std::size_t, Error> errors_;

    void link();
    void worker();
    Result<void> call(std::size_t i);
    std::vector<std::size_t> finish(std::size_t i, const Result<void>& result);
    void skip_dependents(std::size_t i, std::vector<std::size_t>& skipped);
    void skip_unreachable(std::vector<std::size_t>& skipped);
    void spawn_workers();
    void tell_skipped(std::unique_lock<std::mutex>& lock, const std::vector<std::size_t>& which);
};

void Executor::link() {
    for (std::size_t i = 0; i < items_.size(); ++i) {
        for (std::size_t dep : items_[i].after) {
            ++waiting_on_[i];
            // An index past the end never finishes: the item is reported as unreachable.
            if (dep < items_.size()) dependents_[dep].push_back(i);
        }
        if (waiting_on_[i] == 0) {
            status_[i] = Status::Ready;
            ready_.insert(i);
        }
    }
}

std::vector<Error> Executor::execute() {
    if (items_.empty()) return {};
    std::unique_lock lock(mu_);
    link();
    std::vector<std::size_t> skipped;
    skip_unreachable(skipped);
    spawn_workers();
    tell_skipped(lock, skipped);
    cv_.wait(lock, [&] { return finished_ == items_.size(); });
    // No worker starts another once everything has finished, so the list is complete.
    std::vector<std::thread> workers = std::move(workers_);
    lock.unlock();
    for (auto& w : workers) w.join();
    std::vector<Error> out;
    for (auto& entry : errors_) out.push_back(std::move(entry.second));
    return out;
}

// One more worker per ready step that no idle worker will take, up to the bound: a plan that is
// a chain runs on one thread however high `parallel` is.
void Executor::spawn_workers() {
    while (ready_.size() > idle_ && workers_.size() < parallel_) {
        ++idle_;
        workers_.emplace_back([this] { worker(); });
    }
}

void Executor::worker() {
    std::unique_lock lock(mu_);
    for (;;) {
        cv_.wait(lock, [&] { return !ready_.empty() || finished_ == items_.size(); });
        if (ready_.empty()) break;
        std::size_t i = *ready_.begin();
        ready_.erase(ready_.begin());
        status_[i] = Status::Running;
        --idle_;
        ++running_;
        lock.unlock();
        Result<void> result = call(i);
        lock.lock();
        --running_;
        ++idle_;
        std::vector<std::size_t> skipped = finish(i, result);
        spawn_workers();
        cv_.notify_all();
        tell_skipped(lock, skipped);
    }
    --idle_;
}

// A step that throws must not take the process down from a worker thread; it fails like any
// other step.
Result<void> Executor::call(std::size_t i) {
    try {
        return run_(i);
    } catch (const std::exception& e) {
        return Error(std::string("unexpected exception: ") + e.what());
    } catch (...) {
        return Error("unexpected exception");
    }
}

std::vector<std::size_t> Executor::finish(std::size_t i, const Result<void>& result) {
    ++finished_;
    std::vector<std::size_t> skipped;
    if (!result) {
        status_[i] = Status::Failed;
        errors_.emplace(i, result.error());
        skip_dependents(i, skipped);
    } else {
        status_[i] = Status::Done;
        for (std::size_t d : dependents_[i]) {
            if (status_[d] == Status::Waiting && --waiting_on_[d] == 0) {
                status_[d] = Status::Ready;
                ready_.insert(d);
            }
        }
    }
    skip_unreachable(skipped);
    return skipped;
}

void Executor::skip_dependents(std::size_t i, std::vector<std::size_t>& skipped) {
    std::vector<std::size_t> stack = dependents_[i];
    while (!stack.empty()) {
        std::size_t d = stack.back();
        stack.pop_back();
        if (status_[d] != Status::Waiting) continue;
        status_[d] = Status::Skipped;
        ++finished_;
        skipped.push_back(d);
        stack.insert(stack.end(), dependents_[d].begin(), dependents_[d].end());
    }
}

// Nothing ready and nothing running, yet items wait: they wait on a cycle or on a step that does
// not exist, and would wait forever.
void Executor::skip_unreachable(std::vector<std::size_t>& skipped) {
    if (!ready_.empty() || running_ != 0) return;
    for (std::size_t i = 0; i < items_.size(); ++i) {
        if (status_[i] != Status::Waiting) continue;
        status_[i] = Status::Skipped;
        ++finished_;
        skipped.push_back(i);
        errors_.emplace(i, Error("step " + std::to_string(i) +
                                 " waits on a dependency cycle or an unknown step"));
    }
    cv_.notify_all();
}

// Outside the lock: the callback may take locks of its own or be slow (printing progress).
void Executor::tell_skipped(std::unique_lock<std::mutex>& lock,
                            const std::vector<std::size_t>& which) {
    if (which.empty() || !skipped_) return;
    lock.unlock();
    for (std::size_t i : which) skipped_(i);
    lock.lock();
}

}  // namespace

std::vector<Error> run_plan(const std::vector<ExecutorItem>& items, int parallel,
                            const std::function<Result<void>(std::size_t)>& run,
                            const std::function<void(std::size_t)>& skipped) {
    Executor executor(items, parallel, run, skipped);
    return executor.execute();
}

}  // namespace berth::scheduler
