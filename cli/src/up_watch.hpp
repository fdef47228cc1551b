// Attached `up` watching its containers exit: the daemon's event stream (GET /v1/events, from the
// moment `up` began, so an exit during the plan is not missed) read on a thread of its own, fed
// to an ExitTracker. The thread blocks on the stream; nothing polls the daemon.
#pragma once

#include <condition_variable>
#include <csignal>
#include <mutex>
#include <optional>
#include <thread>

#include "logs_cmd.hpp"
#include "up_exit.hpp"
#include "verb_support.hpp"

namespace berth::cli {

class UpWatch {
  public:
    // `services` empty: every service of the project. `since`: unix seconds, fractional.
    UpWatch(const ApiClient& client, std::string project, std::vector<std::string> services,
            ExitPolicy policy, std::string since);
    ~UpWatch();
    UpWatch(const UpWatch&) = delete;
    UpWatch& operator=(const UpWatch&) = delete;

    // Takes the containers that exist now as the ones to watch, then starts the thread.
    Result<void> start();
    // Until every watched container has exited, the stack aborts, the stream fails, or
    // *interrupt is raised (checked every fifth of a second: a signal cannot wake a condvar).
    void wait(const volatile std::sig_atomic_t* interrupt);
    // Gives the thread up to `grace` to see the last exits (after an abort's stop), then ends it.
    void finish(std::chrono::milliseconds grace);

    bool aborted();
    int exit_code();
    std::optional<Error> failure();

  private:
    void run();
    void on_event(std::string_view text);
    Result<std::string> state_of(const std::string& service, const std::string& id) const;
    bool settled_locked() const;

    const ApiClient& client_;
    std::string project_;
    std::vector<std::string> services_;
    std::string since_;
    volatile std::sig_atomic_t cancel_ = 0;

    std::mutex mu_;
    std::condition_variable changed_;
    ExitTracker tracker_;
    bool ended_ = false;
    std::optional<Error> failure_;
    std::thread thread_;
};

// The attached services' logs, followed on a thread of their own so that they keep flowing while
// `up` stops the stack (after an abort or Ctrl-C), as compose shows the last lines of the
// containers it stops. The stream ends by itself once every followed container has exited.
class LogFollow {
  public:
    LogFollow(const ApiClient& client, std::string project, LogQuery query, LogStyle style);
    ~LogFollow();
    LogFollow(const LogFollow&) = delete;
    LogFollow& operator=(const LogFollow&) = delete;

    // Gives the stream up to `grace` to end by itself (its containers' last lines), then ends
    // it; the stream's own failure, if any.
    std::optional<Error> finish(std::chrono::milliseconds grace);

  private:
    volatile std::sig_atomic_t cancel_ = 0;
    std::mutex mu_;
    std::condition_variable ended_cv_;
    bool ended_ = false;
    std::optional<Error> failure_;
    std::thread thread_;
};

}  // namespace berth::cli
