// One write transaction into the store: a private temp dir, a shared hold on the gc lock (so
// prune never deletes content that is being added), and the list of what this transaction added,
// removed again when it fails so that nothing half-stored remains.
#pragma once

#include <string>
#include <vector>

#include "fs_util.hpp"
#include "images/manifest.hpp"
#include "images/store.hpp"

namespace berth::images {

class Ingest {
  public:
    static Result<Ingest> begin(Store& store);
    Ingest(Ingest&&) = default;
    ~Ingest();

    const std::string& dir() const { return dir_; }
    // Moves FILE into the store as DIGEST (verified) unless already there.
    Result<void> blob(const std::string& file, const std::string& digest);
    Result<std::string> blob_data(const std::string& data);
    // Unpacks each layer of M (already in the store) once, checking it against DIFF_IDS.
    Result<void> layers(const Manifest& m, const std::vector<std::string>& diff_ids);
    // The transaction succeeded: keep what it added.
    void keep() { kept_ = true; }

  private:
    Ingest(Store& s) : store_(&s) {}
    Store* store_;
    fsx::Lock gc_;
    std::string dir_;
    std::vector<std::string> new_blobs_, new_layers_;
    bool kept_ = false;
};

}  // namespace berth::images
