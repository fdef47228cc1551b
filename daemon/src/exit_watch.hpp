// Notices containers that end on their own (the process exited, was OOM-killed, or its monitor
// died) and publishes their `die` event with the exit code, then hands the exit to the restart
// policy. Monitors own the exit, not berthd, so this watches what they leave, on one thread in an
// epoll loop that sleeps while nothing happens:
// * inotify on each container folder: the monitor renames state.json into place when PID 1 runs
//   and exit.json when it has ended (write_file_atomic), so both arrive as IN_MOVED_TO, within
//   milliseconds; on the containers root, IN_CREATE for new folders;
// * a pidfd per running container's monitor, readable when the monitor exits, for a monitor that
//   dies without writing exit.json (kill -9 of the monitor itself);
// * a rescan of every container every few seconds, for anything the two miss (inotify watches
//   exhausted, a folder made between the listing and its watch).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <thread>

#include "daemon_context.hpp"

namespace berth::daemon {

class ExitWatch {
  public:
    // on_exit runs on the watch's thread for each run whose `die` this watch published.
    using OnExit = std::function<void(const ContainerRecord&, const ContainerStatus&)>;
    ExitWatch(DaemonContext& ctx, OnExit on_exit);
    ~ExitWatch();
    ExitWatch(const ExitWatch&) = delete;
    ExitWatch& operator=(const ExitWatch&) = delete;

  private:
    DaemonContext& ctx_;
    OnExit on_exit_;
    int epoll_ = -1, inotify_ = -1, wake_ = -1;
    std::atomic<bool> stopping_{false};  // for the polling fallback, which has no wake fd
    std::map<int, std::string> id_of_wd_;
    std::map<std::string, int> wd_of_;
    std::map<int, std::string> id_of_pidfd_;
    std::map<std::string, int> pidfd_of_;
    // Containers whose monitor has exited but still looks alive (not reaped yet), and since when.
    std::map<std::string, std::chrono::steady_clock::time_point> unreaped_;
    std::thread thread_;

    void loop();
    void rescan();
    void read_inotify();
    void watch_folder(const std::string& id);
    void forget_folder(int wd);
    void track_monitor(const std::string& id);
    void forget_monitor(const std::string& id);
    void check(const std::string& id);
};

}  // namespace berth::daemon
