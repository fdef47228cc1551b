// detect_cgroups(): which layout the machine has.
#include <sys/stat.h>

#include "cgroup_backends.hpp"
#include "cgroup_fs.hpp"

namespace berth::engine {
namespace {

bool is_dir(const std::string& path) {
    struct stat st {};
    return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

}  // namespace

namespace cgroup {

Result<void> check_name(const std::string& name) {
    if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos ||
        name.find('\n') != std::string::npos) {
        return Error("cgroup name \"" + name + "\": must be one path component");
    }
    return {};
}

}  // namespace cgroup

Result<std::unique_ptr<CgroupManager>> detect_cgroups(const std::string& root) {
    // A unified mount has cgroup.controllers at its root. A hybrid host mounts an (often empty)
    // v2 at <root>/unified and the controllers as v1 beside it: the controllers decide, so v1.
    if (cgroup::exists(root + "/cgroup.controllers")) return cgroup::make_v2_manager(root);
    std::map<std::string, std::string> hierarchies;
    for (const char* c : cgroup::kV1Controllers) {
        if (is_dir(root + "/" + c)) hierarchies[c] = root + "/" + c;
    }
    if (hierarchies.empty()) {
        return Error("no cgroup hierarchy under " + root + ": neither " + root +
                     "/cgroup.controllers (v2) nor per-controller directories (v1) such as " +
                     root + "/memory");
    }
    return cgroup::make_v1_manager(std::move(hierarchies));
}

namespace cgroup {

Result<std::unique_ptr<Cgroup>> ManagerBase::create(const std::string& name) {
    if (auto ok = check_name(name); !ok) return ok.error();
    auto group = make(name);
    if (auto made = make_dirs(name); !made) {
        (void)group->destroy();  // nothing half-made stays behind
        return made.error().context("create cgroup " + group->path());
    }
    return group;
}

}  // namespace cgroup

}  // namespace berth::engine
