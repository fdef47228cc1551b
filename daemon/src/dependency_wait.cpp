#include "dependency_wait.hpp"

#include <chrono>
#include <map>
#include <thread>

#include "daemon_context.hpp"

namespace berth::daemon {

namespace {

using Clock = std::chrono::steady_clock;

// Health changes wake the waiters at once; exits are seen within this.
constexpr auto kPoll = std::chrono::milliseconds(100);

std::string resource(const std::string& name) {
    return "Container " + name;
}

ContainerStatus status_of(DaemonContext& ctx, const std::string& id) {
    auto st = ctx.runtime->status(id);
    return st ? *st : ContainerStatus{ContainerRunState::Dead, 0, 0, false, "", ""};
}

std::optional<HealthView> health_of(DaemonContext& ctx, const std::string& id) {
    return ctx.health ? ctx.health->view(id) : std::nullopt;
}

void pause_for_change(DaemonContext& ctx) {
    if (ctx.health) {
        ctx.health->wait_change(kPoll);
    } else {
        std::this_thread::sleep_for(kPoll);
    }
}

// One dependency being waited for.
struct Pending {
    scheduler::Dependency dep;
    std::vector<ContainerRecord> containers;
    std::vector<bool> met;
};

ConditionCheck check(DaemonContext& ctx, const scheduler::Dependency& d, const ContainerRecord& c) {
    ContainerStatus st = status_of(ctx, c.id);
    if (d.condition == scheduler::Condition::CompletedSuccessfully) {
        return check_completed(c.name, st);
    }
    return check_healthy(c.name, st, health_of(ctx, c.id), false);
}

}  // namespace

ConditionCheck check_healthy(const std::string& name, const ContainerStatus& st,
                             const std::optional<HealthView>& health, bool running_is_enough) {
    if (st.state == ContainerRunState::Exited || st.state == ContainerRunState::Dead) {
        return {Verdict::Failed,
                "container " + name + " exited (" + std::to_string(st.exit_code) + ")"};
    }
    if (!health) {
        if (running_is_enough) {
            return {st.state == ContainerRunState::Running ? Verdict::Met : Verdict::Pending, ""};
        }
        return {Verdict::Failed, "container " + name + " has no healthcheck configured",
                st.state != ContainerRunState::Running};
    }
    if (st.state != ContainerRunState::Running) return {Verdict::Pending, ""};
    switch (health->state.status) {
        case scheduler::HealthStatus::Healthy:
            return {Verdict::Met, ""};
        case scheduler::HealthStatus::Unhealthy:
            return {Verdict::Failed, "container " + name + " is unhealthy"};
        case scheduler::HealthStatus::Starting:
            break;
    }
    return {Verdict::Pending, ""};
}

ConditionCheck check_completed(const std::string& name, const ContainerStatus& st) {
    if (st.state != ContainerRunState::Exited && st.state != ContainerRunState::Dead) {
        return {Verdict::Pending, ""};
    }
    if (st.exit_code == 0) return {Verdict::Met, ""};
    return {Verdict::Failed,
            "container " + name + " exited (" + std::to_string(st.exit_code) + ")"};
}

Result<void> wait_for_dependencies(DaemonContext& ctx, const std::string& project,
                                   const scheduler::Graph& graph, const std::string& service,
                                   Progress& progress) {
    auto all = ctx.db->containers(project);
    if (!all) return all.error();
    std::vector<Pending> pending;
    for (const auto& d : graph.dependencies(service)) {
        if (d.condition == scheduler::Condition::Started) continue;
        Pending p{d, {}, {}};
        for (const auto& c : *all) {
            if (c.service == d.service && !c.oneoff) p.containers.push_back(c);
        }
        if (p.containers.empty()) {
            const std::string msg = service + " is missing dependency " + d.service;
            if (d.required) return Error(msg);
            progress.warning(msg);
            continue;
        }
        p.met.assign(p.containers.size(), false);
        for (const auto& c : p.containers) progress.event(resource(c.name), "Waiting");
        pending.push_back(std::move(p));
    }
    // docker compose looks first half a second after it starts waiting; a failure that may still
    // change (see ConditionCheck::settled) is taken only after that long.
    const auto settle_until = Clock::now() + std::chrono::milliseconds(500);
    while (!pending.empty()) {
        for (auto it = pending.begin(); it != pending.end();) {
            bool done = true;
            std::optional<ConditionCheck> failed;
            for (std::size_t i = 0; i < it->containers.size() && !failed; ++i) {
                if (it->met[i]) continue;
                auto v = check(ctx, it->dep, it->containers[i]);
                if (v.verdict == Verdict::Failed && !v.settled && Clock::now() < settle_until) {
                    done = false;
                    continue;
                }
                if (v.verdict == Verdict::Failed) failed = v;
                it->met[i] = v.verdict == Verdict::Met;
                done = done && it->met[i];
            }
            if (failed) {
                if (it->dep.required) {
                    for (const auto& c : it->containers) progress.event(resource(c.name), "Error");
                    return Error("dependency failed to start: " + failed->message);
                }
                progress.warning("optional dependency \"" + it->dep.service +
                                 "\" failed to start: " + failed->message);
                it = pending.erase(it);
                continue;
            }
            if (done) {
                const bool healthy = it->dep.condition == scheduler::Condition::Healthy;
                for (const auto& c : it->containers) {
                    progress.event(resource(c.name), healthy ? "Healthy" : "Exited");
                }
                it = pending.erase(it);
                continue;
            }
            ++it;
        }
        if (!pending.empty()) pause_for_change(ctx);
    }
    return {};
}

Result<void> wait_until_up(DaemonContext& ctx, const std::vector<ContainerRecord>& containers,
                           int timeout_s, Progress& progress) {
    const auto deadline = Clock::now() + std::chrono::seconds(timeout_s);
    std::map<std::string, bool> met;
    for (const auto& c : containers) {
        met[c.id] = false;
        progress.event(resource(c.name), "Waiting");
    }
    std::size_t left = containers.size();
    while (left > 0) {
        for (const auto& c : containers) {
            if (met[c.id]) continue;
            auto v = check_healthy(c.name, status_of(ctx, c.id), health_of(ctx, c.id), true);
            if (v.verdict == Verdict::Failed) {
                progress.event(resource(c.name), "Error", v.message);
                return Error(v.message);
            }
            if (v.verdict == Verdict::Met) {
                met[c.id] = true;
                --left;
                progress.event(resource(c.name), health_of(ctx, c.id) ? "Healthy" : "Running");
            }
        }
        if (left == 0) break;
        if (timeout_s > 0 && Clock::now() >= deadline) {
            std::string names;
            for (const auto& c : containers) {
                if (met[c.id]) continue;
                names += (names.empty() ? "" : ", ") + c.name;
                progress.event(resource(c.name), "Error", "timed out waiting to be healthy");
            }
            return Error("application not healthy after " + std::to_string(timeout_s) +
                         "s: timed out waiting for container " + names);
        }
        pause_for_change(ctx);
    }
    return {};
}

}  // namespace berth::daemon
