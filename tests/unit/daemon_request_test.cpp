// The JSON bodies of the project routes: what is accepted, and what is refused with which words.
#include <gtest/gtest.h>

#include "../../daemon/src/project_request.hpp"

namespace berth::daemon {
namespace {

const char* kModel =
    R"({"name":"demo","services":{"web":{"image":"busybox","network_mode":"none"}}})";

std::string up_body(const std::string& options) {
    return std::string(R"({"project":)") + kModel + R"(,"config_files":["/x/compose.yaml"],)" +
           R"("working_dir":"/x","options":)" + options + "}";
}

TEST(UpRequest, ReadsModelAndOptions) {
    auto r = parse_up_request(
        up_body(R"({"services":["web"],"no_deps":true,"timeout":3,"parallel":2})"), "demo");
    ASSERT_TRUE(r.ok()) << r.error().message();
    ASSERT_TRUE(r->project.has_value());
    EXPECT_EQ(r->project->name, "demo");
    EXPECT_EQ(r->project->working_dir, "/x");
    EXPECT_EQ(r->project->service_names(), std::vector<std::string>{"web"});
    EXPECT_EQ(r->options.services, std::vector<std::string>{"web"});
    EXPECT_TRUE(r->options.no_deps);
    ASSERT_TRUE(r->timeout.has_value());
    EXPECT_EQ(*r->timeout, 3);
    EXPECT_EQ(r->parallel, 2);
}

TEST(UpRequest, RefusesMismatchedName) {
    auto r = parse_up_request(up_body("{}"), "other");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message(), "the project model is named \"demo\", the request \"other\"");
}

TEST(UpRequest, RefusesWrongTypesAndContradictions) {
    auto r = parse_up_request(up_body(R"({"services":"web"})"), "demo");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message(), "\"services\" has the wrong type");
    r = parse_up_request(up_body(R"({"force_recreate":true,"no_recreate":true})"), "demo");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message(), "--force-recreate and --no-recreate are incompatible");
    r = parse_up_request("not json", "demo");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message(), "the request body is not a JSON object");
    r = parse_up_request("{}", "demo");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message(), "the request has no project model");
}

TEST(UpRequest, ReadsScaleAndAlwaysRecreateDeps) {
    auto r =
        parse_up_request(up_body(R"({"scale":{"web":3},"always_recreate_deps":true})"), "demo");
    ASSERT_TRUE(r.ok()) << r.error().message();
    EXPECT_EQ(r->scale, (std::map<std::string, int>{{"web", 3}}));
    EXPECT_TRUE(r->options.always_recreate_deps);
}

TEST(UpRequest, RefusesBadScaleAndContradictions) {
    auto msg = [](const std::string& options) {
        auto r = parse_up_request(up_body(options), "demo");
        return r.ok() ? std::string("ok") : r.error().message();
    };
    EXPECT_EQ(msg(R"({"scale":{"nope":1}})"), "no such service: nope");
    EXPECT_EQ(msg(R"({"scale":{"web":-1}})"),
              "invalid --scale option \"web=-1\": the number of replicas cannot be negative");
    EXPECT_EQ(msg(R"({"scale":{"web":"x"}})"), "\"scale\" has the wrong type");
    EXPECT_EQ(msg(R"({"always_recreate_deps":true,"no_recreate":true})"),
              "--always-recreate-deps and --no-recreate are incompatible");
}

TEST(ActionRequest, ModelIsOptional) {
    auto r = parse_action_request(
        R"({"services":["web"],"options":{"signal":"SIGUSR1","timeout":1.5}})", "demo");
    ASSERT_TRUE(r.ok()) << r.error().message();
    EXPECT_FALSE(r->project.has_value());
    EXPECT_EQ(r->signal, "SIGUSR1");
    EXPECT_EQ(*r->timeout, 1.5);
    auto d = parse_action_request("", "demo");
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d->signal, "SIGKILL");
}

TEST(RunRequest, ReadsOverrides) {
    auto r = parse_run_request(
        std::string(R"({"project":)") + kModel +
            R"(,"service":"web","options":{"command":["echo","hi"],"rm":true,"env":["A=1"],"user":"1000"}})",
        "demo");
    ASSERT_TRUE(r.ok()) << r.error().message();
    EXPECT_EQ(r->service, "web");
    EXPECT_EQ(*r->command, (std::vector<std::string>{"echo", "hi"}));
    EXPECT_TRUE(r->rm);
    EXPECT_EQ(r->env, std::vector<std::string>{"A=1"});
    EXPECT_EQ(*r->user, "1000");
    EXPECT_FALSE(r->entrypoint.has_value());
}

TEST(ExecBody, NeedsACommand) {
    auto r = parse_exec_body(R"({"cmd":[]})");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message(), "no command given");
    auto ok = parse_exec_body(R"({"cmd":["sh"],"tty":true,"workdir":"/tmp"})");
    ASSERT_TRUE(ok.ok());
    EXPECT_TRUE(ok->tty);
    EXPECT_EQ(ok->workdir, "/tmp");
}

TEST(ProjectName, FollowsComposeRules) {
    EXPECT_TRUE(validate_project_name("demo_1-x").ok());
    EXPECT_FALSE(validate_project_name("Demo").ok());
    EXPECT_FALSE(validate_project_name("-x").ok());
    EXPECT_FALSE(validate_project_name("").ok());
    EXPECT_FALSE(validate_project_name("a/b").ok());
}

}  // namespace
}  // namespace berth::daemon
