#include "model_loader.hpp"

#include "common/fs.hpp"
#include "compose/canonical.hpp"
#include "compose/error.hpp"
#include "compose/interpolate.hpp"
#include "compose/merge.hpp"
#include "compose/paths.hpp"
#include "compose/schema.hpp"
#include "compose/yaml.hpp"

namespace berth::compose::detail {
namespace {

// compose-go drops empty dns entries, which `dns: ${DNS}` leaves when DNS is unset.
void omit_empty_dns(Node& dict) {
    Node* services = dict.find("services");
    if (services == nullptr || !services->is_map()) return;
    for (auto& svc : services->entries) {
        Node* dns = svc.value.is_map() ? svc.value.find("dns") : nullptr;
        if (dns == nullptr) continue;
        if (dns->is_null() || (dns->is_scalar() && dns->text.empty())) {
            svc.value.erase("dns");
            continue;
        }
        if (!dns->is_seq()) continue;
        std::erase_if(dns->items, [](const Node& n) {
            return n.is_null() || (n.is_scalar() && n.text.empty());
        });
    }
}

void process_document(Node& doc, const std::string& file, const ModelContext& ctx,
                      const std::vector<std::string>& included, Node& dict) {
    if (!doc.is_map()) fail(doc.mark, "top-level object must be a mapping");
    check_string_keys(doc);
    if (ctx.interpolate) interpolate(doc, lookup_in(ctx.env));

    std::vector<std::string> chain = included;
    chain.push_back(file);
    apply_include(doc, ctx, chain);
    apply_extends(doc, file, ctx);

    dict = merge(dict, doc);
    enforce_unicity(dict);
    validate_schema(dict);
    if (const Entry* version = dict.find_entry("version")) {
        if (ctx.warnings != nullptr) {
            ctx.warnings->push_back(
                version->key_mark.str() +
                ": the attribute `version` is obsolete, it will be ignored, please remove it "
                "to avoid potential confusion");
        }
        dict.erase("version");
    }
    canonicalize(dict, CanonicalOptions{.set_defaults = false, .keep_unparsed = !ctx.interpolate});
    omit_empty_dns(dict);
    enforce_unicity(dict);
}

// Services whose `environment` lists a bare name take the value from the project environment.
void resolve_bare_environment(Node& dict, const Environment& env) {
    Node* services = dict.find("services");
    if (services == nullptr || !services->is_map()) return;
    for (auto& svc : services->entries) {
        Node* list = svc.value.is_map() ? svc.value.find("environment") : nullptr;
        if (list == nullptr || !list->is_seq()) continue;
        for (auto& item : list->items) {
            if (!item.is_scalar() || item.text.find('=') != std::string::npos) continue;
            auto it = env.find(item.text);
            if (it != env.end()) item = Node::string(item.text + "=" + it->second, item.mark);
        }
    }
}

}  // namespace

std::string display_name(const std::string& file) {
    return file == "-" ? "<stdin>" : file;
}

std::vector<Node> read_documents(const std::string& file, const ModelContext& ctx) {
    if (auto it = ctx.parsed->find(file); it != ctx.parsed->end()) return it->second;
    std::string text;
    if (file == "-") {
        text = ctx.stdin_content;
    } else {
        auto content = read_file(file);
        if (!content)
            fail(Mark{std::make_shared<const std::string>(file), 0, 0}, content.error().message());
        text = std::move(*content);
    }
    std::vector<Node> docs = parse_yaml(text, display_name(file));
    ctx.parsed->emplace(file, docs);
    return docs;
}

Node load_model(const std::vector<std::string>& files, const ModelContext& ctx,
                const std::vector<std::string>& included) {
    Node dict = Node::mapping();
    for (const auto& file : files) {
        for (Node& doc : read_documents(file, ctx)) {
            if (doc.is_null() && doc.tag.empty()) continue;  // an empty document adds nothing
            process_document(doc, file, ctx, included, dict);
        }
    }
    // Defaults go in once, after every file is merged, so an override file never sees them as
    // values.
    set_default_values(dict);
    if (ctx.resolve_paths) resolve_paths(dict, ctx.working_dir, ctx.home);
    resolve_bare_environment(dict, ctx.env);
    return dict;
}

}  // namespace berth::compose::detail
