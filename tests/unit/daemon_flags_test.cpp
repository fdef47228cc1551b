#include <gtest/gtest.h>

#include "../../daemon/src/flags.hpp"

namespace berth::daemon {
namespace {

Result<ParsedFlags> parse(std::vector<std::string> args) {
    args.insert(args.begin(), "berthd");
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    return parse_daemon_flags(static_cast<int>(args.size()), argv.data());
}

TEST(DaemonFlags, EveryFlag) {
    auto p = parse({"--config-file",
                    "/c.json",
                    "--data-root=/d",
                    "--exec-root",
                    "/e",
                    "--log-level",
                    "warn",
                    "--log-opt",
                    "max-size=1m",
                    "--log-opt",
                    "max-file=2",
                    "-H",
                    "unix:///s",
                    "--host",
                    "tcp://127.0.0.1:1",
                    "--default-address-pool",
                    "base=10.0.0.0/8,size=24",
                    "--dns",
                    "1.1.1.1",
                    "--storage-driver",
                    "vfs",
                    "--allow-insecure-tcp",
                    "--debug"});
    ASSERT_TRUE(p.ok()) << p.error().message();
    const DaemonFlags& f = p->flags;
    EXPECT_EQ(f.config_file, "/c.json");
    EXPECT_EQ(f.data_root, "/d");
    EXPECT_EQ(f.exec_root, "/e");
    EXPECT_EQ(f.log_level, "warn");
    EXPECT_EQ(f.log_opts, (std::vector<std::string>{"max-size=1m", "max-file=2"}));
    EXPECT_EQ(f.hosts, (std::vector<std::string>{"unix:///s", "tcp://127.0.0.1:1"}));
    EXPECT_EQ(f.default_address_pools, std::vector<std::string>{"base=10.0.0.0/8,size=24"});
    EXPECT_EQ(f.dns, std::vector<std::string>{"1.1.1.1"});
    EXPECT_EQ(f.storage_driver, "vfs");
    EXPECT_TRUE(f.allow_insecure_tcp);
    EXPECT_TRUE(f.debug);
    EXPECT_FALSE(p->help);
}

TEST(DaemonFlags, ShortFlagsAndHelp) {
    auto p = parse({"-D", "-h"});
    ASSERT_TRUE(p.ok());
    EXPECT_TRUE(p->flags.debug);
    EXPECT_TRUE(p->help);
}

TEST(DaemonFlags, Errors) {
    auto unknown = parse({"--data-rot", "/x"});
    ASSERT_FALSE(unknown.ok());
    EXPECT_NE(unknown.error().message().find("unknown flag --data-rot"), std::string::npos)
        << unknown.error().message();
    auto missing = parse({"--data-root"});
    ASSERT_FALSE(missing.ok());
    EXPECT_NE(missing.error().message().find("needs a value"), std::string::npos);
    auto extra = parse({"serve"});
    ASSERT_FALSE(extra.ok());
    EXPECT_NE(extra.error().message().find("unexpected argument serve"), std::string::npos);
}

}  // namespace
}  // namespace berth::daemon
