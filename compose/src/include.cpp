// `include`: another compose project loaded on its own (its own folder, its own .env) whose
// services, networks, volumes, configs and secrets join this one.
#include <sys/stat.h>

#include "compose/discovery.hpp"
#include "compose/dotenv.hpp"
#include "compose/error.hpp"
#include "compose/merge.hpp"
#include "model_loader.hpp"

namespace berth::compose::detail {
namespace {

struct IncludeEntry {
    std::vector<std::string> paths;
    std::string project_directory;
    std::vector<std::string> env_files;
    Mark mark;
};

std::vector<std::string> string_or_list(const Node& n, const std::string& what) {
    if (n.is_scalar()) return {n.text};
    if (!n.is_seq()) fail(n.mark, what + " must be a string or a list of strings");
    std::vector<std::string> out;
    for (const auto& item : n.items) {
        if (!item.is_scalar()) fail(item.mark, what + " must be a string or a list of strings");
        out.push_back(item.text);
    }
    return out;
}

IncludeEntry read_entry(const Node& n, std::size_t index) {
    std::string where = "include." + std::to_string(index);
    IncludeEntry e;
    e.mark = n.mark;
    if (n.is_scalar()) {
        e.paths = {n.text};
        return e;
    }
    if (!n.is_map()) fail(n.mark, where + " must be a string or a mapping");
    const Node* path = n.find("path");
    if (path == nullptr) fail(n.mark, where + " missing property 'path'");
    e.paths = string_or_list(*path, where + ".path");
    if (const Node* dir = n.find("project_directory"); dir != nullptr && dir->is_scalar()) {
        e.project_directory = dir->text;
    }
    if (const Node* env = n.find("env_file"))
        e.env_files = string_or_list(*env, where + ".env_file");
    return e;
}

bool is_file(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string cycle_message(const std::vector<std::string>& chain, const std::string& again) {
    std::string msg = "include cycle detected:\n" + chain.front();
    for (std::size_t i = 1; i < chain.size(); ++i) msg += "\n include " + chain[i];
    return msg + "\n include " + again;
}

// The include's own variables add to the including project's, which keep precedence.
Environment include_environment(const IncludeEntry& e, const std::string& project_dir,
                                const ModelContext& ctx) {
    std::vector<std::string> files;
    if (e.env_files.empty()) {
        if (is_file(project_dir + "/.env")) files.push_back(project_dir + "/.env");
    } else {
        for (const auto& f : e.env_files) {
            if (f == "/dev/null") continue;
            std::string abs = absolute_path(f, ctx.working_dir);
            if (!is_file(abs)) fail(e.mark, "include env_file " + abs + " not found or not a file");
            files.push_back(abs);
        }
    }
    Environment env = ctx.env;
    auto from_files = read_env_files(files, ctx.env);
    if (!from_files) fail(e.mark, from_files.error().message());
    for (const auto& [k, v] : *from_files) env.emplace(k, v);
    return env;
}

void import_resources(Node& doc, const Node& imported) {
    for (const char* key : {"services", "volumes", "networks", "secrets", "configs", "models"}) {
        const Node* from = imported.find(key);
        if (from == nullptr || !from->is_map()) continue;
        Node* to = doc.find(key);
        if (to == nullptr || !to->is_map()) to = &doc.set(key, Node::mapping(from->mark));
        for (const auto& e : from->entries) {
            Node* existing = to->find(e.key);
            if (existing == nullptr) {
                to->entries.push_back(e);
                continue;
            }
            Node left = Node::mapping();
            left.set(key, Node::mapping()).set(e.key, e.value);
            Node right = Node::mapping();
            right.set(key, Node::mapping()).set(e.key, *existing);
            *existing = *merge(left, right).find(key)->find(e.key);
        }
    }
}

}  // namespace

void apply_include(Node& doc, const ModelContext& ctx, const std::vector<std::string>& included) {
    const Node* include = doc.find("include");
    if (include == nullptr) return;
    if (!include->is_seq()) fail(include->mark, "`include` must be a list");
    Node entries = *include;
    doc.erase("include");
    for (std::size_t i = 0; i < entries.items.size(); ++i) {
        IncludeEntry e = read_entry(entries.items[i], i);
        std::vector<std::string> files;
        for (const auto& p : e.paths) files.push_back(absolute_path(p, ctx.working_dir));
        std::string project_dir = e.project_directory.empty()
                                      ? dirname_of(files.front())
                                      : absolute_path(e.project_directory, ctx.working_dir);
        for (const auto& f : included) {
            if (f == files.front()) fail(e.mark, cycle_message(included, files.front()));
        }
        ModelContext sub = ctx;
        sub.working_dir = project_dir;
        sub.env = include_environment(e, project_dir, ctx);
        sub.resolve_paths = true;
        Node imported;
        try {
            imported = load_model(files, sub, included);
        } catch (const LoadError& err) {
            if (!err.mark().known()) fail(e.mark, err.message());
            throw;
        }
        import_resources(doc, imported);
    }
}

}  // namespace berth::compose::detail
