// Notices containers that end on their own (the process exited, was OOM-killed, or the monitor
// reaped it) and publishes their `die` event with the exit code. Monitors own the exit, not
// berthd, so this reads the state the engine keeps, once a second, on one thread.
#pragma once

#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "daemon_context.hpp"

namespace berth::daemon {

class ExitWatch {
  public:
    explicit ExitWatch(DaemonContext& ctx);
    ~ExitWatch();
    ExitWatch(const ExitWatch&) = delete;
    ExitWatch& operator=(const ExitWatch&) = delete;

  private:
    DaemonContext& ctx_;
    std::mutex mu_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::map<std::string, ContainerRunState> last_;
    bool scanned_ = false;  // after the first scan, a container not seen before is new
    std::thread thread_;

    void loop();
    void scan();
};

}  // namespace berth::daemon
