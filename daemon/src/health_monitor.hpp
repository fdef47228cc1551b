// berthd's healthcheck runner: one thread keeps a timer per running container that has a
// healthcheck and starts each probe when it is due; a probe's exec blocks a short-lived thread
// of its own, and the timer thread fails (and kills) a probe that outlives its timeout. Results go
// through the pure state machine (scheduler/health.hpp), are kept in the state database, and a
// status change publishes `health_status: <status>`.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "daemon/state.hpp"
#include "health_probe.hpp"
#include "images/image_config.hpp"
#include "scheduler/health.hpp"

namespace berth::daemon {

struct DaemonContext;

struct HealthView {
    images::Healthcheck config;
    scheduler::HealthState state;
    bool probing = false;  // a runner is active (the container runs)
};

class HealthMonitor {
  public:
    explicit HealthMonitor(DaemonContext& ctx);
    ~HealthMonitor();
    HealthMonitor(const HealthMonitor&) = delete;
    HealthMonitor& operator=(const HealthMonitor&) = delete;

    // At creation: the container's effective healthcheck, kept in the state (nullopt: none).
    Result<void> configure(const std::string& id, const std::optional<images::Healthcheck>& h);
    // The container was (re)started: its health starts over as "starting" and probes begin.
    void started(const ContainerRecord& c);
    // The container stopped or is being removed: its probes end, its last state is kept.
    void stopped(const std::string& id);
    void removed(const std::string& id);
    // Start-up: runners for the running containers that have a healthcheck, from their kept state.
    void resume_running();

    // The container's healthcheck and state; nullopt when it has none.
    std::optional<HealthView> view(const std::string& id);
    // Blocks until some container's health changes, or for at most `limit`.
    void wait_change(std::chrono::milliseconds limit);

  private:
    using Clock = std::chrono::steady_clock;
    struct Entry {
        ContainerRecord rec;
        images::Healthcheck config;
        scheduler::HealthState state;
        std::int64_t started_nano = 0;  // the run's StartedAt
        bool active = false;
        Clock::time_point due;
        std::uint64_t generation =
            0;  // of the probe in flight; a late result of another is dropped
        bool in_flight = false;
        Clock::time_point deadline;
        std::int64_t probe_start_nano = 0;
        ino_t pipe_inode = 0;
    };
    struct Launch {
        std::string id;
        std::uint64_t generation;
        std::vector<std::string> argv;
        ProbePipe pipe;
    };

    DaemonContext& ctx_;
    std::mutex mu_;
    std::condition_variable wake_, changed_;
    std::map<std::string, Entry> entries_;
    std::map<std::string, bool> none_;  // ids known to have no healthcheck
    std::uint64_t next_generation_ = 1;
    int probes_ = 0;  // probe threads alive
    bool stopping_ = false;
    bool dirty_ = false;  // timers changed since the timer thread looked
    std::thread thread_;

    void loop();
    Entry* load(std::unique_lock<std::mutex>& lock, const std::string& id);
    void begin(Entry& e);
    std::optional<Launch> prepare(const std::string& id, Entry& e);
    void probe(Launch l);
    void apply(const std::string& id, std::optional<std::uint64_t> generation,
               scheduler::ProbeResult r);
    void persist(const std::string& id, const std::string& state, const ContainerRecord& rec,
                 std::optional<scheduler::HealthStatus> changed);
};

}  // namespace berth::daemon
