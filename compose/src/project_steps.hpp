// Internal: the project-level steps load() runs on the merged document.
#pragma once

#include <string>
#include <vector>

#include "compose/environment.hpp"
#include "compose/node.hpp"

namespace berth::compose::detail {

// Semantic checks that need the defaults applied: external volumes with driver options, secrets and
// configs with no source, device requests, host_ip addresses.
void check_resources(const Node& dict);

// The default network, resource names, implicit dependencies (links, service: namespaces), build
// defaults: what `docker compose config` shows beyond the files themselves.
void normalize(Node& dict, const std::string& project_name);

// Services whose profiles are not enabled move out of `services` (their names are returned), unless
// an enabled service depends on them. "*" enables every profile. When `selected` is not empty, only
// those services and their dependencies stay, whatever their profiles.
std::vector<std::string> apply_profiles(Node& dict, const std::vector<std::string>& profiles,
                                        const std::vector<std::string>& selected);

// Every reference resolves, no conflicting options, no dependency cycle.
void check_consistency(const Node& dict);

// Folds env_file into environment and label_file into labels; `environment` keys left without a
// value take it from the project environment.
void resolve_service_environment(Node& dict, const Environment& env);

}  // namespace berth::compose::detail
