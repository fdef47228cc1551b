#include "scheduler/graph.hpp"

#include <gtest/gtest.h>

namespace berth::scheduler {
namespace {

using Levels = std::vector<std::vector<std::string>>;
using Names = std::vector<std::string>;

Dependency on(std::string service, Condition condition = Condition::Started) {
    Dependency d;
    d.service = std::move(service);
    d.condition = condition;
    return d;
}

Dependency optional_on(std::string service) {
    Dependency d = on(std::move(service));
    d.required = false;
    return d;
}

Dependency restarting_on(std::string service) {
    Dependency d = on(std::move(service));
    d.restart = true;
    return d;
}

Graph build_ok(const std::vector<ServiceNode>& services) {
    auto graph = Graph::build(services);
    EXPECT_TRUE(graph.ok()) << graph.error().message();
    return graph.ok() ? std::move(graph).value() : Graph{};
}

std::string build_error(const std::vector<ServiceNode>& services) {
    auto graph = Graph::build(services);
    EXPECT_FALSE(graph.ok());
    return graph.ok() ? std::string() : graph.error().message();
}

// compose-go graph_test.go exampleProject: test1 -> test2 -> test3.
std::vector<ServiceNode> chain() {
    return {{"test1", {on("test2")}}, {"test2", {on("test3")}}, {"test3", {}}};
}

// compose-go graph_test.go exampleGraph: A and B depend on nothing, C on A and B, E on B, G on A,
// D on C and E, F on D.
std::vector<ServiceNode> example_graph() {
    return {
        {"A", {}},        {"B", {}},        {"C", {on("A"), on("B")}}, {"D", {on("C"), on("E")}},
        {"E", {on("B")}}, {"F", {on("D")}}, {"G", {on("A")}}};
}

TEST(Graph, EmptyProjectHasNoLevels) {
    Graph graph = build_ok({});
    EXPECT_TRUE(graph.up_levels().empty());
    EXPECT_TRUE(graph.down_levels().empty());
    EXPECT_TRUE(graph.dependencies_closure({"x"}).empty());
}

TEST(Graph, UpOrderStartsDependenciesFirst) {
    // compose-go TestInDependencyUpCommandOrder: test3, test2, test1.
    EXPECT_EQ(build_ok(chain()).up_levels(), (Levels{{"test3"}, {"test2"}, {"test1"}}));
}

TEST(Graph, DownOrderStopsDependentsFirst) {
    // compose-go TestInDependencyReverseDownCommandOrder: test1, test2, test3.
    EXPECT_EQ(build_ok(chain()).down_levels(), (Levels{{"test1"}, {"test2"}, {"test3"}}));
}

TEST(Graph, LevelsGroupServicesThatCanRunInParallel) {
    Graph graph = build_ok(example_graph());
    EXPECT_EQ(graph.up_levels(), (Levels{{"A", "B"}, {"C", "E", "G"}, {"D"}, {"F"}}));
    EXPECT_EQ(graph.down_levels(), (Levels{{"F", "G"}, {"D"}, {"C", "E"}, {"A", "B"}}));
}

TEST(Graph, LevelsFollowTheLongestPath) {
    // web waits for db directly and through api, so it starts after api, not beside it.
    Graph graph = build_ok({{"web", {on("db"), on("api")}}, {"api", {on("db")}}, {"db", {}}});
    EXPECT_EQ(graph.up_levels(), (Levels{{"db"}, {"api"}, {"web"}}));
    EXPECT_EQ(graph.down_levels(), (Levels{{"web"}, {"api"}, {"db"}}));
}

TEST(Graph, ClosureAddsEverythingTheNamedServicesDependOn) {
    Graph graph = build_ok(example_graph());
    EXPECT_EQ(graph.dependencies_closure({"D"}), (Names{"A", "B", "C", "D", "E"}));
    EXPECT_EQ(graph.dependencies_closure({"G", "E"}), (Names{"A", "B", "E", "G"}));
    EXPECT_EQ(graph.dependencies_closure({"A"}), (Names{"A"}));
    EXPECT_EQ(graph.dependencies_closure({"nope", "A"}), (Names{"A"}));
}

TEST(Graph, RestartFollowsOnlyDependenciesMarkedRestart) {
    Graph graph = build_ok({{"db", {}},
                            {"api", {restarting_on("db")}},
                            {"worker", {restarting_on("db"), on("api")}},
                            {"web", {on("db"), restarting_on("api")}}});
    EXPECT_EQ(graph.dependents_to_restart("db"), (Names{"api", "worker"}));
    EXPECT_EQ(graph.dependents_to_restart("api"), (Names{"web"}));
    EXPECT_TRUE(graph.dependents_to_restart("web").empty());
    EXPECT_TRUE(graph.dependents_to_restart("unknown").empty());
}

TEST(Graph, DependenciesKeepTheirConditions) {
    Graph graph = build_ok(
        {{"web", {on("db", Condition::Healthy), on("migrate", Condition::CompletedSuccessfully)}},
         {"db", {}},
         {"migrate", {on("db")}}});
    const auto& deps = graph.dependencies("web");
    ASSERT_EQ(deps.size(), 2u);
    EXPECT_EQ(deps[0].service, "db");
    EXPECT_EQ(deps[0].condition, Condition::Healthy);
    EXPECT_EQ(deps[1].service, "migrate");
    EXPECT_EQ(deps[1].condition, Condition::CompletedSuccessfully);
    EXPECT_TRUE(graph.dependencies("nope").empty());
}

TEST(Graph, RepeatedDependencyCountsOnce) {
    Graph graph = build_ok({{"web", {on("db"), on("db", Condition::Healthy)}}, {"db", {}}});
    ASSERT_EQ(graph.dependencies("web").size(), 1u);
    EXPECT_EQ(graph.dependencies("web")[0].condition, Condition::Started);
}

TEST(Graph, UndefinedRequiredDependencyFails) {
    EXPECT_EQ(build_error({{"bar", {on("zot")}}, {"foo", {}}}),
              R"(service "bar" depends on undefined service "zot")");
}

TEST(Graph, UndefinedOptionalDependencyIsDroppedWithAWarning) {
    Graph graph = build_ok({{"web", {optional_on("cache"), on("db")}}, {"db", {}}});
    EXPECT_EQ(graph.up_levels(), (Levels{{"db"}, {"web"}}));
    ASSERT_EQ(graph.warnings().size(), 1u);
    EXPECT_NE(graph.warnings()[0].find(R"(service "web" depends on undefined service "cache")"),
              std::string::npos);
    EXPECT_EQ(graph.dependencies("web").size(), 1u);
}

TEST(Graph, DuplicateServiceFails) {
    EXPECT_EQ(build_error({{"web", {}}, {"web", {}}}), R"(duplicate service "web")");
}

TEST(Graph, CycleOfThreeIsReportedFromTheFirstServiceByName) {
    EXPECT_EQ(build_error({{"c", {on("a")}}, {"a", {on("b")}}, {"b", {on("c")}}}),
              "dependency cycle detected: a -> b -> c -> a");
}

TEST(Graph, CycleIsReportedWhereTheWalkMeetsIt) {
    // The walk starts at "a", which is not on the cycle: the message starts where the cycle does.
    EXPECT_EQ(build_error({{"a", {on("x")}}, {"x", {on("y")}}, {"y", {on("x")}}}),
              "dependency cycle detected: x -> y -> x");
}

TEST(Graph, SelfDependencyIsACycle) {
    EXPECT_EQ(build_error({{"a", {on("a")}}}), "dependency cycle detected: a -> a");
}

TEST(Graph, CycleMatchesComposeGo) {
    // compose-go Test_detectCycle: exampleGraph plus B -> D.
    auto services = example_graph();
    services[1].depends_on.push_back(on("D"));
    EXPECT_EQ(build_error(services), "dependency cycle detected: B -> D -> C -> B");
}

TEST(Graph, ConditionSpelling) {
    EXPECT_STREQ(to_string(Condition::Healthy), "service_healthy");
    EXPECT_EQ(parse_condition("service_completed_successfully"), Condition::CompletedSuccessfully);
    EXPECT_EQ(parse_condition("service_started"), Condition::Started);
    EXPECT_FALSE(parse_condition("healthy").has_value());
}

}  // namespace
}  // namespace berth::scheduler
