// Lease files, read by gc: <data-root>/images/leases/<holder>.json. Internal to images/.
#pragma once

#include <string>
#include <vector>

#include "common/result.hpp"
#include "images/store.hpp"

namespace berth::images {

struct Lease {
    std::string holder;
    std::string image;                   // config digest
    std::string manifest;                // manifest digest
    std::vector<std::string> layers;     // layer blob digests
    std::vector<std::string> chain_ids;  // bottom first
};

std::string leases_dir(const Store& store);
// Every lease, sorted by holder (the file name). A lease file that does not parse is an error, not
// skipped: gc must never take a damaged lease as "no lease" and delete a container's layers.
Result<std::vector<Lease>> read_leases(const Store& store);
// Leftover temp files of interrupted lease writes. Only garbage while gc.lock is held
// exclusively (writers hold it shared).
std::vector<std::string> stale_lease_temps(const Store& store);

}  // namespace berth::images
