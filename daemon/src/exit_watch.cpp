#include "exit_watch.hpp"

#include <chrono>

#include "container_ops.hpp"

namespace berth::daemon {

ExitWatch::ExitWatch(DaemonContext& ctx) : ctx_(ctx), thread_([this] { loop(); }) {}

ExitWatch::~ExitWatch() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void ExitWatch::loop() {
    std::unique_lock lock(mu_);
    while (!stopping_) {
        lock.unlock();
        scan();
        lock.lock();
        wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; });
    }
}

void ExitWatch::scan() {
    auto records = ctx_.db->containers("");
    if (!records) return;
    std::map<std::string, ContainerRunState> now;
    for (const auto& c : *records) {
        auto st = ctx_.runtime->status(c.id);
        if (!st) continue;
        now[c.id] = st->state;
        auto before = last_.find(c.id);
        // Created counts: the container may have started and ended since.
        bool was_up = before != last_.end() && before->second != ContainerRunState::Exited &&
                      before->second != ContainerRunState::Dead;
        // A container that started and ended between two scans was never seen up; the exits
        // found on the first scan are older than this daemon and were reported before.
        bool came_and_went = before == last_.end() && scanned_;
        if ((was_up || came_and_went) && st->state == ContainerRunState::Exited) {
            publish_exit(ctx_, c, *st);
        }
    }
    last_ = std::move(now);
    scanned_ = true;
}

}  // namespace berth::daemon
