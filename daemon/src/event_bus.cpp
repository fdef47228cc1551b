#include "event_bus.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

#include "engine/container_log.hpp"

namespace berth::daemon {

std::int64_t now_nano() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string rfc3339_nano(std::int64_t nano) {
    // The same text as the monitors' log records and state files.
    timespec ts{static_cast<std::time_t>(nano / 1000000000), static_cast<long>(nano % 1000000000)};
    return engine::rfc3339_nano(ts);
}

void EventBus::publish(const std::string& action, const std::string& id,
                       std::map<std::string, std::string> attributes) {
    EventRecord e;
    e.time_nano = now_nano();
    e.action = action;
    e.id = id;
    e.attributes = std::move(attributes);
    auto added = db_.add_event(std::move(e));
    if (!added) {
        std::fprintf(stderr, "berthd: record event %s %s: %s\n", action.c_str(), id.c_str(),
                     added.error().message().c_str());
        return;
    }
    std::vector<Observer> observers;
    {
        std::lock_guard lock(mu_);
        last_seq_ = std::max(last_seq_, added->seq);
        observers = observers_;
    }
    changed_.notify_all();
    for (const auto& o : observers) o(action, id);
}

void EventBus::observe(Observer o) {
    std::lock_guard lock(mu_);
    observers_.push_back(std::move(o));
}

void EventBus::follow(std::int64_t since_nano, std::int64_t until_nano,
                      const std::function<bool(const EventRecord&)>& sink,
                      const std::function<bool()>& alive) {
    std::int64_t after = 0;
    for (;;) {
        auto batch = db_.events_since(after, since_nano, until_nano);
        if (!batch) return;
        for (const auto& e : *batch) {
            after = e.seq;
            if (!sink(e)) return;
        }
        if (until_nano != 0 && now_nano() >= until_nano) return;
        std::unique_lock lock(mu_);
        // Woken by a new event; the timeout only bounds how late a gone client is noticed.
        changed_.wait_for(lock, std::chrono::milliseconds(500),
                          [&] { return stopping_ || last_seq_ > after; });
        if (stopping_) return;
        lock.unlock();
        if (!alive()) return;
    }
}

void EventBus::stop() {
    std::lock_guard lock(mu_);
    stopping_ = true;
    changed_.notify_all();
}

}  // namespace berth::daemon
