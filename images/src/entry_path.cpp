#include "images/entry_path.hpp"

#include "common/strings.hpp"

namespace berth::images {
namespace {

constexpr std::string_view kWh = ".wh.";
constexpr std::string_view kOpq = ".wh..wh..opq";

}  // namespace

Result<std::string> clean_entry_path(std::string_view name) {
    if (!name.empty() && name.front() == '/') return Error("absolute path in layer");
    std::string out;
    for (const auto& part : split_nonempty(name, "/")) {
        if (part == ".") continue;
        if (part == "..") return Error("path escapes the layer root (..)");
        if (!out.empty()) out += '/';
        out += part;
    }
    return out;
}

Result<EntryClass> classify_entry(const std::string& clean) {
    auto slash = clean.rfind('/');
    std::string dir = slash == std::string::npos ? "" : clean.substr(0, slash);
    std::string base = slash == std::string::npos ? clean : clean.substr(slash + 1);
    if (base.rfind(kWh, 0) != 0) return EntryClass{EntryKind::kNormal, clean};
    if (base == kOpq) return EntryClass{EntryKind::kOpaque, dir};
    if (base.rfind(".wh..wh.", 0) == 0) return EntryClass{EntryKind::kAufsMeta, clean};
    std::string target = base.substr(kWh.size());
    if (target.empty() || target == "." || target == "..") {
        return Error("invalid whiteout name");
    }
    return EntryClass{EntryKind::kWhiteout, dir.empty() ? target : dir + "/" + target};
}

}  // namespace berth::images
