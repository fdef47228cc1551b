// The flags every project verb shares (-f, -p, --project-directory, --env-file, --profile) and how
// they become compose::LoadOptions.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "compose/project.hpp"

namespace berth::cli {

struct ProjectFlags {
    std::vector<std::string> files;
    std::string project_name;
    std::string project_directory;
    std::vector<std::string> env_files;
    std::vector<std::string> profiles;

    void attach(CLI::App& app);
    // Reads stdin when a file is "-"; the shell environment comes from `environ`.
    compose::LoadOptions to_load_options() const;
};

}  // namespace berth::cli
