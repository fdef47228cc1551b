#include <gtest/gtest.h>

#include <algorithm>

#include "compose_support.hpp"
#include "scheduler/planner.hpp"

namespace berth::scheduler {
namespace {

using Names = std::vector<std::string>;
using Indexes = std::vector<std::size_t>;

Dependency on(std::string service) {
    Dependency d;
    d.service = std::move(service);
    return d;
}

// web -> api -> db, web -> cache; worker -> db.
Graph shop_graph() {
    auto g = Graph::build({{"web", {on("api"), on("cache")}},
                           {"api", {on("db")}},
                           {"db", {}},
                           {"cache", {}},
                           {"worker", {on("db")}}});
    EXPECT_TRUE(g.ok()) << g.error().message();
    return std::move(g).value();
}

std::vector<DesiredService> shop_desired() {
    return {{"web", "h-web", 1, "", {}},
            {"api", "h-api", 1, "", {}},
            {"db", "h-db", 1, "", {}},
            {"cache", "h-cache", 1, "", {}},
            {"worker", "h-worker", 1, "", {}}};
}

ActualContainer running(const std::string& service, int number, const std::string& hash) {
    ActualContainer c;
    c.id = "id-" + service + "-" + std::to_string(number);
    c.name = "shop-" + service + "-" + std::to_string(number);
    c.service = service;
    c.number = number;
    c.config_hash = hash;
    c.state = RunState::Running;
    return c;
}

// Every desired container, up to date and running.
std::vector<ActualContainer> shop_running() {
    std::vector<ActualContainer> out;
    for (const auto& d : shop_desired()) out.push_back(running(d.name, 1, d.config_hash));
    return out;
}

Plan up_ok(const std::vector<DesiredService>& desired, const std::vector<ActualContainer>& actual,
           const UpOptions& options = {}) {
    auto plan = plan_up("shop", shop_graph(), desired, actual, options);
    EXPECT_TRUE(plan.ok()) << plan.error().message();
    return plan.ok() ? std::move(plan).value() : Plan{};
}

// Turns a plan's creations into containers, as the executor would leave them.
std::vector<ActualContainer> after_running(const Plan& plan,
                                           const std::vector<DesiredService>& desired) {
    std::vector<ActualContainer> out;
    for (const auto& s : plan.steps) {
        if (s.action == Action::Remove || s.action == Action::Stop) continue;
        std::string hash;
        for (const auto& d : desired) {
            if (d.name == s.service) hash = d.config_hash;
        }
        ActualContainer c = running(s.service, s.number, hash);
        c.name = s.container_name;
        out.push_back(c);
    }
    return out;
}

const Step& step_for(const Plan& plan, const std::string& service, int number = 1) {
    for (const auto& s : plan.steps) {
        if (s.service == service && s.number == number) return s;
    }
    ADD_FAILURE() << "no step for " << service << " " << number;
    static const Step none;
    return none;
}

std::size_t index_of(const Plan& plan, const std::string& service, int number = 1) {
    for (std::size_t i = 0; i < plan.steps.size(); ++i) {
        if (plan.steps[i].service == service && plan.steps[i].number == number) return i;
    }
    ADD_FAILURE() << "no step for " << service << " " << number;
    return plan.steps.size();
}

Names services_of(const Plan& plan) {
    Names out;
    for (const auto& s : plan.steps) out.push_back(s.service);
    return out;
}

TEST(Planner, ContainerNames) {
    DesiredService s{"web", "h", 1, "", {}};
    EXPECT_EQ(container_name("shop", s, 3), "shop-web-3");
    s.container_name = "frontend";
    EXPECT_EQ(container_name("shop", s, 1), "frontend");
}

TEST(Planner, ConfigHashIncludesTheImage) {
    std::string a = config_hash_with_image("abc", "sha256:1111");
    EXPECT_EQ(a.size(), 64u);
    EXPECT_EQ(a, config_hash_with_image("abc", "sha256:1111"));
    EXPECT_NE(a, config_hash_with_image("abc", "sha256:2222"));
    EXPECT_NE(a, config_hash_with_image("abd", "sha256:1111"));
    // sha256("abc\nsha256:1111"), computed with sha256sum.
    EXPECT_EQ(config_hash_with_image("abc", "sha256:1111"),
              "19b82e8fe74854325a1298ea3a8818d242264a536df5275d6e117b80992b86e6");
}

TEST(Planner, FreshUpCreatesEverythingInDependencyOrder) {
    Plan plan = up_ok(shop_desired(), {});
    ASSERT_EQ(plan.steps.size(), 5u);
    for (const auto& s : plan.steps) {
        EXPECT_EQ(s.action, Action::Create) << s.service;
        EXPECT_EQ(s.container_name, "shop-" + s.service + "-1");
        EXPECT_TRUE(s.container_id.empty());
    }
    // Level 0 (cache, db), level 1 (api, worker), level 2 (web).
    EXPECT_EQ(services_of(plan), (Names{"cache", "db", "api", "worker", "web"}));
    EXPECT_TRUE(plan.warnings.empty());
    EXPECT_TRUE(plan.orphans.empty());
}

TEST(Planner, SecondUpIsAllKeep) {
    auto desired = shop_desired();
    Plan first = up_ok(desired, {});
    Plan second = up_ok(desired, after_running(first, desired));
    ASSERT_EQ(second.steps.size(), 5u);
    for (const auto& s : second.steps) {
        EXPECT_EQ(s.action, Action::Keep) << s.service;
        EXPECT_FALSE(s.container_id.empty());
    }
    EXPECT_TRUE(second.warnings.empty());
}

TEST(Planner, AfterNamesOnlyTheStepsOfOwnDependencies) {
    std::vector<DesiredService> desired = shop_desired();
    desired[2].replicas = 2;  // db runs twice
    Plan plan = up_ok(desired, {});
    Indexes db{index_of(plan, "db", 1), index_of(plan, "db", 2)};
    EXPECT_EQ(step_for(plan, "api").after, db);
    EXPECT_EQ(step_for(plan, "worker").after, db);
    EXPECT_TRUE(step_for(plan, "db", 1).after.empty());
    EXPECT_TRUE(step_for(plan, "cache").after.empty());
    // web waits for api and cache, not for worker, which shares api's level.
    Indexes web{index_of(plan, "cache"), index_of(plan, "api")};
    std::sort(web.begin(), web.end());
    EXPECT_EQ(step_for(plan, "web").after, web);
    for (std::size_t i = 0; i < plan.steps.size(); ++i) {
        for (std::size_t a : plan.steps[i].after) EXPECT_LT(a, i) << "steps point backwards";
    }
}

TEST(Planner, OneChangedServiceRecreatesOnlyIt) {
    auto desired = shop_desired();
    desired[1].config_hash = "h-api-2";
    Plan plan = up_ok(desired, shop_running());
    for (const auto& s : plan.steps) {
        if (s.service == "api") {
            EXPECT_EQ(s.action, Action::Recreate);
            EXPECT_EQ(s.reason, "config changed");
            EXPECT_EQ(s.container_id, "id-api-1");
            EXPECT_EQ(s.container_name, "shop-api-1");
        } else {
            EXPECT_EQ(s.action, Action::Keep) << s.service;
        }
    }
}

TEST(Planner, StoppedContainersThatMatchAreStarted) {
    auto actual = shop_running();
    actual[2].state = RunState::Exited;   // db
    actual[3].state = RunState::Created;  // cache
    Plan plan = up_ok(shop_desired(), actual);
    EXPECT_EQ(step_for(plan, "db").action, Action::Start);
    EXPECT_EQ(step_for(plan, "cache").action, Action::Start);
    EXPECT_EQ(step_for(plan, "web").action, Action::Keep);
}

TEST(Planner, NoRecreateKeepsOutdatedContainers) {
    auto desired = shop_desired();
    desired[1].config_hash = "h-api-2";
    auto actual = shop_running();
    actual[1].state = RunState::Exited;
    UpOptions o;
    o.no_recreate = true;
    Plan plan = up_ok(desired, actual, o);
    EXPECT_EQ(step_for(plan, "api").action, Action::Start);
    for (const auto& s : plan.steps) EXPECT_NE(s.action, Action::Recreate);
}

TEST(Planner, ForceRecreateRecreatesEverySelectedService) {
    UpOptions o;
    o.force_recreate = true;
    Plan plan = up_ok(shop_desired(), shop_running(), o);
    ASSERT_EQ(plan.steps.size(), 5u);
    for (const auto& s : plan.steps) {
        EXPECT_EQ(s.action, Action::Recreate) << s.service;
        EXPECT_EQ(s.reason, "forced");
    }
}

TEST(Planner, ForceRecreateAppliesToTheNamedServicesOnly) {
    UpOptions o;
    o.services = {"api"};
    o.force_recreate = true;
    Plan plan = up_ok(shop_desired(), shop_running(), o);
    EXPECT_EQ(step_for(plan, "api").action, Action::Recreate);
    EXPECT_EQ(step_for(plan, "api").reason, "forced");
    EXPECT_EQ(step_for(plan, "db").action, Action::Keep);
}

TEST(Planner, AlwaysRecreateDepsRecreatesWhatTheNamedServicesBringAlong) {
    UpOptions o;
    o.services = {"api"};
    o.always_recreate_deps = true;
    Plan plan = up_ok(shop_desired(), shop_running(), o);
    EXPECT_EQ(step_for(plan, "db").action, Action::Recreate);
    EXPECT_EQ(step_for(plan, "db").reason, "forced");
    EXPECT_EQ(step_for(plan, "api").action, Action::Keep);
    o.force_recreate = true;
    plan = up_ok(shop_desired(), shop_running(), o);
    EXPECT_EQ(step_for(plan, "db").action, Action::Recreate);
    EXPECT_EQ(step_for(plan, "api").action, Action::Recreate);
}

TEST(Planner, AlwaysRecreateDepsWithoutNamedServicesChangesNothing) {
    UpOptions o;
    o.always_recreate_deps = true;  // every service is named: none is only a dependency
    Plan plan = up_ok(shop_desired(), shop_running(), o);
    for (const auto& s : plan.steps) EXPECT_EQ(s.action, Action::Keep) << s.service;
}

TEST(Planner, ContainersJoiningARecreatedServiceAreRecreated) {
    auto desired = shop_desired();
    desired[1].shares_with = {"db"};  // api: network_mode service:db
    desired[2].config_hash = "h-db-2";
    Plan plan = up_ok(desired, shop_running());
    EXPECT_EQ(step_for(plan, "db").reason, "config changed");
    EXPECT_EQ(step_for(plan, "api").action, Action::Recreate);
    EXPECT_EQ(step_for(plan, "api").reason, "db recreated");
    EXPECT_EQ(step_for(plan, "worker").action, Action::Keep) << "depends_on alone keeps it";
    UpOptions o;
    o.no_recreate = true;
    plan = up_ok(desired, shop_running(), o);
    for (const auto& s : plan.steps) EXPECT_NE(s.action, Action::Recreate) << s.service;
}

TEST(Planner, DependentsWithRestartTrueAreRestartedWhenTheDependencyIsRecreated) {
    Dependency db = on("db");
    db.restart = true;
    auto g = Graph::build({{"app", {db}}, {"db", {}}, {"other", {on("db")}}});
    ASSERT_TRUE(g.ok());
    std::vector<DesiredService> desired{
        {"app", "h-app", 1, "", {}}, {"db", "h-db-2", 1, "", {}}, {"other", "h-other", 1, "", {}}};
    std::vector<ActualContainer> actual{running("app", 1, "h-app"), running("db", 1, "h-db"),
                                        running("other", 1, "h-other")};
    auto plan = plan_up("shop", *g, desired, actual, {});
    ASSERT_TRUE(plan.ok());
    EXPECT_EQ(step_for(*plan, "db").action, Action::Recreate);
    EXPECT_EQ(step_for(*plan, "app").action, Action::Restart);
    EXPECT_EQ(step_for(*plan, "app").reason, "dependency db recreated");
    EXPECT_EQ(step_for(*plan, "other").action, Action::Keep);
    desired[1].config_hash = "h-db";
    plan = plan_up("shop", *g, desired, actual, {});
    ASSERT_TRUE(plan.ok());
    EXPECT_EQ(step_for(*plan, "app").action, Action::Keep) << "db kept: nothing to restart for";
}

TEST(Planner, ContainerNameCannotBeScaled) {
    auto desired = shop_desired();
    desired[3].container_name = "the-cache";
    desired[3].replicas = 2;
    auto plan = plan_up("shop", shop_graph(), desired, {}, {});
    ASSERT_FALSE(plan.ok());
    EXPECT_EQ(plan.error().message(),
              "WARNING: The \"cache\" service is using the custom container name \"the-cache\". "
              "Docker requires each container to have a unique name. Remove the custom name to "
              "scale the service");
    desired[3].replicas = 1;
    EXPECT_TRUE(plan_up("shop", shop_graph(), desired, {}, {}).ok());
}

TEST(Planner, ServicesSelectionBringsTheirDependencies) {
    UpOptions o;
    o.services = {"api"};
    Plan plan = up_ok(shop_desired(), {}, o);
    EXPECT_EQ(services_of(plan), (Names{"db", "api"}));
    EXPECT_EQ(plan.steps[1].after, Indexes{0});
}

TEST(Planner, NoDepsTakesOnlyTheNamedServices) {
    UpOptions o;
    o.services = {"web"};
    o.no_deps = true;
    Plan plan = up_ok(shop_desired(), {}, o);
    EXPECT_EQ(services_of(plan), Names{"web"});
    EXPECT_TRUE(plan.steps[0].after.empty());
}

TEST(Planner, UnselectedServicesAreLeftAlone) {
    auto desired = shop_desired();
    desired[4].config_hash = "h-worker-2";  // worker changed but is not asked for
    UpOptions o;
    o.services = {"cache"};
    Plan plan = up_ok(desired, shop_running(), o);
    EXPECT_EQ(services_of(plan), Names{"cache"});
    EXPECT_TRUE(plan.warnings.empty()) << "unselected services are not orphans";
}

TEST(Planner, UnknownServiceIsAnError) {
    UpOptions o;
    o.services = {"api", "nope"};
    auto plan = plan_up("shop", shop_graph(), shop_desired(), {}, o);
    ASSERT_FALSE(plan.ok());
    EXPECT_EQ(plan.error().message(), "no such service: \"nope\"");
}

TEST(Planner, ScaleUpFillsGapsFromOne) {
    auto desired = shop_desired();
    desired[4].replicas = 4;
    auto actual = shop_running();
    actual[4] = running("worker", 2, "h-worker");  // worker-1 was removed by hand
    actual.push_back(running("worker", 4, "h-worker"));
    Plan plan = up_ok(desired, actual);
    std::vector<std::pair<int, Action>> worker;
    for (const auto& s : plan.steps) {
        if (s.service == "worker") worker.emplace_back(s.number, s.action);
    }
    EXPECT_EQ(worker,
              (std::vector<std::pair<int, Action>>{
                  {2, Action::Keep}, {4, Action::Keep}, {1, Action::Create}, {3, Action::Create}}));
    EXPECT_EQ(step_for(plan, "worker", 3).container_name, "shop-worker-3");
}

TEST(Planner, ScaleDownRemovesTheHighestNumbers) {
    auto desired = shop_desired();
    desired[4].replicas = 1;
    auto actual = shop_running();
    actual.push_back(running("worker", 3, "h-worker"));
    actual.push_back(running("worker", 2, "h-worker"));
    Plan plan = up_ok(desired, actual);
    std::vector<std::pair<int, Action>> worker;
    for (const auto& s : plan.steps) {
        if (s.service == "worker") worker.emplace_back(s.number, s.action);
    }
    EXPECT_EQ(worker, (std::vector<std::pair<int, Action>>{
                          {3, Action::Remove}, {2, Action::Remove}, {1, Action::Keep}}));
    EXPECT_EQ(step_for(plan, "worker", 3).container_id, "id-worker-3");
}

TEST(Planner, ScaleDownRemovesOutdatedContainersFirst) {
    auto desired = shop_desired();
    desired[4].replicas = 1;
    auto actual = shop_running();
    actual[4].config_hash = "old";  // worker-1 is outdated
    actual.push_back(running("worker", 2, "h-worker"));
    actual.push_back(running("worker", 3, "h-worker"));
    Plan plan = up_ok(desired, actual);
    std::vector<std::pair<int, Action>> worker;
    for (const auto& s : plan.steps) {
        if (s.service == "worker") worker.emplace_back(s.number, s.action);
    }
    EXPECT_EQ(worker, (std::vector<std::pair<int, Action>>{
                          {1, Action::Remove}, {3, Action::Remove}, {2, Action::Keep}}));
    EXPECT_EQ(step_for(plan, "worker", 3).reason, "scale down");
}

TEST(Planner, ScaleToZeroRemovesEveryContainerAndThenRefillsFromOne) {
    auto desired = shop_desired();
    desired[4].replicas = 0;
    auto actual = shop_running();
    actual.push_back(running("worker", 2, "h-worker"));
    Plan plan = up_ok(desired, actual);
    EXPECT_EQ(step_for(plan, "worker", 1).action, Action::Remove);
    EXPECT_EQ(step_for(plan, "worker", 2).action, Action::Remove);
    desired[4].replicas = 2;
    plan = up_ok(desired, {});
    EXPECT_EQ(step_for(plan, "worker", 1).action, Action::Create);
    EXPECT_EQ(step_for(plan, "worker", 2).action, Action::Create);
}

TEST(Planner, ScalingNeverRecreates) {
    auto desired = shop_desired();
    desired[0].replicas = 3;
    Plan plan = up_ok(desired, shop_running());
    EXPECT_EQ(step_for(plan, "web", 1).action, Action::Keep);
    EXPECT_EQ(step_for(plan, "web", 2).action, Action::Create);
    EXPECT_EQ(step_for(plan, "web", 3).action, Action::Create);
}

TEST(Planner, OrphansAreWarnedAboutWithDockerComposesWording) {
    auto actual = shop_running();
    actual.push_back(running("old", 1, "x"));
    actual.push_back(running("legacy", 1, "x"));
    ActualContainer oneoff = running("gone", 1, "x");
    oneoff.oneoff = true;
    oneoff.name = "shop-gone-run-1a2b";
    actual.push_back(oneoff);
    Plan plan = up_ok(shop_desired(), actual);
    ASSERT_EQ(plan.warnings.size(), 1u);
    EXPECT_EQ(plan.warnings[0],
              "Found orphan containers ([shop-legacy-1 shop-old-1]) for this project. If you "
              "removed or renamed this service in your compose file, you can run this command "
              "with the --remove-orphans flag to clean it up.");
    EXPECT_EQ(plan.orphans.size(), 2u);
    for (const auto& s : plan.steps) EXPECT_EQ(s.action, Action::Keep) << s.service;
}

TEST(Planner, RemoveOrphansRemovesThem) {
    auto actual = shop_running();
    actual.push_back(running("old", 1, "x"));
    UpOptions o;
    o.remove_orphans = true;
    Plan plan = up_ok(shop_desired(), actual, o);
    EXPECT_TRUE(plan.warnings.empty());
    const Step& removal = step_for(plan, "old");
    EXPECT_EQ(removal.action, Action::Remove);
    EXPECT_EQ(removal.container_id, "id-old-1");
    EXPECT_EQ(plan.orphans.size(), 1u);
}

TEST(Planner, DownStopsDependentsFirst) {
    Plan plan = plan_down(shop_graph(), shop_running(), Action::Remove, {}, false);
    ASSERT_EQ(plan.steps.size(), 5u);
    EXPECT_EQ(services_of(plan), (Names{"web", "worker", "api", "cache", "db"}));
    for (const auto& s : plan.steps) EXPECT_EQ(s.action, Action::Remove);
    EXPECT_TRUE(step_for(plan, "web").after.empty());
    EXPECT_EQ(step_for(plan, "api").after, Indexes{index_of(plan, "web")});
    EXPECT_EQ(step_for(plan, "cache").after, Indexes{index_of(plan, "web")});
    // db waits for api and worker, the two services that depend on it.
    Indexes db{index_of(plan, "worker"), index_of(plan, "api")};
    std::sort(db.begin(), db.end());
    EXPECT_EQ(step_for(plan, "db").after, db);
}

TEST(Planner, DownRemovesOneOffContainersButStopLeavesThem) {
    auto actual = shop_running();
    ActualContainer oneoff = running("api", 1, "h-api");
    oneoff.oneoff = true;
    oneoff.id = "id-run";
    oneoff.name = "shop-api-run-abc";
    actual.push_back(oneoff);
    Plan removal = plan_down(shop_graph(), actual, Action::Remove, {}, false);
    EXPECT_EQ(removal.steps.size(), 6u);
    bool found = false;
    for (const auto& s : removal.steps) found = found || s.container_id == "id-run";
    EXPECT_TRUE(found);
    Plan stop = plan_down(shop_graph(), actual, Action::Stop, {}, false);
    EXPECT_EQ(stop.steps.size(), 5u);
    for (const auto& s : stop.steps) EXPECT_EQ(s.action, Action::Stop);
}

TEST(Planner, DownFiltersByService) {
    Plan plan = plan_down(shop_graph(), shop_running(), Action::Stop, {"db", "api"}, false);
    EXPECT_EQ(services_of(plan), (Names{"api", "db"}));
    EXPECT_EQ(plan.steps[1].after, Indexes{0});
}

TEST(Planner, DownWithoutAGraphGoesAllAtOnce) {
    Plan plan = plan_down(Graph{}, shop_running(), Action::Remove, {}, false);
    EXPECT_EQ(plan.steps.size(), 5u);
    for (const auto& s : plan.steps) EXPECT_TRUE(s.after.empty());
}

TEST(Planner, DownRemovesOrphansOnlyWhenAsked) {
    auto actual = shop_running();
    actual.push_back(running("old", 1, "x"));
    Plan kept = plan_down(shop_graph(), actual, Action::Remove, {}, false);
    EXPECT_EQ(kept.steps.size(), 5u);
    EXPECT_EQ(kept.warnings.size(), 1u);
    Plan removed = plan_down(shop_graph(), actual, Action::Remove, {}, true);
    EXPECT_EQ(removed.steps.size(), 6u);
    EXPECT_EQ(step_for(removed, "old").action, Action::Remove);
}

TEST(Planner, ChangedKeysNamesAddedRemovedAndChangedKeys) {
    compose::Node before = test_support::parse_one(R"(
image: busybox
command: [sh, -c, "sleep 1"]
environment: {A: "1"}
ports: ["80:80"]
)");
    compose::Node after = test_support::parse_one(R"(
image: busybox
command: [sh, -c, "sleep 2"]
environment: {A: "1"}
user: nobody
)");
    EXPECT_EQ(changed_keys(before, after), (Names{"command", "ports", "user"}));
    EXPECT_TRUE(changed_keys(before, before).empty());
}

TEST(Planner, ChangedKeysIgnoresPositions) {
    compose::Node a = test_support::parse_one("image: busybox\nenvironment: {A: '1'}\n");
    compose::Node b = test_support::parse_one("\n\nenvironment: {A: '1'}\nimage: busybox\n");
    EXPECT_TRUE(changed_keys(a, b).empty());
}

TEST(Planner, ActionNames) {
    EXPECT_STREQ(to_string(Action::Create), "create");
    EXPECT_STREQ(to_string(Action::Recreate), "recreate");
    EXPECT_STREQ(to_string(Action::Keep), "keep");
    EXPECT_STREQ(to_string(Action::Restart), "restart");
}

}  // namespace
}  // namespace berth::scheduler
