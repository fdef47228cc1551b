// volumes (long form) and tmpfs → --bind and --tmpfs.
#include <algorithm>
#include <cstdio>
#include <iterator>

#include "container_args_parts.hpp"

namespace berth::scheduler::detail {
namespace {

using compose::Node;

std::string field(const Node& m, const char* key) {
    const Node* n = m.find(key);
    return n && n->is_scalar() ? n->text : "";
}

const Node* sub(const Node& m, const char* key) {
    const Node* n = m.find(key);
    return n && n->is_map() ? n : nullptr;
}

// --bind is SRC:DST[:ro], so neither path may hold a colon.
Result<void> check_path(const ArgsBuilder& b, const std::string& what, const std::string& path) {
    if (path.empty() || path[0] != '/') {
        return b.fail("volumes: " + what + " \"" + path + "\" is not an absolute path");
    }
    if (path.find(':') != std::string::npos) {
        return b.fail("volumes: " + what + " \"" + path +
                      "\" contains ':', which berth cannot mount");
    }
    return {};
}

Result<void> add_bind(ArgsBuilder& b, const Node& m) {
    const std::string source = field(m, "source"), target = field(m, "target");
    if (auto ok = check_path(b, "source", source); !ok) return ok;
    if (auto ok = check_path(b, "target", target); !ok) return ok;
    std::string opts = is_true(m.find("read_only")) ? "ro" : "";
    if (const Node* bind = sub(m, "bind")) {
        // Recursive and rprivate unless asked otherwise, Docker's defaults.
        const std::string prop = field(*bind, "propagation");
        static const char* kKinds[] = {"rprivate", "private", "rshared",
                                       "shared",   "rslave",  "slave"};
        if (!prop.empty()) {
            if (std::find(std::begin(kKinds), std::end(kKinds), prop) == std::end(kKinds)) {
                return b.fail("volumes: " + target + ": bind propagation \"" + prop +
                              "\" is not one of rprivate, private, rshared, shared, rslave, slave");
            }
            opts += (opts.empty() ? "" : ",") + prop;
        }
        const std::string rec = field(*bind, "recursive");
        if (!rec.empty() && rec != "enabled") {
            return b.fail("volumes: " + target + ": bind recursive \"" + rec +
                          "\" is not supported (only enabled)");
        }
    }
    b.add("--bind", source + ":" + target + (opts.empty() ? "" : ":" + opts));
    return {};
}

// Docker's tmpfs options: the mode is printed in octal (os.FileMode), the size in bytes.
Result<void> add_tmpfs_volume(ArgsBuilder& b, const Node& m) {
    const std::string target = field(m, "target");
    if (auto ok = check_path(b, "target", target); !ok) return ok;
    std::string opts;
    auto append = [&](const std::string& o) { opts += (opts.empty() ? "" : ",") + o; };
    if (is_true(m.find("read_only"))) append("ro");
    if (const Node* t = sub(m, "tmpfs")) {
        if (const Node* size = t->find("size")) append("size=" + size->text);
        if (const Node* mode = t->find("mode")) {
            auto v = mode->as_int();
            if (!v || *v < 0 || *v > 07777) {
                return b.fail("volumes: " + target + ": tmpfs mode \"" + mode->text +
                              "\" is not a file mode");
            }
            char buf[8];
            std::snprintf(buf, sizeof buf, "%o", static_cast<unsigned>(*v));
            append(std::string("mode=") + buf);
        }
    }
    b.add("--tmpfs", opts.empty() ? target : target + ":" + opts);
    return {};
}

Error volume_error(const ArgsBuilder& b, const Node& m) {
    const std::string source = field(m, "source");
    if (source.empty()) {
        return b.fail("anonymous volume at " + field(m, "target") +
                      ": volumes are not supported yet");
    }
    return b.fail("volume \"" + source + "\": named volumes are not supported yet");
}

// A named or anonymous volume: a bind of the folder berthd keeps for it.
Result<void> add_named_volume(ArgsBuilder& b, const Node& m) {
    if (!b.ctx.volume_source) return volume_error(b, m);
    const std::string source = field(m, "source"), target = field(m, "target");
    if (auto ok = check_path(b, "target", target); !ok) return ok;
    auto folder = b.ctx.volume_source(source, target);
    if (!folder) return b.fail(folder.error().message());
    if (auto ok = check_path(b, "source", *folder); !ok) return ok;
    // The image's content at the target fills the volume while it is empty, unless nocopy or
    // only a part of the volume (subpath, which must exist in it) is mounted.
    const Node* opts = sub(m, "volume");
    const std::string subpath = opts ? field(*opts, "subpath") : "";
    std::string source_dir = *folder;
    if (!subpath.empty()) {
        if (subpath[0] == '/' || subpath == ".." || subpath.starts_with("../") ||
            subpath.find("/../") != std::string::npos || subpath.ends_with("/..")) {
            return b.fail("volumes: " + target + ": subpath \"" + subpath +
                          "\" must be a relative path inside the volume");
        }
        source_dir += "/" + subpath;
        if (auto ok = check_path(b, "source", source_dir); !ok) return ok;
    }
    std::string flags = (opts && is_true(opts->find("nocopy"))) || !subpath.empty() ? "" : "copy";
    if (is_true(m.find("read_only"))) flags += flags.empty() ? "ro" : ",ro";
    b.add("--bind", source_dir + ":" + target + (flags.empty() ? "" : ":" + flags));
    return {};
}

Result<void> add_volume(ArgsBuilder& b, const Node& m) {
    const std::string type = field(m, "type");
    if (type == "bind") return add_bind(b, m);
    if (type == "tmpfs") return add_tmpfs_volume(b, m);
    if (type == "volume") return add_named_volume(b, m);
    return b.fail("volumes: " + field(m, "target") + ": type \"" + type + "\" is not supported");
}

}  // namespace

// configs: and secrets: read-only files at their targets (a config's default target is
// /<source>; the loader gives secrets /run/secrets/<source>).
Result<void> add_files(ArgsBuilder& b, const char* key, const char* kind) {
    const Node* list = b.get(key);
    if (!list || !list->is_seq() || list->items.empty()) return {};
    if (!b.ctx.file_source) return b.fail(std::string(key) + " is not supported yet");
    for (const Node& f : list->items) {
        const std::string source = f.is_map() ? field(f, "source") : f.text;
        std::string target = f.is_map() ? field(f, "target") : "";
        if (target.empty()) target = "/" + source;
        if (target[0] != '/') {
            target = std::string(kind) == "secret" ? "/run/secrets/" + target : "/" + target;
        }
        if (auto ok = check_path(b, "target", target); !ok) return ok;
        auto file = b.ctx.file_source(kind, source);
        if (!file) return b.fail(file.error().message());
        if (auto ok = check_path(b, "source", *file); !ok) return ok;
        b.add("--bind", *file + ":" + target + ":ro");
    }
    return {};
}

// volumes_from: "service", "service:ro", "container:name", "container:name:rw"; each mount of
// that container at the same target, read-only with :ro (or when it was read-only).
Result<void> add_volumes_from(ArgsBuilder& b, std::vector<std::string>& taken) {
    const auto refs = texts(b.get("volumes_from"));
    if (refs.empty()) return {};
    if (!b.ctx.volumes_from) return b.fail("volumes_from is not supported yet");
    for (std::string ref : refs) {
        bool ro = false;
        if (ref.ends_with(":ro") || ref.ends_with(":rw")) {
            ro = ref.ends_with(":ro");
            ref.resize(ref.size() - 3);
        }
        auto mounts = b.ctx.volumes_from(ref);
        if (!mounts) return b.fail("volumes_from \"" + ref + "\": " + mounts.error().message());
        for (const auto& m : *mounts) {
            if (std::find(taken.begin(), taken.end(), m.target) != taken.end()) continue;
            if (auto ok = check_path(b, "source", m.source); !ok) return ok;
            b.add("--bind", m.source + ":" + m.target + (ro || m.read_only ? ":ro" : ""));
            taken.push_back(m.target);
        }
    }
    return {};
}

// The image's VOLUMEs that no mount of the service covers: an anonymous volume each, filled from
// the image, as Docker makes them.
Result<void> add_image_volumes(ArgsBuilder& b, std::vector<std::string>& taken) {
    if (!b.ctx.volume_source || b.ctx.image.volumes.empty()) return {};
    for (std::string target : b.ctx.image.volumes) {
        while (target.size() > 1 && target.back() == '/') target.pop_back();
        if (std::find(taken.begin(), taken.end(), target) != taken.end()) continue;
        if (auto ok = check_path(b, "target", target); !ok) return ok;
        auto folder = b.ctx.volume_source("", target);
        if (!folder) return b.fail(folder.error().message());
        b.add("--bind", *folder + ":" + target + ":copy");
    }
    return {};
}

Result<void> add_mounts(ArgsBuilder& b) {
    if (auto ok = add_files(b, "configs", "config"); !ok) return ok;
    if (auto ok = add_files(b, "secrets", "secret"); !ok) return ok;
    if (const Node* list = b.get("volumes"); list && list->is_seq()) {
        for (const Node& m : list->items) {
            if (!m.is_map()) return b.fail("volumes: expected the long form");
            if (auto ok = add_volume(b, m); !ok) return ok;
        }
    }
    // What the service mounts itself wins over volumes_from, and both over the image's VOLUMEs.
    std::vector<std::string> taken;
    if (const Node* list = b.get("volumes"); list && list->is_seq()) {
        for (const Node& m : list->items) {
            if (m.is_map()) taken.push_back(field(m, "target"));
        }
    }
    for (const auto& t : texts(b.get("tmpfs"))) taken.push_back(t.substr(0, t.find(':')));
    if (auto ok = add_volumes_from(b, taken); !ok) return ok;
    if (auto ok = add_image_volumes(b, taken); !ok) return ok;
    // "DST" or "DST:OPTS", the form --tmpfs takes.
    for (const auto& t : texts(b.get("tmpfs"))) {
        if (t.empty() || t[0] != '/') return b.fail("tmpfs \"" + t + "\": want an absolute path");
        b.add("--tmpfs", t);
    }
    return {};
}

}  // namespace berth::scheduler::detail
