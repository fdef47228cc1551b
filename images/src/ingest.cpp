#include "ingest.hpp"

#include "images/digest.hpp"
#include "images/layer.hpp"

namespace berth::images {

Result<Ingest> Ingest::begin(Store& store) {
    Ingest in(store);
    auto gc = fsx::Lock::take(store.lock_path("gc"), false);
    if (!gc) return gc.error();
    in.gc_ = std::move(*gc);
    auto dir = store.new_ingest_dir();
    if (!dir) return dir.error();
    in.dir_ = *dir;
    return in;
}

Ingest::~Ingest() {
    if (!dir_.empty()) (void)fsx::remove_tree(dir_);
    if (kept_) return;
    for (const auto& l : new_layers_) (void)fsx::remove_tree(store_->layer_dir(l));
    for (const auto& b : new_blobs_) (void)fsx::remove_tree(store_->blob_path(b));
}

Result<void> Ingest::blob(const std::string& file, const std::string& digest) {
    if (store_->has_blob(digest)) return {};
    if (auto ok = store_->commit_blob(file, digest); !ok) return ok;
    new_blobs_.push_back(digest);
    return {};
}

Result<std::string> Ingest::blob_data(const std::string& data) {
    std::string d = sha256_digest(data);
    bool had = store_->has_blob(d);
    auto r = store_->put_blob(data);
    if (r && !had) new_blobs_.push_back(d);
    return r;
}

Result<void> Ingest::layers(const Manifest& m, const std::vector<std::string>& diff_ids) {
    if (diff_ids.size() != m.layers.size()) {
        return Error("image config lists " + std::to_string(diff_ids.size()) + " diff_ids for " +
                     std::to_string(m.layers.size()) + " layers");
    }
    auto chains = chain_ids(diff_ids);
    for (size_t i = 0; i < m.layers.size(); ++i) {
        if (store_->has_layer(chains[i])) continue;
        std::string blob = store_->blob_path(m.layers[i].digest);
        // A compressed blob is named by its compressed bytes; the diff_id names the tar inside.
        if (m.layers[i].digest != diff_ids[i]) {
            auto plain = decompress(blob, "");
            if (!plain) return plain.error().context("layer " + m.layers[i].digest);
            if (plain->digest != diff_ids[i]) {
                return Error("layer " + m.layers[i].digest + ": uncompressed digest " +
                             plain->digest + " does not match diff_id " + diff_ids[i]);
            }
        }
        auto made = ensure_layer(*store_, blob, chains[i]);
        if (!made) return made.error().context("layer " + m.layers[i].digest);
        if (*made) new_layers_.push_back(chains[i]);
    }
    return {};
}

}  // namespace berth::images
