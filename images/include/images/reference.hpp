// Image references as Docker parses them (github.com/distribution/reference): `busybox` is
// `docker.io/library/busybox:latest`; registry hosts with ports, IPv6 hosts and digests are kept.
#pragma once

#include <string>

#include "common/result.hpp"

namespace berth::images {

struct Reference {
    std::string domain;  // docker.io, localhost:5000, [fc00::1]:5000
    std::string path;    // library/busybox
    std::string tag;     // empty when only a digest was given
    std::string digest;  // sha256:<64 hex>, or empty

    // docker.io/library/busybox
    std::string name() const { return domain + "/" + path; }
    // docker.io/library/busybox:latest, docker.io/library/busybox@sha256:...
    std::string str() const;
    // busybox:latest: the short form `docker images` shows
    std::string familiar_name() const;
    std::string familiar() const;
};

// Parses and normalizes a user-given name. Errors carry the grammar's wording, e.g.
// `invalid reference format: repository name (library/Busybox) must be lowercase`.
// Without tag and digest the tag is "latest".
Result<Reference> parse_reference(const std::string& s);

// True for a 64-hex image id (or a prefix of at least 12), which names an image, not a repository.
bool looks_like_id(const std::string& s);

}  // namespace berth::images
