#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>

#include "../../daemon/src/archive_io.hpp"

namespace berth::daemon {
namespace {

namespace fs = std::filesystem;

struct Entry {
    std::string name;
    mode_t type = AE_IFREG;
    std::string content;  // the file's data or the symlink's target
    mode_t perm = 0644;
};

std::string make_tar(const std::vector<Entry>& entries) {
    std::string out;
    std::unique_ptr<archive, decltype(&archive_write_free)> a(archive_write_new(),
                                                              archive_write_free);
    archive_write_set_format_pax_restricted(a.get());
    archive_write_open(
        a.get(), &out, nullptr,
        [](archive*, void* data, const void* buf, size_t n) -> la_ssize_t {
            static_cast<std::string*>(data)->append(static_cast<const char*>(buf), n);
            return static_cast<la_ssize_t>(n);
        },
        nullptr);
    for (const auto& e : entries) {
        archive_entry* ae = archive_entry_new();
        archive_entry_set_pathname(ae, e.name.c_str());
        archive_entry_set_filetype(ae, e.type);
        archive_entry_set_perm(ae, e.perm);
        archive_entry_set_uid(ae, getuid());
        archive_entry_set_gid(ae, getgid());
        if (e.type == AE_IFLNK) archive_entry_set_symlink(ae, e.content.c_str());
        archive_entry_set_size(ae,
                               e.type == AE_IFREG ? static_cast<la_int64_t>(e.content.size()) : 0);
        archive_write_header(a.get(), ae);
        if (e.type == AE_IFREG) archive_write_data(a.get(), e.content.data(), e.content.size());
        archive_entry_free(ae);
    }
    archive_write_close(a.get());
    return out;
}

// name -> content (files) or "->target" (symlinks) or "/" (folders).
std::map<std::string, std::string> read_tar(const std::string& tar) {
    std::map<std::string, std::string> out;
    std::unique_ptr<archive, decltype(&archive_read_free)> a(archive_read_new(), archive_read_free);
    archive_read_support_format_tar(a.get());
    archive_read_open_memory(a.get(), tar.data(), tar.size());
    archive_entry* e = nullptr;
    while (archive_read_next_header(a.get(), &e) == ARCHIVE_OK) {
        std::string name = archive_entry_pathname(e);
        if (name.size() > 1 && name.back() == '/') name.pop_back();  // tar marks folders so
        if (archive_entry_filetype(e) == AE_IFDIR) {
            out[name] = "/";
        } else if (archive_entry_filetype(e) == AE_IFLNK) {
            out[name] = std::string("->") + archive_entry_symlink(e);
        } else {
            std::string data(static_cast<std::size_t>(archive_entry_size(e)), '\0');
            archive_read_data(a.get(), data.data(), data.size());
            out[name] = data;
        }
    }
    return out;
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

class ArchiveIo : public ::testing::Test {
  protected:
    void SetUp() override {
        char tmpl[] = "/tmp/berth-archive-io-XXXXXX";
        ASSERT_NE(mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
        root_ = dir_ / "root";
        fs::create_directories(root_ / "etc");
        fs::create_directories(root_ / "tmp");
        std::ofstream(root_ / "etc" / "marker") << "inside";
        fs::create_directory_symlink("/", root_ / "evil");
        root_fd_ = Fd(::open(root_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
        ASSERT_TRUE(root_fd_.ok());
        // A name no host path has, for the escape checks.
        host_name_ = "berth-archive-io-escape-" + std::to_string(getpid());
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(dir_, ec);
        fs::remove("/tmp/" + host_name_, ec);
    }
    fs::path dir_, root_;
    Fd root_fd_;
    std::string host_name_;
};

TEST_F(ArchiveIo, ReadsThroughAnAbsoluteSymlinkInsideTheRoot) {
    auto tar = archive_path(root_fd_.get(), "/evil/etc/marker", "c");
    ASSERT_TRUE(std::holds_alternative<std::string>(tar)) << std::get<CpError>(tar).message;
    auto entries = read_tar(std::get<std::string>(tar));
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries["marker"], "inside");
}

TEST_F(ArchiveIo, ArchivesAFolderWithItsSymlinksAsSymlinks) {
    auto tar = archive_path(root_fd_.get(), "/", "c");
    ASSERT_TRUE(std::holds_alternative<std::string>(tar)) << std::get<CpError>(tar).message;
    auto entries = read_tar(std::get<std::string>(tar));
    EXPECT_EQ(entries["./evil"], "->/");
    EXPECT_EQ(entries["./etc/marker"], "inside");
    EXPECT_EQ(entries["./tmp"], "/");
}

TEST_F(ArchiveIo, AMissingPathIsNotFound) {
    auto tar = archive_path(root_fd_.get(), "/no/such", "c");
    ASSERT_TRUE(std::holds_alternative<CpError>(tar));
    EXPECT_EQ(std::get<CpError>(tar).status, 404);
    EXPECT_NE(std::get<CpError>(tar).message.find("/no/such"), std::string::npos);
}

TEST_F(ArchiveIo, WritesThroughASymlinkToSlashInsideTheRoot) {
    auto r = extract_archive(root_fd_.get(), "/evil/tmp/" + host_name_,
                             make_tar({{"src.txt", AE_IFREG, "data", 0640}}), "c");
    ASSERT_TRUE(std::holds_alternative<void*>(r)) << std::get<CpError>(r).message;
    EXPECT_FALSE(fs::exists("/tmp/" + host_name_));
    EXPECT_EQ(slurp(root_ / "tmp" / host_name_), "data");
    struct stat st {};
    ASSERT_EQ(::stat((root_ / "tmp" / host_name_).c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0640u);
}

TEST_F(ArchiveIo, NeverFollowsASymlinkInsideTheArchivePath) {
    // "evil" is a symlink to / in the root: an entry under it must not land in the host's /tmp.
    auto r = extract_archive(root_fd_.get(), "/",
                             make_tar({{"evil/tmp/" + host_name_, AE_IFREG, "x"}}), "c");
    EXPECT_TRUE(std::holds_alternative<CpError>(r));
    EXPECT_FALSE(fs::exists("/tmp/" + host_name_));
}

TEST_F(ArchiveIo, NeverFollowsASymlinkTheArchiveItselfMade) {
    auto r = extract_archive(root_fd_.get(), "/tmp",
                             make_tar({{"d", AE_IFDIR, "", 0755},
                                       {"d/up", AE_IFLNK, "/"},
                                       {"d/up/tmp/" + host_name_, AE_IFREG, "x"}}),
                             "c");
    EXPECT_TRUE(std::holds_alternative<CpError>(r));
    EXPECT_FALSE(fs::exists("/tmp/" + host_name_));
    EXPECT_TRUE(fs::is_symlink(root_ / "tmp" / "d" / "up"));
}

TEST_F(ArchiveIo, RefusesDotDotAndAbsoluteNames) {
    auto r = extract_archive(root_fd_.get(), "/tmp",
                             make_tar({{"../../" + host_name_, AE_IFREG, "x"}}), "c");
    ASSERT_TRUE(std::holds_alternative<CpError>(r));
    EXPECT_EQ(std::get<CpError>(r).status, 400);
    EXPECT_TRUE(std::holds_alternative<CpError>(entry_components("/etc/passwd")));
    EXPECT_TRUE(std::holds_alternative<CpError>(entry_components("a/../../b")));
    auto ok = entry_components("./a//b/.");
    ASSERT_TRUE(std::holds_alternative<std::vector<std::string>>(ok));
    EXPECT_EQ(std::get<0>(ok), (std::vector<std::string>{"a", "b"}));
}

TEST_F(ArchiveIo, ReplacesAnExistingSymlinkInsteadOfWritingThroughIt) {
    fs::create_symlink("/tmp/" + host_name_, root_ / "tmp" / "f");
    auto r = extract_archive(root_fd_.get(), "/tmp", make_tar({{"f", AE_IFREG, "new"}}), "c");
    ASSERT_TRUE(std::holds_alternative<void*>(r)) << std::get<CpError>(r).message;
    EXPECT_FALSE(fs::exists("/tmp/" + host_name_));
    EXPECT_FALSE(fs::is_symlink(root_ / "tmp" / "f"));
    EXPECT_EQ(slurp(root_ / "tmp" / "f"), "new");
}

TEST_F(ArchiveIo, ANewNameNeedsASingleTopEntry) {
    auto r = extract_archive(root_fd_.get(), "/tmp/new",
                             make_tar({{"a", AE_IFREG, "1"}, {"b", AE_IFREG, "2"}}), "c");
    ASSERT_TRUE(std::holds_alternative<CpError>(r));
    EXPECT_EQ(std::get<CpError>(r).status, 400);
    r = extract_archive(root_fd_.get(), "/tmp/new",
                        make_tar({{"a", AE_IFDIR, "", 0700}, {"a/x", AE_IFREG, "1"}}), "c");
    ASSERT_TRUE(std::holds_alternative<void*>(r)) << std::get<CpError>(r).message;
    EXPECT_EQ(slurp(root_ / "tmp" / "new" / "x"), "1");
}

}  // namespace
}  // namespace berth::daemon
