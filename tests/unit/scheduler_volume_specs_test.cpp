// A compose file's top-level volumes as berthd makes them.
#include <gtest/gtest.h>

#include "compose_support.hpp"
#include "scheduler/volume_specs.hpp"

using namespace berth;

namespace {

TEST(VolumeSpecs, NamesDriversLabelsAndExternal) {
    auto p = test_support::load_project(R"(name: demo
services:
  db:
    image: busybox
    volumes: [data:/var/lib/db, logs:/logs, old:/old]
volumes:
  data:
    labels: {team: a}
  logs:
    name: shared-logs
  old:
    external: true
)");
    auto specs = scheduler::volume_specs(p);
    ASSERT_TRUE(specs) << specs.error().message();
    ASSERT_EQ(specs->size(), 3u);
    std::map<std::string, scheduler::VolumeSpec> by_key;
    for (const auto& s : *specs) by_key[s.key] = s;
    EXPECT_EQ(by_key["data"].name, p.name + "_data");
    EXPECT_EQ(by_key["data"].driver, "local");
    EXPECT_EQ(by_key["data"].labels.at("team"), "a");
    EXPECT_FALSE(by_key["data"].external);
    EXPECT_EQ(by_key["logs"].name, "shared-logs");
    EXPECT_TRUE(by_key["old"].external);
    EXPECT_EQ(by_key["old"].name, "old");
}

TEST(VolumeSpecs, BadNamesAndDriversStopBeforeAnythingIsMade) {
    auto bad_name = scheduler::volume_specs(test_support::load_project(R"(name: demo
services: {db: {image: busybox, volumes: ["v:/v"]}}
volumes: {v: {name: "a/b"}}
)"));
    ASSERT_FALSE(bad_name);
    EXPECT_NE(bad_name.error().message().find("invalid volume name \"a/b\""), std::string::npos);
    auto driver = scheduler::volume_specs(test_support::load_project(R"(name: demo
services: {db: {image: busybox, volumes: ["v:/v"]}}
volumes: {v: {driver: convoy}}
)"));
    ASSERT_FALSE(driver);
    EXPECT_NE(driver.error().message().find("driver \"convoy\" is not available"),
              std::string::npos);
}

}  // namespace
