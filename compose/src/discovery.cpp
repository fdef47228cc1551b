#include "compose/discovery.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <climits>

#include "canonical_parts.hpp"
#include "common/strings.hpp"

namespace berth::compose {

const std::vector<std::string> kDefaultFileNames = {"compose.yaml", "compose.yml",
                                                    "docker-compose.yml", "docker-compose.yaml"};
const std::vector<std::string> kDefaultOverrideNames = {
    "compose.override.yml", "compose.override.yaml", "docker-compose.override.yml",
    "docker-compose.override.yaml"};

namespace {

bool is_regular_file(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string join_names(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
}

// Finds the first default name present in `dir`; warns when several are.
std::optional<std::string> default_file_in(const std::string& dir,
                                           std::vector<std::string>& warnings) {
    std::vector<std::string> found;
    for (const auto& name : kDefaultFileNames) {
        if (is_regular_file(dir + "/" + name)) found.push_back(name);
    }
    if (found.empty()) return std::nullopt;
    if (found.size() > 1) {
        warnings.push_back("Found multiple config files with supported names: " +
                           join_names(found));
        warnings.push_back("Using " + found.front());
    }
    return found.front();
}

}  // namespace

std::string current_dir() {
    char buf[PATH_MAX];
    if (::getcwd(buf, sizeof buf) == nullptr) return "/";
    return buf;
}

std::string absolute_path(const std::string& path, const std::string& base) {
    return detail::clean_path((!path.empty() && path[0] == '/') ? path : base + "/" + path);
}

std::string dirname_of(const std::string& path) {
    auto slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

std::string basename_of(const std::string& path) {
    std::string p = path;
    while (p.size() > 1 && p.back() == '/') p.pop_back();
    auto slash = p.rfind('/');
    return slash == std::string::npos ? p : p.substr(slash + 1);
}

Result<FileSet> discover_files(const std::string& start) {
    FileSet set;
    std::string dir = absolute_path(start, current_dir());
    for (;;) {
        if (auto name = default_file_in(dir, set.warnings)) {
            set.files.push_back(absolute_path(*name, dir));
            for (const auto& override_name : kDefaultOverrideNames) {
                if (is_regular_file(dir + "/" + override_name)) {
                    set.files.push_back(absolute_path(override_name, dir));
                    break;
                }
            }
            return set;
        }
        if (dir == "/") break;
        dir = dirname_of(dir);
    }
    return Error("no configuration file provided: not found (looked for " +
                 join_names(kDefaultFileNames) + " in " + absolute_path(start, current_dir()) +
                 " and its parent folders; use -f to name one)");
}

Result<FileSet> select_files(const std::vector<std::string>& given, const Environment& env,
                             const std::string& cwd) {
    FileSet set;
    std::vector<std::string> names = given;
    if (names.empty()) {
        auto it = env.find("COMPOSE_FILE");
        if (it != env.end() && !it->second.empty()) {
            auto sep_it = env.find("COMPOSE_PATH_SEPARATOR");
            std::string sep =
                (sep_it != env.end() && !sep_it->second.empty()) ? sep_it->second : ":";
            for (auto& n : split(it->second, sep)) {
                if (!n.empty()) names.push_back(n);
            }
        }
    }
    if (names.empty()) return discover_files(cwd);
    for (const auto& n : names) {
        if (n == "-") {
            set.files.push_back("-");
            continue;
        }
        std::string abs = absolute_path(n, cwd);
        struct stat st {};
        if (::stat(abs.c_str(), &st) != 0) {
            return Error("open " + abs + ": no such file or directory");
        }
        if (S_ISDIR(st.st_mode)) return Error(abs + " is a directory, not a compose file");
        set.files.push_back(abs);
    }
    return set;
}

std::string normalize_project_name(const std::string& name) {
    std::string out;
    for (unsigned char c : name) {
        char l = static_cast<char>(std::tolower(c));
        if ((l >= 'a' && l <= 'z') || (l >= '0' && l <= '9') || l == '_' || l == '-') out += l;
    }
    std::size_t first = out.find_first_not_of("_-");
    return first == std::string::npos ? std::string() : out.substr(first);
}

Result<void> check_explicit_project_name(const std::string& name) {
    if (normalize_project_name(name) != name) {
        return Error("invalid project name \"" + name +
                     "\": must consist only of lowercase alphanumeric characters, hyphens, and "
                     "underscores as "
                     "well as start with a letter or number");
    }
    return {};
}

Result<std::string> resolve_project_name(const NameSources& s) {
    if (!s.flag.empty()) {
        if (auto ok = check_explicit_project_name(s.flag); !ok) return ok.error();
        return s.flag;
    }
    if (s.env && !s.env->empty()) {
        if (auto ok = check_explicit_project_name(*s.env); !ok) return ok.error();
        return *s.env;
    }
    std::string name;
    if (s.from_file && !s.from_file->empty()) {
        name = normalize_project_name(*s.from_file);
    } else if (!s.project_dir.empty()) {
        name = normalize_project_name(basename_of(s.project_dir));
    }
    if (name.empty()) return Error("project name must not be empty");
    return name;
}

}  // namespace berth::compose
