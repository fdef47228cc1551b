#include "link_reaper.hpp"

#include <algorithm>

#include "log.hpp"
#include "network/netlink.hpp"

namespace berth::daemon {

LinkReaper::~LinkReaper() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    cv_.notify_all();
    if (worker_.joinable()) worker_.join();
}

void LinkReaper::add(std::string link) {
    {
        std::lock_guard lock(mu_);
        queue_.push_back(std::move(link));
        // Started on first use: a daemon that never removes a link runs no extra thread.
        if (!worker_.joinable()) worker_ = std::thread([this] { run(); });
    }
    cv_.notify_all();
}

bool LinkReaper::pending(const std::string& link) {
    std::lock_guard lock(mu_);
    return std::find(queue_.begin(), queue_.end(), link) != queue_.end();
}

void LinkReaper::drain() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return queue_.empty() && !busy_; });
}

void LinkReaper::run() {
    auto nl = network::Netlink::open();
    std::unique_lock lock(mu_);
    for (;;) {
        cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping, and everything handed over is deleted
        std::string link = std::move(queue_.front());
        queue_.pop_front();
        busy_ = true;
        lock.unlock();
        Result<void> r = nl ? nl->delete_link(link) : Result<void>(nl.error());
        if (!r) log_warn("delete link " + link + ": " + r.error().message());
        lock.lock();
        busy_ = false;
        cv_.notify_all();
    }
}

}  // namespace berth::daemon
