#include "up_exit.hpp"

#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdlib>

namespace berth::cli {

// compose's order: the cascade listener first (it takes the first exit's code), then
// --exit-code-from's (the chosen service's first exit overrides it).
bool ExitTracker::exited(const ContainerExit& e) {
    if (!e.restarting) watched_.erase(e.id);
    bool aborts = false;
    if (!aborted_ && policy_.on_exit != Cascade::Ignore &&
        !(policy_.on_exit == Cascade::Fail && e.code == 0)) {
        aborted_ = aborts = true;
        exit_code_ = e.code;
    }
    if (!captured_ && !policy_.exit_code_from.empty() && e.service == policy_.exit_code_from) {
        captured_ = true;
        exit_code_ = e.code;
    }
    return aborts;
}

std::string exit_line(const ContainerExit& e) {
    std::string line = e.source + " exited with code " + std::to_string(e.code);
    return e.restarting ? line + " (restarting)" : line;
}

std::string exit_source(const std::string& project, const std::string& service,
                        const std::string& name) {
    const std::string prefix = project + "-" + service + "-";
    if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) return name;
    for (std::size_t i = prefix.size(); i < name.size(); ++i) {
        if (!std::isdigit(static_cast<unsigned char>(name[i]))) return name;
    }
    return name.substr(project.size() + 1);
}

namespace {

// Go's strconv.Atoi, with its message, since compose passes that error on as it is.
Result<int> atoi_like_go(const std::string& text) {
    errno = 0;
    char* end = nullptr;
    long v = std::strtol(text.c_str(), &end, 10);
    bool syntax = text.empty() || std::isspace(static_cast<unsigned char>(text[0])) || *end;
    if (syntax) return Error("strconv.Atoi: parsing \"" + text + "\": invalid syntax");
    if (errno == ERANGE || v > INT_MAX || v < INT_MIN) {
        return Error("strconv.Atoi: parsing \"" + text + "\": value out of range");
    }
    return static_cast<int>(v);
}

}  // namespace

Result<std::map<std::string, int>> parse_scale(const std::vector<std::string>& values,
                                               const std::set<std::string>& known) {
    std::map<std::string, int> out;
    for (const auto& v : values) {
        auto eq = v.find('=');
        if (eq == std::string::npos || eq + 1 == v.size()) {
            return Error("invalid --scale option \"" + v + "\". Should be SERVICE=NUM");
        }
        std::string name = v.substr(0, eq);
        auto n = atoi_like_go(v.substr(eq + 1));
        if (!n) return n.error();
        if (*n < 0) {
            return Error("invalid --scale option \"" + v +
                         "\": the number of replicas cannot be negative");
        }
        if (known.count(name) == 0) return Error("no such service: " + name);
        out[name] = *n;
    }
    return out;
}

}  // namespace berth::cli
