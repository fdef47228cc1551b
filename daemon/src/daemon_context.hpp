// What every route of berthd shares: its configuration, the state database, the image store, the
// runtime, the event bus, and a lock per project so two operations on one project never
// interleave (two `up`s at once would each create the missing containers).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "daemon/config.hpp"
#include "daemon/runtime.hpp"
#include "daemon/state.hpp"
#include "event_bus.hpp"
#include "images/store.hpp"
#include "scheduler/logging.hpp"

namespace berth::daemon {

class RestartManager;
class HealthMonitor;   // health_monitor.hpp
class NetworkManager;  // network_manager.hpp
class DnsService;      // dns_service.hpp

struct DaemonContext {
    DaemonConfig cfg;
    std::unique_ptr<StateDb> db;
    std::unique_ptr<images::Store> store;
    std::unique_ptr<Runtime> runtime;
    std::unique_ptr<EventBus> events;
    std::mutex store_mu;                  // image store reads and snapshot preparation
    scheduler::LogRotation log_defaults;  // daemon.json's log-opts
    // Healthcheck runners (health_monitor.hpp); null where nothing runs them (unit tests).
    std::shared_ptr<HealthMonitor> health;

    std::string containers_root() const { return cfg.data_root + "/containers"; }
    // A container's root filesystem layers (upper, work, merged) and its /etc files.
    std::string container_data(const std::string& id) const {
        return cfg.data_root + "/container-data/" + id;
    }

    // Held for the whole of an operation on the project.
    std::mutex& project_lock(const std::string& project);

    // The run (started_at + finished_at) whose `die` each container last had, so a stop, a
    // removal and the exit watch that all see one exit publish it once (container_ops.cpp).
    std::mutex exits_mu;
    std::map<std::string, std::string> reported_exits;

    // Restart policies (restart_manager.hpp); null until the service has started it.
    RestartManager* restarts = nullptr;
    // Networks, container namespaces and published ports (network_manager.hpp); null where
    // nothing may touch the kernel's networking (unit tests), so bridge services are refused.
    std::shared_ptr<NetworkManager> networks;
    // The embedded resolver (dns_service.hpp); null where none runs (unit tests).
    std::shared_ptr<DnsService> dns;

  private:
    std::mutex locks_mu_;
    std::map<std::string, std::unique_ptr<std::mutex>> locks_;
};

}  // namespace berth::daemon
