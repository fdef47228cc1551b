// What the project verbs share: the global flags, reaching berthd, loading the project, the
// request bodies' common parts, and turning replies into output and exit codes.
#pragma once

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "api_client.hpp"
#include "compose/project.hpp"
#include "progress.hpp"
#include "project_options.hpp"

namespace berth::cli {

// Request bodies keep the model's key order (the order `berth config` prints).
using Body = nlohmann::ordered_json;

struct GlobalFlags {
    std::string host;  // -H; else BERTH_HOST; else the default socket
    TlsFiles tls;
    std::string ansi = "auto";
    std::string progress = "auto";
    int parallel = -1;  // --parallel: -1 leaves the bound to the daemon

    void attach(CLI::App& app);
    // Colour on stdout: --ansi always, or auto on a terminal.
    bool color() const;
};

// Everything a verb's callback needs; lives as long as main().
struct VerbContext {
    ProjectFlags& project;
    GlobalFlags& global;
    int& exit_code;
};

// Prints "berth: MESSAGE" on stderr; returns 1.
int fail(const std::string& message);
int fail(const Error& error);

// Seconds since the client started, for "WARN[0003]".
long elapsed_seconds();

// The client for -H / BERTH_HOST, once berthd answers (started if need be).
Result<ApiClient> connect(const GlobalFlags& global);

// The project as the user's files define it; `services` restricts it as `up web` does.
Result<compose::Project> load_project(const ProjectFlags& flags,
                                      const std::vector<std::string>& services = {});

// A project by name, with its model when the files could be loaded: `down -p x` and `ps -p x`
// work without the files, as in docker compose; a broken file is still an error.
struct ProjectRef {
    std::string name;
    std::optional<compose::Project> project;
    Body model_or_null() const;
};
Result<ProjectRef> project_ref(const ProjectFlags& flags);
// The loader's "no configuration file provided": no compose file was given or found.
bool is_missing_file_error(const Error& e);

Body model_json(const compose::Project& project);
std::string url_encode(const std::string& text);
std::string join(const std::vector<std::string>& items, const std::string& sep);
std::string project_path(const std::string& name, const std::string& tail);

// A JSON reply, or an Error carrying the daemon's message.
Result<nlohmann::json> get_json(const ApiClient& client, const Request& req);

// Runs a progress stream (up, down, stop...) and renders it; the verb's exit status.
int run_progress(const ApiClient& client, Request req, const GlobalFlags& global,
                 const volatile std::sig_atomic_t* cancel = nullptr);

// The id of a project's container for SERVICE (--index, default 1), running or not per `all`.
Result<std::string> container_id(const ApiClient& client, const std::string& project,
                                 const std::string& service, int index, bool all);

}  // namespace berth::cli
