// top and stats documents.
#include <nlohmann/json.hpp>

#include "engine/top_format.hpp"
#include "runtime_query.hpp"

namespace berth::daemon {
namespace {

// The first field after "Name:\t" on a /proc/<pid>/status line; "" when absent.
std::string status_field(std::string_view status, std::string_view name) {
    std::size_t pos = 0;
    while (pos < status.size()) {
        auto nl = status.find('\n', pos);
        std::string_view line =
            status.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
        pos = nl == std::string_view::npos ? status.size() : nl + 1;
        if (line.size() <= name.size() || line.substr(0, name.size()) != name ||
            line[name.size()] != ':') {
            continue;
        }
        line.remove_prefix(name.size() + 1);
        auto start = line.find_first_not_of(" \t");
        if (start == std::string_view::npos) return "";
        line.remove_prefix(start);
        return std::string(line.substr(0, line.find_first_of(" \t")));
    }
    return "";
}

}  // namespace

std::vector<std::string> top_titles() {
    return {"UID", "PID", "PPID", "CPID", "CMD"};
}

std::vector<std::string> top_row(const ProcTexts& p) {
    auto cpid = engine::innermost_pid(p.status);
    std::string comm = p.comm;
    while (!comm.empty() && comm.back() == '\n') comm.pop_back();
    return {status_field(p.status, "Uid"), std::to_string(p.pid), status_field(p.status, "PPid"),
            cpid ? std::to_string(*cpid) : "-", engine::command_text(p.cmdline, comm)};
}

std::string top_document(const std::vector<ProcTexts>& procs) {
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& p : procs) rows.push_back(top_row(p));
    return nlohmann::json{{"Titles", top_titles()}, {"Processes", rows}}.dump();
}

double cpu_percent(std::uint64_t before, std::uint64_t after, std::int64_t wall_ns) {
    if (wall_ns <= 0 || after < before) return 0.0;
    return static_cast<double>(after - before) * 100.0 / static_cast<double>(wall_ns);
}

std::string stats_document(const engine::CgroupStats& s, double cpu) {
    return nlohmann::json{{"cpu_percent", cpu},
                          {"memory_usage", s.memory_usage},
                          {"memory_limit", s.memory_limit},
                          {"pids", s.pids},
                          {"io_read_bytes", s.io_read_bytes},
                          {"io_write_bytes", s.io_write_bytes}}
        .dump();
}

}  // namespace berth::daemon
