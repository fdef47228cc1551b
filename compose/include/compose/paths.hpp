// Makes the relative paths of a compose document absolute, as compose does before printing or
// running a project: bind mount sources, build contexts, env and label files, secret and config
// files, extends and include files. `~` expands to `home`.
#pragma once

#include <string>

#include "compose/node.hpp"

namespace berth::compose {

// `working_dir` is the absolute directory relative paths are resolved against (the project
// directory, or the directory of an included or extended file). Runs after canonicalize(), so
// every attribute is in its long form. Absolute paths, URLs, `service:` build contexts and
// `docker-image://` style contexts are left alone. Throws LoadError (a bind mount with no source).
void resolve_paths(Node& doc, const std::string& working_dir, const std::string& home);

// The pieces, for callers that resolve one value (e.g. `-f` files, `--env-file`).
// `~` / `~/x` -> home joined with the rest; relative -> working_dir joined (and cleaned); "" stays.
std::string absolute_path(const std::string& path, const std::string& working_dir,
                          const std::string& home);

}  // namespace berth::compose
