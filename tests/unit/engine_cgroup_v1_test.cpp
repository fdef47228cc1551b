// The v1 backend against a fake set of per-controller hierarchies.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "cgroup_fake_fs.hpp"
#include "engine/cgroups.hpp"

using namespace berth::engine;

namespace {

// Each controller's mount, and berth/c1 in it with the files mkdir would have made. cpu and
// cpuacct are separate mounts, as on the CI machines.
FakeCgroupFs hierarchies(const std::string& name = "c1") {
    FakeCgroupFs fs;
    const std::string c = "berth/" + name + "/";
    for (const char* ctrl : {"cpu", "cpuacct", "cpuset", "memory", "blkio", "pids", "freezer"}) {
        fs.put(std::string(ctrl) + "/cgroup.procs");
        fs.put(std::string(ctrl) + "/" + c + "cgroup.procs");
    }
    fs.put("cpuset/cpuset.cpus", "0-1\n");
    fs.put("cpuset/cpuset.mems", "0\n");
    fs.put("cpuset/cpuset.effective_cpus", "0-1\n");
    fs.put("cpuset/cpuset.effective_mems", "0\n");
    for (const char* f : {"cpuset.cpus", "cpuset.mems"}) {
        fs.put(std::string("cpuset/berth/") + f);
        fs.put("cpuset/" + c + f);
    }
    for (const char* f : {"memory.limit_in_bytes", "memory.memsw.limit_in_bytes"}) {
        fs.put("memory/" + c + f, "9223372036854771712\n");
    }
    for (const char* f :
         {"memory.soft_limit_in_bytes", "memory.failcnt", "memory.usage_in_bytes"}) {
        fs.put("memory/" + c + f, "0\n");
    }
    fs.put("memory/" + c + "memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n");
    for (const char* f : {"cpu.shares", "cpu.cfs_period_us", "cpu.cfs_quota_us"}) {
        fs.put("cpu/" + c + f);
    }
    fs.put("cpuacct/" + c + "cpuacct.usage", "0\n");
    for (const char* f : {"pids.max", "pids.current"}) fs.put("pids/" + c + f);
    fs.put("freezer/" + c + "freezer.state", "THAWED\n");
    for (const char* f :
         {"blkio.bfq.weight", "blkio.throttle.read_bps_device", "blkio.throttle.write_bps_device",
          "blkio.throttle.read_iops_device", "blkio.throttle.write_iops_device"}) {
        fs.put("blkio/" + c + f);
    }
    return fs;
}

std::unique_ptr<Cgroup> create(const FakeCgroupFs& fs, const std::string& name = "c1") {
    auto manager = detect_cgroups(fs.root());
    EXPECT_TRUE(manager) << manager.error().message();
    EXPECT_EQ((*manager)->version(), 1);
    auto group = (*manager)->create(name);
    EXPECT_TRUE(group) << group.error().message();
    return std::move(*group);
}

}  // namespace

TEST(CgroupV1, CreateCopiesTheCpusetDown) {
    auto fs = hierarchies();
    auto group = create(fs);
    EXPECT_EQ(group->path(), "berth/c1");
    EXPECT_EQ(fs.get("cpuset/berth/cpuset.cpus"), "0-1");
    EXPECT_EQ(fs.get("cpuset/berth/c1/cpuset.mems"), "0");
    auto files = group->procs_files();
    EXPECT_EQ(files.size(), 7u);
    EXPECT_NE(std::find(files.begin(), files.end(), fs.root() + "/cpuacct/berth/c1/cgroup.procs"),
              files.end());
}

TEST(CgroupV1, OneHierarchyReachedTwiceIsUsedOnce) {
    auto fs = hierarchies();
    std::filesystem::remove_all(fs.root() + "/cpuacct");
    std::filesystem::rename(fs.root() + "/cpu", fs.root() + "/cpu,cpuacct");
    symlink("cpu,cpuacct", (fs.root() + "/cpu").c_str());
    symlink("cpu,cpuacct", (fs.root() + "/cpuacct").c_str());
    auto group = create(fs);
    EXPECT_EQ(group->procs_files().size(), 6u);
}

TEST(CgroupV1, ApplyWritesEachController) {
    auto fs = hierarchies();
    auto group = create(fs);
    Resources r;
    r.memory = 32 << 20;
    r.memory_swap = 64 << 20;
    r.memory_reservation = 16 << 20;
    r.cpu_quota = 50000;
    r.cpu_period = 100000;
    r.cpu_shares = 512;
    r.cpuset_cpus = "1";
    r.pids_limit = 10;
    r.blkio_weight = 300;
    r.read_bps = {{"8:0", 1048576}};
    r.write_bps = {{"8:0", 2097152}};
    r.read_iops = {{"8:16", 50}};
    r.write_iops = {{"8:16", 60}};
    auto applied = group->apply(r);
    ASSERT_TRUE(applied) << applied.error().message();
    const std::string c = "/berth/c1/";
    EXPECT_EQ(fs.get("memory" + c + "memory.limit_in_bytes"), std::to_string(32 << 20));
    EXPECT_EQ(fs.get("memory" + c + "memory.memsw.limit_in_bytes"), std::to_string(64 << 20));
    EXPECT_EQ(fs.get("memory" + c + "memory.soft_limit_in_bytes"), std::to_string(16 << 20));
    EXPECT_EQ(fs.get("cpu" + c + "cpu.cfs_quota_us"), "50000");
    EXPECT_EQ(fs.get("cpu" + c + "cpu.cfs_period_us"), "100000");
    EXPECT_EQ(fs.get("cpu" + c + "cpu.shares"), "512");
    EXPECT_EQ(fs.get("cpuset" + c + "cpuset.cpus"), "1");
    EXPECT_EQ(fs.get("pids" + c + "pids.max"), "10");
    EXPECT_EQ(fs.get("blkio" + c + "blkio.bfq.weight"), "300");  // no CFQ blkio.weight here
    EXPECT_EQ(fs.get("blkio" + c + "blkio.throttle.read_bps_device"), "8:0 1048576");
    EXPECT_EQ(fs.get("blkio" + c + "blkio.throttle.write_bps_device"), "8:0 2097152");
    EXPECT_EQ(fs.get("blkio" + c + "blkio.throttle.read_iops_device"), "8:16 50");
    EXPECT_EQ(fs.get("blkio" + c + "blkio.throttle.write_iops_device"), "8:16 60");
}

TEST(CgroupV1, BlockDevicesAreNamedByNumber) {
    auto fs = hierarchies();
    auto group = create(fs);
    Resources r;
    r.read_bps = {{"/dev/null", 1}};
    auto applied = group->apply(r);
    ASSERT_FALSE(applied);
    EXPECT_NE(applied.error().message().find("block device /dev/null: not a block device"),
              std::string::npos);
    r.read_bps = {{"/dev/berth-no-such-disk", 1}};
    EXPECT_NE(group->apply(r).error().message().find("No such file or directory"),
              std::string::npos);
}

TEST(CgroupV1, MissingControllerIsNamed) {
    auto fs = hierarchies();
    std::filesystem::remove_all(fs.root() + "/pids");
    auto group = create(fs);
    Resources r;
    r.pids_limit = 5;
    EXPECT_EQ(
        group->apply(r).error().message(),
        "apply limits to berth/c1: the pids cgroup controller is not mounted on this machine");
}

TEST(CgroupV1, SwapWithoutAccountingIsSkipped) {
    auto fs = hierarchies();
    std::filesystem::remove(fs.root() + "/memory/berth/c1/memory.memsw.limit_in_bytes");
    auto group = create(fs);
    Resources r;
    r.memory = 32 << 20;
    r.memory_swap = 64 << 20;
    ASSERT_TRUE(group->apply(r));
    EXPECT_EQ(fs.get("memory/berth/c1/memory.limit_in_bytes"), std::to_string(32 << 20));
    EXPECT_FALSE(fs.has("memory/berth/c1/memory.memsw.limit_in_bytes"));
}

TEST(CgroupV1, FreezerStates) {
    auto fs = hierarchies();
    auto group = create(fs);
    ASSERT_TRUE(group->freeze());
    EXPECT_EQ(fs.get("freezer/berth/c1/freezer.state"), "FROZEN");
    EXPECT_TRUE(*group->frozen());
    ASSERT_TRUE(group->thaw());
    EXPECT_EQ(fs.get("freezer/berth/c1/freezer.state"), "THAWED");
    EXPECT_FALSE(*group->frozen());
}

TEST(CgroupV1, StatsAndOom) {
    auto fs = hierarchies();
    auto group = create(fs);
    const std::string c = "/berth/c1/";
    fs.put("cpuacct" + c + "cpuacct.usage", "123456789\n");
    fs.put("memory" + c + "memory.usage_in_bytes", "8192\n");
    fs.put("pids" + c + "pids.current", "2\n");
    fs.put("pids" + c + "cgroup.procs", "40\n41\n");
    fs.put("blkio" + c + "blkio.throttle.io_service_bytes",
           "8:0 Read 4096\n8:0 Write 512\n8:0 Sync 0\n8:0 Total 4608\nTotal 4608\n");
    auto s = group->stats();
    ASSERT_TRUE(s);
    EXPECT_EQ(s->cpu_usage_ns, 123456789u);
    EXPECT_EQ(s->memory_usage, 8192u);
    EXPECT_EQ(s->memory_limit, 0u);  // the kernel's "unlimited"
    EXPECT_EQ(s->pids, 2u);
    EXPECT_EQ(s->io_read_bytes, 4096u);
    EXPECT_EQ(s->io_write_bytes, 512u);
    EXPECT_EQ(*group->pids(), (std::vector<pid_t>{40, 41}));
    EXPECT_FALSE(*group->oom_killed());
    fs.put("memory" + c + "memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n");
    EXPECT_TRUE(*group->oom_killed());
    // Before 4.13 there is no oom_kill line: the failure count is all there is.
    fs.put("memory" + c + "memory.oom_control", "oom_kill_disable 0\nunder_oom 0\n");
    fs.put("memory" + c + "memory.failcnt", "3\n");
    EXPECT_TRUE(*group->oom_killed());
}

TEST(CgroupV1, DestroyRemovesEveryHierarchy) {
    auto fs = hierarchies();
    auto group = create(fs);
    fs.put("memory/berth/c1/nested/deeper/cgroup.procs");
    fs.put("freezer/berth/c1/freezer.state", "FROZEN\n");
    auto gone = group->destroy();
    ASSERT_TRUE(gone) << gone.error().message();
    for (const char* ctrl : {"cpu", "cpuacct", "cpuset", "memory", "blkio", "pids", "freezer"}) {
        EXPECT_FALSE(fs.has(std::string(ctrl) + "/berth/c1")) << ctrl;
        EXPECT_TRUE(fs.has(std::string(ctrl) + "/berth")) << ctrl;
    }
    EXPECT_TRUE(group->destroy());
}

TEST(CgroupV1, DestroyCollectsEveryError) {
    auto fs = hierarchies();
    auto group = create(fs);
    // Two hierarchies where the removal fails (a file where the cgroup should be); the others
    // still go, and both failures are reported.
    for (const char* ctrl : {"pids", "blkio"}) {
        std::filesystem::remove_all(fs.root() + "/" + ctrl + "/berth/c1");
        fs.put(std::string(ctrl) + "/berth/c1", "not a cgroup");
    }
    auto gone = group->destroy();
    ASSERT_FALSE(gone);
    EXPECT_NE(gone.error().message().find("pids/berth/c1: Not a directory"), std::string::npos)
        << gone.error().message();
    EXPECT_NE(gone.error().message().find("blkio/berth/c1: Not a directory"), std::string::npos);
    EXPECT_FALSE(fs.has("memory/berth/c1"));
    EXPECT_FALSE(fs.has("freezer/berth/c1"));
}
