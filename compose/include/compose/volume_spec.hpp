// The short volume syntax of a service ("/host:/ctr:ro", "named:/ctr", "/anon") turned into its
// long form, as compose reads it before any path is made absolute.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace berth::compose {

struct VolumeSpec {
    std::string type;  // "bind" or "volume"
    std::string source;
    std::string target;
    bool read_only = false;
    // bind options; a short bind always asks for a missing host path to be created, as the
    // legacy docker-compose did
    bool has_bind = false;
    std::string selinux;      // "z" or "Z"
    std::string propagation;  // rprivate, private, rshared, shared, rslave, slave
    bool create_host_path = false;
    // volume options
    bool has_volume = false;
    bool nocopy = false;

    bool operator==(const VolumeSpec&) const = default;
};

// Errors: "invalid empty volume spec", "invalid spec: <spec>: too many colons",
// "invalid spec: <spec>: empty section between colons". Unknown options are ignored, as compose
// ignores them. Colons inside ${...} and a Windows drive letter ("c:") do not split.
Result<VolumeSpec> parse_volume_spec(std::string_view spec);

}  // namespace berth::compose
