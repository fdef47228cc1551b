// Container events: appended to the state database (so `events --since` reaches back across
// daemon restarts) and handed to every live `GET /v1/events` stream.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "daemon/state.hpp"

namespace berth::daemon {

class EventBus {
  public:
    explicit EventBus(StateDb& db) : db_(db) {}

    // Records one event; failures to record are logged, never fatal to the caller's step.
    void publish(const std::string& action, const std::string& id,
                 std::map<std::string, std::string> attributes);

    // Calls sink for every event after `after_seq` (from the database, then live ones) until sink
    // returns false, `until_nano` passes (0 = never), or stop() is called. `alive` is polled
    // between events so a gone client ends the loop.
    void follow(std::int64_t since_nano, std::int64_t until_nano,
                const std::function<bool(const EventRecord&)>& sink,
                const std::function<bool()>& alive);

    void stop();

    // Called after each event is recorded, on the publisher's thread, outside the bus's lock:
    // how the resolver learns that a container started, stopped or changed health.
    using Observer = std::function<void(const std::string& action, const std::string& id)>;
    void observe(Observer o);

  private:
    StateDb& db_;
    std::mutex mu_;
    std::condition_variable changed_;
    std::int64_t last_seq_ = 0;
    bool stopping_ = false;
    std::vector<Observer> observers_;
};

std::int64_t now_nano();
std::string rfc3339_nano(std::int64_t nano);

}  // namespace berth::daemon
