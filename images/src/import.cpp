// `berth image import`: a plain rootfs tar becomes a one-layer image.
#include <sys/utsname.h>

#include <ctime>
#include <nlohmann/json.hpp>

#include "images/changes.hpp"
#include "images/images.hpp"
#include "images/layer.hpp"
#include "images/reference.hpp"
#include "ingest.hpp"

namespace berth::images {

std::string now_rfc3339() {
    std::time_t t = std::time(nullptr);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    return buf;
}

// The GOARCH name of this machine, as image configs spell it.
std::string host_arch() {
    struct utsname u;
    ::uname(&u);
    std::string m = u.machine;
    if (m == "x86_64") return "amd64";
    if (m == "aarch64") return "arm64";
    if (m.size() == 4 && m[0] == 'i' && m.substr(2) == "86") return "386";
    return m;
}

namespace {

std::string config_json(const ImageConfig& c, const std::string& diff_id, const std::string& src) {
    std::string created = now_rfc3339();
    nlohmann::json j = {{"architecture", host_arch()},
                        {"os", "linux"},
                        {"created", created},
                        {"config", nlohmann::json::parse(image_config_json(c))},
                        {"rootfs", {{"type", "layers"}, {"diff_ids", {diff_id}}}},
                        {"history",
                         {{{"created", created},
                           {"created_by", "berth image import"},
                           {"comment", "Imported from " + src}}}}};
    return j.dump();
}

}  // namespace

Result<std::string> import_rootfs(Store& store, const std::string& in, const std::string& name,
                                  const std::vector<std::string>& changes) {
    auto ref = parse_reference(name);
    if (!ref) return ref.error();
    if (!ref->digest.empty()) return Error("cannot import to a digest reference " + name);
    ImageConfig cfg;
    for (const auto& c : changes) {
        if (auto ok = apply_change(cfg, c); !ok) return ok.error();
    }
    auto tx = Ingest::begin(store);
    if (!tx) return tx.error();
    // Stored uncompressed: the blob digest is then the diff_id, and unpacking reads no filter.
    std::string layer_file = tx->dir() + "/layer.tar";
    auto plain = decompress(in, layer_file);
    if (!plain) return plain.error().context("import " + in);
    if (auto ok = tx->blob(layer_file, plain->digest); !ok) return ok.error();
    auto cfg_digest = tx->blob_data(config_json(cfg, plain->digest, in == "-" ? "-" : in));
    if (!cfg_digest) return cfg_digest.error();
    Manifest m;
    m.media_type = media::kOciManifest;
    m.config = {media::kOciConfig, *cfg_digest, int64_t(store.read_blob(*cfg_digest)->size())};
    m.layers.push_back({media::kOciLayer, plain->digest, int64_t(plain->size)});
    auto man_digest = tx->blob_data(manifest_json(m));
    if (!man_digest) return man_digest.error();
    if (auto ok = tx->layers(m, {plain->digest}); !ok) return ok.error().context("import " + in);
    auto ok = store.update_refs([&](Refs& r) { r.tags[ref->str()] = *man_digest; });
    if (!ok) return ok.error();
    tx->keep();
    return *cfg_digest;
}

}  // namespace berth::images
