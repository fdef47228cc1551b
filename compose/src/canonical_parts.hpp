// Internal pieces of canonicalize(), one per group of attributes.
#pragma once

#include <string>

#include "compose/node.hpp"

namespace berth::compose::detail {

// keep_unparsed: see CanonicalOptions.
void canonical_service(Node& svc, const std::string& path, bool keep_unparsed);
void canonical_volumes(Node& volumes, const std::string& path, bool keep_unparsed);
void canonical_ports(Node& ports, const std::string& path, bool keep_unparsed);
void set_service_defaults(Node& svc);

// "a/./b/../c" -> "a/c", as Go's path.Clean.
std::string clean_path(const std::string& p);

}  // namespace berth::compose::detail
