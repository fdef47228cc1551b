#include "exit_watch.hpp"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "container_ops.hpp"
#include "engine/ctr_store.hpp"
#include "log.hpp"

namespace berth::daemon {

namespace {

// The safety rescan; the only detection when there is no epoll or inotify, hence faster then.
constexpr int kRescanMs = 5000;
constexpr int kFallbackRescanMs = 1000;
// A monitor's pidfd turns readable when it exits, but until its parent (init) reaps it, the
// zombie still passes the pid-and-start-time check, so the folder says "running" for a moment.
constexpr int kReapPollMs = 5;
constexpr auto kReapPatience = std::chrono::seconds(5);

// epoll's data word: which kind of fd woke us. Pidfds are told apart by their number.
constexpr std::uint64_t kWakeTag = ~std::uint64_t{0};
constexpr std::uint64_t kInotifyTag = ~std::uint64_t{0} - 1;

void add_fd(int epoll, int fd, std::uint64_t tag) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = tag;
    (void)epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &ev);
}

bool up(ContainerRunState s) {
    return s == ContainerRunState::Running || s == ContainerRunState::Paused;
}

}  // namespace

ExitWatch::ExitWatch(DaemonContext& ctx, OnExit on_exit) : ctx_(ctx), on_exit_(std::move(on_exit)) {
    epoll_ = epoll_create1(EPOLL_CLOEXEC);
    wake_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    inotify_ = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    if (epoll_ < 0 || wake_ < 0) {
        log_error(std::string("exit watch: ") + std::strerror(errno) + "; falling back to polling");
    }
    if (epoll_ >= 0 && wake_ >= 0) add_fd(epoll_, wake_, kWakeTag);
    if (epoll_ >= 0 && inotify_ >= 0) {
        add_fd(epoll_, inotify_, kInotifyTag);
        // IN_CREATE: a new container folder; its own watch is added then.
        (void)inotify_add_watch(inotify_, ctx_.containers_root().c_str(), IN_CREATE | IN_ONLYDIR);
    } else {
        log_warn("exit watch: no inotify; exits are noticed by the rescan only");
    }
    // Exits that happened before this daemon started are not news: their `die` was published by
    // the daemon that saw them, or, for those that ended while none ran, the restart policy
    // handles them at start-up (RestartManager::resume).
    auto records = ctx_.db->containers("");
    if (records) {
        std::lock_guard lock(ctx_.exits_mu);
        for (const auto& c : *records) {
            auto st = ctx_.runtime->status(c.id);
            if (st && st->state == ContainerRunState::Exited) {
                ctx_.reported_exits[c.id] = st->started_at + "/" + st->finished_at;
            }
        }
    }
    rescan();
    thread_ = std::thread([this] { loop(); });
}

ExitWatch::~ExitWatch() {
    stopping_ = true;
    std::uint64_t one = 1;
    if (wake_ >= 0) {
        [[maybe_unused]] ssize_t n = write(wake_, &one, sizeof one);
    }
    thread_.join();
    for (const auto& [fd, _] : id_of_pidfd_) close(fd);
    for (int fd : {inotify_, wake_, epoll_}) {
        if (fd >= 0) close(fd);
    }
}

void ExitWatch::loop() {
    const std::chrono::milliseconds every(epoll_ >= 0 && inotify_ >= 0 ? kRescanMs
                                                                       : kFallbackRescanMs);
    auto next_rescan = std::chrono::steady_clock::now() + every;
    while (!stopping_) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                        next_rescan - std::chrono::steady_clock::now())
                        .count();
        if (!unreaped_.empty()) left = std::min<long>(left, kReapPollMs);
        epoll_event events[32];
        int n = 0;
        if (epoll_ >= 0 && wake_ >= 0) {
            n = epoll_wait(epoll_, events, 32, static_cast<int>(std::max<long>(left, 0)));
        } else {
            usleep(static_cast<useconds_t>(std::min<long>(std::max<long>(left, 0), 1000)) * 1000);
        }
        for (int i = 0; i < n; ++i) {
            const std::uint64_t tag = events[i].data.u64;
            if (tag == kWakeTag) return;
            if (tag == kInotifyTag) {
                read_inotify();
                continue;
            }
            auto it = id_of_pidfd_.find(static_cast<int>(tag));
            if (it == id_of_pidfd_.end()) continue;
            const std::string id = it->second;
            forget_monitor(id);
            unreaped_.emplace(id, std::chrono::steady_clock::now());
            check(id);
        }
        if (!unreaped_.empty()) {
            auto waiting = unreaped_;
            for (const auto& [id, since] : waiting) {
                // A pid reused by a process that happens to match is not worth waiting on.
                if (std::chrono::steady_clock::now() - since > kReapPatience) unreaped_.erase(id);
                check(id);
            }
        }
        if (std::chrono::steady_clock::now() >= next_rescan) {
            rescan();
            next_rescan = std::chrono::steady_clock::now() + every;
        }
    }
}

void ExitWatch::rescan() {
    auto records = ctx_.db->containers("");
    if (!records) return;
    std::map<std::string, bool> known;
    for (const auto& c : *records) known[c.id] = true;
    for (const auto& c : *records) {
        if (!wd_of_.count(c.id)) watch_folder(c.id);
        check(c.id);
    }
    // Monitors of containers that are gone.
    std::vector<std::string> stale;
    for (const auto& [id, _] : pidfd_of_) {
        if (!known.count(id)) stale.push_back(id);
    }
    for (const auto& id : stale) forget_monitor(id);
}

void ExitWatch::read_inotify() {
    alignas(inotify_event) char buf[16384];
    for (;;) {
        ssize_t n = read(inotify_, buf, sizeof buf);
        if (n <= 0) return;  // EAGAIN: drained
        for (char* p = buf; p < buf + n;) {
            auto* ev = reinterpret_cast<inotify_event*>(p);
            p += sizeof(inotify_event) + ev->len;
            const std::string name = ev->len ? std::string(ev->name) : std::string();
            if (ev->mask & IN_Q_OVERFLOW) {
                rescan();
                continue;
            }
            if (ev->mask & IN_IGNORED) {
                forget_folder(ev->wd);
                continue;
            }
            auto it = id_of_wd_.find(ev->wd);
            if (it == id_of_wd_.end()) {
                if ((ev->mask & IN_CREATE) && (ev->mask & IN_ISDIR)) {
                    watch_folder(name);
                    check(name);  // in case it started before the watch was in place
                }
                continue;
            }
            if (name == "state.json" || name == "exit.json") check(it->second);
        }
    }
}

void ExitWatch::watch_folder(const std::string& id) {
    if (inotify_ < 0 || wd_of_.count(id)) return;
    const std::string dir = ctx_.containers_root() + "/" + id;
    int wd = inotify_add_watch(inotify_, dir.c_str(), IN_MOVED_TO | IN_ONLYDIR);
    if (wd < 0) return;  // gone already, or out of watches: the rescan covers it
    id_of_wd_[wd] = id;
    wd_of_[id] = wd;
}

void ExitWatch::forget_folder(int wd) {
    auto it = id_of_wd_.find(wd);
    if (it == id_of_wd_.end()) return;
    wd_of_.erase(it->second);
    id_of_wd_.erase(it);
}

void ExitWatch::track_monitor(const std::string& id) {
    if (epoll_ < 0 || pidfd_of_.count(id)) return;
    auto c = engine::ctr::load_status(ctx_.containers_root(), id);
    if (!c) return;
    int fd = engine::ctr::open_monitor_pidfd(*c);
    if (fd < 0) return;
    add_fd(epoll_, fd, static_cast<std::uint64_t>(fd));
    id_of_pidfd_[fd] = id;
    pidfd_of_[id] = fd;
}

void ExitWatch::forget_monitor(const std::string& id) {
    auto it = pidfd_of_.find(id);
    if (it == pidfd_of_.end()) return;
    (void)epoll_ctl(epoll_, EPOLL_CTL_DEL, it->second, nullptr);
    close(it->second);
    id_of_pidfd_.erase(it->second);
    pidfd_of_.erase(it);
}

// Whatever woke us, the folder says what is true now.
void ExitWatch::check(const std::string& id) {
    auto st = ctx_.runtime->status(id);
    if (!st) return;
    if (up(st->state)) {
        if (!unreaped_.count(id)) track_monitor(id);
        return;
    }
    unreaped_.erase(id);
    forget_monitor(id);
    if (st->state != ContainerRunState::Exited) return;
    {
        // Most checks (every rescan) find an exit already published: no database read for it.
        std::lock_guard lock(ctx_.exits_mu);
        auto it = ctx_.reported_exits.find(id);
        if (it != ctx_.reported_exits.end() &&
            it->second == st->started_at + "/" + st->finished_at) {
            return;
        }
    }
    auto rec = ctx_.db->container(id);
    if (!rec || !*rec) return;
    if (publish_exit(ctx_, **rec, *st) && on_exit_) on_exit_(**rec, *st);
}

}  // namespace berth::daemon
