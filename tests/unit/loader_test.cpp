// The loader end to end on small projects: extends, include, profiles, references, cycles, env
// files, and error locations.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "compose/project.hpp"
#include "compose/yaml.hpp"

using namespace berth;
using namespace berth::compose;
namespace fs = std::filesystem;

namespace {

const std::string kTestdata =
    fs::weakly_canonical(std::string(BERTH_CONFORMANCE_DIR) + "/compose-go/testdata").string();

class Scratch {
  public:
    Scratch() {
        char tmpl[] = "/tmp/berth-loader-XXXXXX";
        dir_ = ::mkdtemp(tmpl);
    }
    ~Scratch() { fs::remove_all(dir_); }
    std::string write(const std::string& rel, const std::string& text) const {
        fs::path p = fs::path(dir_) / rel;
        fs::create_directories(p.parent_path());
        std::ofstream(p) << text;
        return p.string();
    }
    const std::string& dir() const { return dir_; }

  private:
    std::string dir_;
};

Result<Project> load_files(std::vector<std::string> files, const std::string& cwd,
                           Environment env = {}) {
    LoadOptions o;
    o.files = std::move(files);
    o.cwd = cwd;
    o.os_env = std::move(env);
    return load(o);
}

Result<Project> load_text(const std::string& text, Environment env = {}) {
    LoadOptions o;
    o.files = {"-"};
    o.stdin_content = text;
    o.cwd = "/tmp";
    o.project_name = "test";
    o.os_env = std::move(env);
    return load(o);
}

std::string error_of(const Result<Project>& r) {
    return r ? std::string("<no error>") : r.error().message();
}

const Node& at(const Project& p, std::initializer_list<std::string_view> path) {
    const Node* cur = &p.model;
    for (auto key : path) {
        cur = cur->find(key);
        if (cur == nullptr) throw std::runtime_error("missing " + std::string(key));
    }
    return *cur;
}

}  // namespace

TEST(Loader, ExtendsInAnotherFileResolvesPathsAgainstThatFile) {
    auto p = load_files({kTestdata + "/compose-test-extends.yaml"}, kTestdata);
    ASSERT_TRUE(p) << error_of(p);
    EXPECT_EQ(at(*p, {"services", "importer", "image"}).text, "nginx");
    EXPECT_EQ(at(*p, {"services", "importer", "container_name"}).text, "imported");
    EXPECT_EQ(at(*p, {"services", "importer", "env_file"}).items.at(0).find("path")->text,
              kTestdata + "/subdir/extra.env");
    EXPECT_EQ(at(*p, {"services", "importer", "environment", "SOURCE"}).text, "extends");
    EXPECT_EQ(at(*p, {"services", "importer", "volumes"}).items.at(0).find("source")->text,
              "/opt/data");
}

TEST(Loader, ExtendsChainsAndRelativeBuildContext) {
    Scratch s;
    std::string f =
        s.write("compose.yaml", "name: t\nservices:\n  test1:\n    extends: {file: " + kTestdata +
                                    "/extends/base.yaml, service: another}\n    hostname: test1\n"
                                    "  test2:\n    extends: {file: " +
                                    kTestdata + "/extends/base.yaml, service: with-build}\n");
    auto p = load_files({f}, s.dir());
    ASSERT_TRUE(p) << error_of(p);
    EXPECT_EQ(at(*p, {"services", "test1", "image"}).text, "base");
    EXPECT_EQ(at(*p, {"services", "test1", "hostname"}).text, "test1");
    EXPECT_EQ(at(*p, {"services", "test2", "build", "context"}).text, kTestdata + "/extends");
    EXPECT_EQ(at(*p, {"services", "test1"}).find("extends"), nullptr);
}

TEST(Loader, ExtendsWithoutServiceIsAnError) {
    auto p =
        load_text("services:\n  test:\n    image: test\n    extends:\n      file: base.yaml\n");
    EXPECT_NE(error_of(p).find("<stdin>:5:7: extends.test.service is required"), std::string::npos)
        << error_of(p);
}

TEST(Loader, ExtendsCycleIsReported) {
    auto p = load_text(
        "services:\n  a:\n    image: x\n    extends: b\n  b:\n    image: y\n    extends: a\n");
    EXPECT_NE(error_of(p).find("Circular reference"), std::string::npos) << error_of(p);
}

TEST(Loader, IncludeImportsServicesWithTheirOwnFolder) {
    auto p = load_files({kTestdata + "/include/compose.yaml"}, kTestdata + "/include");
    ASSERT_TRUE(p) << error_of(p);
    EXPECT_EQ(at(*p, {"services", "included", "build", "context"}).text, kTestdata + "/include");
}

TEST(Loader, IncludeCycleIsReported) {
    auto p = load_files({kTestdata + "/compose-include-cycle.yaml"}, kTestdata);
    EXPECT_NE(error_of(p).find("include cycle detected"), std::string::npos) << error_of(p);
}

TEST(Loader, DependencyCycleNamesTheServices) {
    auto p = load_files({kTestdata + "/compose-depends-on-cycle.yaml"}, kTestdata);
    EXPECT_NE(
        error_of(p).find("dependency cycle detected: service1 -> service2 -> service3 -> service1"),
        std::string::npos)
        << error_of(p);
    auto self = load_files({kTestdata + "/compose-depends-on-self.yaml"}, kTestdata);
    EXPECT_NE(error_of(self).find("dependency cycle detected: service1 -> service1"),
              std::string::npos);
}

TEST(Loader, UndefinedReferencesAreErrors) {
    EXPECT_NE(error_of(load_text("services:\n  a:\n    image: x\n    depends_on: [zot]\n"))
                  .find("service \"a\" depends on undefined service \"zot\""),
              std::string::npos);
    EXPECT_NE(error_of(load_text("services:\n  a:\n    image: x\n    networks: [front]\n"))
                  .find("service \"a\" refers to undefined network front"),
              std::string::npos);
    EXPECT_NE(error_of(load_text("services:\n  a:\n    image: x\n    volumes: ['data:/d']\n"))
                  .find("service \"a\" refers to undefined volume data"),
              std::string::npos);
    EXPECT_NE(error_of(load_text("services:\n  a:\n    image: x\n    secrets: [s]\n"))
                  .find("service \"a\" refers to undefined secret s"),
              std::string::npos);
    EXPECT_NE(error_of(load_text("services:\n  a:\n    image: x\n    configs: [c]\n"))
                  .find("service \"a\" refers to undefined config c"),
              std::string::npos);
}

TEST(Loader, ConflictingOptionsAreErrors) {
    std::string err = error_of(
        load_text("services:\n  a:\n    image: x\n    network_mode: host\n    networks: [n]\n"
                  "networks:\n  n: {}\n"));
    EXPECT_NE(
        err.find(
            "<stdin>:5:15: service a declares mutually exclusive `network_mode` and `networks`"),
        std::string::npos)
        << err;
    err = error_of(load_text(
        "services:\n  a:\n    image: x\nvolumes:\n  v:\n    external: true\n    driver: foo\n"));
    EXPECT_NE(err.find("conflicting parameters \"external\" and \"driver\" specified"),
              std::string::npos)
        << err;
    err = error_of(load_text("services:\n  a:\n    build: .\n"));
    EXPECT_TRUE(
        error_of(load_text("services:\n  a: {}\n")).find("neither an image nor a build context") !=
        std::string::npos);
}

TEST(Loader, ProfilesEnableDependencies) {
    std::string yaml =
        "services:\n  web: {image: x}\n  debug:\n    image: y\n    profiles: [debug]\n"
        "    depends_on: [helper]\n  helper:\n    image: z\n    profiles: [tools]\n";
    LoadOptions o;
    o.files = {"-"};
    o.stdin_content = yaml;
    o.cwd = "/tmp";
    o.project_name = "t";
    auto plain = load(o);
    ASSERT_TRUE(plain) << error_of(plain);
    EXPECT_EQ(plain->service_names(), (std::vector<std::string>{"web"}));
    EXPECT_EQ(plain->disabled_services, (std::vector<std::string>{"debug", "helper"}));
    o.profiles = {"debug"};
    auto with = load(o);
    ASSERT_TRUE(with) << error_of(with);
    EXPECT_EQ(with->service_names(), (std::vector<std::string>{"debug", "helper", "web"}));
    o.profiles = {};
    o.os_env = {{"COMPOSE_PROFILES", "tools"}};
    auto env = load(o);
    ASSERT_TRUE(env) << error_of(env);
    EXPECT_EQ(env->service_names(), (std::vector<std::string>{"helper", "web"}));
}

TEST(Loader, EnvFileLayersUnderEnvironment) {
    Scratch s;
    s.write("a.env", "A=from_a\nB=from_a\nC=${SHELL_VAR}\n");
    s.write("b.env", "B=from_b\n");
    std::string f = s.write(
        "compose.yaml",
        "services:\n  web:\n    image: x\n    env_file: [a.env, {path: b.env}, "
        "{path: missing.env, required: false}]\n    environment:\n      D: own\n      E:\n");
    auto p = load_files({f}, s.dir(), {{"SHELL_VAR", "shell"}, {"E", "from_shell"}});
    ASSERT_TRUE(p) << error_of(p);
    const Node& env = at(*p, {"services", "web", "environment"});
    EXPECT_EQ(env.find("A")->text, "from_a");
    EXPECT_EQ(env.find("B")->text, "from_b");
    EXPECT_EQ(env.find("C")->text, "shell");
    EXPECT_EQ(env.find("D")->text, "own");
    EXPECT_EQ(env.find("E")->text, "from_shell");
}

TEST(Loader, MissingRequiredEnvFileNamesIt) {
    Scratch s;
    std::string f =
        s.write("compose.yaml", "services:\n  web:\n    image: x\n    env_file: nope.env\n");
    std::string err = error_of(load_files({f}, s.dir()));
    EXPECT_NE(err.find(f + ":4:15: env file " + s.dir() + "/nope.env not found"), std::string::npos)
        << err;
}

TEST(Loader, NormalizationAddsDefaultNetworkAndNames) {
    auto p = load_text(
        "services:\n  web:\n    image: x\n    links: [db]\n  db:\n    image: y\nvolumes:\n  data: "
        "{}\n"
        "  ext: {external: true}\n");
    ASSERT_TRUE(p) << error_of(p);
    EXPECT_TRUE(at(*p, {"services", "web", "networks"}).find("default") != nullptr);
    EXPECT_EQ(at(*p, {"networks", "default", "name"}).text, "test_default");
    EXPECT_EQ(at(*p, {"volumes", "data", "name"}).text, "test_data");
    EXPECT_EQ(at(*p, {"volumes", "ext", "name"}).text, "ext");
    EXPECT_EQ(at(*p, {"services", "web", "depends_on", "db", "condition"}).text, "service_started");
}

TEST(Loader, OverrideFileMergesOverTheFirst) {
    Scratch s;
    std::string base = s.write("compose.yaml",
                               "services:\n  web:\n    image: x\n    command: a b\n"
                               "    environment: [A=1]\n");
    std::string over = s.write("other/over.yaml",
                               "services:\n  web:\n    command: [c]\n    environment: {B: '2'}\n"
                               "    volumes: ['./data:/data']\n");
    auto p = load_files({base, over}, s.dir());
    ASSERT_TRUE(p) << error_of(p);
    EXPECT_EQ(at(*p, {"services", "web", "command"}).items.size(), 1u);
    EXPECT_EQ(at(*p, {"services", "web", "environment", "A"}).text, "1");
    EXPECT_EQ(at(*p, {"services", "web", "environment", "B"}).text, "2");
    // Relative paths in every file resolve against the project folder (the first file's).
    EXPECT_EQ(at(*p, {"services", "web", "volumes"}).items.at(0).find("source")->text,
              s.dir() + "/data");
}

TEST(Loader, EmptyFileIsRejected) {
    auto p = load_files({kTestdata + "/empty.yaml"}, kTestdata);
    EXPECT_NE(error_of(p).find("empty compose file"), std::string::npos) << error_of(p);
}

TEST(Loader, VersionIsObsoleteButAccepted) {
    auto p = load_text("version: '3'\nservices:\n  a:\n    image: x\n");
    ASSERT_TRUE(p) << error_of(p);
    ASSERT_EQ(p->warnings.size(), 1u);
    EXPECT_NE(p->warnings[0].find("the attribute `version` is obsolete"), std::string::npos);
    EXPECT_EQ(p->model.find("version"), nullptr);
}

TEST(Loader, ImpliedDependencyErrorsPointAtTheirAttribute) {
    auto p = load_text(
        "services:\n  a:\n    image: x\n    links: [b]\n  b:\n    image: y\n    links: [a]\n");
    EXPECT_NE(error_of(p).find("<stdin>:7:13: dependency cycle detected: a -> b -> a"),
              std::string::npos)
        << error_of(p);
}
