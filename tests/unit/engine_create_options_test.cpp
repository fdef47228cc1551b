#include <gtest/gtest.h>

#include "engine/create_options.hpp"

using namespace berth::engine;

TEST(CreateOptions, SharedRunOptionsAndLimits) {
    auto o = parse_create_options({"--rootfs",
                                   "/r",
                                   "--env",
                                   "A=1",
                                   "--memory",
                                   "32m",
                                   "--cpus",
                                   "0.5",
                                   "--pids-limit",
                                   "10",
                                   "--stop-signal",
                                   "USR1",
                                   "--stop-timeout",
                                   "1.5",
                                   "--log-max-size",
                                   "1k",
                                   "--log-max-file",
                                   "3",
                                   "--",
                                   "sleep",
                                   "1"});
    ASSERT_TRUE(o) << o.error().message();
    EXPECT_EQ(o->spec.rootfs_dir, "/r");
    EXPECT_EQ(o->spec.args, (std::vector<std::string>{"sleep", "1"}));
    EXPECT_EQ(*o->resources.memory, 32 << 20);
    EXPECT_EQ(*o->resources.cpu_quota, 50000);
    EXPECT_EQ(*o->resources.cpu_period, 100000u);
    EXPECT_EQ(*o->resources.pids_limit, 10);
    EXPECT_EQ(o->stop_signal, 10);
    EXPECT_DOUBLE_EQ(o->stop_timeout, 1.5);
    EXPECT_EQ(o->log_max_size, 1024u);
    EXPECT_EQ(o->log_max_file, 3);
}

TEST(CreateOptions, ParsesTwiceInOneProcess) {
    for (int i = 0; i < 2; ++i) {
        auto o = parse_create_options({"--init", "--", "true"});
        ASSERT_TRUE(o);
        EXPECT_TRUE(o->spec.init);
    }
}

TEST(CreateOptions, ErrorsSayTheRange) {
    auto mem = parse_create_options({"--memory", "1024", "--", "true"});
    ASSERT_FALSE(mem);
    EXPECT_EQ(mem.error().message(), "--memory 1024: the minimum is 6291456 bytes (6 MiB)");
    auto sig = parse_create_options({"--stop-signal", "NOPE", "--", "true"});
    ASSERT_FALSE(sig);
    EXPECT_NE(sig.error().message().find("number from 1 to 64"), std::string::npos);
    auto weight = parse_create_options({"--blkio-weight", "5", "--", "true"});
    ASSERT_FALSE(weight);
    EXPECT_NE(weight.error().message().find("from 10 to 1000"), std::string::npos);
    EXPECT_FALSE(parse_create_options({"--rootfs", "/r"}));
}

TEST(CreateOptions, DeviceLimits) {
    auto o = parse_create_options({"--device-read-bps", "/dev/sda:1m", "--device-write-iops",
                                   "/dev/sda:100", "--blkio-weight-device", "/dev/sda:300", "--",
                                   "true"});
    ASSERT_TRUE(o) << o.error().message();
    EXPECT_EQ(o->resources.read_bps.at(0).rate, 1u << 20);
    EXPECT_EQ(o->resources.write_iops.at(0).rate, 100u);
    EXPECT_EQ(o->resources.blkio_weight_device.at(0).weight, 300);
}

TEST(CreateOptions, CpusetLists) {
    EXPECT_EQ(*highest_cpu("0-2,4"), 4);
    EXPECT_EQ(*highest_cpu("1"), 1);
    EXPECT_FALSE(highest_cpu("a"));
    EXPECT_FALSE(highest_cpu("1-2-3"));
    EXPECT_FALSE(highest_cpu(""));
}

TEST(CreateOptions, CpusUseThePeriodWhateverTheOrder) {
    auto o = parse_create_options({"--cpus", "0.5", "--cpu-period", "50000", "--", "true"});
    ASSERT_TRUE(o);
    EXPECT_EQ(*o->resources.cpu_quota, 25000);
    EXPECT_FALSE(parse_create_options({"--cpus", "1", "--cpu-quota", "5000", "--", "true"}));
}
