#include <gtest/gtest.h>
#include <sys/mount.h>

#include "engine/defaults.hpp"
#include "engine/mount_plan.hpp"
#include "engine/userns.hpp"

namespace berth::engine {
namespace {

std::vector<std::string> targets(const std::vector<MountStep>& plan) {
    std::vector<std::string> out;
    for (const auto& s : plan) out.push_back(s.target);
    return out;
}

const MountStep& find(const std::vector<MountStep>& plan, const std::string& target) {
    for (const auto& s : plan) {
        if (s.target == target) return s;
    }
    static MountStep none;
    ADD_FAILURE() << "no step for " << target;
    return none;
}

TEST(MountOptions, FlagsAndData) {
    auto o = parse_mount_options({"nosuid,nodev,noexec", "ro", "size=65536k", "mode=1777"});
    ASSERT_TRUE(o);
    EXPECT_EQ(o->flags, static_cast<unsigned long>(MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY));
    EXPECT_EQ(o->data, "size=65536k,mode=1777");
}

TEST(MountOptions, LaterWordsWin) {
    auto o = parse_mount_options({"noexec,ro,exec,rw"});
    ASSERT_TRUE(o);
    EXPECT_EQ(o->flags, 0u);
    EXPECT_EQ(o->clear, static_cast<unsigned long>(MS_NOEXEC | MS_RDONLY));
}

TEST(MountOptions, PropagationAndBind) {
    auto o = parse_mount_options({"rbind", "rslave"});
    ASSERT_TRUE(o);
    EXPECT_TRUE(o->bind);
    EXPECT_TRUE(o->recursive);
    EXPECT_EQ(o->propagation, static_cast<unsigned long>(MS_SLAVE | MS_REC));
}

TEST(MountOptions, UnknownWordsAreErrors) {
    auto o = parse_mount_options({"nosuid,frobnicate"});
    ASSERT_FALSE(o);
    EXPECT_EQ(o.error().message(), "unknown mount option \"frobnicate\"");
    EXPECT_FALSE(parse_mount_options({"colour=blue"}));
    EXPECT_TRUE(parse_mount_options({"tmpcopyup", ""}));
}

TEST(MountPlan, DefaultsInOrder) {
    auto plan = plan_mounts({});
    ASSERT_TRUE(plan);
    EXPECT_EQ(targets(*plan), (std::vector<std::string>{"/proc", "/dev", "/dev/pts", "/dev/shm",
                                                        "/dev/mqueue", "/sys"}));
    for (const auto& s : *plan) {
        EXPECT_EQ(s.kind, MountStep::Kind::NewFs);
        EXPECT_TRUE(s.no_symlinks) << s.target;
    }
}

TEST(MountPlan, DefaultMountDetails) {
    auto plan = *plan_mounts({});
    EXPECT_EQ(find(plan, "/proc").fstype, "proc");
    EXPECT_EQ(find(plan, "/proc").flags,
              static_cast<unsigned long>(MS_NOSUID | MS_NODEV | MS_NOEXEC));
    EXPECT_EQ(find(plan, "/dev").data, "mode=755,size=65536k");
    EXPECT_EQ(find(plan, "/dev/pts").data, "newinstance,ptmxmode=0666,mode=0620,gid=5");
    EXPECT_EQ(find(plan, "/dev/shm").data, "mode=1777,size=67108864");
    EXPECT_EQ(find(plan, "/dev/mqueue").fstype, "mqueue");
    EXPECT_TRUE(find(plan, "/sys").flags & MS_RDONLY);
}

TEST(MountPlan, ShmSizeAndPrivilegedSys) {
    MountPlanInput in;
    in.shm_size = 1 << 20;
    in.privileged = true;
    auto plan = *plan_mounts(in);
    EXPECT_EQ(find(plan, "/dev/shm").data, "mode=1777,size=1048576");
    EXPECT_FALSE(find(plan, "/sys").flags & MS_RDONLY);
}

TEST(MountPlan, DevptsWithoutGid5WhenUnmappedInUserNamespace) {
    MountPlanInput in;
    in.user_namespace = true;
    in.gid5_mapped = false;
    EXPECT_EQ(find(*plan_mounts(in), "/dev/pts").data, "newinstance,ptmxmode=0666,mode=0620");
}

TEST(MountPlan, SysIsABindOfTheHostsInAUserNamespaceWithTheHostNetwork) {
    MountPlanInput in;
    in.user_namespace = true;
    in.private_net = false;
    const auto& sys = find(*plan_mounts(in), "/sys");
    EXPECT_EQ(sys.kind, MountStep::Kind::Bind);
    EXPECT_EQ(sys.source, "/sys");
    EXPECT_TRUE(sys.recursive);
    EXPECT_TRUE(sys.flags & MS_RDONLY);
    in.user_namespace = false;
    EXPECT_EQ(find(*plan_mounts(in), "/sys").kind, MountStep::Kind::NewFs);
}

TEST(MountPlan, SpecMountsFollowAndReplaceDefaults) {
    MountPlanInput in;
    Mount bind;
    bind.source = "/srv/data";
    bind.target = "/data/";
    bind.read_only = true;
    Mount shm;
    shm.type = Mount::Type::Tmpfs;
    shm.target = "/dev/shm";
    shm.options = {"size=1m"};
    in.mounts = {bind, shm};
    auto plan = plan_mounts(in);
    ASSERT_TRUE(plan);
    EXPECT_EQ(targets(*plan), (std::vector<std::string>{"/proc", "/dev", "/dev/pts", "/dev/mqueue",
                                                        "/sys", "/data", "/dev/shm"}));
    const auto& b = find(*plan, "/data");
    EXPECT_EQ(b.kind, MountStep::Kind::Bind);
    EXPECT_EQ(b.source, "/srv/data");
    EXPECT_TRUE(b.flags & MS_RDONLY);
    EXPECT_TRUE(b.recursive);
    EXPECT_FALSE(b.no_symlinks);
    EXPECT_EQ(b.propagation, static_cast<unsigned long>(MS_PRIVATE | MS_REC));
    EXPECT_EQ(find(*plan, "/dev/shm").data, "size=1m");
}

TEST(MountPlan, BadSpecMounts) {
    MountPlanInput in;
    Mount relative;
    relative.source = "/x";
    relative.target = "data";
    in.mounts = {relative};
    EXPECT_FALSE(plan_mounts(in));
    Mount rel_source;
    rel_source.source = "x";
    rel_source.target = "/data";
    in.mounts = {rel_source};
    EXPECT_FALSE(plan_mounts(in));
    Mount bad_opt;
    bad_opt.type = Mount::Type::Tmpfs;
    bad_opt.target = "/t";
    bad_opt.options = {"bogus"};
    in.mounts = {bad_opt};
    auto r = plan_mounts(in);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message(), "mount /t: unknown mount option \"bogus\"");
}

TEST(Defaults, MaskedAndReadonlyPaths) {
    const auto& masked = default_masked_paths();
    EXPECT_NE(std::find(masked.begin(), masked.end(), "/proc/kcore"), masked.end());
    EXPECT_NE(std::find(masked.begin(), masked.end(), "/sys/firmware"), masked.end());
    EXPECT_EQ(default_readonly_paths(),
              (std::vector<std::string>{"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
                                        "/proc/sysrq-trigger"}));
}

TEST(Defaults, Devices) {
    std::vector<std::string> seen;
    for (const auto& d : default_devices()) {
        seen.push_back(d.path + " " + std::to_string(d.major) + ":" + std::to_string(d.minor));
        EXPECT_EQ(d.mode, 0666u);
        EXPECT_EQ(d.type, 'c');
    }
    EXPECT_EQ(seen,
              (std::vector<std::string>{"/dev/null 1:3", "/dev/zero 1:5", "/dev/full 1:7",
                                        "/dev/random 1:8", "/dev/urandom 1:9", "/dev/tty 5:0"}));
    EXPECT_EQ(default_dev_symlinks().size(), 5u);
}

TEST(UserNamespace, MapText) {
    auto text = format_id_map({{0, 100000, 65536}, {65536, 1000, 1}});
    ASSERT_TRUE(text);
    EXPECT_EQ(*text, "0 100000 65536\n65536 1000 1\n");
    EXPECT_FALSE(format_id_map({}));
    EXPECT_FALSE(format_id_map({{0, 4294967295u, 2}}));
    EXPECT_FALSE(format_id_map({{0, 1, 0}}));
    EXPECT_TRUE(id_mapped({{0, 100000, 65536}}, 5));
    EXPECT_FALSE(id_mapped({{0, 100000, 5}}, 5));
}

}  // namespace
}  // namespace berth::engine
