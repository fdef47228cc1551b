// env_file and label_file folded into environment and labels, with docker compose's precedence:
// values written in the compose file beat values from files, later files beat earlier ones.
#include <sys/stat.h>

#include "common/fs.hpp"
#include "compose/dotenv.hpp"
#include "compose/error.hpp"
#include "project_steps.hpp"

namespace berth::compose::detail {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

bool exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

// format: raw takes each KEY=VALUE line as written, without quotes or expansion.
Pairs parse_raw(const std::string& text) {
    Pairs out;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t nl = text.find('\n', start);
        std::string line =
            text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
        start = nl == std::string::npos ? text.size() : nl + 1;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line[0] == '#') continue;
        auto eq = line.find('=');
        if (eq == std::string::npos) continue;
        out.emplace_back(line.substr(0, eq), line.substr(eq + 1));
    }
    return out;
}

Pairs read_mapping_file(const std::string& path, const std::string& format, const Lookup& lookup,
                        const Mark& at) {
    auto text = read_file(path);
    if (!text) fail(at, text.error().message());
    if (format == "raw") return parse_raw(*text);
    auto parsed = parse_dotenv(*text, lookup);
    if (!parsed) fail(at, path + ": " + parsed.error().message());
    return *parsed;
}

void put(Node& map, const std::string& key, const std::string& value) {
    map.set(key, Node::string(value));
}

// environment: as a mapping with null for names that have no value.
Node as_mapping(const Node* n) {
    Node out = Node::mapping(n ? n->mark : Mark{});
    if (n == nullptr) return out;
    if (n->is_map()) return *n;
    for (const auto& item : n->items) {
        auto eq = item.text.find('=');
        if (eq == std::string::npos) {
            out.set(item.text, Node::null(item.mark));
        } else {
            out.set(item.text.substr(0, eq), Node::string(item.text.substr(eq + 1), item.mark));
        }
    }
    return out;
}

void fold_env_files(Node& svc, const Environment& project_env) {
    Node declared = as_mapping(svc.find("environment"));
    for (auto& e : declared.entries) {
        if (!e.value.is_null()) continue;
        auto it = project_env.find(e.key);
        if (it != project_env.end()) e.value = Node::string(it->second, e.value.mark);
    }
    const Node* files = svc.find("env_file");
    if (files == nullptr || !files->is_seq()) {
        if (svc.find("environment") != nullptr) svc.set("environment", declared);
        return;
    }
    Node merged = Node::mapping(declared.mark);
    Lookup lookup = [&](const std::string& k) -> std::optional<std::string> {
        if (auto it = project_env.find(k); it != project_env.end()) return it->second;
        if (const Node* v = declared.find(k); v != nullptr && v->is_scalar()) return v->text;
        return std::nullopt;
    };
    for (const auto& f : files->items) {
        const Node* path = f.is_map() ? f.find("path") : &f;
        if (path == nullptr) continue;
        const Node* required = f.is_map() ? f.find("required") : nullptr;
        const Node* format = f.is_map() ? f.find("format") : nullptr;
        if (!exists(path->text)) {
            if (required != nullptr && required->as_bool() == false) continue;
            fail(path->mark, "env file " + path->text + " not found: no such file or directory");
        }
        for (auto& [k, v] :
             read_mapping_file(path->text, format ? format->text : "", lookup, path->mark)) {
            put(merged, k, v);
        }
    }
    for (auto& e : declared.entries) merged.set(e.key, e.value);
    svc.set("environment", std::move(merged));
}

void fold_label_files(Node& svc) {
    const Node* files = svc.find("label_file");
    if (files == nullptr || !files->is_seq()) return;
    Node merged = Node::mapping();
    Lookup lookup = [&](const std::string& k) -> std::optional<std::string> {
        if (const Node* v = merged.find(k); v != nullptr && v->is_scalar()) return v->text;
        return std::nullopt;
    };
    for (const auto& f : files->items) {
        if (!exists(f.text))
            fail(f.mark, "label file " + f.text + " not found: no such file or directory");
        for (auto& [k, v] : read_mapping_file(f.text, "", lookup, f.mark)) put(merged, k, v);
    }
    for (auto& e : as_mapping(svc.find("labels")).entries) merged.set(e.key, e.value);
    if (!merged.entries.empty()) svc.set("labels", std::move(merged));
}

}  // namespace

void resolve_service_environment(Node& dict, const Environment& env) {
    Node* services = dict.find("services");
    if (services == nullptr || !services->is_map()) return;
    for (auto& e : services->entries) {
        if (!e.value.is_map()) continue;
        fold_env_files(e.value, env);
        fold_label_files(e.value);
    }
}

}  // namespace berth::compose::detail
