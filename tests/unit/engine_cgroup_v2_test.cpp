// The v2 backend against a fake unified hierarchy.
#include <gtest/gtest.h>

#include "cgroup_fake_fs.hpp"
#include "engine/cgroups.hpp"

using namespace berth::engine;

namespace {

const char* const kContainerFiles[] = {"cgroup.procs",  "cgroup.subtree_control",
                                       "cgroup.freeze", "cgroup.kill",
                                       "cgroup.events", "memory.max",
                                       "memory.low",    "memory.swap.max",
                                       "cpu.max",       "cpu.weight",
                                       "cpuset.cpus",   "cpuset.mems",
                                       "pids.max",      "io.weight",
                                       "io.max"};

// The root of a v2 mount and berth/c1 with the files mkdir would have made.
FakeCgroupFs unified(const std::string& name = "c1") {
    FakeCgroupFs fs;
    fs.put("cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma misc\n");
    fs.put("cgroup.subtree_control");
    fs.put("cpuset.cpus.effective", "0-1\n");
    fs.put("cpuset.mems.effective", "0\n");
    fs.put("berth/cgroup.subtree_control");
    for (const char* f : kContainerFiles) fs.put("berth/" + name + "/" + f);
    fs.put("berth/" + name + "/cgroup.events", "populated 0\nfrozen 0\n");
    return fs;
}

std::unique_ptr<Cgroup> create(const FakeCgroupFs& fs, const std::string& name = "c1") {
    auto manager = detect_cgroups(fs.root());
    EXPECT_TRUE(manager) << manager.error().message();
    EXPECT_EQ((*manager)->version(), 2);
    auto group = (*manager)->create(name);
    EXPECT_TRUE(group) << group.error().message();
    return std::move(*group);
}

}  // namespace

TEST(CgroupV2, CreateEnablesControllersInEveryParent) {
    auto fs = unified();
    auto group = create(fs);
    EXPECT_EQ(group->path(), "berth/c1");
    EXPECT_EQ(fs.get("cgroup.subtree_control"), "+cpu +memory +pids +io +cpuset");
    EXPECT_EQ(fs.get("berth/cgroup.subtree_control"), "+cpu +memory +pids +io +cpuset");
    EXPECT_EQ(fs.get("berth/c1/cgroup.subtree_control"), "");  // a leaf: processes live here
    EXPECT_EQ(group->procs_files(),
              (std::vector<std::string>{fs.root() + "/berth/c1/cgroup.procs"}));
}

TEST(CgroupV2, ApplyWritesTheUnifiedFiles) {
    auto fs = unified();
    auto group = create(fs);
    Resources r;
    r.memory = 32 << 20;
    r.memory_swap = 64 << 20;
    r.memory_reservation = 16 << 20;
    r.cpu_quota = 50000;
    r.cpu_period = 100000;
    r.cpu_shares = 512;
    r.cpuset_cpus = "0";
    r.cpuset_mems = "0";
    r.pids_limit = 10;
    r.blkio_weight = 500;
    r.read_bps = {{"8:0", 1048576}};
    r.write_iops = {{"8:0", 100}};
    auto applied = group->apply(r);
    ASSERT_TRUE(applied) << applied.error().message();
    EXPECT_EQ(fs.get("berth/c1/memory.max"), std::to_string(32 << 20));
    EXPECT_EQ(fs.get("berth/c1/memory.swap.max"), std::to_string(32 << 20));  // swap alone
    EXPECT_EQ(fs.get("berth/c1/memory.low"), std::to_string(16 << 20));
    EXPECT_EQ(fs.get("berth/c1/cpu.max"), "50000 100000");
    EXPECT_EQ(fs.get("berth/c1/cpu.weight"), "59");
    EXPECT_EQ(fs.get("berth/c1/cpuset.cpus"), "0");
    EXPECT_EQ(fs.get("berth/c1/cpuset.mems"), "0");
    EXPECT_EQ(fs.get("berth/c1/pids.max"), "10");
    EXPECT_EQ(fs.get("berth/c1/io.weight"), "default 4950");
    EXPECT_EQ(fs.get("berth/c1/io.max"), "8:0 rbps=1048576 wiops=100");
}

TEST(CgroupV2, UnlimitedValuesAreMax) {
    auto fs = unified();
    auto group = create(fs);
    Resources r;
    r.memory = 64 << 20;
    r.memory_swap = -1;
    r.pids_limit = 0;
    r.cpu_quota = -1;
    ASSERT_TRUE(group->apply(r));
    EXPECT_EQ(fs.get("berth/c1/memory.swap.max"), "max");
    EXPECT_EQ(fs.get("berth/c1/pids.max"), "max");
    EXPECT_EQ(fs.get("berth/c1/cpu.max"), "max");
}

TEST(CgroupV2, ApplyRefusesWhatTheMachineCannotDo) {
    auto fs = unified();
    auto group = create(fs);
    Resources r;
    r.cpuset_cpus = "7";
    auto applied = group->apply(r);
    ASSERT_FALSE(applied);
    EXPECT_EQ(applied.error().message(), "cpuset \"7\": this machine has CPUs 0-1");
    EXPECT_EQ(fs.get("berth/c1/cpuset.cpus"), "");
    Resources m;
    m.memory = 1 << 20;
    EXPECT_EQ(group->apply(m).error().message(),
              "memory limit 1MB: minimum memory limit allowed is 6MB");
}

TEST(CgroupV2, FreezeWaitsForTheEvent) {
    auto fs = unified();
    auto group = create(fs);
    fs.put("berth/c1/cgroup.events", "populated 1\nfrozen 1\n");  // what the kernel reports
    ASSERT_TRUE(group->freeze());
    EXPECT_EQ(fs.get("berth/c1/cgroup.freeze"), "1");
    EXPECT_TRUE(*group->frozen());
    ASSERT_TRUE(group->thaw());
    EXPECT_EQ(fs.get("berth/c1/cgroup.freeze"), "0");
    EXPECT_FALSE(*group->frozen());
}

TEST(CgroupV2, FreezeThatNeverSettlesIsUndone) {
    auto fs = unified();
    auto group = create(fs);
    auto frozen = group->freeze();  // cgroup.events keeps saying frozen 0
    ASSERT_FALSE(frozen);
    EXPECT_NE(frozen.error().message().find("did not report frozen"), std::string::npos);
    EXPECT_EQ(fs.get("berth/c1/cgroup.freeze"), "0");
}

TEST(CgroupV2, StatsPidsAndOom) {
    auto fs = unified();
    auto group = create(fs);
    fs.put("berth/c1/cgroup.procs", "12\n7\n");
    fs.put("berth/c1/sub/cgroup.procs", "30\n");
    fs.put("berth/c1/cpu.stat", "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\n");
    fs.put("berth/c1/memory.current", "4096\n");
    fs.put("berth/c1/memory.max", "max\n");
    fs.put("berth/c1/pids.current", "3\n");
    fs.put("berth/c1/io.stat", "8:0 rbytes=100 wbytes=20 rios=1 wios=1\n8:16 rbytes=1 wbytes=2\n");
    fs.put("berth/c1/memory.events", "low 0\nhigh 0\nmax 4\noom 1\noom_kill 0\n");
    EXPECT_EQ(*group->pids(), (std::vector<pid_t>{7, 12, 30}));
    auto s = group->stats();
    ASSERT_TRUE(s) << s.error().message();
    EXPECT_EQ(s->cpu_usage_ns, 1500000u);
    EXPECT_EQ(s->memory_usage, 4096u);
    EXPECT_EQ(s->memory_limit, 0u);
    EXPECT_EQ(s->pids, 3u);
    EXPECT_EQ(s->io_read_bytes, 101u);
    EXPECT_EQ(s->io_write_bytes, 22u);
    EXPECT_FALSE(*group->oom_killed());
    fs.put("berth/c1/memory.events", "low 0\nhigh 0\nmax 4\noom 1\noom_kill 1\n");
    EXPECT_TRUE(*group->oom_killed());
}

TEST(CgroupV2, DestroyKillsAndRemovesSubCgroups) {
    auto fs = unified();
    auto group = create(fs);
    fs.put("berth/c1/inner/cgroup.procs");
    auto gone = group->destroy();
    ASSERT_TRUE(gone) << gone.error().message();
    EXPECT_EQ(fs.get("berth/c1/cgroup.kill").size(), 0u);  // gone with the folder
    EXPECT_FALSE(fs.has("berth/c1"));
    EXPECT_TRUE(fs.has("berth"));   // shared by every container
    EXPECT_TRUE(group->destroy());  // already gone: still fine
}

TEST(CgroupV2, OpenFindsExistingOnly) {
    auto fs = unified();
    auto manager = detect_cgroups(fs.root());
    ASSERT_TRUE(manager);
    EXPECT_TRUE((*manager)->open("c1"));
    auto missing = (*manager)->open("nope");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().message(), "open cgroup berth/nope: no such cgroup");
    EXPECT_FALSE((*manager)->create("../escape"));
}

TEST(CgroupV2, DetectFailsOnAnEmptyFolder) {
    FakeCgroupFs fs;
    auto manager = detect_cgroups(fs.root());
    ASSERT_FALSE(manager);
    EXPECT_NE(manager.error().message().find("no cgroup hierarchy under"), std::string::npos);
}
