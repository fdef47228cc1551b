// Internal: reads compose files into one canonical document (parse, interpolate, include, extends,
// merge, schema check, canonical forms), before project-level normalization.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "compose/environment.hpp"
#include "compose/node.hpp"

namespace berth::compose::detail {

struct ModelContext {
    std::string working_dir;  // relative paths (and include/extends files) resolve against it
    Environment env;          // what ${VAR} resolves against
    std::string home;         // for "~"
    bool interpolate = true;
    bool resolve_paths = true;
    std::string stdin_content;
    std::vector<std::string>* warnings = nullptr;
    // Documents already parsed, by file: the project name is read before the full load, and YAML
    // parsing is most of a load's cost.
    std::shared_ptr<std::map<std::string, std::vector<Node>>> parsed =
        std::make_shared<std::map<std::string, std::vector<Node>>>();
};

// Loads `files` (absolute paths, or "-") in order and merges them. `included` is the chain of files
// that included this set, for cycle reports.
Node load_model(const std::vector<std::string>& files, const ModelContext& ctx,
                const std::vector<std::string>& included);

// Parses one file into its documents; "-" reads ctx.stdin_content.
std::vector<Node> read_documents(const std::string& file, const ModelContext& ctx);

// Resolves `extends` for every service of `doc` (a single interpolated document of `file`).
void apply_extends(Node& doc, const std::string& file, const ModelContext& ctx);

// Loads each `include` entry of `doc` as its own sub-project and imports its resources into `doc`.
void apply_include(Node& doc, const ModelContext& ctx, const std::vector<std::string>& included);

// Display name for marks: the path as given, or "<stdin>".
std::string display_name(const std::string& file);

}  // namespace berth::compose::detail
