#include "health_monitor.hpp"

#include <unistd.h>

#include <algorithm>

#include "container_ops.hpp"
#include "daemon_context.hpp"
#include "event_bus.hpp"
#include "health_json.hpp"
#include "log_records.hpp"

namespace berth::daemon {

namespace {

std::int64_t started_nano(DaemonContext& ctx, const std::string& id) {
    auto st = ctx.runtime->status(id);
    if (!st) return now_nano();
    return parse_rfc3339_nano(st->started_at).value_or(now_nano());
}

}  // namespace

HealthMonitor::HealthMonitor(DaemonContext& ctx) : ctx_(ctx), thread_([this] { loop(); }) {}

HealthMonitor::~HealthMonitor() {
    std::vector<ino_t> in_flight;
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
        for (auto& [_, e] : entries_) {
            if (e.in_flight) in_flight.push_back(e.pipe_inode);
        }
    }
    wake_.notify_all();
    thread_.join();
    // A probe thread holds `this`: its exec is ended so that it returns, and is waited for.
    for (ino_t ino : in_flight) kill_pipe_writers(ino);
    std::unique_lock lock(mu_);
    changed_.wait_for(lock, std::chrono::seconds(5), [this] { return probes_ == 0; });
}

Result<void> HealthMonitor::configure(const std::string& id,
                                      const std::optional<images::Healthcheck>& h) {
    if (!h) {
        std::lock_guard lock(mu_);
        none_[id] = true;
        return {};
    }
    if (auto r = ctx_.db->put_health({id, healthcheck_json(*h).dump(), ""}); !r) return r;
    std::lock_guard lock(mu_);
    none_.erase(id);
    entries_.erase(id);
    return {};
}

HealthMonitor::Entry* HealthMonitor::load(std::unique_lock<std::mutex>& lock,
                                          const std::string& id) {
    if (auto it = entries_.find(id); it != entries_.end()) return &it->second;
    if (none_.count(id)) return nullptr;
    lock.unlock();
    auto rec = ctx_.db->health(id);
    auto container = ctx_.db->container(id);
    lock.lock();
    if (auto it = entries_.find(id); it != entries_.end()) return &it->second;
    std::optional<images::Healthcheck> config;
    if (rec && *rec) config = parse_healthcheck_json((*rec)->config);
    if (!config || !container || !*container) {
        // Not cached when the container is unknown yet: it may be recorded a moment later.
        if (container && *container) none_[id] = true;
        return nullptr;
    }
    Entry e;
    e.rec = **container;
    e.config = *config;
    if (auto st = parse_health_state_json((*rec)->state)) e.state = std::move(*st);
    return &entries_.emplace(id, std::move(e)).first->second;
}

void HealthMonitor::begin(Entry& e) {
    dirty_ = true;
    e.active = true;
    e.in_flight = false;
    ++e.generation;  // a probe of the run before is not counted in this one
    e.due = Clock::now() + std::chrono::nanoseconds(scheduler::next_probe_delay(
                               e.state, e.config, e.started_nano, now_nano()));
}

void HealthMonitor::started(const ContainerRecord& c) {
    const std::int64_t started = started_nano(ctx_, c.id);
    std::unique_lock lock(mu_);
    Entry* e = load(lock, c.id);
    if (e == nullptr) return;
    e->rec = c;
    e->started_nano = started;
    scheduler::reset_health(e->state);
    begin(*e);
    const std::string state = health_state_json(e->state).dump();
    lock.unlock();
    wake_.notify_all();
    persist(c.id, state, c, std::nullopt);
}

void HealthMonitor::stopped(const std::string& id) {
    {
        std::lock_guard lock(mu_);
        auto it = entries_.find(id);
        if (it == entries_.end()) return;
        it->second.active = false;
        ++it->second.generation;
    }
    changed_.notify_all();
}

void HealthMonitor::removed(const std::string& id) {
    {
        std::lock_guard lock(mu_);
        if (auto it = entries_.find(id); it != entries_.end()) {
            if (it->second.in_flight) kill_pipe_writers(it->second.pipe_inode);
            entries_.erase(it);
        }
        none_.erase(id);
    }
    changed_.notify_all();
}

void HealthMonitor::resume_running() {
    auto records = ctx_.db->containers("");
    if (!records) return;
    for (const auto& c : *records) {
        auto st = ctx_.runtime->status(c.id);
        if (!st || st->state != ContainerRunState::Running) continue;
        const std::int64_t started = parse_rfc3339_nano(st->started_at).value_or(now_nano());
        std::unique_lock lock(mu_);
        Entry* e = load(lock, c.id);
        if (e == nullptr) continue;
        e->started_nano = started;
        begin(*e);
    }
    wake_.notify_all();
}

std::optional<HealthView> HealthMonitor::view(const std::string& id) {
    std::unique_lock lock(mu_);
    Entry* e = load(lock, id);
    if (e == nullptr) return std::nullopt;
    return HealthView{e->config, e->state, e->active};
}

void HealthMonitor::wait_change(std::chrono::milliseconds limit) {
    std::unique_lock lock(mu_);
    changed_.wait_for(lock, limit);
}

std::optional<HealthMonitor::Launch> HealthMonitor::prepare(const std::string& id, Entry& e) {
    auto argv = scheduler::probe_command(e.config.test);
    if (!argv) {
        e.active = false;  // checked at creation; a damaged record ends the runner
        return std::nullopt;
    }
    auto pipe = open_probe_pipe();
    if (!pipe) {
        e.due = Clock::now() + std::chrono::seconds(1);
        return std::nullopt;
    }
    const auto c = scheduler::with_health_defaults(e.config);
    e.in_flight = true;
    e.generation = next_generation_++;
    e.deadline = Clock::now() + std::chrono::nanoseconds(c.timeout_ns);
    e.probe_start_nano = now_nano();
    e.pipe_inode = pipe->inode;
    ++probes_;
    return Launch{id, e.generation, std::move(*argv), *pipe};
}

void HealthMonitor::loop() {
    std::unique_lock lock(mu_);
    while (!stopping_) {
        const auto now = Clock::now();
        auto next = now + std::chrono::minutes(1);
        std::vector<Launch> launches;
        std::vector<std::pair<std::string, scheduler::ProbeResult>> timeouts;
        std::vector<ino_t> kills;
        for (auto& [id, e] : entries_) {
            if (!e.active) continue;
            if (e.in_flight && now >= e.deadline) {
                // The late result of the exec, if it ever comes, is dropped by its generation.
                const auto c = scheduler::with_health_defaults(e.config);
                const std::int64_t end = now_nano();
                timeouts.emplace_back(
                    id, scheduler::timed_out_probe(e.probe_start_nano, end, c.timeout_ns));
                kills.push_back(e.pipe_inode);
                e.in_flight = false;
                ++e.generation;
                continue;
            }
            if (!e.in_flight && now >= e.due) {
                if (auto l = prepare(id, e)) launches.push_back(std::move(*l));
            }
            if (!e.active) continue;
            next = std::min(next, e.in_flight ? e.deadline : e.due);
        }
        lock.unlock();
        for (ino_t ino : kills) kill_pipe_writers(ino);
        for (auto& [id, r] : timeouts) apply(id, std::nullopt, std::move(r));
        for (auto& l : launches) {
            std::thread([this, l = std::move(l)]() mutable { probe(std::move(l)); }).detach();
        }
        lock.lock();
        if (!timeouts.empty() || stopping_) continue;
        wake_.wait_until(lock, next, [this] { return stopping_ || dirty_; });
        dirty_ = false;
    }
}

void HealthMonitor::probe(Launch l) {
    // A paused container is not probed (its exec would count as a failure), and one that is
    // not running any more ends its runner.
    auto before = ctx_.runtime->status(l.id);
    Result<scheduler::ProbeResult> r = Error("not running");
    if (before && before->state == ContainerRunState::Running) {
        r = run_probe(*ctx_.runtime, l.id, l.argv, l.pipe);
    } else {
        ::close(l.pipe.read_fd);
        ::close(l.pipe.write_fd);
    }
    if (r) {
        apply(l.id, l.generation, std::move(*r));
    } else {
        // Not running (it stopped or died meanwhile) or paused: no result; a paused one is
        // probed again later, a stopped one no more.
        auto st = ctx_.runtime->status(l.id);
        bool paused = st && st->state == ContainerRunState::Paused;
        std::lock_guard lock(mu_);
        auto it = entries_.find(l.id);
        if (it != entries_.end() && it->second.generation == l.generation) {
            Entry& e = it->second;
            e.in_flight = false;
            if (paused) {
                e.due = Clock::now() + std::chrono::nanoseconds(
                                           scheduler::with_health_defaults(e.config).interval_ns);
            } else {
                e.active = false;
            }
        }
    }
    {
        std::lock_guard lock(mu_);
        --probes_;
        dirty_ = true;
    }
    wake_.notify_all();
    changed_.notify_all();
}

void HealthMonitor::apply(const std::string& id, std::optional<std::uint64_t> generation,
                          scheduler::ProbeResult r) {
    std::unique_lock lock(mu_);
    auto it = entries_.find(id);
    if (it == entries_.end() || !it->second.active) return;
    Entry& e = it->second;
    if (generation && e.generation != *generation) return;
    e.in_flight = false;
    dirty_ = true;
    const auto before = e.state.status;
    scheduler::record_probe(e.state, e.config, e.started_nano, std::move(r));
    e.due = Clock::now() + std::chrono::nanoseconds(scheduler::next_probe_delay(
                               e.state, e.config, e.started_nano, now_nano()));
    const std::string state = health_state_json(e.state).dump();
    const ContainerRecord rec = e.rec;
    std::optional<scheduler::HealthStatus> changed;
    if (e.state.status != before) changed = e.state.status;
    lock.unlock();
    persist(id, state, rec, changed);
}

void HealthMonitor::persist(const std::string& id, const std::string& state,
                            const ContainerRecord& rec,
                            std::optional<scheduler::HealthStatus> changed) {
    (void)ctx_.db->set_health_state(id, state);
    if (changed) {
        ctx_.events->publish(std::string("health_status: ") + scheduler::to_string(*changed), id,
                             event_attributes(rec));
    }
    changed_.notify_all();
    wake_.notify_all();
}

}  // namespace berth::daemon
