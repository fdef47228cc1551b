#include <gtest/gtest.h>

#include <sstream>

#include "query_format.hpp"

using namespace berth::cli;
using nlohmann::json;

namespace {

// 2026-11-29T10:00:00Z
constexpr std::time_t kNow = 1795946400;

json rows() {
    return json::parse(R"([
      {"ContainerName":"demo-web-1","ID":"sha256:a416a98b71e224a31ee99cff8e16063554498227d2b696152a9c3e0aa65e5824",
       "Repository":"busybox","Tag":"latest","Platform":"linux/amd64","Size":4261000,
       "Created":"2026-11-29T09:55:00Z"},
      {"ContainerName":"demo-db-1","ID":"sha256:a416a98b71e224a31ee99cff8e16063554498227d2b696152a9c3e0aa65e5824",
       "Repository":"busybox","Tag":"latest","Platform":"linux/amd64","Size":4261000,
       "Created":"2026-11-29T09:55:00Z"},
      {"ContainerName":"demo-old-1","ID":"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
       "Repository":"","Tag":"","Platform":"","Size":0}
    ])");
}

TEST(CliProjectImages, TableSortedByContainerLikeDockerCompose) {
    std::string out = render_project_images(rows(), "table", false, kNow);
    std::istringstream lines(out);
    std::string header, first, second, third;
    std::getline(lines, header);
    std::getline(lines, first);
    std::getline(lines, second);
    std::getline(lines, third);
    EXPECT_EQ(header.rfind("CONTAINER", 0), 0u);
    EXPECT_NE(header.find("REPOSITORY"), std::string::npos);
    EXPECT_NE(header.find("PLATFORM"), std::string::npos);
    EXPECT_NE(header.find("IMAGE ID"), std::string::npos);
    EXPECT_NE(header.find("CREATED"), std::string::npos);
    EXPECT_EQ(first.rfind("demo-db-1", 0), 0u);
    EXPECT_NE(first.find("linux/amd64"), std::string::npos);
    EXPECT_NE(first.find("a416a98b71e2 "), std::string::npos);  // 12 hex, no algorithm
    EXPECT_NE(first.find("4.26MB"), std::string::npos);
    EXPECT_NE(first.find("5 minutes ago"), std::string::npos);
    EXPECT_EQ(second.rfind("demo-old-1", 0), 0u);
    EXPECT_NE(second.find("<none>"), std::string::npos);
    EXPECT_NE(second.find("N/A"), std::string::npos);
    EXPECT_EQ(third.rfind("demo-web-1", 0), 0u);
}

TEST(CliProjectImages, QuietPrintsEachFullIdOnce) {
    EXPECT_EQ(render_project_images(rows(), "table", true, kNow),
              "a416a98b71e224a31ee99cff8e16063554498227d2b696152a9c3e0aa65e5824\n"
              "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n");
}

TEST(CliProjectImages, JsonIsOneArray) {
    std::string out = render_project_images(rows(), "json", false, kNow);
    ASSERT_EQ(out.back(), '\n');
    json j = json::parse(out);
    ASSERT_TRUE(j.is_array());
    EXPECT_EQ(j.size(), 3u);
    EXPECT_EQ(j[0]["ContainerName"], "demo-web-1");
}

}  // namespace
