// Cross-references and conflicting options, checked on the whole project (compose-go's
// checkConsistency), each error pointing at the attribute that is wrong.
#include <algorithm>
#include <map>
#include <set>

#include "compose/error.hpp"
#include "project_steps.hpp"

namespace berth::compose::detail {
namespace {

const Node* child(const Node& n, std::string_view key) {
    return n.is_map() ? n.find(key) : nullptr;
}

bool defined(const Node& dict, std::string_view kind, const std::string& name) {
    const Node* all = dict.find(kind);
    return all != nullptr && all->is_map() && all->find(name) != nullptr;
}

std::string quoted(const std::string& s) {
    return "\"" + s + "\"";
}

void check_refs(const Node& dict, const std::string& name, const Node& svc) {
    if (const Node* nets = child(svc, "networks"); nets != nullptr && nets->is_map()) {
        for (const auto& e : nets->entries) {
            if (!defined(dict, "networks", e.key)) {
                fail(e.key_mark,
                     "service " + quoted(name) + " refers to undefined network " + e.key);
            }
        }
    }
    if (const Node* vols = child(svc, "volumes"); vols != nullptr && vols->is_seq()) {
        for (const auto& v : vols->items) {
            const Node* type = child(v, "type");
            const Node* source = child(v, "source");
            if (type == nullptr || type->text != "volume" || source == nullptr ||
                source->text.empty())
                continue;
            if (!defined(dict, "volumes", source->text)) {
                fail(source->mark,
                     "service " + quoted(name) + " refers to undefined volume " + source->text);
            }
        }
    }
    auto check_list = [&](const Node* list, std::string_view kind, const std::string& what) {
        if (list == nullptr || !list->is_seq()) return;
        for (const auto& item : list->items) {
            const Node* source = child(item, "source");
            if (source != nullptr && !defined(dict, kind, source->text)) {
                fail(source->mark, "service " + quoted(name) + " refers to undefined " + what +
                                       " " + source->text);
            }
        }
    };
    check_list(child(svc, "secrets"), "secrets", "secret");
    check_list(child(svc, "configs"), "configs", "config");
    if (const Node* build = child(svc, "build"))
        check_list(child(*build, "secrets"), "secrets", "build secret");
    if (const Node* models = child(svc, "models"); models != nullptr && models->is_map()) {
        for (const auto& e : models->entries) {
            if (!defined(dict, "models", e.key)) {
                fail(e.key_mark, "service " + quoted(name) + " refers to undefined model " + e.key);
            }
        }
    }
}

void check_dependencies(const Node& services, const std::string& name, const Node& svc) {
    if (const Node* deps = child(svc, "depends_on"); deps != nullptr && deps->is_map()) {
        for (const auto& d : deps->entries) {
            if (services.find(d.key) != nullptr) continue;
            const Node* required = child(d.value, "required");
            if (required != nullptr && required->as_bool() == false) continue;
            fail(d.key_mark,
                 "service " + quoted(name) + " depends on undefined service " + quoted(d.key));
        }
    }
    const Node* mode = child(svc, "network_mode");
    if (mode != nullptr && mode->text.rfind("service:", 0) == 0) {
        std::string target = mode->text.substr(8);
        if (services.find(target) == nullptr) {
            fail(mode->mark, "service " + quoted(target) +
                                 " not found for network_mode 'service:" + target + "'");
        }
    }
}

void check_same(const std::string& name, const Node* a, const Node* b, const std::string& what_a,
                const std::string& what_b) {
    if (a == nullptr || b == nullptr || *a == *b) return;
    auto fa = a->as_float();
    auto fb = b->as_float();
    if (fa && fb && *fa == *fb) return;
    if (a->is_scalar() && b->is_scalar() && a->text == b->text) return;
    fail(b->mark, "services." + name + ": can't set distinct values on '" + what_a + "' and '" +
                      what_b + "'");
}

const Node* at(const Node& n, std::initializer_list<std::string_view> path) {
    const Node* cur = &n;
    for (auto key : path) {
        cur = child(*cur, key);
        if (cur == nullptr) return nullptr;
    }
    return cur;
}

void check_options(const std::string& name, const Node& svc) {
    if (child(svc, "image") == nullptr && child(svc, "build") == nullptr &&
        child(svc, "provider") == nullptr) {
        fail(svc.mark,
             "service " + quoted(name) + " has neither an image nor a build context specified");
    }
    if (const Node* build = child(svc, "build")) {
        if (child(*build, "dockerfile") != nullptr &&
            child(*build, "dockerfile_inline") != nullptr) {
            fail(build->mark, "service " + quoted(name) +
                                  " declares mutualy exclusive dockerfile and dockerfile_inline");
        }
    }
    const Node* nets = child(svc, "networks");
    if (child(svc, "network_mode") != nullptr && nets != nullptr && nets->is_map() &&
        !nets->entries.empty()) {
        fail(nets->mark,
             "service " + name + " declares mutually exclusive `network_mode` and `networks`");
    }
    if (const Node* test = at(svc, {"healthcheck", "test"});
        test != nullptr && test->is_seq() && !test->items.empty()) {
        const std::string& first = test->items.front().text;
        if (first != "CMD" && first != "CMD-SHELL" && first != "NONE") {
            fail(test->mark,
                 "healthcheck.test must start either by \"CMD\", \"CMD-SHELL\" or \"NONE\"");
        }
    }
    const Node* scale = child(svc, "scale");
    const Node* replicas = at(svc, {"deploy", "replicas"});
    if (scale != nullptr && replicas != nullptr && scale->as_int() != replicas->as_int()) {
        fail(scale->mark,
             "services." + name + ": can't set distinct values on 'scale' and 'deploy.replicas'");
    }
    check_same(name, child(svc, "cpus"), at(svc, {"deploy", "resources", "limits", "cpus"}), "cpus",
               "deploy.resources.limits.cpus");
    check_same(name, child(svc, "mem_limit"), at(svc, {"deploy", "resources", "limits", "memory"}),
               "mem_limit", "deploy.resources.limits.memory");
    check_same(name, child(svc, "mem_reservation"),
               at(svc, {"deploy", "resources", "reservations", "memory"}), "mem_reservation",
               "deploy.resources.reservations.memory");
    check_same(name, child(svc, "pids_limit"), at(svc, {"deploy", "resources", "limits", "pids"}),
               "pids_limit", "deploy.resources.limits.pids");
    const Node* count = scale != nullptr ? scale : replicas;
    if (count != nullptr && count->as_int().value_or(1) > 1 &&
        child(svc, "container_name") != nullptr) {
        fail(child(svc, "container_name")->mark,
             "services." + std::string(scale != nullptr ? "scale" : "deploy.replicas") +
                 ": can't set container_name and " + name + " as container name must be unique");
    }
}

void check_mount_targets(const std::string& name, const Node& svc) {
    std::map<std::string, std::string> mounts;
    auto claim = [&](const std::string& target, const std::string& loc, const Mark& mark) {
        auto [it, fresh] = mounts.emplace(target, loc);
        if (!fresh) fail(mark, loc + ": target " + target + " already mounted as " + it->second);
    };
    if (const Node* tmpfs = child(svc, "tmpfs"); tmpfs != nullptr && tmpfs->is_seq()) {
        for (std::size_t i = 0; i < tmpfs->items.size(); ++i) {
            const Node& t = tmpfs->items[i];
            claim(t.text.substr(0, t.text.find(':')),
                  "services." + name + ".tmpfs[" + std::to_string(i) + "]", t.mark);
        }
    }
    if (const Node* vols = child(svc, "volumes"); vols != nullptr && vols->is_seq()) {
        for (std::size_t i = 0; i < vols->items.size(); ++i) {
            const Node* target = child(vols->items[i], "target");
            if (target == nullptr) continue;
            claim(target->text, "services." + name + ".volumes[" + std::to_string(i) + "]",
                  target->mark);
        }
    }
}

// Depth-first walk in name order, so the same cycle is always reported the same way.
class CycleFinder {
  public:
    explicit CycleFinder(const Node& services) : services_(services) {}

    void run() {
        std::vector<std::string> names;
        for (const auto& e : services_.entries) names.push_back(e.key);
        std::sort(names.begin(), names.end());
        for (const auto& n : names) visit(n);
    }

  private:
    void visit(const std::string& name) {
        if (done_.count(name) != 0) return;
        auto on_path = std::find(path_.begin(), path_.end(), name);
        if (on_path != path_.end()) report(on_path, name);
        const Node* svc = services_.find(name);
        if (svc == nullptr) return;
        path_.push_back(name);
        const Node* deps = child(*svc, "depends_on");
        if (deps != nullptr && deps->is_map()) {
            std::vector<const Entry*> sorted;
            for (const auto& d : deps->entries) sorted.push_back(&d);
            std::sort(sorted.begin(), sorted.end(),
                      [](auto* a, auto* b) { return a->key < b->key; });
            for (const Entry* d : sorted) {
                marks_[name] = d->key_mark;
                visit(d->key);
            }
        }
        path_.pop_back();
        done_.insert(name);
    }

    [[noreturn]] void report(std::vector<std::string>::iterator from, const std::string& again) {
        std::string msg = "dependency cycle detected: ";
        for (auto it = from; it != path_.end(); ++it) msg += *it + " -> ";
        fail(marks_[path_.back()], msg + again);
    }

    const Node& services_;
    std::vector<std::string> path_;
    std::set<std::string> done_;
    std::map<std::string, Mark> marks_;
};

}  // namespace

void check_consistency(const Node& dict) {
    const Node* services = dict.find("services");
    if (services != nullptr && services->is_map()) {
        for (const auto& e : services->entries) {
            if (!e.value.is_map()) continue;
            check_options(e.key, e.value);
            check_refs(dict, e.key, e.value);
            check_dependencies(*services, e.key, e.value);
            check_mount_targets(e.key, e.value);
        }
    }
    if (const Node* secrets = dict.find("secrets"); secrets != nullptr && secrets->is_map()) {
        for (const auto& e : secrets->entries) {
            const Node* external = child(e.value, "external");
            if (external != nullptr && external->as_bool() == true) continue;
            if (child(e.value, "file") == nullptr && child(e.value, "environment") == nullptr) {
                fail(e.key_mark,
                     "secret " + quoted(e.key) + " must declare either `file` or `environment`");
            }
        }
    }
    if (services != nullptr && services->is_map()) CycleFinder(*services).run();
}

}  // namespace berth::compose::detail
