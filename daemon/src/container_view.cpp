#include "container_view.hpp"

#include <ctime>
#include <map>

#include "json_writer.hpp"
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

const std::vector<std::string_view>& container_fields() {
    static const std::vector<std::string_view> fields = {
        "Command",    "Created",      "CreatedAt",  "ExitCode", "FinishedAt", "Health", "ID",
        "Image",      "Labels",       "Name",       "Names",    "Number",     "OneOff", "Project",
        "Publishers", "RestartCount", "RunningFor", "Service",  "StartedAt",  "State",  "Status"};
    return fields;
}

bool field_needs_status(std::string_view f) {
    return f == "ExitCode" || f == "FinishedAt" || f == "Health" || f == "StartedAt" ||
           f == "State" || f == "Status";
}

bool field_needs_extras(std::string_view f) {
    return f == "Health" || f == "Status" || f == "RestartCount" || f == "Publishers";
}

void append_container_json(std::string& out, const ContainerRecord& c, const ContainerStatus& st,
                           std::int64_t now_unix, const ContainerExtras& extras,
                           const JsonObjectWriter::Keys* only) {
    // Keys in alphabetical order, as the json tree this replaced printed them (and as
    // container_fields() lists them).
    JsonObjectWriter j(out, only);
    j.str("Command", quoted_command(c.command))
        .num("Created", c.created)
        .str("CreatedAt", created_at(c.created))
        .num("ExitCode", st.state == ContainerRunState::Exited ? st.exit_code : 0)
        .str("FinishedAt", st.finished_at)
        .str("Health", extras.health)
        .str("ID", c.id)
        .str("Image", c.image)
        .object("Labels", c.labels)
        .str("Name", c.name)
        .strings("Names", {c.name})
        .num("Number", c.number)
        .boolean("OneOff", c.oneoff)
        .str("Project", c.project)
        .raw("Publishers", extras.publishers)
        .num("RestartCount", extras.restart_count)
        .str("RunningFor", human_duration(now_unix - c.created) + " ago")
        .str("Service", c.service)
        .str("StartedAt", st.started_at)
        .str("State", to_string(st.state))
        .str("Status", status_text(st, now_unix) + health_suffix(extras.health));
}

std::string container_json(const ContainerRecord& c, const ContainerStatus& st,
                           std::int64_t now_unix, const ContainerExtras& extras) {
    std::string out;
    append_container_json(out, c, st, now_unix, extras);
    return out;
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
