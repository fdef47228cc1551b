// `berth image save`: a docker-archive that is also an OCI image layout, as Docker 25 writes:
// blobs/sha256/<hex>, index.json and oci-layout for OCI readers (and for round trips that keep
// the manifest digest), manifest.json for docker-archive readers.
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "images/digest.hpp"
#include "images/images.hpp"
#include "images/reference.hpp"

namespace berth::images {
namespace {

using nlohmann::json;
using WritePtr = std::unique_ptr<archive, decltype(&archive_write_free)>;

archive_entry* file_entry(const std::string& name, int64_t size) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, name.c_str());
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, size);
    return e;
}

Result<void> add_data(archive* a, const std::string& name, const std::string& data) {
    archive_entry* e = file_entry(name, int64_t(data.size()));
    bool ok = archive_write_header(a, e) == ARCHIVE_OK &&
              archive_write_data(a, data.data(), data.size()) == la_ssize_t(data.size());
    archive_entry_free(e);
    if (!ok) return Error("write " + name + ": " + archive_error_string(a));
    return {};
}

Result<void> add_file(archive* a, const std::string& name, const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return errno_error("open " + path, errno);
    struct stat st;
    ::fstat(fd, &st);
    archive_entry* e = file_entry(name, st.st_size);
    bool ok = archive_write_header(a, e) == ARCHIVE_OK;
    archive_entry_free(e);
    char buf[1 << 16];
    ssize_t n;
    while (ok && (n = ::read(fd, buf, sizeof buf)) > 0)
        ok = archive_write_data(a, buf, size_t(n)) == n;
    ::close(fd);
    if (!ok) return Error("write " + name + ": " + archive_error_string(a));
    return {};
}

std::string blob_name(const std::string& d) {
    return "blobs/sha256/" + digest_hex(d);
}

struct Plan {
    std::set<std::string> blobs;
    json index = json::array(), docker = json::array();
};

Result<void> plan_image(const Store& store, const std::string& name, Plan& plan) {
    auto info = find_image(store, name);
    if (!info) return info.error();
    auto text = store.read_blob(info->manifest_digest);
    if (!text) return text.error();
    plan.blobs.insert(info->manifest_digest);
    plan.blobs.insert(info->id);
    json layers = json::array();
    for (const auto& l : info->manifest.layers) {
        plan.blobs.insert(l.digest);
        layers.push_back(blob_name(l.digest));
    }
    json desc = {{"mediaType", info->manifest.media_type},
                 {"digest", info->manifest_digest},
                 {"size", text->size()}};
    // The names asked for, or every name of the image when it was given by id.
    std::vector<std::string> names;
    auto ref = parse_reference(name);
    if (ref && std::count(info->names.begin(), info->names.end(), ref->str())) {
        names.push_back(ref->str());
    } else {
        names = info->names;
    }
    json tags = json::array();
    for (const auto& n : names) {
        auto r = parse_reference(n);
        json d = desc;
        d["annotations"] = {{"io.containerd.image.name", n},
                            {"org.opencontainers.image.ref.name", r ? r->tag : ""}};
        plan.index.push_back(d);
        if (r) tags.push_back(r->familiar());
    }
    if (names.empty()) plan.index.push_back(desc);
    plan.docker.push_back(
        {{"Config", blob_name(info->id)}, {"RepoTags", tags}, {"Layers", layers}});
    return {};
}

Result<void> write_archive(const Store& store, const Plan& plan, const std::string& path) {
    WritePtr a(archive_write_new(), archive_write_free);
    archive_write_set_format_pax_restricted(a.get());
    if (archive_write_open_filename(a.get(), path.c_str()) != ARCHIVE_OK) {
        return Error("create " + path + ": " + archive_error_string(a.get()));
    }
    for (const auto& d : plan.blobs) {
        if (auto ok = add_file(a.get(), blob_name(d), store.blob_path(d)); !ok) return ok;
    }
    json index = {{"schemaVersion", 2}, {"mediaType", media::kOciIndex}, {"manifests", plan.index}};
    for (const auto& [name, data] : std::vector<std::pair<std::string, std::string>>{
             {"oci-layout", R"({"imageLayoutVersion":"1.0.0"})"},
             {"index.json", index.dump()},
             {"manifest.json", plan.docker.dump()}}) {
        if (auto ok = add_data(a.get(), name, data); !ok) return ok;
    }
    if (archive_write_close(a.get()) != ARCHIVE_OK) {
        return Error("write " + path + ": " + archive_error_string(a.get()));
    }
    return {};
}

}  // namespace

Result<void> save_archive(const Store& store, const std::vector<std::string>& names,
                          const std::string& out) {
    Plan plan;
    for (const auto& n : names) {
        if (auto ok = plan_image(store, n, plan); !ok) return ok;
    }
    if (out == "-") return write_archive(store, plan, "/dev/stdout");
    std::string tmp = out + ".tmp-" + std::to_string(::getpid());
    auto ok = write_archive(store, plan, tmp);
    if (ok && ::rename(tmp.c_str(), out.c_str()) != 0) ok = errno_error("rename to " + out, errno);
    if (!ok) ::unlink(tmp.c_str());
    return ok;
}

}  // namespace berth::images
