// `berth image load`: docker-archive (manifest.json, either the legacy <id>/layer.tar layout or
// Docker 25's blobs/ layout) and OCI image layout tars (index.json).
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "common/fs.hpp"
#include "images/digest.hpp"
#include "images/entry_path.hpp"
#include "images/images.hpp"
#include "images/reference.hpp"
#include "ingest.hpp"

namespace berth::images {

std::string host_arch();

namespace {

using nlohmann::json;

// The archive's files, extracted into the ingest dir, with the digest of each.
struct Extracted {
    std::map<std::string, std::string> path, digest;  // entry name -> file, digest
    std::map<std::string, std::string> links;         // entry name -> target entry name

    const std::string* find(std::string name) const {
        for (int hops = 0; hops < 8; ++hops) {
            if (auto it = path.find(name); it != path.end()) return &it->second;
            auto l = links.find(name);
            if (l == links.end()) return nullptr;
            name = l->second;
        }
        return nullptr;
    }
    const std::string* find_blob(const std::string& d) const {
        return find("blobs/sha256/" + digest_hex(d));
    }
};

Result<std::string> copy_entry(archive* a, const std::string& file) {
    int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return errno_error("create " + file, errno);
    Sha256 h;
    char buf[1 << 16];
    la_ssize_t n;
    while ((n = archive_read_data(a, buf, sizeof buf)) > 0) {
        h.update(buf, size_t(n));
        if (::write(fd, buf, size_t(n)) != n) {
            ::close(fd);
            return errno_error("write " + file, errno);
        }
    }
    ::close(fd);
    if (n < 0) return Error(archive_error_string(a));
    return h.digest();
}

Result<void> extract_one(archive* a, archive_entry* e, const std::string& dir, Extracted& x) {
    auto name = clean_entry_path(archive_entry_pathname(e));
    if (!name) return name.error();
    auto type = archive_entry_filetype(e);
    if (const char* hl = archive_entry_hardlink(e)) {
        auto target = clean_entry_path(hl);
        if (!target) return target.error();
        x.links[*name] = *target;
    } else if (type == AE_IFLNK) {
        std::string base =
            name->find('/') == std::string::npos ? "" : name->substr(0, name->rfind('/') + 1);
        auto target = clean_entry_path(base + archive_entry_symlink(e));
        if (!target) return target.error().context("symlink target");
        x.links[*name] = *target;
    } else if (type == AE_IFREG) {
        std::string file = dir + "/f" + std::to_string(x.path.size());
        auto d = copy_entry(a, file);
        if (!d) return d.error();
        if (name->rfind("blobs/sha256/", 0) == 0 && *d != "sha256:" + name->substr(13)) {
            return Error("digest mismatch: content is " + *d);
        }
        x.path[*name] = file;
        x.digest[*name] = *d;
    }
    return {};
}

Result<Extracted> extract(const std::string& file, const std::string& dir) {
    std::unique_ptr<archive, decltype(&archive_read_free)> a(archive_read_new(), archive_read_free);
    archive_read_support_filter_all(a.get());
    archive_read_support_format_tar(a.get());
    archive_read_support_format_gnutar(a.get());
    int rc = file == "-" ? archive_read_open_fd(a.get(), 0, 1 << 16)
                         : archive_read_open_filename(a.get(), file.c_str(), 1 << 16);
    if (rc != ARCHIVE_OK) return Error("open " + file + ": " + archive_error_string(a.get()));
    Extracted x;
    archive_entry* e;
    while ((rc = archive_read_next_header(a.get(), &e)) == ARCHIVE_OK) {
        const char* n = archive_entry_pathname(e);
        if (auto ok = extract_one(a.get(), e, dir, x); !ok) {
            return ok.error().context("archive entry \"" + std::string(n ? n : "") + "\"");
        }
    }
    if (rc != ARCHIVE_EOF) return Error("read " + file + ": " + archive_error_string(a.get()));
    return x;
}

struct Pending {
    Manifest m;
    std::string manifest_text, manifest_digest;
    std::vector<std::string> names;
};

Result<void> check_blobs(const Extracted& x, const Pending& p) {
    if (!x.find_blob(p.m.config.digest)) {
        return Error("manifest " + p.manifest_digest + ": config blob " + p.m.config.digest +
                     " is missing from the archive");
    }
    for (const auto& l : p.m.layers) {
        if (!x.find_blob(l.digest)) {
            return Error("manifest " + p.manifest_digest + ": layer blob " + l.digest +
                         " is missing from the archive");
        }
    }
    return {};
}

// An index entry names a manifest, or an index to pick this platform's manifest from.
Result<Pending> resolve_entry(const Extracted& x, IndexEntry e, int depth = 0) {
    const std::string* f = x.find_blob(e.desc.digest);
    if (!f) return Error("index: blob " + e.desc.digest + " is missing from the archive");
    auto text = read_file(*f);
    if (!text) return text.error();
    if (is_index_type(e.desc.media_type) && depth < 2) {
        auto sub = parse_index(*text);
        if (!sub) return sub.error();
        std::string want = "linux/" + host_arch();
        for (const auto& s : *sub) {
            if (sub->size() == 1 || s.platform == want) {
                IndexEntry pick = s;
                pick.name = e.name;
                return resolve_entry(x, pick, depth + 1);
            }
        }
        return Error("index " + e.desc.digest + " has no manifest for " + want);
    }
    if (!e.desc.media_type.empty() && !is_manifest_type(e.desc.media_type)) {
        return Error("index entry " + e.desc.digest + ": unknown media type \"" +
                     e.desc.media_type + "\"");
    }
    auto m = parse_manifest(*text);
    if (!m) return m.error().context("manifest " + e.desc.digest);
    Pending p{*m, *text, e.desc.digest, {}};
    if (auto ok = check_blobs(x, p); !ok) return ok.error();
    return p;
}

// Docker 25 archives carry both files: names come from manifest.json's RepoTags.
std::map<std::string, std::vector<std::string>> repo_tags(const Extracted& x) {
    std::map<std::string, std::vector<std::string>> out;
    const std::string* f = x.find("manifest.json");
    if (!f) return out;
    auto text = read_file(*f);
    json j = text ? json::parse(*text, nullptr, false) : json();
    if (!j.is_array()) return out;
    for (const auto& m : j) {
        std::string cfg = m.value("Config", "");
        auto it = x.digest.find(cfg);
        if (it == x.digest.end()) continue;
        for (const auto& t : m.value("RepoTags", json::array())) {
            if (t.is_string()) out[it->second].push_back(t.get<std::string>());
        }
    }
    return out;
}

Result<std::vector<Pending>> from_oci(const Extracted& x) {
    auto text = read_file(*x.find("index.json"));
    if (!text) return text.error();
    auto index = parse_index(*text);
    if (!index) return index.error().context("index.json");
    auto tags = repo_tags(x);
    std::vector<Pending> out;
    for (const auto& e : *index) {
        auto p = resolve_entry(x, e);
        if (!p) return p.error();
        // A bare tag in org.opencontainers.image.ref.name names no repository.
        if (e.name.find_first_of(":/") != std::string::npos) {
            p->names.push_back(e.name);
        } else {
            // Only for unnamed entries: two manifests may share a config, and so its RepoTags.
            for (const auto& t : tags[p->m.config.digest]) p->names.push_back(t);
        }
        out.push_back(std::move(*p));
    }
    return out;
}

Result<Pending> from_docker_entry(const Extracted& x, const json& entry) {
    std::string cfg = entry.value("Config", "");
    auto cit = x.digest.find(cfg);
    if (cit == x.digest.end())
        return Error("manifest.json: config " + cfg + " is missing from the archive");
    // Legacy archives name the config <hex>.json after its digest.
    if (cfg.size() == 69 && cfg.substr(64) == ".json" &&
        "sha256:" + cfg.substr(0, 64) != cit->second) {
        return Error("archive entry \"" + cfg + "\": digest mismatch: content is " + cit->second);
    }
    Pending p;
    p.m.media_type = media::kOciManifest;
    p.m.config = {media::kOciConfig, cit->second, 0};
    for (const auto& l : entry.value("Layers", json::array())) {
        std::string name = l.is_string() ? l.get<std::string>() : "";
        const std::string* f = x.find(name);
        if (!f) return Error("manifest.json: layer " + name + " is missing from the archive");
        auto d = file_digest(*f);
        if (!d) return d.error();
        p.m.layers.push_back({sniff_layer_type(*f), *d, 0});
    }
    for (const auto& t : entry.value("RepoTags", json::array())) {
        if (t.is_string()) p.names.push_back(t.get<std::string>());
    }
    return p;
}

Result<std::vector<Pending>> from_docker(const Extracted& x,
                                         std::map<std::string, std::string>& files) {
    auto text = read_file(*x.find("manifest.json"));
    if (!text) return text.error();
    json j = json::parse(*text, nullptr, false);
    if (!j.is_array()) return Error("manifest.json: not a JSON array");
    std::vector<Pending> out;
    for (const auto& entry : j) {
        auto p = from_docker_entry(x, entry);
        if (!p) return p.error();
        files[p->m.config.digest] = *x.find(entry.value("Config", ""));
        const auto& layers = entry.value("Layers", json::array());
        for (size_t i = 0; i < p->m.layers.size(); ++i) {
            files[p->m.layers[i].digest] = *x.find(layers[i].get<std::string>());
        }
        out.push_back(std::move(*p));
    }
    return out;
}

// Every blob is in the store before the layers are unpacked; the references come last.
Result<void> commit(Ingest& tx, Store& store, Pending& p,
                    std::map<std::string, std::string>& files) {
    auto put = [&](Descriptor& d) -> Result<void> {
        if (auto ok = tx.blob(files[d.digest], d.digest); !ok) return ok;
        struct stat st;
        if (d.size == 0 && ::stat(store.blob_path(d.digest).c_str(), &st) == 0) d.size = st.st_size;
        return {};
    };
    if (auto ok = put(p.m.config); !ok) return ok;
    for (auto& l : p.m.layers) {
        if (auto ok = put(l); !ok) return ok;
    }
    if (p.manifest_text.empty()) p.manifest_text = manifest_json(p.m);
    auto md = tx.blob_data(p.manifest_text);
    if (!md) return md.error();
    p.manifest_digest = *md;
    auto cfg = store.read_blob(p.m.config.digest);
    if (!cfg) return cfg.error();
    auto diff_ids = config_diff_ids(*cfg);
    if (!diff_ids) return diff_ids.error().context("config " + p.m.config.digest);
    return tx.layers(p.m, *diff_ids);
}

}  // namespace

Result<std::vector<std::string>> load_archive(Store& store, const std::string& file) {
    auto tx = Ingest::begin(store);
    if (!tx) return tx.error();
    auto x = extract(file, tx->dir());
    if (!x) return x.error().context("load " + file);
    std::map<std::string, std::string> files;  // digest -> extracted file
    Result<std::vector<Pending>> images = Error("");
    if (x->find("index.json")) {
        images = from_oci(*x);
        for (const auto& [name, d] : x->digest) {
            if (name.rfind("blobs/sha256/", 0) == 0) files[d] = x->path[name];
        }
    } else if (x->find("manifest.json")) {
        images = from_docker(*x, files);
    } else {
        return Error(
            "load " + file +
            ": neither a docker-archive nor an OCI layout (no manifest.json or index.json)");
    }
    if (!images) return images.error().context("load " + file);
    for (auto& p : *images) {
        for (const auto& n : p.names) {
            if (auto r = parse_reference(n); !r)
                return r.error().context("load " + file + ": image name \"" + n + "\"");
        }
    }
    std::vector<std::string> out;
    for (auto& p : *images) {
        if (auto ok = commit(*tx, store, p, files); !ok) return ok.error().context("load " + file);
    }
    auto ok = store.update_refs([&](Refs& r) {
        for (const auto& p : *images) {
            for (const auto& n : p.names) {
                auto ref = parse_reference(n);
                r.tags[ref->str()] = p.manifest_digest;
                out.push_back("Loaded image: " + ref->familiar());
            }
            if (p.names.empty()) {
                if (!std::count(r.untagged.begin(), r.untagged.end(), p.manifest_digest))
                    r.untagged.push_back(p.manifest_digest);
                out.push_back("Loaded image ID: " + p.m.config.digest);
            }
        }
    });
    if (!ok) return ok.error();
    tx->keep();
    return out;
}

}  // namespace berth::images
