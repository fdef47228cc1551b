// compose::load(): compose files in, one normalized Project out (the model `berth config` prints
// and the daemon converges to).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "compose/environment.hpp"
#include "compose/node.hpp"

namespace berth::compose {

struct LoadOptions {
    std::vector<std::string> files;      // -f, in order; "-" reads stdin_content
    std::string stdin_content;           // what "-f -" reads
    std::string project_directory;       // --project-directory
    std::string project_name;            // -p
    std::vector<std::string> env_files;  // --env-file (repeatable); replaces the default .env
    std::vector<std::string> profiles;   // --profile
    std::vector<std::string> services;  // only these (and what they depend on); empty = all enabled
    Environment os_env;                 // the shell environment (COMPOSE_* read from here too)
    std::string cwd;                    // where discovery starts; empty means the process cwd
    bool interpolate = true;            // --no-interpolate turns it off
    bool normalize = true;              // default network and resource names, as `config` prints
    bool consistency = true;            // references and conflicting options
    bool resolve_paths = true;
    bool resolve_environment = true;  // fold env_file/label_file into environment/labels
};

struct Project {
    std::string name;
    std::string working_dir;
    std::vector<std::string> config_files;
    Environment environment;  // what ${VAR} resolved against
    // The normalized document: name, services, networks, volumes, secrets, configs, x-* (in that
    // order), every attribute in its long form.
    Node model;
    std::vector<std::string> disabled_services;  // filtered out by profiles, still defined
    std::vector<std::string> defined_profiles;   // every profile any service names, sorted
    std::vector<std::string> warnings;

    std::vector<std::string> service_names() const;  // sorted
    const Node* service(std::string_view name) const;
};

Result<Project> load(const LoadOptions& options);

}  // namespace berth::compose
