// Restart policies carried out: dockerd's restart manager over the pure decision in
// scheduler/restart_policy.hpp, with its timers on one thread.
//
// dockerd's rules, which these follow:
// * A container's policy is fixed when it is created (`restart:`, or deploy.restart_policy which
//   wins) and kept in the state database with its restart count and a "manually stopped" flag.
// * When its PID 1 ends on its own, the policy decides (restart_policy.hpp): always restarts,
//   unless-stopped restarts unless the user stopped it, on-failure restarts on a non-zero exit up
//   to N times. The restart comes after a backoff (100 ms, doubled each time, at most 1 minute,
//   back to 100 ms after a run of 10 s) through the ordinary start path: `die`, then `start`.
// * `stop` (also `down`, `rm -f`, the stop before a recreate) cancels the manager until the user
//   starts the container again, whatever the policy, and marks it manually stopped; a pending
//   restart is dropped.
// * `kill` marks the container manually stopped; it also cancels the manager when the signal is
//   SIGKILL, or the container's own stop signal, or any signal when the service sets no
//   stop_signal (dockerd's killWithSignal). A `kill -s HUP` of a service with stop_signal: INT
//   that makes it exit therefore leaves `always` restarting it, and unless-stopped not.
// * A start by the user (`start`, `restart`, `up`) resets the restart count, the backoff and
//   both flags.
// * When berthd starts, every container that has run before and is not running now is given to
//   its policy as if it had just exited, with its kept restart count and flag but a fresh
//   (uncancelled) manager: so `always` comes back even after a `stop` (as dockerd does),
//   unless-stopped only when the user had not stopped it, on-failure when its last exit was
//   non-zero and its count is not used up (also after a `stop`, whose exit code is 143 or 137).
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "daemon_context.hpp"
#include "scheduler/restart_policy.hpp"

namespace berth::daemon {

class RestartManager {
  public:
    explicit RestartManager(DaemonContext& ctx);
    ~RestartManager();
    RestartManager(const RestartManager&) = delete;
    RestartManager& operator=(const RestartManager&) = delete;

    // The exit watch saw this run end (first of whoever saw it).
    void exited(const ContainerRecord& c, const ContainerStatus& st);
    // The user's verbs.
    void user_stopped(const std::string& id);
    void user_killed(const std::string& id, const std::string& signal);
    void user_started(const std::string& id);
    // Start-up: containers that stopped while berthd was down, or were left stopped.
    void resume();

  private:
    struct Pending {
        std::chrono::steady_clock::time_point due;
        std::string started_at;  // of the run that ended: a later run makes the restart moot
    };

    DaemonContext& ctx_;
    std::mutex mu_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::set<std::string> cancelled_;
    std::map<std::string, std::chrono::milliseconds> backoff_;
    std::map<std::string, Pending> pending_;
    std::thread thread_;

    void decide(const std::string& id, const ContainerStatus& st);
    void loop();
    // true: done with it (started, or no longer wanted); false: try again shortly.
    bool restart_now(const std::string& id, const Pending& p);
};

// The policy and stop signal of a new container, recorded next to its record.
Result<void> record_restart_policy(DaemonContext& ctx, const std::string& id,
                                   const compose::Node& service, const std::string& service_name,
                                   bool oneoff);

}  // namespace berth::daemon
