// GET /v1/containers/{id}/json: `berth inspect`.
#include "daemon_context.hpp"
#include "health_monitor.hpp"
#include "inspect_view.hpp"
#include "routes.hpp"

namespace berth::daemon {

namespace {

void inspect_route(DaemonContext& ctx, const HttpRequest& req, ResponseWriter& w) {
    auto c = find_container(ctx, req.params.at("id"));
    if (!c) return w.error(404, c.error().message());
    auto st = ctx.runtime->status(c->id);
    ContainerStatus s = st ? *st : ContainerStatus{ContainerRunState::Dead, 0, 0, false, "", ""};
    std::optional<HealthView> health = ctx.health ? ctx.health->view(c->id) : std::nullopt;
    auto out = inspect_json(*c, s, health);
    out["NetworkSettings"] = nlohmann::json::parse(network_settings_json(ctx, c->id));
    w.json(200, out.dump());
}

}  // namespace

void add_inspect_routes(Router& r, DaemonContext& ctx) {
    r.add("GET", "/v1/containers/{id}/json",
          [&ctx](const HttpRequest& q, ResponseWriter& w) { inspect_route(ctx, q, w); });
}

}  // namespace berth::daemon
