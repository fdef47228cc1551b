#include "project_options.hpp"

#include <iostream>
#include <iterator>

extern char** environ;

namespace berth::cli {

void ProjectFlags::attach(CLI::App& app) {
    app.add_option("-f,--file", files, "Compose configuration files (repeatable; - reads stdin)")
        ->allow_extra_args(false);
    app.add_option("-p,--project-name", project_name, "Project name");
    app.add_option("--project-directory", project_directory,
                   "Alternate working directory (default: the folder of the first compose file)");
    app.add_option("--env-file", env_files, "Alternate environment files (repeatable)")
        ->allow_extra_args(false);
    app.add_option("--profile", profiles, "Profiles to enable (repeatable)")
        ->allow_extra_args(false);
}

compose::LoadOptions ProjectFlags::to_load_options() const {
    compose::LoadOptions o;
    o.files = files;
    o.project_name = project_name;
    o.project_directory = project_directory;
    o.env_files = env_files;
    o.profiles = profiles;
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
        std::string kv = *e;
        auto eq = kv.find('=');
        if (eq != std::string::npos) o.os_env[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    for (const auto& f : files) {
        if (f == "-") {
            o.stdin_content.assign(std::istreambuf_iterator<char>(std::cin),
                                   std::istreambuf_iterator<char>());
            break;
        }
    }
    return o;
}

}  // namespace berth::cli
