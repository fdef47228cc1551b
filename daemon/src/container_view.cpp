#include "container_view.hpp"

#include <ctime>
#include <map>
#include <nlohmann/json.hpp>

#include "log_records.hpp"

namespace berth::daemon {

std::string human_duration(std::int64_t seconds) {
    auto plural = [](std::int64_t n, const char* unit) {
        return std::to_string(n) + " " + unit + (n == 1 ? "" : "s");
    };
    if (seconds < 1) return "Less than a second";
    if (seconds == 1) return "1 second";
    if (seconds < 60) return plural(seconds, "second");
    std::int64_t minutes = seconds / 60;
    if (minutes == 1) return "About a minute";
    if (minutes < 60) return plural(minutes, "minute");
    std::int64_t hours = (seconds + 30 * 60) / 3600;  // rounded, as Docker does
    if (hours == 1) return "About an hour";
    if (hours < 48) return plural(hours, "hour");
    if (hours < 24 * 7 * 2) return plural(hours / 24, "day");
    if (hours < 24 * 30 * 2) return plural(hours / 24 / 7, "week");
    if (hours < 24 * 365 * 2) return plural(hours / 24 / 30, "month");
    return plural(hours / 24 / 365, "year");
}

std::int64_t parse_rfc3339(const std::string& text) {
    auto nano = parse_rfc3339_nano(text);
    if (!nano) return -1;
    // Whole seconds, rounded down also before 1970.
    return *nano >= 0 ? *nano / 1000000000 : -((-*nano + 999999999) / 1000000000);
}

namespace {

std::string quoted_command(const std::vector<std::string>& cmd) {
    std::string s;
    for (const auto& a : cmd) s += (s.empty() ? "" : " ") + a;
    if (s.size() > 20) s = s.substr(0, 19) + "…";
    return "\"" + s + "\"";
}

std::string created_at(std::int64_t unix) {
    std::time_t t = static_cast<std::time_t>(unix);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S +0000 UTC", &tm);
    return buf;
}

std::string health_suffix(const std::string& health) {
    if (health.empty()) return "";
    return health == "starting" ? " (health: starting)" : " (" + health + ")";
}

std::string status_text(const ContainerStatus& st, std::int64_t now) {
    switch (st.state) {
        case ContainerRunState::Running:
        case ContainerRunState::Paused: {
            std::int64_t since = parse_rfc3339(st.started_at);
            std::string up = "Up " + human_duration(since < 0 ? 0 : now - since);
            return st.state == ContainerRunState::Paused ? up + " (Paused)" : up;
        }
        case ContainerRunState::Exited: {
            std::int64_t at = parse_rfc3339(st.finished_at);
            return "Exited (" + std::to_string(st.exit_code) + ") " +
                   human_duration(at < 0 ? 0 : now - at) + " ago";
        }
        case ContainerRunState::Created:
            return "Created";
        case ContainerRunState::Dead:
            return "Dead";
    }
    return "";
}

}  // namespace

std::string container_json(const ContainerRecord& c, const ContainerStatus& st,
                           std::int64_t now_unix, const std::string& health) {
    nlohmann::json j = {
        {"ID", c.id},
        {"Name", c.name},
        {"Names", {c.name}},
        {"Image", c.image},
        {"Command", quoted_command(c.command)},
        {"Project", c.project},
        {"Service", c.service},
        {"Number", c.number},
        {"OneOff", c.oneoff},
        {"State", to_string(st.state)},
        {"Status", status_text(st, now_unix) + health_suffix(health)},
        {"Health", health},
        {"ExitCode", st.state == ContainerRunState::Exited ? st.exit_code : 0},
        {"Publishers", nlohmann::json::array()},
        {"Labels", c.labels},
        {"Created", c.created},
        {"CreatedAt", created_at(c.created)},
        {"RunningFor", human_duration(now_unix - c.created) + " ago"},
        {"StartedAt", st.started_at},
        {"FinishedAt", st.finished_at},
    };
    return j.dump();
}

std::string project_status(const std::vector<ContainerStatus>& states) {
    std::map<std::string, int> counts;
    for (const auto& s : states) ++counts[to_string(s.state)];
    std::string out;
    for (const auto& [state, n] : counts) {
        out += (out.empty() ? "" : ", ") + state + "(" + std::to_string(n) + ")";
    }
    return out;
}

}  // namespace berth::daemon
