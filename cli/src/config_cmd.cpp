#include "config_cmd.hpp"

#include <fstream>
#include <iostream>
#include <memory>

#include "common/strings.hpp"
#include "compose/hash.hpp"
#include "compose/yaml.hpp"

namespace berth::cli {
namespace {

struct ConfigFlags {
    std::string format = "yaml";
    std::string output;
    std::string hash;
    bool services = false;
    bool volumes = false;
    bool networks = false;
    bool models = false;
    bool profiles = false;
    bool images = false;
    bool quiet = false;
    bool no_interpolate = false;
    bool no_normalize = false;
    bool no_consistency = false;
    bool no_path_resolution = false;
    bool resolve_image_digests = false;
    bool environment = false;
    std::vector<std::string> selected;
};

std::vector<std::string> keys_of(const compose::Node& model, const char* kind) {
    std::vector<std::string> out;
    const compose::Node* all = model.find(kind);
    if (all != nullptr && all->is_map()) {
        for (const auto& e : all->entries) out.push_back(e.key);
    }
    return out;
}

// The image a service runs: its `image`, else the name `up` gives what it builds.
std::string image_of(const compose::Project& p, const std::string& service) {
    const compose::Node* svc = p.service(service);
    const compose::Node* image = svc != nullptr && svc->is_map() ? svc->find("image") : nullptr;
    if (image != nullptr && image->is_scalar()) return image->text;
    return p.name + "-" + service;
}

int print_hashes(const compose::Project& p, const std::string& which, std::ostream& out) {
    std::vector<std::string> names = which == "*" ? p.service_names() : split_nonempty(which, ",");
    for (const auto& name : names) {
        const compose::Node* svc = p.service(name);
        if (svc == nullptr) {
            std::cerr << "no such service: " << name << "\n";
            return 1;
        }
        out << name << " " << compose::service_config_hash(*svc) << "\n";
    }
    return 0;
}

int print_lines(const std::vector<std::string>& lines, std::ostream& out) {
    for (const auto& l : lines) out << l << "\n";
    return 0;
}

int run_config(const ProjectFlags& flags, const ConfigFlags& c) {
    if (c.format != "yaml" && c.format != "json") {
        std::cerr << "unsupported --format " << c.format << ": use yaml or json\n";
        return 1;
    }
    compose::LoadOptions options = flags.to_load_options();
    options.interpolate = !c.no_interpolate;
    options.normalize = !c.no_normalize;
    options.consistency = !c.no_consistency;
    options.resolve_paths = !c.no_path_resolution;
    options.services = c.selected;
    auto project = compose::load(options);
    if (!project) {
        std::cerr << project.error().message() << "\n";
        return 1;
    }
    for (const auto& w : project->warnings) std::cerr << "WARN " << w << "\n";
    if (c.resolve_image_digests) {
        // docker compose asks the registry for each tag's digest; berth does not pull yet.
        std::cerr << "cannot resolve image digests: berth does not talk to registries yet; run "
                     "without --resolve-image-digests\n";
        return 1;
    }
    if (c.quiet) return 0;

    std::unique_ptr<std::ofstream> file;
    if (!c.output.empty()) {
        file = std::make_unique<std::ofstream>(c.output);
        if (!*file) {
            std::cerr << "cannot write " << c.output << "\n";
            return 1;
        }
    }
    std::ostream& out = file ? *file : std::cout;
    const compose::Node& model = project->model;
    if (!c.hash.empty()) return print_hashes(*project, c.hash, out);
    if (c.services) return print_lines(project->service_names(), out);
    if (c.volumes) return print_lines(keys_of(model, "volumes"), out);
    if (c.networks) return print_lines(keys_of(model, "networks"), out);
    if (c.models) {
        std::vector<std::string> names;
        if (const compose::Node* all = model.find("models"); all != nullptr && all->is_map()) {
            for (const auto& e : all->entries) {
                const compose::Node* m = e.value.is_map() ? e.value.find("model") : nullptr;
                names.push_back(m != nullptr ? m->text : e.key);
            }
        }
        return print_lines(names, out);
    }
    if (c.profiles) return print_lines(project->defined_profiles, out);
    if (c.images) {
        for (const auto& s : project->service_names()) out << image_of(*project, s) << "\n";
        return 0;
    }
    if (c.environment) {
        for (const auto& [k, v] : project->environment) out << k << "=" << v << "\n";
        return 0;
    }
    out << (c.format == "json" ? compose::emit_json(model, 2) + "\n" : compose::emit_yaml(model));
    return 0;
}

}  // namespace

void add_config_command(CLI::App& app, ProjectFlags& flags, int& exit_code) {
    auto c = std::make_shared<ConfigFlags>();
    CLI::App* cmd = app.add_subcommand(
        "config", "Parse, resolve and render the compose file in canonical format");
    cmd->add_option("--format", c->format, "Format the output: yaml or json")
        ->capture_default_str();
    cmd->add_option("-o,--output", c->output, "Save to file (default: stdout)");
    cmd->add_option("--hash", c->hash,
                    "Print the service config hash, one per line (\"*\" for all)");
    cmd->add_flag("--services", c->services, "Print the service names, one per line");
    cmd->add_flag("--volumes", c->volumes, "Print the volume names, one per line");
    cmd->add_flag("--networks", c->networks, "Print the network names, one per line");
    cmd->add_flag("--models", c->models, "Print the model names, one per line");
    cmd->add_flag("--profiles", c->profiles, "Print the profile names, one per line");
    cmd->add_flag("--images", c->images, "Print the image names, one per line");
    cmd->add_flag("--environment", c->environment, "Print the environment used for interpolation");
    cmd->add_flag("-q,--quiet", c->quiet, "Only validate the configuration, print nothing");
    cmd->add_flag("--no-interpolate", c->no_interpolate, "Don't interpolate environment variables");
    cmd->add_flag("--no-normalize", c->no_normalize,
                  "Don't add default networks and resource names");
    cmd->add_flag("--no-consistency", c->no_consistency,
                  "Don't check references and conflicting options");
    cmd->add_flag("--no-path-resolution", c->no_path_resolution, "Don't resolve file paths");
    cmd->add_flag("--resolve-image-digests", c->resolve_image_digests, "Pin image tags to digests");
    cmd->add_option("SERVICE", c->selected, "Only these services (and what they depend on)");
    cmd->callback([&flags, &exit_code, c] { exit_code = run_config(flags, *c); });
}

}  // namespace berth::cli
