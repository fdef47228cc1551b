// Encoding of the per-container files, their atomic writes and the pid-reuse guard.
#include "engine/container_state.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "engine/flat_json.hpp"

namespace berth::engine {

std::string encode_state(const ContainerState& s) {
    FlatJson j;
    j.set("id", s.id);
    j.set("pid", static_cast<std::int64_t>(s.pid));
    j.set("pid_start", std::to_string(s.pid_start));
    j.set("monitor_pid", static_cast<std::int64_t>(s.monitor_pid));
    j.set("monitor_start", std::to_string(s.monitor_start));
    j.set("started_at", s.started_at);
    j.set("caps", std::to_string(s.caps));
    j.set("cgroup", s.cgroup);
    return j.dump() + "\n";
}

Result<ContainerState> decode_state(std::string_view text) {
    auto j = FlatJson::parse(text);
    if (!j) return j.error().context("state file");
    ContainerState s;
    s.id = j->str("id");
    s.pid = static_cast<pid_t>(j->num("pid"));
    // 64-bit values are kept as strings: a reader in another language may hold numbers as doubles.
    s.pid_start = std::strtoull(j->str("pid_start").c_str(), nullptr, 10);
    s.monitor_pid = static_cast<pid_t>(j->num("monitor_pid"));
    s.monitor_start = std::strtoull(j->str("monitor_start").c_str(), nullptr, 10);
    s.started_at = j->str("started_at");
    s.caps = std::strtoull(j->str("caps").c_str(), nullptr, 10);
    s.cgroup = j->str("cgroup");
    return s;
}

std::string encode_exit(const ExitRecord& e) {
    FlatJson j;
    j.set("exit_code", static_cast<std::int64_t>(e.exit_code));
    j.set("finished_at", e.finished_at);
    j.set("oom_killed", e.oom_killed);
    j.set("killed_after_timeout", e.killed_after_timeout);
    return j.dump() + "\n";
}

Result<ExitRecord> decode_exit(std::string_view text) {
    auto j = FlatJson::parse(text);
    if (!j) return j.error().context("exit record");
    ExitRecord e;
    e.exit_code = static_cast<int>(j->num("exit_code", -1));
    e.finished_at = j->str("finished_at");
    e.oom_killed = j->flag("oom_killed");
    e.killed_after_timeout = j->flag("killed_after_timeout");
    return e;
}

std::string encode_config(const std::vector<std::string>& create_args) {
    FlatJson j;
    j.set("create_args", create_args);
    return j.dump() + "\n";
}

Result<std::vector<std::string>> decode_config(std::string_view text) {
    auto j = FlatJson::parse(text);
    if (!j) return j.error().context("config file");
    return j->list("create_args");
}

Result<void> write_file_atomic(const std::string& path, const std::string& text) {
    const std::string tmp = path + ".tmp";
    int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return errno_error("create " + tmp, errno);
    std::string_view rest = text;
    while (!rest.empty()) {
        ssize_t n = write(fd, rest.data(), rest.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            int err = errno;
            close(fd);
            unlink(tmp.c_str());
            return errno_error("write " + tmp, err);
        }
        rest.remove_prefix(static_cast<std::size_t>(n));
    }
    // fsync so that the rename never exposes an empty file after a host crash.
    fsync(fd);
    close(fd);
    if (rename(tmp.c_str(), path.c_str()) < 0) return errno_error("rename " + tmp, errno);
    return {};
}

std::optional<std::uint64_t> parse_stat_start_time(std::string_view stat) {
    auto paren = stat.rfind(')');
    if (paren == std::string_view::npos) return std::nullopt;
    // After ") " come fields 3, 4, ...; starttime is field 22, the 20th of them.
    std::size_t pos = paren + 1;
    for (int field = 3; field < 22; ++field) {
        pos = stat.find(' ', pos + 1);
        if (pos == std::string_view::npos) return std::nullopt;
    }
    std::string rest(stat.substr(pos + 1, 24));
    char* end = nullptr;
    unsigned long long v = std::strtoull(rest.c_str(), &end, 10);
    if (end == rest.c_str()) return std::nullopt;
    return v;
}

namespace {

Result<std::string> read_all(int fd, const char* path) {
    std::string out;
    char buf[4096];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            int err = errno;
            close(fd);
            return errno_error(std::string("read ") + path, err);
        }
        if (n == 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    close(fd);
    return out;
}

}  // namespace

Result<std::string> read_text_file(const std::string& path) {
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return errno_error("open " + path, errno);
    return read_all(fd, path.c_str());
}

Result<std::string> read_text_file_at(int dir_fd, const char* name) {
    int fd = openat(dir_fd, name, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return errno_error(std::string("open ") + name, errno);
    return read_all(fd, name);
}

std::optional<std::uint64_t> process_start_time(pid_t pid) {
    if (pid <= 0) return std::nullopt;
    auto text = read_text_file("/proc/" + std::to_string(pid) + "/stat");
    if (!text) return std::nullopt;
    return parse_stat_start_time(*text);
}

bool same_process(pid_t pid, std::uint64_t start_time) {
    auto now = process_start_time(pid);
    return now && *now == start_time;
}

}  // namespace berth::engine
