// OCI descriptors and manifests (image-spec manifest.md, descriptor.md) and the media types the
// store accepts. Docker schema2 media types are read as their OCI equivalents.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace berth::images {

namespace media {
inline constexpr const char* kOciManifest = "application/vnd.oci.image.manifest.v1+json";
inline constexpr const char* kOciIndex = "application/vnd.oci.image.index.v1+json";
inline constexpr const char* kOciConfig = "application/vnd.oci.image.config.v1+json";
inline constexpr const char* kOciLayer = "application/vnd.oci.image.layer.v1.tar";
inline constexpr const char* kOciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
inline constexpr const char* kOciLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd";
inline constexpr const char* kDockerManifest =
    "application/vnd.docker.distribution.manifest.v2+json";
inline constexpr const char* kDockerList =
    "application/vnd.docker.distribution.manifest.list.v2+json";
inline constexpr const char* kDockerConfig = "application/vnd.docker.container.image.v1+json";
}  // namespace media

bool is_layer_type(const std::string& t);
bool is_config_type(const std::string& t);
bool is_manifest_type(const std::string& t);
bool is_index_type(const std::string& t);

struct Descriptor {
    std::string media_type;
    std::string digest;
    int64_t size = 0;
};

struct Manifest {
    std::string media_type;
    Descriptor config;
    std::vector<Descriptor> layers;
};

// Parses and checks a manifest: known media types and well-formed digests, else an error naming
// the offending descriptor.
Result<Manifest> parse_manifest(const std::string& json);
// Canonical OCI manifest JSON (sorted keys, no spaces): its digest is the image's manifest digest.
std::string manifest_json(const Manifest& m);

struct IndexEntry {
    Descriptor desc;
    std::string name;      // io.containerd.image.name or org.opencontainers.image.ref.name, or ""
    std::string platform;  // "linux/amd64", or "" when not given
};
Result<std::vector<IndexEntry>> parse_index(const std::string& json);

// The media type a layer blob gets from its first bytes (gzip, zstd or plain tar).
const char* sniff_layer_type(const std::string& path);

// The diff_ids of an image config (rootfs.diff_ids), bottom first.
Result<std::vector<std::string>> config_diff_ids(const std::string& config_json);

}  // namespace berth::images
