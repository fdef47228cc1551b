// Volume names, folders and the local driver's options.
#include "volumes/volume.hpp"

#include <gtest/gtest.h>
#include <sys/mount.h>

namespace berth::volumes {
namespace {

TEST(VolumeName, DockersCharacterSet) {
    for (const char* ok : {"data", "demo_data", "a.b-c_d", "0", "X9"}) {
        EXPECT_TRUE(check_name(ok)) << ok;
    }
    for (const char* bad : {"", "..", "../x", "a/b", "-lead", "_lead", ".hidden", "a b", "a:b"}) {
        auto r = check_name(bad);
        ASSERT_FALSE(r) << bad;
        EXPECT_NE(r.error().message().find("only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed"),
                  std::string::npos);
    }
    EXPECT_FALSE(check_name(std::string(256, 'a')));
}

TEST(VolumeName, Folders) {
    EXPECT_EQ(data_dir("/var/lib/berth/volumes", "demo_data"),
              "/var/lib/berth/volumes/demo_data/_data");
}

TEST(LocalDriver, NoOptionsIsAPlainFolder) {
    auto m = parse_local_options("v", {});
    ASSERT_TRUE(m);
    EXPECT_FALSE(*m);
}

TEST(LocalDriver, TmpfsWithSize) {
    auto m = parse_local_options(
        "v", {{"type", "tmpfs"}, {"device", "tmpfs"}, {"o", "size=2m,uid=1000,noexec"}});
    ASSERT_TRUE(m && *m);
    EXPECT_EQ((*m)->type, "tmpfs");
    EXPECT_EQ((*m)->data, "size=2m,uid=1000");
    EXPECT_EQ((*m)->flags, static_cast<unsigned long>(MS_NOEXEC));
    auto no_device = parse_local_options("v", {{"type", "tmpfs"}});
    ASSERT_TRUE(no_device && *no_device);
    EXPECT_EQ((*no_device)->device, "tmpfs");
}

TEST(LocalDriver, BindAndBlockDevice) {
    auto bind = parse_local_options("v", {{"type", "none"}, {"device", "/srv/x"}, {"o", "bind"}});
    ASSERT_TRUE(bind && *bind);
    EXPECT_TRUE((*bind)->bind);
    auto rel = parse_local_options("v", {{"type", "none"}, {"device", "srv"}, {"o", "bind"}});
    ASSERT_FALSE(rel);
    EXPECT_NE(rel.error().message().find("must be an absolute path"), std::string::npos);
    auto ext4 = parse_local_options("v", {{"type", "ext4"}, {"device", "/dev/loop3"}});
    ASSERT_TRUE(ext4 && *ext4);
    EXPECT_EQ((*ext4)->flags, 0u);
}

TEST(LocalDriver, RefusalsNameTheVolumeAndKey) {
    auto unknown = parse_local_options("v", {{"size", "1g"}});
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().message(),
              "volume \"v\": driver_opts: unknown option \"size\" (the local driver takes type, "
              "device and o)");
    auto no_type = parse_local_options("v", {{"device", "/dev/sdb1"}});
    ASSERT_FALSE(no_type);
    EXPECT_NE(no_type.error().message().find("\"type\" is missing"), std::string::npos);
    auto no_device = parse_local_options("v", {{"type", "ext4"}});
    ASSERT_FALSE(no_device);
    EXPECT_NE(no_device.error().message().find("\"device\" is missing"), std::string::npos);
}

TEST(LocalDriver, OnlyLocal) {
    EXPECT_TRUE(check_driver("v", ""));
    EXPECT_TRUE(check_driver("v", "local"));
    auto other = check_driver("v", "rexray");
    ASSERT_FALSE(other);
    EXPECT_EQ(other.error().message(),
              "volume \"v\": driver \"rexray\" is not available (berth has only the local driver)");
}

}  // namespace
}  // namespace berth::volumes
