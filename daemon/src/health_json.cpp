#include "health_json.hpp"

#include "event_bus.hpp"
#include "log_records.hpp"

namespace berth::daemon {

using json = nlohmann::json;

json healthcheck_json(const images::Healthcheck& h) {
    return {{"Test", h.test},
            {"Interval", h.interval_ns},
            {"Timeout", h.timeout_ns},
            {"StartPeriod", h.start_period_ns},
            {"StartInterval", h.start_interval_ns},
            {"Retries", h.retries}};
}

std::optional<images::Healthcheck> parse_healthcheck_json(const std::string& text) {
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return std::nullopt;
    try {
        images::Healthcheck h;
        h.test = j.value("Test", std::vector<std::string>{});
        h.interval_ns = j.value("Interval", std::int64_t{0});
        h.timeout_ns = j.value("Timeout", std::int64_t{0});
        h.start_period_ns = j.value("StartPeriod", std::int64_t{0});
        h.start_interval_ns = j.value("StartInterval", std::int64_t{0});
        h.retries = j.value("Retries", 0);
        if (h.test.empty()) return std::nullopt;
        return h;
    } catch (const json::exception&) {
        return std::nullopt;
    }
}

json health_state_json(const scheduler::HealthState& s) {
    json log = json::array();
    for (const auto& r : s.log) {
        log.push_back({{"Start", rfc3339_nano(r.start_nano)},
                       {"End", rfc3339_nano(r.end_nano)},
                       {"ExitCode", r.exit_code},
                       {"Output", r.output}});
    }
    return {{"Status", scheduler::to_string(s.status)},
            {"FailingStreak", s.failing_streak},
            {"Log", std::move(log)}};
}

std::optional<scheduler::HealthState> parse_health_state_json(const std::string& text) {
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return std::nullopt;
    try {
        scheduler::HealthState s;
        auto status = scheduler::parse_health_status(j.value("Status", std::string()));
        if (!status) return std::nullopt;
        s.status = *status;
        s.failing_streak = j.value("FailingStreak", 0);
        for (const auto& r : j.value("Log", json::array())) {
            scheduler::ProbeResult p;
            p.start_nano = parse_rfc3339_nano(r.value("Start", std::string())).value_or(0);
            p.end_nano = parse_rfc3339_nano(r.value("End", std::string())).value_or(0);
            p.exit_code = r.value("ExitCode", 0);
            p.output = r.value("Output", std::string());
            s.log.push_back(std::move(p));
        }
        return s;
    } catch (const json::exception&) {
        return std::nullopt;
    }
}

}  // namespace berth::daemon
