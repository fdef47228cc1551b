#include "system_routes.hpp"

#include <nlohmann/json.hpp>

namespace berth::daemon {

void add_system_routes(Router& router) {
    router.add("GET", "/v1/_ping", [](const HttpRequest&, ResponseWriter& w) {
        w.respond(200, "text/plain; charset=utf-8", "OK");
    });
    router.add("GET", "/v1/version", [](const HttpRequest&, ResponseWriter& w) {
        w.json(200,
               nlohmann::json{{"Version", kDaemonVersion}, {"ApiVersion", "v1"}, {"Os", "linux"}}
                   .dump());
    });
}

}  // namespace berth::daemon
