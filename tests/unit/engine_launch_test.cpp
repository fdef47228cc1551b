// The parts of launch() that run before clone: a bad spec is refused with a clear error and no
// process is created, so these run without root.
#include <errno.h>
#include <gtest/gtest.h>

#include "engine/launch.hpp"

namespace berth::engine {
namespace {

ContainerSpec valid() {
    ContainerSpec s;
    s.rootfs_dir = "/";
    s.args = {"/bin/true"};
    return s;
}

std::string launch_error(const ContainerSpec& s) {
    auto r = launch(s);
    EXPECT_FALSE(r);
    return r ? "" : r.error().message();
}

TEST(LaunchValidation, NeedsACommand) {
    auto s = valid();
    s.args.clear();
    EXPECT_EQ(launch_error(s), "no command to run");
}

TEST(LaunchValidation, NeedsExactlyOneKindOfRootfs) {
    auto s = valid();
    s.rootfs_dir.clear();
    EXPECT_EQ(launch_error(s), "no root filesystem: rootfs_dir or lower_dirs needed");
    s.lower_dirs = {"/a"};
    EXPECT_EQ(launch_error(s), "overlay rootfs needs merged_dir");
    s.rootfs_dir = "/";
    EXPECT_EQ(launch_error(s), "give either rootfs_dir or lower_dirs, not both");
}

TEST(LaunchValidation, OverlayPathsCannotInjectOptions) {
    auto s = valid();
    s.rootfs_dir.clear();
    s.lower_dirs = {"/a,upperdir=/etc"};
    s.merged_dir = "/m";
    EXPECT_NE(launch_error(s).find("contains ',' or ':'"), std::string::npos);
}

TEST(LaunchValidation, CwdMustBeAbsolute) {
    auto s = valid();
    s.cwd = "work";
    EXPECT_EQ(launch_error(s), "cwd work is not absolute");
}

TEST(LaunchValidation, HostnameNeedsAPrivateUts) {
    auto s = valid();
    s.hostname = "box";
    s.namespaces.uts = false;
    EXPECT_EQ(launch_error(s), "hostname and domainname need a private UTS namespace");
}

TEST(LaunchValidation, MountNamespaceIsRequired) {
    auto s = valid();
    s.namespaces.mount = false;
    EXPECT_NE(launch_error(s).find("mount namespace"), std::string::npos);
}

TEST(LaunchValidation, UserNamespaceNeedsMaps) {
    auto s = valid();
    s.namespaces.user = true;
    EXPECT_EQ(launch_error(s), "a user namespace needs a uid_map and a gid_map");
}

TEST(LaunchValidation, BadCapabilitySysctlAndUlimit) {
    auto s = valid();
    s.cap_add = {"NET_WIZARD"};
    EXPECT_EQ(launch_error(s), "unknown capability: \"NET_WIZARD\"");
    s = valid();
    s.sysctls["vm.swappiness"] = "1";
    EXPECT_NE(launch_error(s).find("not in a separate kernel namespace"), std::string::npos);
    s = valid();
    s.rlimits = {{"nofiles", 1, 1}};
    EXPECT_EQ(launch_error(s), "unknown ulimit \"nofiles\"");
}

TEST(LaunchValidation, BadMount) {
    auto s = valid();
    Mount m;
    m.type = Mount::Type::Tmpfs;
    m.target = "/t";
    m.options = {"sizee=1m"};
    s.mounts = {m};
    EXPECT_EQ(launch_error(s), "mount /t: unknown mount option \"sizee=1m\"");
}

TEST(LaunchFailureStatus, LikeDockerRun) {
    EXPECT_EQ(launch_failure_status(Error("exec \"foo\": No such file or directory", ENOENT)), 127);
    EXPECT_EQ(launch_failure_status(Error("exec \"/x\": Permission denied", EACCES)), 126);
    EXPECT_EQ(launch_failure_status(Error("pivot_root /m: Invalid argument", EINVAL)), 125);
}

}  // namespace
}  // namespace berth::engine
