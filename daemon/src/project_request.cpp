#include "project_request.hpp"

#include <nlohmann/json.hpp>

#include "compose/yaml.hpp"

namespace berth::daemon {

namespace {

using nlohmann::json;

Result<json> parse_body(const std::string& body) {
    if (body.empty()) return json::object();
    json j = json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return Error("the request body is not a JSON object");
    return j;
}

// Reads an optional member of the expected type; a wrong type is an error naming the key.
template <typename T>
Result<void> read(const json& o, const char* key, T& out) {
    auto it = o.find(key);
    if (it == o.end() || it->is_null()) return {};
    try {
        out = it->get<T>();
    } catch (const json::exception&) {
        return Error(std::string("\"") + key + "\" has the wrong type");
    }
    return {};
}

template <typename T>
Result<void> read_opt(const json& o, const char* key, std::optional<T>& out) {
    auto it = o.find(key);
    if (it == o.end() || it->is_null()) return {};
    T v{};
    if (auto r = read(o, key, v); !r) return r;
    out = std::move(v);
    return {};
}

#define BERTH_TRY(expr)               \
    if (auto r_ = (expr); !r_) {      \
        return std::move(r_).error(); \
    }

Result<std::optional<compose::Project>> optional_project(const json& body,
                                                         const std::string& name) {
    auto it = body.find("project");
    if (it == body.end() || it->is_null()) return std::optional<compose::Project>{};
    std::vector<std::string> files;
    std::string dir;
    BERTH_TRY(read(body, "config_files", files));
    BERTH_TRY(read(body, "working_dir", dir));
    auto p = project_from_json(it->dump(), name, files, dir);
    if (!p) return std::move(p).error();
    return std::optional<compose::Project>(std::move(p).value());
}

}  // namespace

Result<void> validate_project_name(const std::string& name) {
    bool ok = !name.empty() && name.size() <= 128 &&
              (std::islower(static_cast<unsigned char>(name[0])) ||
               std::isdigit(static_cast<unsigned char>(name[0])));
    for (char c : name) {
        ok = ok && (std::islower(static_cast<unsigned char>(c)) ||
                    std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '_');
    }
    if (!ok) {
        return Error("invalid project name \"" + name +
                     "\": it must contain only lower-case letters, digits, dashes and "
                     "underscores, and start with a letter or digit");
    }
    return {};
}

Result<compose::Project> project_from_json(const std::string& model_json, const std::string& name,
                                           const std::vector<std::string>& config_files,
                                           const std::string& working_dir) {
    compose::Project p;
    try {
        auto docs = compose::parse_yaml(model_json, "project model");
        if (docs.size() != 1 || !docs[0].is_map())
            return Error("the project model is not an object");
        p.model = std::move(docs[0]);
    } catch (const std::exception& e) {
        return Error(std::string("the project model is not valid: ") + e.what());
    }
    const compose::Node* n = p.model.find("name");
    p.name = n && n->is_scalar() ? n->text : name;
    if (p.name != name) {
        return Error("the project model is named \"" + p.name + "\", the request \"" + name + "\"");
    }
    p.config_files = config_files;
    p.working_dir = working_dir;
    return p;
}

Result<UpRequest> parse_up_request(const std::string& body, const std::string& name) {
    auto j = parse_body(body);
    if (!j) return std::move(j).error();
    UpRequest r;
    auto p = optional_project(*j, name);
    if (!p) return std::move(p).error();
    r.project = std::move(*p);
    if (!r.project) return Error("the request has no project model");
    json o = j->value("options", json::object());
    if (!o.is_object()) return Error("\"options\" is not an object");
    BERTH_TRY(read(o, "services", r.options.services));
    BERTH_TRY(read(o, "detach", r.detach));
    BERTH_TRY(read(o, "no_deps", r.options.no_deps));
    BERTH_TRY(read(o, "force_recreate", r.options.force_recreate));
    BERTH_TRY(read(o, "always_recreate_deps", r.options.always_recreate_deps));
    BERTH_TRY(read(o, "no_recreate", r.options.no_recreate));
    BERTH_TRY(read(o, "remove_orphans", r.options.remove_orphans));
    BERTH_TRY(read(o, "no_start", r.options.no_start));
    BERTH_TRY(read_opt(o, "timeout", r.timeout));
    BERTH_TRY(read(o, "parallel", r.parallel));
    BERTH_TRY(read(o, "scale", r.scale));
    BERTH_TRY(read(o, "wait", r.wait));
    BERTH_TRY(read(o, "wait_timeout", r.wait_timeout));
    if (r.wait_timeout < 0) return Error("--wait-timeout must not be negative");
    if (r.options.force_recreate && r.options.no_recreate) {
        return Error("--force-recreate and --no-recreate are incompatible");
    }
    if (r.options.always_recreate_deps && r.options.no_recreate) {
        return Error("--always-recreate-deps and --no-recreate are incompatible");
    }
    for (const auto& [service, replicas] : r.scale) {
        if (!r.project->service(service)) return Error("no such service: " + service);
        if (replicas < 0) {
            return Error("invalid --scale option \"" + service + "=" + std::to_string(replicas) +
                         "\": the number of replicas cannot be negative");
        }
    }
    return r;
}

Result<ActionRequest> parse_action_request(const std::string& body, const std::string& name) {
    auto j = parse_body(body);
    if (!j) return std::move(j).error();
    ActionRequest r;
    auto p = optional_project(*j, name);
    if (!p) return std::move(p).error();
    r.project = std::move(*p);
    BERTH_TRY(read(*j, "services", r.services));
    json o = j->value("options", json::object());
    if (!o.is_object()) return Error("\"options\" is not an object");
    BERTH_TRY(read_opt(o, "timeout", r.timeout));
    BERTH_TRY(read(o, "signal", r.signal));
    BERTH_TRY(read(o, "force", r.force));
    BERTH_TRY(read(o, "stopped", r.stopped));
    BERTH_TRY(read(o, "volumes", r.volumes));
    BERTH_TRY(read(o, "remove_orphans", r.remove_orphans));
    BERTH_TRY(read(o, "rmi", r.rmi));
    if (r.signal.empty()) r.signal = "SIGKILL";
    return r;
}

Result<RunRequest> parse_run_request(const std::string& body, const std::string& name) {
    auto j = parse_body(body);
    if (!j) return std::move(j).error();
    auto p = optional_project(*j, name);
    if (!p) return std::move(p).error();
    if (!*p) return Error("the request has no project model");
    RunRequest r;
    r.project = std::move(**p);
    BERTH_TRY(read(*j, "service", r.service));
    if (r.service.empty()) return Error("no service given");
    json o = j->value("options", json::object());
    if (!o.is_object()) return Error("\"options\" is not an object");
    BERTH_TRY(read_opt(o, "command", r.command));
    BERTH_TRY(read_opt(o, "entrypoint", r.entrypoint));
    BERTH_TRY(read(o, "env", r.env));
    BERTH_TRY(read_opt(o, "user", r.user));
    BERTH_TRY(read_opt(o, "workdir", r.workdir));
    BERTH_TRY(read_opt(o, "name", r.name));
    BERTH_TRY(read(o, "tty", r.tty));
    BERTH_TRY(read(o, "interactive", r.interactive));
    BERTH_TRY(read(o, "rm", r.rm));
    BERTH_TRY(read(o, "no_deps", r.no_deps));
    BERTH_TRY(read(o, "detach", r.detach));
    BERTH_TRY(read(o, "service_ports", r.service_ports));
    BERTH_TRY(read(o, "publish", r.publish));
    return r;
}

Result<ExecBody> parse_exec_body(const std::string& body) {
    auto j = parse_body(body);
    if (!j) return std::move(j).error();
    ExecBody r;
    BERTH_TRY(read(*j, "cmd", r.cmd));
    BERTH_TRY(read(*j, "env", r.env));
    BERTH_TRY(read(*j, "user", r.user));
    BERTH_TRY(read(*j, "workdir", r.workdir));
    BERTH_TRY(read(*j, "tty", r.tty));
    BERTH_TRY(read(*j, "detach", r.detach));
    if (r.cmd.empty()) return Error("no command given");
    return r;
}

}  // namespace berth::daemon
