#include "compose/discovery.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

using namespace berth::compose;
namespace fs = std::filesystem;

TEST(ProjectName, NormalizesImplicitNames) {
    EXPECT_EQ(normalize_project_name("UNNORMALIZED PATH"), "unnormalizedpath");
    EXPECT_EQ(normalize_project_name("_-My.App"), "myapp");
    EXPECT_EQ(normalize_project_name("__"), "");
}

TEST(ProjectName, ExplicitNamesMustAlreadyBeValid) {
    EXPECT_TRUE(check_explicit_project_name("my_project").ok());
    EXPECT_TRUE(check_explicit_project_name("42project").ok());
    for (const char* bad : {"-p", "_p", "www.my.project", "MY_PROJECT", "My Project"}) {
        auto r = check_explicit_project_name(bad);
        ASSERT_FALSE(r.ok()) << bad;
        EXPECT_NE(r.error().message().find("invalid project name \"" + std::string(bad) + "\""),
                  std::string::npos);
    }
}

TEST(ProjectName, Precedence) {
    NameSources s{"", std::nullopt, std::nullopt, "/work/My App"};
    EXPECT_EQ(*resolve_project_name(s), "myapp");
    s.from_file = "From_File";
    EXPECT_EQ(*resolve_project_name(s), "from_file");
    s.env = "from_env";
    EXPECT_EQ(*resolve_project_name(s), "from_env");
    s.flag = "from_flag";
    EXPECT_EQ(*resolve_project_name(s), "from_flag");
    NameSources root{"", std::nullopt, std::nullopt, "/"};
    EXPECT_EQ(resolve_project_name(root).error().message(), "project name must not be empty");
}

TEST(Paths, AbsoluteAndClean) {
    EXPECT_EQ(absolute_path("a/./b/../c", "/base"), "/base/a/c");
    EXPECT_EQ(absolute_path("/x/../../y", "/base"), "/y");
    EXPECT_EQ(dirname_of("/a/b/c.yaml"), "/a/b");
    EXPECT_EQ(basename_of("/a/b/"), "b");
}

TEST(Discovery, SearchesParentsAndAddsOverride) {
    char tmpl[] = "/tmp/berth-disc-XXXXXX";
    std::string root = ::mkdtemp(tmpl);
    fs::create_directories(root + "/a/b");
    std::ofstream(root + "/compose.yaml") << "services: {}\n";
    std::ofstream(root + "/docker-compose.yml") << "services: {}\n";
    std::ofstream(root + "/compose.override.yaml") << "services: {}\n";
    auto set = discover_files(root + "/a/b");
    ASSERT_TRUE(set.ok());
    EXPECT_EQ(set->files,
              (std::vector<std::string>{root + "/compose.yaml", root + "/compose.override.yaml"}));
    ASSERT_EQ(set->warnings.size(), 2u);
    EXPECT_NE(set->warnings[0].find("Found multiple config files"), std::string::npos);

    auto from_env = select_files(
        {},
        {{"COMPOSE_FILE", "a/../compose.yaml;docker-compose.yml"}, {"COMPOSE_PATH_SEPARATOR", ";"}},
        root);
    ASSERT_TRUE(from_env.ok());
    EXPECT_EQ(from_env->files,
              (std::vector<std::string>{root + "/compose.yaml", root + "/docker-compose.yml"}));
    fs::remove_all(root);
    auto none = discover_files("/proc/self");
    ASSERT_FALSE(none.ok());
    EXPECT_NE(none.error().message().find("no configuration file provided: not found"),
              std::string::npos);
}
