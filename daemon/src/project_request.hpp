// The JSON bodies of the project routes (docs/api.md) → typed requests. Pure.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "compose/project.hpp"
#include "scheduler/planner.hpp"

namespace berth::daemon {

struct UpRequest {
    std::optional<compose::Project> project;  // absent for down/stop/... without a model
    scheduler::UpOptions options;
    bool detach = true;
    std::optional<double> timeout;  // stop timeout for recreation and down
    int parallel = 0;
    std::map<std::string, int> scale;  // --scale: replicas per service, over the file's
    bool wait = false;                 // --wait: until running and healthy
    int wait_timeout = 0;              // --wait-timeout seconds, 0 = no limit
};

struct ActionRequest {
    std::optional<compose::Project> project;
    std::vector<std::string> services;
    std::optional<double> timeout;
    std::string signal = "SIGKILL";
    bool force = false, stopped = false, volumes = false, remove_orphans = false;
    std::string rmi;
};

struct RunRequest {
    compose::Project project;
    std::string service;
    std::optional<std::vector<std::string>> command, entrypoint;
    std::vector<std::string> env;
    std::optional<std::string> user, workdir, name;
    bool tty = false, interactive = true, rm = false, no_deps = false, detach = false;
    bool service_ports = false;
    std::vector<std::string> publish;
};

struct ExecBody {
    std::vector<std::string> cmd, env;
    std::string user, workdir;
    bool tty = false, detach = false;
};

// `name` is the project name from the path; a model whose name differs is refused.
Result<UpRequest> parse_up_request(const std::string& body, const std::string& name);
Result<ActionRequest> parse_action_request(const std::string& body, const std::string& name);
Result<RunRequest> parse_run_request(const std::string& body, const std::string& name);
Result<ExecBody> parse_exec_body(const std::string& body);

// The model as sent (JSON) → a Project: the client already loaded and validated it.
Result<compose::Project> project_from_json(const std::string& model_json, const std::string& name,
                                           const std::vector<std::string>& config_files,
                                           const std::string& working_dir);

// Project names are folder- and label-safe: lower-case letters, digits, '-', '_', starting with
// a letter or digit, as compose requires.
Result<void> validate_project_name(const std::string& name);

}  // namespace berth::daemon
