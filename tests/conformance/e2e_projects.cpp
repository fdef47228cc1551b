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

// Projects that docker compose itself rejects as they stand, or that need something from the test
// that runs them; each is loaded by its scenario with that extra input.
const std::vector<KnownMiss> kKnownMisses = {};

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
        compose::LoadOptions o;
        o.files = {file.string()};
        o.cwd = file.parent_path().string();
        o.project_name = "e2e";
        Outcome out = run_load(o);
        std::string name = file.string().substr(base.size());
        family.check(out.ok, name, out.error);
    }
    family.finish();
}
