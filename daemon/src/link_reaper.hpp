// Links deleted in the background. The kernel takes tens of milliseconds to unregister a bridge
// or a veth (it waits for RCU grace periods under the rtnl lock), which would otherwise stall
// every network change behind the manager's lock. A link handed here is already down, off the
// records and out of the firewall; the reaper deletes it in the order given, and drain() waits
// until every one handed so far is gone (down does, so nothing of it is left when it returns).
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

namespace berth::daemon {

class LinkReaper {
  public:
    LinkReaper() = default;
    LinkReaper(const LinkReaper&) = delete;
    LinkReaper& operator=(const LinkReaper&) = delete;
    ~LinkReaper();  // deletes what is still queued first

    void add(std::string link);  // a link of berthd's own network namespace
    bool pending(const std::string& link);
    void drain();

  private:
    void run();
    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<std::string> queue_;
    bool busy_ = false;
    bool stopping_ = false;
    std::thread worker_;
};

}  // namespace berth::daemon
