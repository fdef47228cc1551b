// Which compose files make up the project, where the project lives, and what it is called.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "compose/environment.hpp"

namespace berth::compose {

// The default names, in the order docker compose tries them.
extern const std::vector<std::string> kDefaultFileNames;
extern const std::vector<std::string> kDefaultOverrideNames;

struct FileSet {
    std::vector<std::string> files;  // absolute paths; "-" stays "-" (stdin)
    std::vector<std::string> warnings;
};

// Looks for the default file in `dir` and then each parent up to "/", and adds the override file
// that sits next to it. Fails with docker compose's "no configuration file provided: not found".
Result<FileSet> discover_files(const std::string& dir);

// -f paths (relative to cwd), else COMPOSE_FILE split on COMPOSE_PATH_SEPARATOR (default ':'), else
// discovery from `cwd`.
Result<FileSet> select_files(const std::vector<std::string>& given, const Environment& env,
                             const std::string& cwd);

// Lowercase, keep only [a-z0-9_-], then drop leading '_' and '-': how docker compose turns a
// folder name or a `name:` attribute into a project name.
std::string normalize_project_name(const std::string& name);

// The name must already be normalized when the user gave it explicitly (-p, COMPOSE_PROJECT_NAME).
Result<void> check_explicit_project_name(const std::string& name);

struct NameSources {
    std::string flag;                      // -p
    std::optional<std::string> env;        // COMPOSE_PROJECT_NAME (shell, then .env)
    std::optional<std::string> from_file;  // the last `name:` found in the files, interpolated
    std::string project_dir;               // its basename is the last resort
};

// -p, then COMPOSE_PROJECT_NAME, then `name:`, then the project folder's name.
Result<std::string> resolve_project_name(const NameSources& sources);

// Absolute, lexically cleaned ("a/./b/../c" -> "a/c"), relative to `base` when not absolute.
std::string absolute_path(const std::string& path, const std::string& base);
std::string dirname_of(const std::string& path);
std::string basename_of(const std::string& path);
std::string current_dir();

}  // namespace berth::compose
