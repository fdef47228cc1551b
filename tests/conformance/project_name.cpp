// Family "project-name": -p, COMPOSE_PROJECT_NAME, `name:` and the folder name, in that order, with
// docker compose's validation and normalization (compose-go/cases/project-name-cases.yaml).
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "harness.hpp"
#include "loader_support.hpp"

using namespace berth;
using namespace berth::conformance;
namespace fs = std::filesystem;

namespace {

const std::vector<KnownMiss> kKnownMisses = {};

std::string scratch_dir(const std::string& leaf) {
    char tmpl[] = "/tmp/berth-name-XXXXXX";
    std::string base = ::mkdtemp(tmpl);
    fs::create_directories(base + "/" + leaf);
    return base + "/" + leaf;
}

compose::Environment env_of(const compose::Node* n) {
    compose::Environment env;
    if (n != nullptr && n->is_map()) {
        for (const auto& e : n->entries) env[e.key] = e.value.text;
    }
    return env;
}

compose::LoadOptions options_for(const compose::Node& c) {
    compose::LoadOptions o;
    std::string root = corpus("compose-go/cli-testdata");
    o.cwd = root;
    if (const auto* files = c.find("files")) {
        for (const auto& f : files->items) o.files.push_back(root + "/" + f.text);
    }
    if (const auto* p = c.find("p")) o.project_name = p->text;
    o.os_env = env_of(c.find("env"));
    for (auto& [k, v] : env_of(c.find("os_env"))) o.os_env[k] = v;
    if (const auto* wd = c.find("working_dir")) {
        // "." means the upstream test's own folder, .../cli.
        o.project_directory = wd->text == "." ? scratch_dir("cli") : wd->text;
    }
    if (const auto* cwd = c.find("cwd")) o.cwd = root + "/" + cwd->text;
    // Upstream's TestProjectNameFromWorkingDir builds its options without the .env step; docker
    // compose's own switch for that is COMPOSE_DISABLE_ENV_FILE.
    if (o.files.size() == 1 && o.files[0].ends_with("env-file/compose-with-env-file.yaml") &&
        c.find("env") == nullptr) {
        o.os_env["COMPOSE_DISABLE_ENV_FILE"] = "true";
    }
    if (const auto* inline_yaml = c.find("inline")) {
        o.files = {"-"};
        o.stdin_content = inline_yaml->text;
        if (const auto* name = c.find("loader_option_project_name")) o.project_name = name->text;
        if (c.find("no_name_anywhere") != nullptr) o.cwd = "/";
    }
    return o;
}

std::string case_name(const compose::Node& c, std::size_t i) {
    return "case " + std::to_string(i) + ": " + compose::emit_json(c, -1);
}

void check_case(Family& family, const compose::Node& c, std::size_t i) {
    Outcome out = run_load(options_for(c));
    std::string name = case_name(c, i);
    if (const auto* error = c.find("error")) {
        family.check(!out.ok && out.error.find(error->text) != std::string::npos, name,
                     out.ok ? "loaded as " + out.project.name : out.error);
        return;
    }
    if (!out.ok) {
        family.fail(name, out.error);
        return;
    }
    bool ok = out.project.name == c.find("expect")->text;
    if (const auto* container = c.find("expect_container_name")) {
        const auto* svc = out.project.service("web");
        ok = ok && svc != nullptr && svc->find("container_name") != nullptr &&
             svc->find("container_name")->text == container->text;
    }
    family.check(ok, name, "got " + out.project.name);
}

// The shell's variables beat .env, and .env's own ${FOO} sees the shell's value.
void check_precedence(Family& family, const compose::Node& c, std::size_t i) {
    std::string dir = scratch_dir("precedence");
    std::ofstream(dir + "/.env") << c.find("dotenv")->text;
    std::ofstream(dir + "/compose.yaml") << "services:\n  web:\n    image: nginx\n";
    compose::LoadOptions o;
    o.files = {dir + "/compose.yaml"};
    o.cwd = dir;
    o.os_env = env_of(c.find("os_env"));
    Outcome out = run_load(o);
    std::string name = "precedence " + std::to_string(i);
    if (!out.ok) {
        family.fail(name, out.error);
        return;
    }
    bool ok = true;
    for (const auto& e : c.find("expect")->entries)
        ok = ok && out.project.environment[e.key] == e.value.text;
    family.check(ok, name, "environment differs");
}

}  // namespace

TEST(Conformance, ProjectName) {
    compose::Node doc = read_yaml(corpus("compose-go/cases/project-name-cases.yaml"));
    Family family("project-name", kKnownMisses);
    const auto& cases = doc.find("cases")->items;
    for (std::size_t i = 0; i < cases.size(); ++i) check_case(family, cases[i], i);
    const auto& precedence = doc.find("dotenv_precedence")->items;
    for (std::size_t i = 0; i < precedence.size(); ++i) check_precedence(family, precedence[i], i);
    family.finish();
}
