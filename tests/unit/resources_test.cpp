#include "scheduler/resources.hpp"

#include <gtest/gtest.h>

#include "compose/project.hpp"
#include "compose_support.hpp"

using namespace berth;

namespace {

Result<engine::Resources> of(const std::string& service_body, int host_cpus = 2) {
    static compose::Project project;  // keeps the nodes alive for the marks
    project = test_support::load_project("services:\n  s:\n    image: busybox\n" + service_body);
    return scheduler::resources_of(*project.service("s"), host_cpus);
}

}  // namespace

TEST(Resources, NothingSetIsNothingLimited) {
    auto r = of("");
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_FALSE(r->memory);
    EXPECT_FALSE(r->cpu_quota);
    EXPECT_FALSE(r->pids_limit);
    EXPECT_TRUE(r->cpuset_cpus.empty());
}

TEST(Resources, TopLevelKeys) {
    auto r =
        of("    mem_limit: 32m\n    mem_reservation: 16m\n    memswap_limit: 64m\n"
           "    cpus: 0.5\n    cpu_shares: 512\n    cpuset: \"0\"\n    pids_limit: 10\n");
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(*r->memory, 32 << 20);
    EXPECT_EQ(*r->memory_reservation, 16 << 20);
    EXPECT_EQ(*r->memory_swap, 64 << 20);
    EXPECT_EQ(*r->cpu_quota, 50000);
    EXPECT_EQ(*r->cpu_period, 100000u);
    EXPECT_EQ(*r->cpu_shares, 512u);
    EXPECT_EQ(r->cpuset_cpus, "0");
    EXPECT_EQ(*r->pids_limit, 10);
}

TEST(Resources, SwapDefaultsToTwiceMemoryAsInDocker) {
    auto r = of("    mem_limit: 32m\n");
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(*r->memory_swap, 64 << 20);
    auto unlimited = of("    mem_limit: 32m\n    memswap_limit: -1\n");
    ASSERT_TRUE(unlimited) << unlimited.error().message();
    EXPECT_EQ(*unlimited->memory_swap, -1);
}

TEST(Resources, CpuPeriodAndQuota) {
    auto r = of("    cpu_period: 50000\n    cpu_quota: 25000\n");
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(*r->cpu_period, 50000u);
    EXPECT_EQ(*r->cpu_quota, 25000);
    auto both = of("    cpus: 1\n    cpu_quota: 25000\n");
    ASSERT_FALSE(both);
    EXPECT_NE(both.error().message().find(
                  "cpus: conflicting options: cpus cannot be combined with cpu_quota"),
              std::string::npos)
        << both.error().message();
}

TEST(Resources, DeployFillsWhatIsUnset) {
    auto r =
        of("    deploy:\n      resources:\n        limits: {cpus: '1.5', memory: 64m, pids: 20}\n"
           "        reservations: {memory: 8m}\n");
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(*r->memory, 64 << 20);
    EXPECT_EQ(*r->memory_reservation, 8 << 20);
    EXPECT_EQ(*r->cpu_quota, 150000);
    EXPECT_EQ(*r->pids_limit, 20);
    auto agree =
        of("    mem_limit: 64m\n    deploy:\n      resources:\n        limits: {memory: 64m}\n");
    ASSERT_TRUE(agree) << agree.error().message();
    EXPECT_EQ(*agree->memory, 64 << 20);
}

TEST(Resources, Blkio) {
    auto r =
        of("    blkio_config:\n      weight: 300\n"
           "      weight_device: [{path: /dev/sda, weight: 400}]\n"
           "      device_read_bps: [{path: /dev/sda, rate: 1mb}]\n"
           "      device_write_bps: [{path: /dev/sda, rate: '2m'}]\n"
           "      device_read_iops: [{path: /dev/sdb, rate: 100}]\n"
           "      device_write_iops: [{path: /dev/sdb, rate: 200}]\n");
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(*r->blkio_weight, 300);
    ASSERT_EQ(r->blkio_weight_device.size(), 1u);
    EXPECT_EQ(r->blkio_weight_device[0].device, "/dev/sda");
    EXPECT_EQ(r->blkio_weight_device[0].weight, 400);
    ASSERT_EQ(r->read_bps.size(), 1u);
    EXPECT_EQ(r->read_bps[0].rate, 1u << 20);
    EXPECT_EQ(r->write_bps[0].rate, 2u << 20);
    EXPECT_EQ(r->read_iops[0].device, "/dev/sdb");
    EXPECT_EQ(r->read_iops[0].rate, 100u);
    EXPECT_EQ(r->write_iops[0].rate, 200u);
}

TEST(Resources, ErrorsNameTheRangeAndPlace) {
    auto small = of("    mem_limit: 4m\n");
    ASSERT_FALSE(small);
    EXPECT_NE(small.error().message().find("minimum memory limit allowed is 6MB"),
              std::string::npos)
        << small.error().message();
    EXPECT_EQ(small.error().message().rfind("<stdin>:3:5: memory limit 4MB", 0), 0u)
        << small.error().message();

    auto cpus = of("    cpus: 3\n", 2);
    ASSERT_FALSE(cpus);
    EXPECT_NE(cpus.error().message().find(
                  "cpus: range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available"),
              std::string::npos)
        << cpus.error().message();

    auto weight = of("    blkio_config:\n      weight: 5\n");
    ASSERT_FALSE(weight);
    EXPECT_NE(weight.error().message().find(
                  "blkio_config.weight: 5 is out of range: valid range is 10 to 1000"),
              std::string::npos)
        << weight.error().message();

    auto shares = of("    cpu_shares: 1\n");
    ASSERT_FALSE(shares);
    EXPECT_NE(shares.error().message().find("cpu shares 1: valid range is 2 to 262144"),
              std::string::npos);
}
