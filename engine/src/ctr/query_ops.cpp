// ps, inspect, logs, stats, top: read-only views of containers.
#include <unistd.h>

#include "ctr.hpp"
#include "engine/container_log.hpp"
#include "engine/flat_json.hpp"
#include "engine/top_format.hpp"

namespace berth::engine::ctr {
namespace {

pid_t live_pid(const Container& c) {
    return c.monitor_alive && c.state ? c.state->pid : 0;
}

void append_log_file(const std::string& path, std::string& out) {
    auto text = read_text_file(path);
    if (!text) return;
    std::size_t pos = 0;
    while (pos < text->size()) {
        auto nl = text->find('\n', pos);
        if (nl == std::string::npos) break;  // a record being written right now
        auto rec = parse_log_record(std::string_view(*text).substr(pos, nl - pos));
        pos = nl + 1;
        if (!rec) continue;
        std::string line = rec->log;
        if (!line.empty() && line.back() == '\n') line.pop_back();
        out += rec->time + " " + rec->stream + " " + line + "\n";
    }
}

}  // namespace

Result<void> ps(const std::string& root, std::string& out) {
    for (const auto& id : list_ids(root)) {
        auto c = load(root, id);
        if (!c) continue;
        out += id + " " + status_name(c->status) + " " + std::to_string(live_pid(*c)) + "\n";
    }
    return {};
}

Result<void> inspect(const std::string& root, const std::string& id, std::string& out) {
    auto c = load(root, id);
    if (!c) return c.error();
    FlatJson j;
    j.set("id", id);
    j.set("status", status_name(c->status));
    j.set("pid", static_cast<std::int64_t>(live_pid(*c)));
    j.set("exit_code", static_cast<std::int64_t>(c->exit                       ? c->exit->exit_code
                                                 : c->status == Status::Exited ? -1
                                                                               : 0));
    j.set("oom_killed", c->exit && c->exit->oom_killed);
    j.set("started_at", c->state ? c->state->started_at : "");
    j.set("finished_at", c->exit ? c->exit->finished_at : "");
    j.set("killed_after_timeout", c->exit && c->exit->killed_after_timeout);
    out += j.dump() + "\n";
    return {};
}

Result<void> logs(const std::string& root, const std::string& id, std::string& out) {
    auto c = load(root, id);
    if (!c) return c.error();
    const std::string base = c->paths.log();
    int oldest = 0;
    while (access(rotated_log_name(base, oldest + 1).c_str(), F_OK) == 0) ++oldest;
    for (int i = oldest; i >= 0; --i) append_log_file(rotated_log_name(base, i), out);
    return {};
}

Result<void> stats(const std::string& root, const std::string& id, std::string& out) {
    auto c = load(root, id);
    if (!c) return c.error();
    CgroupStats s;
    if (c->monitor_alive) {
        auto cg = open_cgroup(*c);
        if (!cg) return cg.error().context("stats " + id);
        auto st = (*cg)->stats();
        if (!st) return st.error().context("stats " + id);
        s = *st;
    }
    FlatJson j;
    auto n = [](std::uint64_t v) { return static_cast<std::int64_t>(v); };
    j.set("cpu_usage_ns", n(s.cpu_usage_ns));
    j.set("memory_usage", n(s.memory_usage));
    j.set("memory_limit", n(s.memory_limit));
    j.set("pids", n(s.pids));
    j.set("io_read_bytes", n(s.io_read_bytes));
    j.set("io_write_bytes", n(s.io_write_bytes));
    out += j.dump() + "\n";
    return {};
}

Result<void> top(const std::string& root, const std::string& id, std::string& out) {
    auto c = load(root, id);
    if (!c) return c.error();
    if (!c->monitor_alive) return Error("container " + id + " is not running");
    auto cg = open_cgroup(*c);
    if (!cg) return cg.error().context("top " + id);
    auto pids = (*cg)->pids();
    if (!pids) return pids.error().context("top " + id);
    out += std::string(kTopHeader) + "\n";
    for (pid_t pid : *pids) {
        const std::string proc = "/proc/" + std::to_string(pid);
        auto status = read_text_file(proc + "/status");
        if (!status) continue;  // exited meanwhile
        auto cmdline = read_text_file(proc + "/cmdline");
        auto comm = read_text_file(proc + "/comm");
        out += format_top_line(pid, innermost_pid(*status),
                               command_text(cmdline ? *cmdline : "", comm ? *comm : "?")) +
               "\n";
    }
    return {};
}

}  // namespace berth::engine::ctr
