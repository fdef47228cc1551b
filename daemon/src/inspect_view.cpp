#include "inspect_view.hpp"

#include <ctime>

#include "event_bus.hpp"
#include "health_json.hpp"

namespace berth::daemon {

using json = nlohmann::json;

namespace {

bool up(const ContainerStatus& st) {
    return st.state == ContainerRunState::Running || st.state == ContainerRunState::Paused;
}

// Docker prints a never-set time as Go's zero time.
std::string or_zero_time(const std::string& t) {
    return t.empty() ? "0001-01-01T00:00:00Z" : t;
}

json state_json(const ContainerStatus& st, const std::optional<HealthView>& health) {
    json s = {{"Status", to_string(st.state)},
              {"Running", st.state == ContainerRunState::Running},
              {"Paused", st.state == ContainerRunState::Paused},
              {"Restarting", false},
              {"OOMKilled", st.oom_killed},
              {"Dead", st.state == ContainerRunState::Dead},
              {"Pid", up(st) ? st.pid : 0},
              {"ExitCode", st.state == ContainerRunState::Exited ? st.exit_code : 0},
              {"Error", ""},
              {"StartedAt", or_zero_time(st.started_at)},
              {"FinishedAt", or_zero_time(st.finished_at)}};
    if (health) {
        json h = health_state_json(health->state);
        // Docker marks the health of a container whose probes stopped unhealthy ("for
        // compatibility reasons", daemon/health.go).
        if (!up(st)) h["Status"] = "unhealthy";
        s["Health"] = std::move(h);
    }
    return s;
}

}  // namespace

json inspect_json(const ContainerRecord& c, const ContainerStatus& st,
                  const std::optional<HealthView>& health) {
    json config = {{"Image", c.image}, {"Cmd", c.command}, {"Labels", c.labels}};
    if (health) config["Healthcheck"] = healthcheck_json(health->config);
    std::vector<std::string> args;
    if (c.command.size() > 1) args.assign(c.command.begin() + 1, c.command.end());
    return {{"Id", c.id},
            {"Created", rfc3339_nano(c.created * 1'000'000'000)},
            {"Path", c.command.empty() ? "" : c.command.front()},
            {"Args", args},
            {"State", state_json(st, health)},
            {"Image", c.image_id},
            {"Name", "/" + c.name},
            {"Config", std::move(config)}};
}

std::string ps_health(const ContainerStatus& st, const std::optional<HealthView>& health) {
    if (!health || !up(st)) return "";
    return scheduler::to_string(health->state.status);
}

}  // namespace berth::daemon
