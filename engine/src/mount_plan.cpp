#include "engine/mount_plan.hpp"

#include <sys/mount.h>

#include <algorithm>
#include <array>

namespace berth::engine {
namespace {

struct FlagWord {
    const char* word;
    unsigned long set;
    unsigned long clear;
};

constexpr std::array<FlagWord, 22> kFlagWords = {{
    {"ro", MS_RDONLY, 0},
    {"rw", 0, MS_RDONLY},
    {"nosuid", MS_NOSUID, 0},
    {"suid", 0, MS_NOSUID},
    {"nodev", MS_NODEV, 0},
    {"dev", 0, MS_NODEV},
    {"noexec", MS_NOEXEC, 0},
    {"exec", 0, MS_NOEXEC},
    {"sync", MS_SYNCHRONOUS, 0},
    {"async", 0, MS_SYNCHRONOUS},
    {"dirsync", MS_DIRSYNC, 0},
    {"noatime", MS_NOATIME, 0},
    {"atime", 0, MS_NOATIME},
    {"nodiratime", MS_NODIRATIME, 0},
    {"diratime", 0, MS_NODIRATIME},
    {"relatime", MS_RELATIME, 0},
    {"norelatime", 0, MS_RELATIME},
    {"strictatime", MS_STRICTATIME, 0},
    {"nostrictatime", 0, MS_STRICTATIME},
    {"defaults", 0, 0},
    {"bind", 0, 0},
    {"rbind", 0, 0},
}};

constexpr std::array<std::pair<const char*, unsigned long>, 8> kPropagationWords = {{
    {"private", MS_PRIVATE},
    {"rprivate", MS_PRIVATE | MS_REC},
    {"shared", MS_SHARED},
    {"rshared", MS_SHARED | MS_REC},
    {"slave", MS_SLAVE},
    {"rslave", MS_SLAVE | MS_REC},
    {"unbindable", MS_UNBINDABLE},
    {"runbindable", MS_UNBINDABLE | MS_REC},
}};

// Filesystem parameters passed through as data; anything else with '=' is refused so that a typo
// does not silently become a kernel option.
constexpr std::array<const char*, 9> kDataKeys = {
    "size", "mode", "uid", "gid", "nr_inodes", "nr_blocks", "mpol", "ptmxmode", "huge"};

Result<void> apply_word(const std::string& word, MountOptions& out) {
    if (word == "tmpcopyup") return {};  // Docker/crun copy-up hint; not a kernel option
    for (const auto& f : kFlagWords) {
        if (word != f.word) continue;
        out.flags = (out.flags & ~f.clear) | f.set;
        out.clear = (out.clear & ~f.set) | f.clear;
        if (word == "bind" || word == "rbind") out.bind = true;
        if (word == "rbind") out.recursive = true;
        return {};
    }
    for (const auto& [w, p] : kPropagationWords) {
        if (word == w) {
            out.propagation = p;
            return {};
        }
    }
    const auto eq = word.find('=');
    const std::string key = word.substr(0, eq);
    if (eq != std::string::npos &&
        std::find(kDataKeys.begin(), kDataKeys.end(), key) != kDataKeys.end()) {
        if (!out.data.empty()) out.data += ',';
        out.data += word;
        return {};
    }
    return Error("unknown mount option \"" + word + "\"");
}

unsigned long propagation_flags(Propagation p) {
    switch (p) {
        case Propagation::RPrivate:
            return MS_PRIVATE | MS_REC;
        case Propagation::Private:
            return MS_PRIVATE;
        case Propagation::RShared:
            return MS_SHARED | MS_REC;
        case Propagation::Shared:
            return MS_SHARED;
        case Propagation::RSlave:
            return MS_SLAVE | MS_REC;
        case Propagation::Slave:
            return MS_SLAVE;
    }
    return 0;
}

constexpr unsigned long kNoSuidDevExec = MS_NOSUID | MS_NODEV | MS_NOEXEC;

MountStep new_fs(const char* fstype, const char* source, const char* target, unsigned long flags,
                 std::string data) {
    MountStep s;
    s.kind = MountStep::Kind::NewFs;
    s.fstype = fstype;
    s.source = source;
    s.target = target;
    s.flags = flags;
    s.data = std::move(data);
    s.no_symlinks = true;
    return s;
}

std::vector<MountStep> default_mounts(const MountPlanInput& in) {
    std::string pts = "newinstance,ptmxmode=0666,mode=0620";
    // devpts refuses gid=5 when that gid does not exist in the user namespace (runc drops it too).
    if (!in.user_namespace || in.gid5_mapped) pts += ",gid=5";
    const unsigned long sys_flags = kNoSuidDevExec | (in.privileged ? 0 : MS_RDONLY);
    MountStep sys = new_fs("sysfs", "sysfs", "/sys", sys_flags, "");
    if (in.user_namespace && !in.private_net) {
        sys.kind = MountStep::Kind::Bind;
        sys.fstype.clear();
        sys.source = "/sys";
        sys.recursive = true;
    }
    return {
        new_fs("proc", "proc", "/proc", kNoSuidDevExec, ""),
        new_fs("tmpfs", "tmpfs", "/dev", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k"),
        new_fs("devpts", "devpts", "/dev/pts", MS_NOSUID | MS_NOEXEC, pts),
        new_fs("tmpfs", "shm", "/dev/shm", kNoSuidDevExec,
               "mode=1777,size=" + std::to_string(in.shm_size)),
        new_fs("mqueue", "mqueue", "/dev/mqueue", kNoSuidDevExec, ""),
        sys,
    };
}

std::string clean_target(std::string t) {
    while (t.size() > 1 && t.back() == '/') t.pop_back();
    return t;
}

Result<MountStep> spec_step(const Mount& m) {
    if (m.target.empty() || m.target.front() != '/') {
        return Error("mount target \"" + m.target + "\" is not an absolute path");
    }
    auto opts = parse_mount_options(m.options);
    if (!opts) return opts.error().context("mount " + m.target);
    MountStep s;
    s.target = clean_target(m.target);
    s.flags = opts->flags | (m.read_only ? MS_RDONLY : 0);
    s.data = opts->data;
    s.propagation = opts->propagation ? opts->propagation : propagation_flags(m.propagation);
    switch (m.type) {
        case Mount::Type::Bind:
            if (m.source.empty() || m.source.front() != '/') {
                return Error("bind mount source \"" + m.source + "\" is not an absolute path");
            }
            s.kind = MountStep::Kind::Bind;
            s.source = m.source;
            s.recursive = m.recursive || opts->recursive;
            s.copy_up = m.copy_up;
            break;
        case Mount::Type::Tmpfs:
            s.fstype = s.source = "tmpfs";
            break;
        case Mount::Type::Proc:
            s.fstype = s.source = "proc";
            s.flags |= kNoSuidDevExec;
            break;
    }
    return s;
}

}  // namespace

Result<MountOptions> parse_mount_options(const std::vector<std::string>& words) {
    MountOptions out;
    for (const auto& item : words) {
        std::size_t start = 0;
        while (start <= item.size()) {
            auto comma = item.find(',', start);
            if (comma == std::string::npos) comma = item.size();
            const std::string word = item.substr(start, comma - start);
            if (!word.empty()) {
                auto r = apply_word(word, out);
                if (!r) return r.error();
            }
            start = comma + 1;
        }
    }
    return out;
}

Result<std::vector<MountStep>> plan_mounts(const MountPlanInput& in) {
    std::vector<MountStep> spec;
    for (const auto& m : in.mounts) {
        auto step = spec_step(m);
        if (!step) return step.error();
        spec.push_back(std::move(*step));
    }
    std::vector<MountStep> plan;
    for (auto& d : default_mounts(in)) {
        const bool replaced = std::any_of(spec.begin(), spec.end(),
                                          [&](const MountStep& s) { return s.target == d.target; });
        if (!replaced) plan.push_back(std::move(d));
    }
    plan.insert(plan.end(), std::make_move_iterator(spec.begin()),
                std::make_move_iterator(spec.end()));
    return plan;
}

}  // namespace berth::engine
