#include "restart_manager.hpp"

#include <cstdio>

#include "container_ops.hpp"
#include "engine/signals.hpp"
#include "log.hpp"
#include "log_records.hpp"

namespace berth::daemon {

namespace {

using Clock = std::chrono::steady_clock;

// A restart that finds the project busy (an `up` or `down` holds its lock) looks again this soon,
// rather than blocking the one timer thread every project shares.
constexpr std::chrono::milliseconds kBusyRetry{50};

double ran_seconds(const ContainerStatus& st) {
    auto from = parse_rfc3339_nano(st.started_at);
    auto to = parse_rfc3339_nano(st.finished_at);
    if (!from || !to || *to < *from) return 0;
    return static_cast<double>(*to - *from) / 1e9;
}

std::optional<RestartRecord> record_of(DaemonContext& ctx, const std::string& id) {
    auto rec = ctx.db->restart_record(id);
    if (!rec) {
        log_error("restart state of " + id + ": " + rec.error().message());
        return std::nullopt;
    }
    return *rec;
}

void save(DaemonContext& ctx, const RestartRecord& r) {
    if (auto ok = ctx.db->put_restart(r); !ok) log_error(ok.error().message());
}

}  // namespace

Result<void> record_restart_policy(DaemonContext& ctx, const std::string& id,
                                   const compose::Node& service, const std::string& service_name,
                                   bool oneoff) {
    RestartRecord r;
    r.id = id;
    // `run` containers never restart: docker compose clears both keys for them.
    if (!oneoff) {
        auto policy = scheduler::restart_policy_of(service_name, service);
        if (!policy) return policy.error();
        r.policy = scheduler::format_restart_policy(*policy);
    }
    if (const compose::Node* s = service.find("stop_signal"); s && s->is_scalar()) {
        r.stop_signal = s->text;
    }
    return ctx.db->put_restart(r);
}

RestartManager::RestartManager(DaemonContext& ctx) : ctx_(ctx), thread_([this] { loop(); }) {}

RestartManager::~RestartManager() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void RestartManager::exited(const ContainerRecord& c, const ContainerStatus& st) {
    bool cancelled = false;
    {
        std::lock_guard lock(mu_);
        cancelled = cancelled_.count(c.id) != 0;
    }
    // A cancelled manager is asked nothing, so its backoff stays where it was (dockerd).
    if (!cancelled) decide(c.id, st);
}

void RestartManager::decide(const std::string& id, const ContainerStatus& st) {
    auto rec = record_of(ctx_, id);
    if (!rec) return;
    auto policy = scheduler::parse_restart_policy(rec->policy);
    if (!policy || policy->mode == scheduler::RestartMode::No) return;
    std::unique_lock lock(mu_);
    scheduler::RestartTracker tracker{rec->restart_count, backoff_[id]};
    auto d = scheduler::decide_restart(*policy, tracker,
                                       {st.exit_code, rec->manually_stopped, ran_seconds(st)});
    backoff_[id] = tracker.backoff;
    if (!d.restart) return;
    pending_[id] = Pending{Clock::now() + d.delay, st.started_at};
    lock.unlock();
    wake_.notify_all();
    rec->restart_count = tracker.restart_count;
    save(ctx_, *rec);
}

void RestartManager::user_stopped(const std::string& id) {
    {
        std::lock_guard lock(mu_);
        cancelled_.insert(id);
        pending_.erase(id);
    }
    auto rec = record_of(ctx_, id);
    if (rec && !rec->manually_stopped) {
        rec->manually_stopped = true;
        save(ctx_, *rec);
    }
}

void RestartManager::user_killed(const std::string& id, const std::string& signal) {
    auto rec = record_of(ctx_, id);
    if (!rec) return;
    auto sig = engine::parse_signal(signal.empty() ? "SIGKILL" : signal);
    std::optional<int> own;
    if (!rec->stop_signal.empty()) {
        if (auto s = engine::parse_signal(rec->stop_signal)) own = *s;
    }
    const bool cancel = !own || (sig && (*sig == 9 || *sig == *own));
    if (cancel) {
        std::lock_guard lock(mu_);
        cancelled_.insert(id);
        pending_.erase(id);
    }
    if (!rec->manually_stopped) {
        rec->manually_stopped = true;
        save(ctx_, *rec);
    }
}

void RestartManager::user_started(const std::string& id) {
    {
        std::lock_guard lock(mu_);
        cancelled_.erase(id);
        backoff_.erase(id);
        pending_.erase(id);
    }
    auto rec = record_of(ctx_, id);
    if (rec && (rec->restart_count != 0 || rec->manually_stopped)) {
        rec->restart_count = 0;
        rec->manually_stopped = false;
        save(ctx_, *rec);
    }
}

void RestartManager::resume() {
    auto all = ctx_.db->restart_records();
    if (!all) return log_error(all.error().message());
    for (const auto& r : *all) {
        if (r.policy == "no") continue;
        auto st = ctx_.runtime->status(r.id);
        // Created and never started: dockerd's HasBeenStartedBefore.
        if (!st || st->state != ContainerRunState::Exited || st->started_at.empty()) continue;
        decide(r.id, *st);
    }
}

void RestartManager::loop() {
    std::unique_lock lock(mu_);
    while (!stopping_) {
        auto next = pending_.end();
        for (auto it = pending_.begin(); it != pending_.end(); ++it) {
            if (next == pending_.end() || it->second.due < next->second.due) next = it;
        }
        if (next == pending_.end()) {
            wake_.wait(lock);
            continue;
        }
        if (next->second.due > Clock::now()) {
            wake_.wait_until(lock, next->second.due);
            continue;
        }
        const std::string id = next->first;
        const Pending p = next->second;
        lock.unlock();
        const bool done = restart_now(id, p);
        lock.lock();
        auto it = pending_.find(id);
        // Unless the user stopped or started it meanwhile, or it exited again.
        if (it == pending_.end() || it->second.due != p.due) continue;
        if (done) {
            pending_.erase(it);
        } else {
            it->second.due = Clock::now() + kBusyRetry;
        }
    }
}

bool RestartManager::restart_now(const std::string& id, const Pending& p) {
    auto rec = ctx_.db->container(id);
    if (!rec || !*rec) return true;  // removed meanwhile
    // The project lock orders the restart with the user's verbs: a `stop` or `down` in progress
    // has cancelled it (checked below) by the time the lock is free.
    std::unique_lock project(ctx_.project_lock((*rec)->project), std::try_to_lock);
    if (!project.owns_lock()) return false;
    {
        std::lock_guard lock(mu_);
        auto it = pending_.find(id);
        if (cancelled_.count(id) || it == pending_.end() || it->second.due != p.due) return true;
    }
    auto st = ctx_.runtime->status(id);
    // Started by someone else since, or a later run: nothing to do.
    if (!st || st->state != ContainerRunState::Exited || st->started_at != p.started_at) {
        return true;
    }
    if (auto r = launch_container(ctx_, **rec); !r) {
        log_error("restart policy: " + r.error().message());
    }
    return true;
}

}  // namespace berth::daemon
