#include "scheduler/project_graph.hpp"

#include <gtest/gtest.h>

#include "compose_support.hpp"

using namespace berth;

namespace {}  // namespace

TEST(ProjectGraph, ArcheryStartsDatabasesFirst) {
    auto project = test_support::load_project(
        "services:\n  web:\n    image: w\n    depends_on:\n      db: {condition: service_healthy, "
        "restart: true}\n"
        "      cache: {condition: service_started, required: false}\n  db:\n    image: d\n  "
        "cache:\n    image: c\n"
        "  migrate:\n    image: m\n    depends_on: [db]\n");
    auto graph = scheduler::project_graph(project);
    ASSERT_TRUE(graph) << graph.error().message();
    EXPECT_EQ(graph->up_levels(),
              (std::vector<std::vector<std::string>>{{"cache", "db"}, {"migrate", "web"}}));
    EXPECT_EQ(graph->down_levels().front(), (std::vector<std::string>{"migrate", "web"}));
    EXPECT_EQ(graph->dependents_to_restart("db"), (std::vector<std::string>{"web"}));
    const auto& deps = graph->dependencies("web");
    ASSERT_EQ(deps.size(), 2u);
    EXPECT_EQ(deps[0].service, "cache");
    EXPECT_FALSE(deps[0].required);
    EXPECT_EQ(deps[1].condition, scheduler::Condition::Healthy);
}
