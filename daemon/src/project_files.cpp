#include "project_files.hpp"

#include <sys/stat.h>

#include <filesystem>

#include "engine/container_state.hpp"

namespace berth::daemon {

namespace fs = std::filesystem;

namespace {

struct FileSpec {
    std::string file;  // `file:`, absolute after the loader
    std::optional<std::string> content;
};

Result<FileSpec> spec_of(const compose::Project& project, const std::string& kind,
                         const std::string& source) {
    const std::string what = kind + " \"" + source + "\"";
    const compose::Node* all = project.model.find(kind == "config" ? "configs" : "secrets");
    const compose::Node* entry = all && all->is_map() ? all->find(source) : nullptr;
    if (!entry || !entry->is_map()) {
        return Error(what + " is not declared in the top-level " + kind + "s");
    }
    FileSpec s;
    if (const compose::Node* f = entry->find("file"); f && f->is_scalar()) {
        s.file = f->text;
        std::error_code ec;
        if (!fs::is_regular_file(s.file, ec))
            return Error(what + ": file " + s.file + " not found");
        return s;
    }
    if (const compose::Node* c = entry->find("content"); c && c->is_scalar()) {
        s.content = c->text;
        return s;
    }
    if (const compose::Node* var = entry->find("environment")) {
        // The client sends the variable's value as content; it had none.
        return Error(what + ": environment variable " + var->text +
                     " is not set where the project was loaded");
    }
    if (const compose::Node* ext = entry->find("external"); ext && ext->as_bool().value_or(false)) {
        return Error(what + ": external " + kind + "s are a swarm feature berth does not have");
    }
    return Error(what + " has neither file nor content");
}

}  // namespace

Result<std::string> check_file_source(const compose::Project& project, const std::string& kind,
                                      const std::string& source) {
    auto s = spec_of(project, kind, source);
    if (!s) return s.error();
    return s->content ? std::string("/nonexistent") : s->file;
}

Result<std::string> file_source(DaemonContext& ctx, const compose::Project& project,
                                const std::string& container_id, const std::string& kind,
                                const std::string& source) {
    auto s = spec_of(project, kind, source);
    if (!s) return s.error();
    if (!s->content) return s->file;
    const std::string dir = ctx.container_data(container_id) + "/files";
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return errno_error("create " + dir, ec.value());
    const std::string path = dir + "/" + kind + "-" + source;
    if (auto r = engine::write_file_atomic(path, *s->content); !r) return r.error();
    if (::chmod(path.c_str(), 0444) < 0) return errno_error("chmod " + path, errno);
    return path;
}

}  // namespace berth::daemon
