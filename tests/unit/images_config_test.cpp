#include <gtest/gtest.h>

#include "images/changes.hpp"
#include "images/image_config.hpp"

namespace berth::images {
namespace {

using V = std::vector<std::string>;

ImageConfig image() {
    ImageConfig c;
    c.entrypoint = {"/entry.sh"};
    c.cmd = {"serve", "--port", "80"};
    c.env = {"PATH=/opt/bin:/bin", "MODE=prod"};
    c.working_dir = "/app";
    c.user = "app";
    c.exposed_ports = {"80/tcp"};
    c.labels = {{"a", "1"}, {"b", "2"}};
    c.stop_signal = "SIGQUIT";
    c.healthcheck = Healthcheck{{"CMD", "true"}, 30'000'000'000, 5'000'000'000, 0, 0, 3};
    return c;
}

TEST(ImagesConfig, ImageDefaults) {
    auto p = apply_image_config(image(), {});
    EXPECT_EQ(p.args, (V{"/entry.sh", "serve", "--port", "80"}));
    EXPECT_EQ(p.env, (V{"PATH=/opt/bin:/bin", "MODE=prod"}));
    EXPECT_EQ(p.working_dir, "/app");
    EXPECT_EQ(p.user, "app");
    EXPECT_EQ(p.stop_signal, "SIGQUIT");
    ASSERT_TRUE(p.healthcheck);
    EXPECT_EQ(p.healthcheck->retries, 3);
}

TEST(ImagesConfig, EntrypointClearsCmd) {
    Overrides o;
    o.entrypoint = V{"/bin/sh", "-c"};
    EXPECT_EQ(apply_image_config(image(), o).args, (V{"/bin/sh", "-c"}));
    o.command = V{"echo hi"};
    EXPECT_EQ(apply_image_config(image(), o).args, (V{"/bin/sh", "-c", "echo hi"}));
    Overrides reset;
    reset.entrypoint = V{};
    EXPECT_TRUE(apply_image_config(image(), reset).args.empty());
}

TEST(ImagesConfig, CommandKeepsEntrypoint) {
    Overrides o;
    o.command = V{"debug"};
    EXPECT_EQ(apply_image_config(image(), o).args, (V{"/entry.sh", "debug"}));
}

TEST(ImagesConfig, EnvMergesByKeyAndPathDefault) {
    Overrides o;
    o.environment = {"MODE=dev", "EXTRA=1"};
    EXPECT_EQ(apply_image_config(image(), o).env, (V{"PATH=/opt/bin:/bin", "MODE=dev", "EXTRA=1"}));
    auto p = apply_image_config(ImageConfig{}, {});
    EXPECT_EQ(p.env, (V{kDefaultPath}));
    EXPECT_EQ(p.working_dir, "/");
    EXPECT_EQ(p.user, "");
    EXPECT_EQ(p.stop_signal, "SIGTERM");
    EXPECT_FALSE(p.healthcheck);
}

TEST(ImagesConfig, ScalarsPortsLabelsVolumes) {
    Overrides o;
    o.working_dir = "/srv";
    o.user = "1000:1000";
    o.expose = {"8080", "53/udp"};
    o.labels = {{"b", "compose"}, {"c", "3"}};
    o.volumes = {"/data"};
    o.stop_signal = "SIGINT";
    auto p = apply_image_config(image(), o);
    EXPECT_EQ(p.working_dir, "/srv");
    EXPECT_EQ(p.user, "1000:1000");
    EXPECT_EQ(p.exposed_ports, (std::set<std::string>{"80/tcp", "8080/tcp", "53/udp"}));
    EXPECT_EQ(p.labels,
              (std::map<std::string, std::string>{{"a", "1"}, {"b", "compose"}, {"c", "3"}}));
    EXPECT_EQ(p.volumes, (std::set<std::string>{"/data"}));
    EXPECT_EQ(p.stop_signal, "SIGINT");
}

TEST(ImagesConfig, HealthcheckMergesFieldByField) {
    Overrides o;
    o.healthcheck = Healthcheck{};
    o.healthcheck->interval_ns = 1'000'000'000;
    auto p = apply_image_config(image(), o);
    ASSERT_TRUE(p.healthcheck);
    EXPECT_EQ(p.healthcheck->test, (V{"CMD", "true"}));
    EXPECT_EQ(p.healthcheck->interval_ns, 1'000'000'000);
    EXPECT_EQ(p.healthcheck->timeout_ns, 5'000'000'000);
    o.healthcheck_disable = true;
    EXPECT_FALSE(apply_image_config(image(), o).healthcheck);
    Overrides none;
    none.healthcheck = Healthcheck{{"NONE"}};
    EXPECT_FALSE(apply_image_config(image(), none).healthcheck);
}

TEST(ImagesConfig, JsonRoundTrip) {
    auto c = parse_image_config(R"({"config":)" + image_config_json(image()) + "}");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->cmd, image().cmd);
    EXPECT_EQ(c->exposed_ports, image().exposed_ports);
    EXPECT_EQ(c->healthcheck->interval_ns, 30'000'000'000);
    EXPECT_FALSE(parse_image_config("[1]"));
}

TEST(ImagesChanges, Instructions) {
    ImageConfig c;
    ASSERT_TRUE(apply_change(c, R"(CMD ["sh", "-c", "echo hi"])"));
    EXPECT_EQ(c.cmd, (V{"sh", "-c", "echo hi"}));
    ASSERT_TRUE(apply_change(c, "ENTRYPOINT run me"));
    EXPECT_EQ(c.entrypoint, (V{"/bin/sh", "-c", "run me"}));
    ASSERT_TRUE(apply_change(c, R"(ENV A=1 B="two words")"));
    ASSERT_TRUE(apply_change(c, "env A 3"));
    EXPECT_EQ(c.env, (V{"A=3", "B=two words"}));
    ASSERT_TRUE(apply_change(c, "WORKDIR /srv"));
    ASSERT_TRUE(apply_change(c, "USER 1000:1000"));
    ASSERT_TRUE(apply_change(c, "EXPOSE 80 53/udp"));
    ASSERT_TRUE(apply_change(c, "LABEL k=v 'x y'=z"));
    ASSERT_TRUE(apply_change(c, R"(VOLUME ["/data", "/logs"])"));
    ASSERT_TRUE(apply_change(c, "STOPSIGNAL SIGINT"));
    EXPECT_EQ(c.working_dir, "/srv");
    EXPECT_EQ(c.user, "1000:1000");
    EXPECT_EQ(c.exposed_ports, (std::set<std::string>{"80/tcp", "53/udp"}));
    EXPECT_EQ(c.labels.at("x y"), "z");
    EXPECT_EQ(c.volumes, (std::set<std::string>{"/data", "/logs"}));
    EXPECT_EQ(c.stop_signal, "SIGINT");
}

TEST(ImagesChanges, Errors) {
    ImageConfig c;
    auto r = apply_change(c, "RUN rm -rf /");
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message().find("--change \"RUN rm -rf /\": unknown instruction"),
              std::string::npos);
    EXPECT_FALSE(apply_change(c, "EXPOSE 99999"));
    EXPECT_FALSE(apply_change(c, "EXPOSE 80/icmp"));
    EXPECT_FALSE(apply_change(c, "ENV A=\"open"));
    EXPECT_FALSE(apply_change(c, "WORKDIR"));
}

}  // namespace
}  // namespace berth::images
