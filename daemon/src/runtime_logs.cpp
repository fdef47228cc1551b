// Container logs read in-process: the rotated files oldest first, then the live file followed
// through inotify until the containers have exited and their logs are drained.
#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

#include "engine/container_log.hpp"
#include "engine/ctr_store.hpp"
#include "log_follow.hpp"

namespace berth::daemon {
namespace {

namespace ctr = engine::ctr;

// A safety net under inotify: a monitor killed outright writes no exit record, so nothing in the
// folder changes when it dies.
constexpr int kRecheckMs = 500;

// One container's log, read incrementally across rotations (ctr.log renamed to ctr.log.1: the
// open fd still names the old file, which is drained before switching) and truncation (with
// --log-max-file 1).
class LogTail {
  public:
    LogTail(std::string id, std::string base) : id_(std::move(id)), base_(std::move(base)) {}
    ~LogTail() {
        if (fd_ >= 0) close(fd_);
    }
    LogTail(const LogTail&) = delete;
    LogTail& operator=(const LogTail&) = delete;

    const std::string& id() const { return id_; }

    std::vector<LogEntry> read_all() {
        std::vector<LogEntry> out;
        int oldest = 0;
        while (access(engine::rotated_log_name(base_, oldest + 1).c_str(), F_OK) == 0) ++oldest;
        for (int i = oldest; i >= 1; --i) {
            auto text = engine::read_text_file(engine::rotated_log_name(base_, i));
            if (!text) continue;
            take_entries(id_, *text, out);
        }
        read_new(out);
        return out;
    }

    void read_new(std::vector<LogEntry>& out) {
        if (fd_ < 0 && !reopen()) return;
        drain(out);
        struct stat now {};
        if (stat(base_.c_str(), &now) == 0 && now.st_ino != ino_) {
            drain(out);  // the last lines written before the rename
            close(fd_);
            fd_ = -1;
            pending_.clear();
            if (reopen()) drain(out);
        }
    }

  private:
    bool reopen() {
        fd_ = open(base_.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd_ < 0) return false;
        struct stat st {};
        fstat(fd_, &st);
        ino_ = st.st_ino;
        offset_ = 0;
        return true;
    }

    void drain(std::vector<LogEntry>& out) {
        struct stat st {};
        if (fstat(fd_, &st) == 0 && st.st_size < offset_) {
            offset_ = 0;  // truncated in place: it starts again
            pending_.clear();
        }
        char buf[65536];
        for (;;) {
            ssize_t n = pread(fd_, buf, sizeof buf, offset_);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            offset_ += n;
            pending_.append(buf, static_cast<std::size_t>(n));
        }
        take_entries(id_, pending_, out);
    }

    std::string id_, base_;
    int fd_ = -1;
    ino_t ino_ = 0;
    off_t offset_ = 0;
    std::string pending_;  // a record not yet complete
};

bool has_exited(const std::string& root, const std::string& id) {
    auto c = ctr::load(root, id);
    // A container removed while followed has nothing more to say.
    return !c || c->status == ctr::Status::Exited;
}

bool emit(std::vector<LogEntry> entries, const std::function<bool(const LogEntry&)>& sink) {
    for (const auto& e : entries) {
        if (!sink(e)) return false;
    }
    return true;
}

class Inotify {
  public:
    Inotify() : fd_(inotify_init1(IN_CLOEXEC | IN_NONBLOCK)) {}
    ~Inotify() {
        if (fd_ >= 0) close(fd_);
    }
    Inotify(const Inotify&) = delete;
    Inotify& operator=(const Inotify&) = delete;

    void watch(const std::string& dir) {
        if (fd_ >= 0) {
            inotify_add_watch(fd_, dir.c_str(),
                              IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_DELETE_SELF | IN_ATTRIB);
        }
    }
    // Returns once something changed in a watched folder, or after timeout_ms.
    void wait(int timeout_ms) {
        if (fd_ < 0) {
            poll(nullptr, 0, timeout_ms);
            return;
        }
        pollfd p{fd_, POLLIN, 0};
        if (poll(&p, 1, timeout_ms) <= 0) return;
        char buf[4096];
        while (read(fd_, buf, sizeof buf) > 0) {
        }
    }

  private:
    int fd_;
};

Result<void> follow(const std::string& root, std::vector<std::unique_ptr<LogTail>>& tails,
                    const LogQuery& query, const std::function<bool(const LogEntry&)>& sink) {
    Inotify inotify;
    for (const auto& t : tails) inotify.watch(root + "/" + t->id());
    LogQuery news = query;
    news.tail.reset();
    for (;;) {
        // Exit first, read second: the monitor writes the exit record after the last log line,
        // so a read after seeing it drains everything.
        bool all_exited = true;
        for (const auto& t : tails) all_exited = has_exited(root, t->id()) && all_exited;
        std::vector<std::vector<LogEntry>> fresh;
        for (auto& t : tails) {
            std::vector<LogEntry> entries;
            t->read_new(entries);
            select_entries(entries, news);
            fresh.push_back(std::move(entries));
        }
        if (!emit(merge_by_time(std::move(fresh)), sink)) return {};
        if (all_exited) return {};
        inotify.wait(kRecheckMs);
    }
}

}  // namespace

Result<void> read_logs(const std::string& root, const std::vector<std::string>& ids,
                       const LogQuery& query, const std::function<bool(const LogEntry&)>& sink) {
    std::vector<std::unique_ptr<LogTail>> tails;
    for (const auto& id : ids) {
        auto c = ctr::load(root, id);
        if (!c) return c.error().context("logs");
        tails.push_back(std::make_unique<LogTail>(id, c->paths.log()));
    }
    std::vector<std::vector<LogEntry>> old;
    for (auto& t : tails) {
        auto entries = t->read_all();
        select_entries(entries, query);
        old.push_back(std::move(entries));
    }
    if (!emit(merge_by_time(std::move(old)), sink)) return {};
    if (!query.follow) return {};
    return follow(root, tails, query, sink);
}

Result<void> Runtime::logs(const std::vector<std::string>& ids, const LogQuery& query,
                           const std::function<bool(const LogLine&)>& sink) const {
    return read_logs(config_.root, ids, query, [&](const LogEntry& e) { return sink(e.line); });
}

}  // namespace berth::daemon
