// `extends`: a service starts from another service's definition, in the same file or another one,
// possibly through a chain. Relative paths in an extended file resolve against that file's folder.
#include <set>

#include "compose/canonical.hpp"
#include "compose/discovery.hpp"
#include "compose/error.hpp"
#include "compose/interpolate.hpp"
#include "compose/merge.hpp"
#include "compose/paths.hpp"
#include "compose/schema.hpp"
#include "model_loader.hpp"

namespace berth::compose::detail {
namespace {

struct ServiceRef {
    std::string file;
    std::string service;
    bool operator==(const ServiceRef&) const = default;
};

struct Target {
    std::string service;
    std::string file;  // empty: same file
    Mark mark;
};

Target read_extends(const std::string& name, const Node& extends) {
    if (extends.is_scalar()) return Target{extends.text, "", extends.mark};
    if (!extends.is_map())
        fail(extends.mark, "services." + name + ".extends must be a string or a mapping");
    const Node* service = extends.find("service");
    if (service == nullptr || !service->is_scalar())
        fail(extends.mark, "extends." + name + ".service is required");
    Target t{service->text, "", service->mark};
    if (const Node* file = extends.find("file")) {
        if (!file->is_scalar())
            fail(file->mark, "services." + name + ".extends.file must be a string");
        t.file = file->text;
    }
    return t;
}

std::string circular_message(const std::vector<ServiceRef>& chain, const ServiceRef& again) {
    std::string msg =
        "Circular reference:\n  " + chain.front().service + " in " + chain.front().file;
    for (std::size_t i = 1; i < chain.size(); ++i) {
        msg += "\n  extends " + chain[i].service + " in " + chain[i].file;
    }
    return msg + "\n  extends " + again.service + " in " + again.file;
}

class Extender {
  public:
    explicit Extender(const ModelContext& ctx) : ctx_(ctx) {}

    // Returns the fully extended definition of `name` among `services` (a mapping from `file`).
    Node resolve(const std::string& name, Node& services, const std::string& file,
                 const std::string& dir, std::vector<ServiceRef> chain) {
        Node* service = services.find(name);
        if (service == nullptr || service->is_null()) return Node::null();
        if (!service->is_map()) fail(service->mark, "services." + name + " must be a mapping");
        const Node* extends = service->find("extends");
        if (extends == nullptr) return *service;

        Target target = read_extends(name, *extends);
        ServiceRef self{display_name(file), name};
        for (const auto& seen : chain) {
            if (seen == self) fail(extends->mark, circular_message(chain, self));
        }
        chain.push_back(self);

        Node base;
        if (target.file.empty()) {
            if (services.find(target.service) == nullptr) {
                fail(target.mark, "cannot extend service \"" + name + "\" in " +
                                      display_name(file) + ": service \"" + target.service +
                                      "\" not found");
            }
            base = resolve(target.service, services, file, dir, chain);
        } else {
            base = from_file(name, target, file, dir, chain);
        }
        Node merged = base.is_null() ? *service : merge_service(base, *service);
        merged.erase("extends");
        *service = merged;
        return merged;
    }

  private:
    Node from_file(const std::string& name, const Target& target, const std::string& file,
                   const std::string& dir, const std::vector<ServiceRef>& chain) {
        std::string path = absolute_path(target.file, dir);
        Node doc = load_base_file(path, target.mark);
        Node* services = doc.find("services");
        if (services == nullptr || !services->is_map()) {
            fail(target.mark,
                 "cannot extend service \"" + name + "\" in " + path + ": no services section");
        }
        if (services->find(target.service) == nullptr) {
            fail(target.mark, "cannot extend service \"" + name + "\" in " + display_name(file) +
                                  ": service \"" + target.service + "\" not found in " +
                                  target.file);
        }
        Node base = resolve(target.service, *services, path, dirname_of(path), chain);
        // Paths of the base are relative to its own file, whatever file extends it.
        Node wrapper = Node::mapping();
        wrapper.set("services", Node::mapping()).set(target.service, base);
        if (ctx_.resolve_paths) resolve_paths(wrapper, dirname_of(path), ctx_.home);
        return *wrapper.find("services")->find(target.service);
    }

    Node load_base_file(const std::string& path, const Mark& from) {
        std::vector<Node> docs;
        try {
            docs = read_documents(path, ctx_);
        } catch (const LoadError& e) {
            if (!e.mark().known()) fail(from, e.message());
            throw;
        }
        Node dict = Node::mapping();
        for (Node& doc : docs) {
            if (doc.is_null()) continue;
            if (!doc.is_map()) fail(doc.mark, "top-level object must be a mapping");
            check_string_keys(doc);
            if (ctx_.interpolate) interpolate(doc, lookup_in(ctx_.env));
            dict = merge(dict, doc);
        }
        canonicalize(dict,
                     CanonicalOptions{.set_defaults = false, .keep_unparsed = !ctx_.interpolate});
        return dict;
    }

    const ModelContext& ctx_;
};

}  // namespace

void apply_extends(Node& doc, const std::string& file, const ModelContext& ctx) {
    Node* services = doc.find("services");
    if (services == nullptr || !services->is_map()) return;
    Extender extender(ctx);
    std::string dir = ctx.working_dir;
    for (std::size_t i = 0; i < services->entries.size(); ++i) {
        std::string name = services->entries[i].key;
        extender.resolve(name, *services, file, dir, {});
    }
}

}  // namespace berth::compose::detail
