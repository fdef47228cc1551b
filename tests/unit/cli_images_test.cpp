#include <gtest/gtest.h>

#include "image_remote.hpp"
#include "image_table.hpp"

using namespace berth::cli;
using nlohmann::json;

namespace {

const char* kId = "sha256:3f57d9401f8d42f986df300f0c69192fc41da28ccc8d797829467780db3dd741";

TEST(CliImages, DaemonListRendersAsTheStoreTable) {
    auto list = json::parse(std::string(R"([{"Names":["docker.io/library/busybox:latest",
        "example.com/team/app:1"],"ID":")") +
                            kId + R"(","Created":"2026-11-29T05:00:00Z","Size":4261000},
        {"Names":[],"ID":")" +
                            kId + R"(","Created":"bad","Size":512}])");
    auto rows = json_image_rows(list);
    ASSERT_TRUE(rows) << rows.error().message();
    ASSERT_EQ(rows->size(), 2u);
    std::time_t now = 1795928700;  // 2026-11-29T05:05:00Z
    EXPECT_EQ(render_images(*rows, false, now),
              "REPOSITORY             TAG      IMAGE ID       CREATED         SIZE\n"
              "busybox                latest   3f57d9401f8d   5 minutes ago   4.26MB\n"
              "example.com/team/app   1        3f57d9401f8d   5 minutes ago   4.26MB\n"
              "<none>                 <none>   3f57d9401f8d   N/A             512B\n");
    EXPECT_EQ(render_images(*rows, true, now), "3f57d9401f8d\n3f57d9401f8d\n3f57d9401f8d\n");
    EXPECT_FALSE(json_image_rows(json::object()));
    EXPECT_FALSE(json_image_rows(json::parse(R"([{"Names":"x"}])")));
}

TEST(CliImages, NamesArePercentEncodedAsOneSegment) {
    EXPECT_EQ(image_path("example.com/team/app:1", "json"),
              "/v1/images/example.com%2Fteam%2Fapp%3A1/json");
    EXPECT_EQ(image_path("x@sha256:ab"), "/v1/images/x%40sha256%3Aab");
}

}  // namespace
