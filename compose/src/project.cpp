// compose::load(): discovery, environment, project name, then the document pipeline and the
// project-level steps, in the order docker compose applies them.
#include "compose/project.hpp"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "common/strings.hpp"
#include "compose/canonical.hpp"
#include "compose/discovery.hpp"
#include "compose/dotenv.hpp"
#include "compose/error.hpp"
#include "compose/schema.hpp"
#include "compose/template.hpp"
#include "model_loader.hpp"
#include "project_steps.hpp"

namespace berth::compose {
namespace {

bool is_regular(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

bool truthy(const Environment& env, const std::string& key) {
    auto it = env.find(key);
    return it != env.end() && (it->second == "1" || it->second == "true" || it->second == "TRUE");
}

std::string home_dir(const Environment& env) {
    if (auto it = env.find("HOME"); it != env.end() && !it->second.empty()) return it->second;
    if (const passwd* pw = ::getpwuid(::getuid()); pw != nullptr && pw->pw_dir != nullptr)
        return pw->pw_dir;
    return "/";
}

// The .env files: --env-file (relative to cwd), else COMPOSE_ENV_FILES, else <project dir>/.env.
Result<Environment> read_dotenv(const LoadOptions& o, const Environment& os_env,
                                const std::string& cwd, const std::string& project_dir) {
    std::vector<std::string> files;
    std::vector<std::string> given = o.env_files;
    if (given.empty()) {
        if (auto it = os_env.find("COMPOSE_ENV_FILES"); it != os_env.end())
            given = split_nonempty(it->second, ",");
    }
    for (const auto& f : given) files.push_back(absolute_path(f, cwd));
    if (given.empty()) {
        if (truthy(os_env, "COMPOSE_DISABLE_ENV_FILE")) return Environment{};
        std::string def = project_dir + "/.env";
        if (!is_regular(def)) return Environment{};
        files.push_back(def);
    }
    return read_env_files(files, os_env);
}

// The shell wins over .env.
Environment layered(const Environment& dotenv, const Environment& os_env) {
    Environment env = dotenv;
    for (const auto& [k, v] : os_env) env[k] = v;
    return env;
}

std::string project_dir_for(const LoadOptions& o, const std::vector<std::string>& files,
                            const std::string& cwd) {
    if (!o.project_directory.empty()) return absolute_path(o.project_directory, cwd);
    if (!files.empty() && files.front() != "-") return dirname_of(files.front());
    return cwd;
}

// The last `name:` among the files, interpolated, as docker compose reads it before the rest.
std::optional<std::string> name_from_files(const std::vector<std::string>& files,
                                           const detail::ModelContext& ctx) {
    std::optional<std::string> found;
    for (const auto& f : files) {
        for (const Node& doc : detail::read_documents(f, ctx)) {
            const Node* name = doc.is_map() ? doc.find("name") : nullptr;
            if (name == nullptr || name->is_null()) continue;
            if (!name->is_scalar() || name->type() != ScalarType::String)
                fail(name->mark, "name must be a string");
            if (!ctx.interpolate) {
                found = name->text;
                continue;
            }
            auto value = substitute(name->text, lookup_in(ctx.env));
            if (!value)
                fail(name->mark, "error while interpolating name: " + value.error().message());
            found = *value;
        }
    }
    return found;
}

std::vector<std::string> defined_profiles(const Node& dict) {
    std::vector<std::string> out;
    const Node* services = dict.find("services");
    if (services == nullptr || !services->is_map()) return out;
    for (const auto& e : services->entries) {
        const Node* profiles = e.value.is_map() ? e.value.find("profiles") : nullptr;
        if (profiles == nullptr || !profiles->is_seq()) continue;
        for (const auto& p : profiles->items) out.push_back(p.text);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

struct Prepared {
    std::vector<std::string> files;
    std::string working_dir;
    Environment env;
    std::vector<std::string> profiles;
    std::vector<std::string> warnings;
};

Result<Prepared> prepare(const LoadOptions& o) {
    std::string cwd = o.cwd.empty() ? current_dir() : o.cwd;
    Prepared p;
    // COMPOSE_FILE may come from the .env of the folder the command runs in.
    auto first_env = read_dotenv(o, o.os_env, cwd, project_dir_for(o, {}, cwd));
    if (!first_env) return first_env.error();
    Environment env = layered(*first_env, o.os_env);
    std::vector<std::string> given = o.files;
    if (given.empty() && !o.project_directory.empty() && env.count("COMPOSE_FILE") == 0) {
        auto found = discover_files(absolute_path(o.project_directory, cwd));
        if (!found) return found.error();
        given = found->files;
    }
    auto files = select_files(given, env, cwd);
    if (!files) return files.error();
    p.files = files->files;
    p.warnings = files->warnings;
    p.working_dir = project_dir_for(o, p.files, cwd);
    auto dotenv = read_dotenv(o, o.os_env, cwd, p.working_dir);
    if (!dotenv) return dotenv.error();
    p.env = layered(*dotenv, o.os_env);
    p.profiles = o.profiles;
    if (p.profiles.empty()) {
        if (auto it = p.env.find("COMPOSE_PROFILES"); it != p.env.end())
            p.profiles = split_nonempty(it->second, ",");
    }
    return p;
}

Project run_pipeline(const LoadOptions& o, Prepared& p) {
    Project project;
    project.working_dir = p.working_dir;
    project.config_files = p.files;
    project.warnings = p.warnings;

    detail::ModelContext ctx;
    ctx.working_dir = p.working_dir;
    ctx.env = p.env;
    ctx.home = home_dir(p.env);
    ctx.interpolate = o.interpolate;
    ctx.resolve_paths = o.resolve_paths;
    ctx.stdin_content = o.stdin_content;
    ctx.warnings = &project.warnings;

    NameSources names;
    names.flag = o.project_name;
    if (auto it = p.env.find("COMPOSE_PROJECT_NAME"); it != p.env.end()) names.env = it->second;
    names.from_file = name_from_files(p.files, ctx);
    names.project_dir = p.working_dir;
    auto name = resolve_project_name(names);
    // File-level problems (no name, nothing in it) point at the start of the first file.
    Mark first{std::make_shared<const std::string>(detail::display_name(p.files.front())), 1, 1};
    if (!name) fail(first, name.error().message());
    project.name = *name;
    ctx.env["COMPOSE_PROJECT_NAME"] = project.name;

    Node dict = detail::load_model(p.files, ctx, {});
    if (dict.entries.empty()) fail(first, "empty compose file");
    detail::check_resources(dict);
    if (o.normalize) detail::normalize(dict, project.name);
    finalize_types(dict);
    project.defined_profiles = defined_profiles(dict);
    project.disabled_services = detail::apply_profiles(dict, p.profiles, o.services);
    if (o.consistency) detail::check_consistency(dict);
    if (o.resolve_environment) detail::resolve_service_environment(dict, ctx.env);
    dict.erase("name");
    dict.entries.insert(dict.entries.begin(), Entry{"name", {}, Node::string(project.name), true});
    order_keys(dict);
    project.model = std::move(dict);
    project.environment = std::move(ctx.env);
    return project;
}

}  // namespace

std::vector<std::string> Project::service_names() const {
    std::vector<std::string> out;
    if (const Node* services = model.find("services"); services != nullptr && services->is_map()) {
        for (const auto& e : services->entries) out.push_back(e.key);
    }
    std::sort(out.begin(), out.end());
    return out;
}

const Node* Project::service(std::string_view service_name) const {
    const Node* services = model.find("services");
    return services != nullptr && services->is_map() ? services->find(service_name) : nullptr;
}

Result<Project> load(const LoadOptions& options) {
    auto prepared = prepare(options);
    if (!prepared) return prepared.error();
    try {
        return run_pipeline(options, *prepared);
    } catch (const LoadError& e) {
        // Nodes the loader made itself have no position; such errors still name the project's file.
        if (!e.mark().known() && !prepared->files.empty()) {
            return Error(detail::display_name(prepared->files.front()) + ": " + e.message());
        }
        return Error(e.what());
    }
}

}  // namespace berth::compose
