#include "compose/paths.hpp"

#include <cctype>
#include <string>

#include "canonical_parts.hpp"
#include "tree_util.hpp"

namespace berth::compose {

namespace {

using detail::each_item;
using detail::each_value;

std::string join(const std::string& base, const std::string& rest) {
    if (rest.empty()) return detail::clean_path(base);
    if (base.empty()) return detail::clean_path(rest);
    return detail::clean_path(base + "/" + rest);
}

std::string expand_user(const std::string& p, const std::string& home) {
    if (p.empty() || p[0] != '~' || home.empty()) return p;
    return join(home, p.substr(1));
}

// "C:\x" or "c:/x": compose leaves Windows absolute paths alone even on Linux.
bool is_windows_abs(const std::string& p) {
    return p.size() >= 3 && std::isalpha(static_cast<unsigned char>(p[0])) && p[1] == ':' &&
           (p[2] == '\\' || p[2] == '/');
}

bool is_remote_context(const std::string& v) {
    for (const char* prefix : {"https://", "http://", "git://", "ssh://", "github.com/", "git@"}) {
        if (v.rfind(prefix, 0) == 0) return true;
    }
    return false;
}

struct Resolver {
    std::string wd, home;

    void abs(Node& n) const {
        if (n.is_seq()) {
            for (Node& item : n.items) abs(item);
            return;
        }
        if (!n.is_scalar()) return;
        n.text = absolute_path(n.text, wd, home);
    }

    void maybe_unix(Node& n) const {
        if (!n.is_scalar()) return;
        std::string p = expand_user(n.text, home);
        if (!p.empty() && p[0] != '/' && !is_windows_abs(p)) p = join(wd, p);
        n.text = p;
    }

    void context(Node& n) const {
        if (!n.is_scalar()) return;
        const std::string& v = n.text;
        if (v.find("://") != std::string::npos || v.rfind("service:", 0) == 0 ||
            is_remote_context(v)) {
            return;
        }
        abs(n);
    }

    void bind_source(Node& mount) const {
        if (!mount.is_map()) return;
        const Node* type = mount.find("type");
        if (type == nullptr || type->text != "bind") return;
        Node* source = mount.find("source");
        if (source == nullptr) {
            fail(mount.mark,
                 "invalid mount config for type \"bind\": field Source must not be empty");
        }
        maybe_unix(*source);
    }

    void build(Node& b) const {
        if (!b.is_map()) return;
        if (Node* ctx = b.find("context")) context(*ctx);
        each_value(b.find("additional_contexts"), [&](const std::string&, Node& c) { context(c); });
        each_value(b.find("ssh"), [&](const std::string&, Node& key) { maybe_unix(key); });
    }

    void service(Node& svc) const {
        if (!svc.is_map()) return;
        if (Node* b = svc.find("build")) build(*b);
        each_item(svc.find("env_file"), [&](Node& f) {
            if (Node* path = f.is_map() ? f.find("path") : nullptr) abs(*path);
        });
        if (Node* labels = svc.find("label_file")) abs(*labels);
        if (Node* ext = svc.find("extends"); ext && ext->is_map()) {
            Node* file = ext->find("file");
            if (file && file->is_scalar() && !is_remote_context(file->text)) abs(*file);
        }
        if (Node* develop = svc.find("develop"); develop && develop->is_map()) {
            each_item(develop->find("watch"), [&](Node& rule) {
                if (Node* path = rule.is_map() ? rule.find("path") : nullptr) abs(*path);
            });
        }
        each_item(svc.find("volumes"), [&](Node& m) { bind_source(m); });
    }

    // A local volume bound to a host directory names that directory in driver_opts.device.
    void volume_device(Node& vol) const {
        if (!vol.is_map()) return;
        const Node* driver = vol.find("driver");
        Node* opts = vol.find("driver_opts");
        if (driver == nullptr || driver->text != "local" || opts == nullptr || !opts->is_map())
            return;
        const Node* o = opts->find("o");
        Node* device = opts->find("device");
        if (o != nullptr && o->text == "bind" && device != nullptr) maybe_unix(*device);
    }
};

}  // namespace

std::string absolute_path(const std::string& path, const std::string& working_dir,
                          const std::string& home) {
    std::string p = expand_user(path, home);
    if (p.empty() || p[0] == '/') return p;
    return join(working_dir, p);
}

void resolve_paths(Node& doc, const std::string& working_dir, const std::string& home) {
    if (!doc.is_map()) return;
    Resolver r{working_dir, home};
    each_value(doc.find("services"), [&](const std::string&, Node& svc) { r.service(svc); });
    for (const char* kind : {"secrets", "configs"}) {
        each_value(doc.find(kind), [&](const std::string&, Node& obj) {
            if (Node* file = obj.is_map() ? obj.find("file") : nullptr) r.maybe_unix(*file);
        });
    }
    each_value(doc.find("volumes"), [&](const std::string&, Node& vol) { r.volume_device(vol); });
    each_item(doc.find("include"), [&](Node& inc) {
        if (!inc.is_map()) return;
        for (const char* key : {"path", "project_directory", "env_file"}) {
            if (Node* v = inc.find(key)) r.abs(*v);
        }
    });
}

}  // namespace berth::compose
