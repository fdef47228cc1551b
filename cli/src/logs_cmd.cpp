#include "logs_cmd.hpp"

#include <iostream>
#include <memory>

namespace berth::cli {
namespace {

struct LogsFlags {
    LogQuery query;
    bool timestamps = false, no_color = false, no_log_prefix = false;
};

// Registers the containers' names before any line, so padding and colours do not shift as
// containers first speak.
void register_containers(const ApiClient& client, const std::string& project, const LogQuery& q,
                         LogRenderer& renderer) {
    std::string target = project_path(project, "containers") + "?all=1";
    if (!q.services.empty()) target += "&services=" + url_encode(join(q.services, ","));
    auto list = get_json(client, get_request(target));
    if (!list || !list->is_array()) return;  // the log stream reports a real failure itself
    for (const auto& c : *list) {
        if (c.value("OneOff", false)) continue;
        renderer.add(c.value("Service", "") + "-" + std::to_string(c.value("Number", 1)));
    }
}

int run_logs(const VerbContext& ctx, const LogsFlags& f) {
    auto ref = project_ref(ctx.project);
    if (!ref) return fail(ref.error());
    auto client = connect(ctx.global);
    if (!client) return fail(client.error());
    LogStyle style{.color = !f.no_color && ctx.global.color(),
                   .timestamps = f.timestamps,
                   .prefix = !f.no_log_prefix};
    auto r = print_logs(*client, ref->name, f.query, style);
    return r ? 0 : fail(r.error());
}

}  // namespace

std::string logs_target(const std::string& project, const LogQuery& q) {
    std::string t = project_path(project, "logs") + "?tail=" + url_encode(q.tail);
    if (q.follow) t += "&follow=1";
    if (!q.since.empty()) t += "&since=" + url_encode(q.since);
    if (!q.until.empty()) t += "&until=" + url_encode(q.until);
    if (!q.services.empty()) t += "&services=" + url_encode(join(q.services, ","));
    if (q.index > 0) t += "&index=" + std::to_string(q.index);
    return t;
}

Result<void> print_logs(const ApiClient& client, const std::string& project, const LogQuery& q,
                        LogStyle style, const volatile std::sig_atomic_t* cancel) {
    LogRenderer renderer(style);
    if (style.prefix) register_containers(client, project, q, renderer);
    Request req = get_request(logs_target(project, q));
    req.cancel = cancel;
    auto r = client.stream(req, [&](std::string_view text) {
        auto line = nlohmann::json::parse(text, nullptr, false);
        if (!line.is_object()) return;
        if (line.value("type", "") == "result") {
            if (!line.value("ok", true))
                std::cerr << "berth: " << line.value("message", "") << "\n";
            return;
        }
        std::cout << renderer.render(line) + "\n";
        if (q.follow) std::cout.flush();
    });
    std::cout.flush();
    if (!r) return r.error();
    if (!r->ok()) return Error(r->error_message());
    return {};
}

void add_logs_command(CLI::App& app, VerbContext ctx) {
    auto f = std::make_shared<LogsFlags>();
    CLI::App* cmd = app.add_subcommand("logs", "View output from containers");
    cmd->add_flag("-f,--follow", f->query.follow, "Follow log output");
    cmd->add_option("-n,--tail", f->query.tail,
                    "Number of lines to show from the end of the logs for each container");
    cmd->add_option("--since", f->query.since,
                    "Show logs since timestamp (e.g. 2013-01-02T13:23:37Z) or unix seconds");
    cmd->add_option("--until", f->query.until, "Show logs before a timestamp");
    cmd->add_flag("-t,--timestamps", f->timestamps, "Show timestamps");
    cmd->add_flag("--no-color", f->no_color, "Produce monochrome output");
    cmd->add_flag("--no-log-prefix", f->no_log_prefix, "Don't print prefix in logs");
    cmd->add_option("--index", f->query.index, "Index of the container if service has replicas");
    cmd->add_option("SERVICE", f->query.services, "Services");
    cmd->callback([ctx, f] { ctx.exit_code = run_logs(ctx, *f); });
}

}  // namespace berth::cli
