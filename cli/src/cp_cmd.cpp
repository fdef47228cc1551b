#include "cp_cmd.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>

#include <memory>

namespace berth::cli {
namespace {

struct CpFlags {
    std::string src, dst;
    int index = 1;
};

using ReadArchive = std::unique_ptr<archive, decltype(&archive_read_free)>;
using WriteArchive = std::unique_ptr<archive, decltype(&archive_write_free)>;

std::string base_name(std::string p) {
    while (p.size() > 1 && p.back() == '/') p.pop_back();
    auto slash = p.rfind('/');
    return slash == std::string::npos ? p : p.substr(slash + 1);
}

std::string dir_name(std::string p) {
    while (p.size() > 1 && p.back() == '/') p.pop_back();
    auto slash = p.rfind('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : p.substr(0, slash);
}

bool is_dir(const std::string& p) {
    struct stat st {};
    return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// The archive's top entry is named after the container path; it lands as DST, or inside DST
// when DST is an existing folder (docker cp's rule).
Result<void> extract(const std::string& tar, const std::string& src_path, const std::string& dst) {
    std::string from = base_name(src_path);
    std::string into = is_dir(dst) ? dst : dir_name(dst);
    std::string as = is_dir(dst) ? from : base_name(dst);
    ReadArchive in(archive_read_new(), archive_read_free);
    archive_read_support_format_tar(in.get());
    if (archive_read_open_memory(in.get(), tar.data(), tar.size()) != ARCHIVE_OK) {
        return Error(std::string("read archive: ") + archive_error_string(in.get()));
    }
    WriteArchive out(archive_write_disk_new(), archive_write_free);
    archive_write_disk_set_options(out.get(), ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_PERM |
                                                  ARCHIVE_EXTRACT_SECURE_NODOTDOT |
                                                  ARCHIVE_EXTRACT_SECURE_SYMLINKS);
    archive_entry* entry = nullptr;
    int rc = ARCHIVE_OK;
    while ((rc = archive_read_next_header(in.get(), &entry)) == ARCHIVE_OK) {
        std::string name = archive_entry_pathname(entry);
        if (name.starts_with("./")) name = name.substr(2);
        if (name.starts_with(from)) name = as + name.substr(from.size());
        archive_entry_set_pathname(entry, (into + "/" + name).c_str());
        if (archive_write_header(out.get(), entry) != ARCHIVE_OK ||
            archive_write_data_block(out.get(), nullptr, 0, 0) < ARCHIVE_OK) {
            return Error("write " + into + "/" + name + ": " + archive_error_string(out.get()));
        }
        const void* buf = nullptr;
        size_t size = 0;
        la_int64_t offset = 0;
        while (archive_read_data_block(in.get(), &buf, &size, &offset) == ARCHIVE_OK) {
            if (archive_write_data_block(out.get(), buf, size, offset) < ARCHIVE_OK) {
                return Error("write " + name + ": " + archive_error_string(out.get()));
            }
        }
        archive_write_finish_entry(out.get());
    }
    if (rc != ARCHIVE_EOF)
        return Error(std::string("read archive: ") + archive_error_string(in.get()));
    return {};
}

// SRC as a tar whose top entry is SRC's own name.
Result<std::string> pack(std::string src) {
    // "dir/" walks as "dir/" then "dir//a"... : strip the slashes so the prefix cut below holds.
    while (src.size() > 1 && src.back() == '/') src.pop_back();
    std::string tar;
    WriteArchive out(archive_write_new(), archive_write_free);
    archive_write_set_format_pax_restricted(out.get());
    archive_write_open(
        out.get(), &tar, nullptr,
        [](archive*, void* data, const void* buf, size_t n) -> la_ssize_t {
            static_cast<std::string*>(data)->append(static_cast<const char*>(buf), n);
            return static_cast<la_ssize_t>(n);
        },
        nullptr);
    ReadArchive disk(archive_read_disk_new(), archive_read_free);
    archive_read_disk_set_standard_lookup(disk.get());
    if (archive_read_disk_open(disk.get(), src.c_str()) != ARCHIVE_OK) {
        return Error("read " + src + ": " + archive_error_string(disk.get()));
    }
    std::string prefix = src;
    std::string top = base_name(src);
    for (;;) {
        std::unique_ptr<archive_entry, decltype(&archive_entry_free)> entry(archive_entry_new(),
                                                                            archive_entry_free);
        int rc = archive_read_next_header2(disk.get(), entry.get());
        if (rc == ARCHIVE_EOF) break;
        if (rc != ARCHIVE_OK) return Error("read " + src + ": " + archive_error_string(disk.get()));
        archive_read_disk_descend(disk.get());
        std::string path = archive_entry_pathname(entry.get());
        std::string name = top + path.substr(std::min(path.size(), prefix.size()));
        archive_entry_set_pathname(entry.get(), name.c_str());
        if (archive_write_header(out.get(), entry.get()) != ARCHIVE_OK) {
            return Error("pack " + path + ": " + archive_error_string(out.get()));
        }
        if (archive_entry_filetype(entry.get()) == AE_IFREG) {
            const void* buf = nullptr;
            size_t size = 0;
            la_int64_t offset = 0;
            while (archive_read_data_block(disk.get(), &buf, &size, &offset) == ARCHIVE_OK) {
                archive_write_data(out.get(), buf, size);
            }
        }
    }
    archive_write_close(out.get());
    return tar;
}

int run_cp(const VerbContext& ctx, const CpFlags& f) {
    CopyEnd src = parse_copy_end(f.src), dst = parse_copy_end(f.dst);
    if (src.service.empty() == dst.service.empty()) {
        return fail(
            "copying between services is not supported, nor between two local paths: "
            "name one side SERVICE:PATH");
    }
    auto ref = project_ref(ctx.project);
    if (!ref) return fail(ref.error());
    auto client = connect(ctx.global);
    if (!client) return fail(client.error());
    const CopyEnd& remote = src.service.empty() ? dst : src;
    auto id = container_id(*client, ref->name, remote.service, f.index, true);
    if (!id) return fail(id.error());
    std::string target = "/v1/containers/" + *id + "/archive?path=" + url_encode(remote.path);
    if (!src.service.empty()) {
        auto r = client->call(get_request(target));
        if (!r) return fail(r.error());
        if (!r->ok()) return fail(r->error_message());
        auto x = extract(r->body, src.path, dst.path);
        return x ? 0 : fail(x.error().context("copy to " + dst.path));
    }
    auto tar = pack(src.path);
    if (!tar) return fail(tar.error());
    Request put = post_request(target, std::move(*tar));
    put.method = "PUT";
    put.content_type = "application/x-tar";
    const std::size_t sent = put.body.size();
    auto r = client->call(put);
    // berthd caps request bodies (max_body_bytes, 64 MiB by default; docs/daemon.md): past it, it
    // answers 413 and closes, often before the body is sent, so the send itself may fail.
    const std::string limit_hint =
        " (the archive is " + std::to_string(sent) +
        " bytes; berthd refuses request bodies larger than its max_body_bytes, 64 MiB by "
        "default: copy less at a time)";
    if (!r) return fail(r.error().message() + (sent > (1u << 20) ? limit_hint : ""));
    if (r->head.status == 413) return fail(r->error_message() + limit_hint);
    return r->ok() ? 0 : fail(r->error_message());
}

}  // namespace

CopyEnd parse_copy_end(const std::string& arg) {
    auto colon = arg.find(':');
    if (colon == std::string::npos || colon == 0 || arg.starts_with("/") || arg.starts_with(".") ||
        arg.substr(0, colon).find('/') != std::string::npos) {
        return {"", arg};
    }
    return {arg.substr(0, colon), arg.substr(colon + 1)};
}

void add_cp_command(CLI::App& app, VerbContext ctx) {
    auto f = std::make_shared<CpFlags>();
    CLI::App* cp = app.add_subcommand(
        "cp", "Copy files/folders between a service container and the local filesystem");
    cp->add_option("SRC", f->src, "SERVICE:SRC_PATH or a local path")->required();
    cp->add_option("DST", f->dst, "SERVICE:DEST_PATH or a local path")->required();
    cp->add_option("--index", f->index, "Index of the container if service has replicas");
    cp->callback([ctx, f] { ctx.exit_code = run_cp(ctx, *f); });
}

}  // namespace berth::cli
