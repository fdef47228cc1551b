#include "verb_support.hpp"

#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <memory>

#include "compose/yaml.hpp"
#include "daemon_start.hpp"
#include "tty_progress.hpp"

namespace berth::cli {
namespace {

const auto g_started = std::chrono::steady_clock::now();

}  // namespace

bool is_missing_file_error(const Error& e) {
    return e.message().find("no configuration file provided") != std::string::npos;
}

void GlobalFlags::attach(CLI::App& app) {
    app.add_option("-H,--host", host, "Daemon socket to connect to (unix:///path or tcp://h:p)")
        ->envname("BERTH_HOST");
    app.add_option("--tls-ca", tls.ca, "Trust certs signed only by this CA (TCP hosts)");
    app.add_option("--tls-cert", tls.cert, "Path to the TLS client certificate");
    app.add_option("--tls-key", tls.key, "Path to the TLS client key");
    app.add_option("--ansi", ansi, "Control when to print ANSI control characters")
        ->check(CLI::IsMember({"never", "always", "auto"}))
        ->envname("COMPOSE_ANSI");
    app.add_option("--progress", progress,
                   "Type of progress output (auto, tty, plain, json, quiet)")
        ->check(CLI::IsMember({"auto", "tty", "plain", "json", "quiet", "none"}))
        ->envname("COMPOSE_PROGRESS");
    app.add_option("--parallel", parallel,
                   "Control max parallelism, -1 for the daemon's default (4 per CPU)")
        ->check(CLI::Range(-1, 1 << 16));
}

bool GlobalFlags::color() const {
    if (ansi == "always") return true;
    if (ansi == "never") return false;
    return ::isatty(1) != 0 && std::getenv("NO_COLOR") == nullptr;
}

int fail(const std::string& message) {
    std::cerr << "berth: " << message << "\n";
    return 1;
}

int fail(const Error& error) {
    return fail(error.message());
}

long elapsed_seconds() {
    return static_cast<long>(std::chrono::duration_cast<std::chrono::seconds>(
                                 std::chrono::steady_clock::now() - g_started)
                                 .count());
}

Result<ApiClient> connect(const GlobalFlags& global) {
    auto host =
        parse_host(global.host.empty() ? std::string("unix://") + kDefaultSocket : global.host);
    if (!host) return host.error();
    ApiClient client(*host, global.tls);
    if (auto up = ensure_daemon(client); !up) return up.error();
    return client;
}

Result<compose::Project> load_project(const ProjectFlags& flags,
                                      const std::vector<std::string>& services) {
    compose::LoadOptions options = flags.to_load_options();
    options.services = services;
    auto project = compose::load(options);
    if (!project) return project.error();
    for (const auto& w : project->warnings) {
        std::cerr << warning_line(w, elapsed_seconds()) << "\n";
    }
    return project;
}

Body ProjectRef::model_or_null() const {
    return project ? model_json(*project) : Body(nullptr);
}

Result<ProjectRef> project_ref(const ProjectFlags& flags) {
    auto project = load_project(flags);
    if (project) return ProjectRef{project->name, std::move(*project)};
    if (!is_missing_file_error(project.error())) return project.error();
    std::string name = flags.project_name;
    if (name.empty()) {
        if (const char* env = std::getenv("COMPOSE_PROJECT_NAME")) name = env;
    }
    if (name.empty()) return project.error();
    return ProjectRef{name, std::nullopt};
}

Body model_json(const compose::Project& project) {
    Body body = Body::parse(compose::emit_json(project.model, -1));
    // A config or secret taken from the environment: berthd never sees the client's
    // environment, so its value goes as content.
    for (const char* kind : {"configs", "secrets"}) {
        auto all = body.find(kind);
        if (all == body.end() || !all->is_object()) continue;
        for (auto& [_, entry] : all->items()) {
            auto var = entry.find("environment");
            if (var == entry.end() || !var->is_string()) continue;
            auto value = project.environment.find(var->get<std::string>());
            if (value == project.environment.end()) continue;
            entry["content"] = value->second;
            entry.erase("environment");
        }
    }
    return body;
}

std::string url_encode(const std::string& text) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::string join(const std::vector<std::string>& items, const std::string& sep) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : sep) + i;
    return out;
}

std::string project_path(const std::string& name, const std::string& tail) {
    return "/v1/projects/" + url_encode(name) + "/" + tail;
}

Result<nlohmann::json> get_json(const ApiClient& client, const Request& req) {
    auto r = client.call(req);
    if (!r) return r.error();
    if (!r->ok()) return Error(r->error_message());
    auto doc = nlohmann::json::parse(r->body, nullptr, false);
    if (doc.is_discarded()) return Error("unreadable reply from berthd to " + req.target);
    return doc;
}

int run_progress(const ApiClient& client, Request req, const GlobalFlags& global,
                 const volatile std::sig_atomic_t* cancel) {
    auto mode = choose_progress_mode(global.progress, global.ansi, ::isatty(2) != 0);
    if (!mode) return fail(mode.error());
    std::unique_ptr<TtyProgress> view;
    if (*mode == ProgressMode::Tty) {
        // NO_COLOR takes the colours away, not the live view, as in docker compose.
        const char* no_color = std::getenv("NO_COLOR");
        bool color = no_color == nullptr || *no_color == '\0';
        view = std::make_unique<TtyProgress>(
            std::cerr, [] { return terminal_size(2); }, steady_seconds, color);
        view->start_ticker();
    }
    ProgressPrinter printer(*mode, std::cerr, &elapsed_seconds, view.get());
    req.cancel = cancel;
    auto r = client.stream(req, [&](std::string_view line) { printer.line(line); });
    // The final frame goes out before any message below it.
    if (view) view->finish();
    auto failed = [&](const std::string& message) {
        if (*mode != ProgressMode::Json) return fail(message);
        std::cerr << json_error_line(message) << "\n";
        return 1;
    };
    if (!r) return failed(r.error().message());
    if (!r->ok()) return failed(r->error_message());
    const StreamResult& res = printer.result();
    if (!res.seen) return failed("berthd ended the reply without a result");
    if (!res.ok && !res.message.empty()) failed(res.message);
    return res.exit_status();
}

Result<std::string> container_id(const ApiClient& client, const std::string& project,
                                 const std::string& service, int index, bool all) {
    std::string target = project_path(project, "containers") + "?services=" + url_encode(service) +
                         (all ? "&all=1" : "");
    auto list = get_json(client, get_request(target));
    if (!list) return list.error();
    for (const auto& c : *list) {
        if (c.value("Service", "") == service && c.value("Number", 0) == index &&
            !c.value("OneOff", false)) {
            return c.value("ID", "");
        }
    }
    if (index != 1) {
        return Error("service \"" + service + "\" is not running container #" +
                     std::to_string(index));
    }
    return Error("service \"" + service + "\" is not running");
}

}  // namespace berth::cli
