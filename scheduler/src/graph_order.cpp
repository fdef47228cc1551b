// Cycle detection and the start/stop levels, the two walks that follow the edges.
#include <algorithm>
#include <optional>
#include <unordered_map>

#include "scheduler/graph.hpp"

namespace berth::scheduler {

namespace {

enum class Visit { OnPath, Done };

// Depth-first search in name order, services and their dependencies alike. It reports the first
// edge that leads back onto the current path, which is the cycle compose-go reports, because a
// service whose whole subtree was searched without finding a cycle cannot be part of one later.
template <typename Next>
class CycleSearch {
  public:
    explicit CycleSearch(Next next) : next_(std::move(next)) {}

    std::optional<std::string> from(const std::string& name) {
        if (state_.count(name) != 0) return std::nullopt;
        state_[name] = Visit::OnPath;
        path_.push_back(name);
        for (const auto& child : next_(name)) {
            auto found = state_.find(child);
            if (found != state_.end() && found->second == Visit::OnPath) return describe(child);
            if (auto cycle = from(child)) return cycle;
        }
        path_.pop_back();
        state_[name] = Visit::Done;
        return std::nullopt;
    }

  private:
    Next next_;
    std::unordered_map<std::string, Visit> state_;
    std::vector<std::string> path_;

    // "a -> b -> c -> a": from where the path first meets `back` round to `back` again.
    std::string describe(const std::string& back) const {
        auto start = std::find(path_.begin(), path_.end(), back);
        std::string out;
        for (auto it = start; it != path_.end(); ++it) out += *it + " -> ";
        return out + back;
    }
};

}  // namespace

Result<void> Graph::check_cycles() const {
    auto dependencies_of = [this](const std::string& name) {
        std::vector<std::string> names;
        for (const auto& dep : nodes_.at(name).dependencies) names.push_back(dep.service);
        return names;
    };
    CycleSearch search(dependencies_of);
    for (const auto& entry : nodes_) {
        if (auto cycle = search.from(entry.first)) {
            return Error("dependency cycle detected: " + *cycle);
        }
    }
    return {};
}

// A service's level is one more than the highest level among the services it waits for (its
// dependencies going up, its dependents going down), so each level only waits on earlier ones.
std::vector<std::vector<std::string>> Graph::levels(bool by_dependencies) const {
    std::unordered_map<std::string, std::size_t> level;
    auto waits_for = [&](const std::string& name) {
        const Vertex& v = nodes_.at(name);
        if (!by_dependencies) return v.dependents;
        std::vector<std::string> names;
        for (const auto& dep : v.dependencies) names.push_back(dep.service);
        return names;
    };
    // Memoized depth; build() rejected cycles, so the recursion ends.
    auto depth = [&](const std::string& name, auto& self) -> std::size_t {
        if (auto it = level.find(name); it != level.end()) return it->second;
        std::size_t d = 0;
        for (const auto& other : waits_for(name)) d = std::max(d, self(other, self) + 1);
        return level[name] = d;
    };
    std::vector<std::vector<std::string>> out;
    for (const auto& entry : nodes_) {
        std::size_t d = depth(entry.first, depth);
        if (out.size() <= d) out.resize(d + 1);
        out[d].push_back(entry.first);  // name order, so each level is sorted
    }
    return out;
}

std::vector<std::vector<std::string>> Graph::up_levels() const {
    return levels(true);
}

std::vector<std::vector<std::string>> Graph::down_levels() const {
    return levels(false);
}

}  // namespace berth::scheduler
