// Layer tar entry names: the checks that keep an entry inside the layer, and the OCI/AUFS whiteout
// names that become overlayfs whiteouts. Pure, so the rules are unit-tested without root.
#pragma once

#include <string>
#include <string_view>

#include "common/result.hpp"

namespace berth::images {

// "./usr//bin/" -> "usr/bin"; the root itself ("./", ".") -> "". Absolute names and any ".."
// component are refused: a layer may only write below its own root.
Result<std::string> clean_entry_path(std::string_view name);

enum class EntryKind {
    kNormal,
    kWhiteout,  // ".wh.NAME": NAME is deleted -> a 0:0 character device at NAME
    kOpaque,    // ".wh..wh..opq": the directory hides everything below it in lower layers
    kAufsMeta,  // ".wh..wh.plnk", ".wh..wh.aufs" and friends: AUFS bookkeeping, dropped
};

struct EntryClass {
    EntryKind kind = EntryKind::kNormal;
    std::string path;  // the entry; the deleted path for a whiteout; the directory for opaque
};

// Classifies a cleaned entry path (see OCI image-spec layer.md, "Whiteouts").
Result<EntryClass> classify_entry(const std::string& clean);

}  // namespace berth::images
