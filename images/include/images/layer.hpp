// Layer tars: decompression (gzip, zstd, none: libarchive picks by content), unpacking into a
// diff dir with whiteouts turned into overlayfs ones, and the once-per-chain-id layer cache.
#pragma once

#include <cstdint>
#include <string>

#include "common/result.hpp"
#include "images/store.hpp"

namespace berth::images {

struct Decompressed {
    std::string digest;  // of the uncompressed bytes: the layer's diff_id
    uint64_t size = 0;
};

// Reads IN ("-" = stdin) through any compression; writes the plain bytes to OUT when not empty.
Result<Decompressed> decompress(const std::string& in, const std::string& out);

// Unpacks the layer tar BLOB into the empty directory DEST. Entries that would land outside DEST
// (absolute, "..", through a symlink, hard links to outside or to symlinks) are refused with an
// error naming the entry. OCI/AUFS whiteouts become 0:0 character devices, opaque markers the
// trusted.overlay.opaque=y xattr. Returns the unpacked bytes.
Result<uint64_t> unpack_layer(const std::string& blob, const std::string& dest);

// Makes sure overlay/<chain>/diff holds BLOB unpacked. Safe against concurrent callers (one
// unpacks, the others wait and reuse it) and crashes (the dir appears by rename when complete).
// Returns true when this call created the layer.
Result<bool> ensure_layer(const Store& store, const std::string& blob, const std::string& chain_id);

}  // namespace berth::images
