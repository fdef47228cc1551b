#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "daemon/config.hpp"

namespace berth::daemon {
namespace {

const char* kFile = "/etc/berth/daemon.json";

DaemonConfig parse_ok(const std::string& text) {
    auto cfg = parse_daemon_json(text, kFile);
    EXPECT_TRUE(cfg.ok()) << cfg.error().message();
    return cfg.ok() ? *cfg : DaemonConfig{};
}

std::string parse_error(const std::string& text) {
    auto cfg = parse_daemon_json(text, kFile);
    EXPECT_FALSE(cfg.ok()) << text;
    return cfg.ok() ? "" : cfg.error().message();
}

TEST(DaemonJson, EmptyObjectGivesDefaults) {
    DaemonConfig cfg = parse_ok("{}");
    EXPECT_EQ(cfg.data_root, "/var/lib/berth");
    EXPECT_EQ(cfg.exec_root, "/run/berth");
    EXPECT_EQ(cfg.log_level, "info");
    EXPECT_EQ(cfg.unix_socket(), "/run/berth/berth.sock");
    EXPECT_EQ(cfg.request_timeout, 30);
}

TEST(DaemonJson, EveryKey) {
    DaemonConfig cfg = parse_ok(R"({
      "data-root": "/srv/berth", "exec-root": "/run/b2", "log-level": "warn",
      "log-opts": {"max-size": "10m", "max-file": "3"},
      "hosts": ["unix:///run/b2/api.sock", "tcp://127.0.0.1:2376"],
      "default-address-pools": [{"base": "172.80.0.0/16", "size": 24}, {"base": "fd00::/48", "size": 64}],
      "dns": ["1.1.1.1", "2606:4700:4700::1111"], "storage-driver": "vfs",
      "tls": true, "tlsverify": true, "tlscacert": "/etc/b/ca.pem", "tlscert": "/etc/b/cert.pem",
      "tlskey": "/etc/b/key.pem", "debug": true, "parallel": 8, "request-timeout": 5})");
    EXPECT_EQ(cfg.data_root, "/srv/berth");
    EXPECT_EQ(cfg.exec_root, "/run/b2");
    EXPECT_EQ(cfg.log_level, "warn");
    EXPECT_EQ(cfg.log_opts.at("max-size"), "10m");
    EXPECT_EQ(cfg.log_opts.at("max-file"), "3");
    ASSERT_EQ(cfg.hosts.size(), 2u);
    EXPECT_EQ(cfg.unix_socket(), "/run/b2/api.sock");
    ASSERT_EQ(cfg.default_address_pools.size(), 2u);
    EXPECT_EQ(cfg.default_address_pools[0].base, "172.80.0.0/16");
    EXPECT_EQ(cfg.default_address_pools[0].size, 24);
    EXPECT_EQ(cfg.default_address_pools[1].size, 64);
    EXPECT_EQ(cfg.dns.size(), 2u);
    EXPECT_EQ(cfg.storage_driver, "vfs");
    EXPECT_TRUE(cfg.tls);
    EXPECT_TRUE(cfg.tls_verify);
    EXPECT_EQ(cfg.tls_ca_cert, "/etc/b/ca.pem");
    EXPECT_EQ(cfg.tls_cert, "/etc/b/cert.pem");
    EXPECT_EQ(cfg.tls_key, "/etc/b/key.pem");
    EXPECT_TRUE(cfg.debug);
    EXPECT_EQ(cfg.parallel, 8);
    EXPECT_EQ(cfg.request_timeout, 5);
}

TEST(DaemonJson, UnknownKeySuggestsTheCloseOne) {
    EXPECT_EQ(parse_error(R"({"data_rot": "/x"})"),
              "/etc/berth/daemon.json: unknown key \"data_rot\" (did you mean \"data-root\"?)");
    EXPECT_EQ(parse_error(R"({"tls-verify": true})"),
              "/etc/berth/daemon.json: unknown key \"tls-verify\" (did you mean \"tlsverify\"?)");
    EXPECT_EQ(parse_error(R"({"zzz": 1})"), "/etc/berth/daemon.json: unknown key \"zzz\"");
}

TEST(DaemonJson, InvalidJsonNamesFileLineAndColumn) {
    std::string msg = parse_error("{\n  \"debug\": tru\n}");
    EXPECT_EQ(msg.rfind("/etc/berth/daemon.json:2:", 0), 0u) << msg;
    EXPECT_NE(msg.find("invalid JSON"), std::string::npos) << msg;
    EXPECT_NE(parse_error("[1]").find("expected a JSON object"), std::string::npos);
}

struct BadValue {
    const char* json;
    const char* expected;  // a substring of the message
};

class DaemonJsonBadValue : public testing::TestWithParam<BadValue> {};

TEST_P(DaemonJsonBadValue, NamesKeyAndValue) {
    std::string msg = parse_error(GetParam().json);
    EXPECT_EQ(msg.rfind("/etc/berth/daemon.json: ", 0), 0u) << msg;
    EXPECT_NE(msg.find(GetParam().expected), std::string::npos) << msg;
}

INSTANTIATE_TEST_SUITE_P(
    EachKey, DaemonJsonBadValue,
    testing::Values(
        BadValue{R"({"data-root": 5})", "key \"data-root\": expected a string, got 5"},
        BadValue{R"({"data-root": "var/lib"})",
                 "key \"data-root\": \"var/lib\" is not an absolute path"},
        BadValue{R"({"exec-root": "run"})", "key \"exec-root\": \"run\" is not an absolute path"},
        BadValue{R"({"log-level": "loud"})",
                 "key \"log-level\": \"loud\" is not one of debug, info"},
        BadValue{R"({"log-opts": ["a"]})", "key \"log-opts\": expected an object of strings"},
        BadValue{R"({"log-opts": {"max-file": 3}})",
                 "key \"log-opts.max-file\": expected a string, got 3"},
        BadValue{R"({"hosts": "unix:///x"})", "key \"hosts\": expected an array of strings"},
        BadValue{R"({"hosts": ["fd://"]})", "key \"hosts\": \"fd://\" is neither unix:///PATH"},
        BadValue{R"({"hosts": ["tcp://127.0.0.1"]})", "\"tcp://127.0.0.1\" is not tcp://HOST:PORT"},
        BadValue{R"({"hosts": ["tcp://h:70000"]})", "\"tcp://h:70000\" is not tcp://HOST:PORT"},
        BadValue{R"({"hosts": ["unix://rel.sock"]})", "\"rel.sock\" is not an absolute path"},
        BadValue{R"({"hosts": ["unix:///a", "unix:///b"]})", "only one unix:// host"},
        BadValue{R"({"default-address-pools": {}})",
                 "key \"default-address-pools\": expected an array"},
        BadValue{R"({"default-address-pools": [{"base": "10.0.0.0/8"}]})", "expected {\"base\""},
        BadValue{R"({"default-address-pools": [{"base": "10.0.0.0/8", "size": 24, "x": 1}]})",
                 "unknown field \"x\""},
        BadValue{R"({"default-address-pools": [{"base": "10.0.0.0", "size": 24}]})",
                 "base \"10.0.0.0\" is not a CIDR"},
        BadValue{R"({"default-address-pools": [{"base": "10.0.0.0/16", "size": 8}]})",
                 "size 8 must lie between 16"},
        BadValue{R"({"default-address-pools": [{"base": "10.0.0.0/16", "size": "24"}]})",
                 "key \"default-address-pools.size\": expected an integer, got \"24\""},
        BadValue{R"({"dns": ["1.2.3"]})", "key \"dns\": \"1.2.3\" is not an IP address"},
        BadValue{R"({"dns": "8.8.8.8"})", "key \"dns\": expected an array of strings"},
        BadValue{R"({"storage-driver": "btrfs"})",
                 "key \"storage-driver\": \"btrfs\" is not one of overlay2, vfs"},
        BadValue{R"({"tls": "yes"})", "key \"tls\": expected true or false, got \"yes\""},
        BadValue{R"({"tlsverify": 1})", "key \"tlsverify\": expected true or false, got 1"},
        BadValue{R"({"tlscacert": "ca.pem"})",
                 "key \"tlscacert\": \"ca.pem\" is not an absolute path"},
        BadValue{R"({"tlscert": 1})", "key \"tlscert\": expected a string"},
        BadValue{R"({"tlskey": "k"})", "key \"tlskey\": \"k\" is not an absolute path"},
        BadValue{R"({"debug": "true"})", "key \"debug\": expected true or false"},
        BadValue{R"({"parallel": 0})", "key \"parallel\": expected a positive integer, got 0"},
        BadValue{R"({"parallel": 2.5})", "key \"parallel\": expected a positive integer, got 2.5"},
        BadValue{R"({"request-timeout": -1})",
                 "key \"request-timeout\": expected a positive integer"}));

// A file written under a private temporary folder, removed with it.
class ConfigFile : public testing::Test {
  protected:
    void SetUp() override {
        char tmpl[] = "/tmp/berth-config-XXXXXX";
        ASSERT_NE(mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
    }
    void TearDown() override { std::system(("rm -rf " + dir_).c_str()); }
    std::string write(const std::string& text) {
        std::string path = dir_ + "/daemon.json";
        std::ofstream(path) << text;
        return path;
    }
    std::string dir_;
};

TEST_F(ConfigFile, FlagsOverrideTheFile) {
    DaemonFlags flags;
    flags.config_file =
        write(R"({"data-root": "/a", "log-opts": {"max-size": "1m"}, "dns": ["8.8.8.8"]})");
    flags.data_root = "/b";
    flags.exec_root = "/r";
    flags.log_opts = {"max-file=2"};
    flags.dns = {"9.9.9.9"};
    flags.hosts = {"unix:///r/x.sock"};
    flags.default_address_pools = {"base=10.10.0.0/16,size=24"};
    flags.storage_driver = "vfs";
    flags.log_level = "error";
    auto cfg = load_daemon_config(flags);
    ASSERT_TRUE(cfg.ok()) << cfg.error().message();
    EXPECT_EQ(cfg->data_root, "/b");
    EXPECT_EQ(cfg->exec_root, "/r");
    EXPECT_EQ(cfg->log_opts.at("max-size"), "1m");
    EXPECT_EQ(cfg->log_opts.at("max-file"), "2");
    EXPECT_EQ(cfg->dns, std::vector<std::string>{"9.9.9.9"});
    EXPECT_EQ(cfg->unix_socket(), "/r/x.sock");
    ASSERT_EQ(cfg->default_address_pools.size(), 1u);
    EXPECT_EQ(cfg->default_address_pools[0].base, "10.10.0.0/16");
    EXPECT_EQ(cfg->storage_driver, "vfs");
    EXPECT_EQ(cfg->log_level, "error");
}

TEST_F(ConfigFile, SocketDefaultsUnderExecRoot) {
    DaemonFlags flags;
    flags.config_file = write("{}");
    flags.exec_root = "/tmp/x/run";
    auto cfg = load_daemon_config(flags);
    ASSERT_TRUE(cfg.ok());
    EXPECT_EQ(cfg->unix_socket(), "/tmp/x/run/berth.sock");
}

TEST_F(ConfigFile, DebugFlagRaisesLogLevel) {
    DaemonFlags flags;
    flags.config_file = write("{}");
    flags.debug = true;
    auto cfg = load_daemon_config(flags);
    ASSERT_TRUE(cfg.ok());
    EXPECT_EQ(cfg->log_level, "debug");
}

TEST_F(ConfigFile, MissingExplicitFileFails) {
    DaemonFlags flags;
    flags.config_file = dir_ + "/none.json";
    auto cfg = load_daemon_config(flags);
    ASSERT_FALSE(cfg.ok());
    EXPECT_NE(cfg.error().message().find("none.json: No such file"), std::string::npos);
}

TEST_F(ConfigFile, UnknownKeyNamesTheFile) {
    DaemonFlags flags;
    flags.config_file = write(R"({"storage_driver": "vfs"})");
    auto cfg = load_daemon_config(flags);
    ASSERT_FALSE(cfg.ok());
    EXPECT_EQ(cfg.error().message(), *flags.config_file +
                                         ": unknown key \"storage_driver\" (did you mean "
                                         "\"storage-driver\"?)");
}

struct BadFlags {
    std::function<void(DaemonFlags&)> set;
    const char* expected;
};

TEST_F(ConfigFile, BadFlagValues) {
    std::vector<BadFlags> cases = {
        {[](DaemonFlags& f) { f.log_level = "chatty"; }, "--log-level: \"chatty\""},
        {[](DaemonFlags& f) { f.storage_driver = "zfs"; }, "--storage-driver: \"zfs\""},
        {[](DaemonFlags& f) { f.log_opts = {"novalue"}; },
         "--log-opt \"novalue\": expected key=value"},
        {[](DaemonFlags& f) { f.default_address_pools = {"base=10.0.0.0/8"}; },
         "expected base=CIDR,size=PREFIX"},
        {[](DaemonFlags& f) { f.default_address_pools = {"base=10.0.0.0/8,size=4"}; },
         "size 4 must lie"},
        {[](DaemonFlags& f) { f.dns = {"dns.google"}; },
         "dns: \"dns.google\" is not an IP address"},
        {[](DaemonFlags& f) { f.data_root = "rel"; }, "data-root: \"rel\" is not an absolute path"},
        {[](DaemonFlags& f) { f.hosts = {"http://x"}; }, "hosts: \"http://x\" is neither"},
    };
    for (const auto& c : cases) {
        DaemonFlags flags;
        flags.config_file = write("{}");
        c.set(flags);
        auto cfg = load_daemon_config(flags);
        ASSERT_FALSE(cfg.ok()) << c.expected;
        EXPECT_NE(cfg.error().message().find(c.expected), std::string::npos)
            << cfg.error().message();
    }
}

TEST_F(ConfigFile, TcpNeedsTlsVerifyUnlessInsecureIsAllowed) {
    DaemonFlags flags;
    flags.config_file = write(R"({"hosts": ["tcp://127.0.0.1:2376"]})");
    auto plain = load_daemon_config(flags);
    ASSERT_FALSE(plain.ok());
    EXPECT_NE(plain.error().message().find("--allow-insecure-tcp"), std::string::npos);

    flags.allow_insecure_tcp = true;
    EXPECT_TRUE(load_daemon_config(flags).ok());

    DaemonFlags tls;
    tls.config_file =
        write(R"({"hosts": ["tcp://127.0.0.1:2376"], "tlsverify": true, "tlscacert": "/ca"})");
    auto partial = load_daemon_config(tls);
    ASSERT_FALSE(partial.ok());
    EXPECT_NE(partial.error().message().find("tlsverify needs tlscacert, tlscert and tlskey"),
              std::string::npos);

    tls.config_file = write(R"({"hosts": ["tcp://127.0.0.1:2376"], "tlsverify": true,
        "tlscacert": "/ca", "tlscert": "/c", "tlskey": "/k"})");
    auto full = load_daemon_config(tls);
    ASSERT_TRUE(full.ok()) << full.error().message();
    EXPECT_EQ(full->unix_socket(), "");
}

}  // namespace
}  // namespace berth::daemon
