#include <gtest/gtest.h>

#include "cgroup_values.hpp"

using namespace berth::engine;
using namespace berth::engine::cgroup;

TEST(CgroupValues, CpusToQuota) {
    EXPECT_EQ(cpus_to_quota(0.5), 50000);
    EXPECT_EQ(cpus_to_quota(1.5), 150000);
    EXPECT_EQ(cpus_to_quota(2, 50000), 100000);
    EXPECT_EQ(cpus_to_quota(0.001), 1000);  // the kernel's 1 ms floor
    EXPECT_EQ(cpus_to_quota(0), -1);
}

TEST(CgroupValues, SharesToWeightMatchesRunc) {
    EXPECT_EQ(shares_to_weight(0), 0u);
    EXPECT_EQ(shares_to_weight(2), 1u);
    EXPECT_EQ(shares_to_weight(1024), 100u);
    EXPECT_EQ(shares_to_weight(262144), 10000u);
    EXPECT_EQ(shares_to_weight(300000), 10000u);
    // Between the fixed points the curve is steeper than the old linear map (which gave 20 for
    // 512 and 79 for 2048): twice the shares is about 1.7 times the weight near the default.
    EXPECT_EQ(shares_to_weight(3), 2u);
    EXPECT_EQ(shares_to_weight(512), 59u);
    EXPECT_EQ(shares_to_weight(2048), 174u);
    EXPECT_EQ(shares_to_weight(4096), 303u);
}

TEST(CgroupValues, BlkioToIoWeight) {
    EXPECT_EQ(blkio_to_io_weight(10), 1u);
    EXPECT_EQ(blkio_to_io_weight(1000), 10000u);
    EXPECT_EQ(blkio_to_io_weight(500), 4950u);
    EXPECT_EQ(blkio_to_io_weight(0), 0u);
}

TEST(CgroupValues, FormatBytes) {
    EXPECT_EQ(format_bytes(6 * 1024 * 1024), "6MB");
    EXPECT_EQ(format_bytes(1536), "1.5KB");
    EXPECT_EQ(format_bytes(100), "100B");
    EXPECT_EQ(format_bytes(4LL << 30), "4GB");
}

TEST(CgroupValues, DeviceLines) {
    EXPECT_EQ(device_line("8:0", 1048576), "8:0 1048576");
    IoMax m;
    m.majmin = "8:16";
    m.rbps = 1024;
    m.wiops = 10;
    EXPECT_EQ(io_max_line(m), "8:16 rbps=1024 wiops=10");
}

TEST(CgroupValues, CpuLists) {
    auto ids = parse_cpu_list("0-2,4\n");
    ASSERT_TRUE(ids) << ids.error().message();
    EXPECT_EQ(*ids, (std::set<int>{0, 1, 2, 4}));
    EXPECT_EQ(format_cpu_list(*ids), "0-2,4");
    EXPECT_TRUE(parse_cpu_list("")->empty());
    for (const char* bad : {"a", "1-", "3-1", "1,,2", "-1", "0-2x"}) {
        EXPECT_FALSE(parse_cpu_list(bad)) << bad;
    }
    EXPECT_EQ(parse_cpu_list("x").error().message(), "invalid list \"x\": use a form like 0-2,4");
}

TEST(CgroupValues, ValidateNamesTheRange) {
    HostLimits host{"0-1", "0"};
    Resources r;
    EXPECT_TRUE(validate(r, host));

    r.memory = 4 * 1024 * 1024;
    EXPECT_EQ(validate(r, host).error().message(),
              "memory limit 4MB: minimum memory limit allowed is 6MB");
    r.memory = 32 * 1024 * 1024;
    EXPECT_TRUE(validate(r, host));
    r.memory_swap = 16 * 1024 * 1024;
    EXPECT_NE(validate(r, host).error().message().find("must be at least the memory limit 32MB"),
              std::string::npos);
    r.memory_swap = -1;
    EXPECT_TRUE(validate(r, host));

    Resources c;
    c.cpuset_cpus = "7";
    EXPECT_EQ(validate(c, host).error().message(), "cpuset \"7\": this machine has CPUs 0-1");
    c.cpuset_cpus = "0-1";
    EXPECT_TRUE(validate(c, host));
    c.cpuset_mems = "1";
    EXPECT_EQ(validate(c, host).error().message(),
              "cpuset mems \"1\": this machine has memory nodes 0");

    Resources s;
    s.cpu_shares = 1;
    EXPECT_EQ(validate(s, host).error().message(), "cpu shares 1: valid range is 2 to 262144");
    s.cpu_shares = 512;
    s.blkio_weight = 5;
    EXPECT_EQ(validate(s, host).error().message(), "blkio weight 5: valid range is 10 to 1000");
    s.blkio_weight = 500;
    s.cpu_period = 10;
    EXPECT_EQ(validate(s, host).error().message(),
              "cpu period 10: valid range is 1000 to 1000000 microseconds");
}

TEST(CgroupValues, SwapForV2) {
    EXPECT_EQ(*swap_max_v2(-1, 1024), "max");
    EXPECT_EQ(*swap_max_v2(64 << 20, 32 << 20), std::to_string(32 << 20));
    EXPECT_FALSE(swap_max_v2(64 << 20, std::nullopt));
    EXPECT_EQ(limit_or_max(std::nullopt), "max");
    EXPECT_EQ(limit_or_max(0), "max");
    EXPECT_EQ(limit_or_max(10), "10");
}
