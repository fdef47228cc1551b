// Family "e2e-projects": every compose project of docker compose's own end-to-end suite loads in
// berth as it does in docker compose (docker-compose-e2e/testdata and fixtures). Each project is
// loaded from its folder with an empty shell environment, so only its own .env feeds ${VAR}.
#include <filesystem>

#include "harness.hpp"
#include "loader_support.hpp"

using namespace berth;
using namespace berth::conformance;
namespace fs = std::filesystem;

namespace {

const std::vector<KnownMiss> kKnownMisses = {};

// What a scenario gives its project beyond the folder: variables (WithEnv), the services named on
// the command line, --no-consistency; and the projects docker compose rejects as they stand.
struct ProjectSetup {
    const char* file;
    compose::Environment env;
    std::vector<std::string> services;
    bool consistency = true;
    const char* rejected_with = nullptr;  // docker compose refuses the project with this text
};

const std::vector<ProjectSetup> kSetups = {
    {"testdata/TestUpContainerNameConflict/compose.yaml", {{"FIXED_NAME", "fixed"}}, {}},
    {"testdata/TestUpImageID/compose.yaml", {{"ID", "sha256:0123456789abcdef"}}, {}},
    {"testdata/TestImagesAfterImageRemoved/compose.yaml",
     {{"REMOVED_IMAGE", "e2e-removed:latest"}},
     {}},
    {"testdata/TestUpWithBuildDependencies/compose.yaml",
     {{"BUILT_IMAGE", "e2e-built:latest"}},
     {}},
    // TestUnusedMissingEnvFile: `up serviceA` works although serviceB's env_file does not exist.
    {"fixtures/env_file/compose.yaml", {}, {"serviceA"}},
    {"testdata/TestLocalComposeConfigNoConsistency/compose.yaml", {}, {}, false},
    {"fixtures/wrong-composefile/compose.yaml",
     {},
     {},
     true,
     "additional properties 'wrongField' not allowed"},
};

const ProjectSetup* setup_for(const std::string& rel) {
    for (const auto& s : kSetups) {
        if (rel == s.file) return &s;
    }
    return nullptr;
}

bool is_compose_name(const std::string& name) {
    return (name.rfind("compose", 0) == 0 || name.rfind("docker-compose", 0) == 0) &&
           (name.ends_with(".yaml") || name.ends_with(".yml"));
}

std::vector<fs::path> project_files() {
    std::vector<fs::path> out;
    for (const char* root : {"docker-compose-e2e/testdata", "docker-compose-e2e/fixtures"}) {
        fs::path base = corpus(root);
        if (!fs::exists(base)) continue;
        for (const auto& entry : fs::recursive_directory_iterator(base)) {
            if (entry.is_regular_file() && is_compose_name(entry.path().filename().string())) {
                out.push_back(entry.path());
            }
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

TEST(Conformance, E2eProjects) {
    Family family("e2e-projects", kKnownMisses);
    std::string base = corpus("docker-compose-e2e") + "/";
    for (const auto& file : project_files()) {
        std::string name = file.string().substr(base.size());
        compose::LoadOptions o;
        o.files = {file.string()};
        o.cwd = file.parent_path().string();
        o.project_name = "e2e";
        const ProjectSetup* setup = setup_for(name);
        if (setup != nullptr) {
            o.os_env = setup->env;
            o.services = setup->services;
            o.consistency = setup->consistency;
        }
        Outcome out = run_load(o);
        if (setup != nullptr && setup->rejected_with != nullptr) {
            family.check(!out.ok && out.error.find(setup->rejected_with) != std::string::npos, name,
                         out.ok ? "accepted a project docker compose rejects" : out.error);
            continue;
        }
        family.check(out.ok, name, out.error);
    }
    family.finish();
}
