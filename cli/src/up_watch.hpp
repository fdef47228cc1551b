// Attached `up` watching its containers exit: the daemon's event stream (GET /v1/events, from the
// moment `up` began, so an exit during the plan is not missed) read on a thread of its own, fed
// to an ExitTracker. The thread blocks on the stream; nothing polls the daemon.
#pragma once

#include <condition_variable>
#include <csignal>
#include <mutex>
#include <optional>
#include <thread>

#include "up_exit.hpp"
#include "verb_support.hpp"

namespace berth::cli {

class UpWatch {
  public:
    // `services` empty: every service of the project. `since`: unix seconds, fractional.
    // `stop_logs` is raised once the log following should end (all exited, or aborting).
    UpWatch(const ApiClient& client, std::string project, std::vector<std::string> services,
            ExitPolicy policy, std::string since, volatile std::sig_atomic_t* stop_logs);
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
    volatile std::sig_atomic_t* stop_logs_;
    volatile std::sig_atomic_t cancel_ = 0;

    std::mutex mu_;
    std::condition_variable changed_;
    ExitTracker tracker_;
    bool ended_ = false;
    std::optional<Error> failure_;
    std::thread thread_;
};

}  // namespace berth::cli
