// Family "merge": compose-go's override tests (base file, override file, expected result), run
// through merge + enforce_unicity.
#include "compose/merge.hpp"

#include <string>

#include "compose/error.hpp"
#include "harness.hpp"

namespace berth::conformance {
namespace {

using compose::Kind;
using compose::Node;

// compose-go compares Go maps, so mapping key order carries no meaning (Test_mergeYamlNetworks
// expects ipam options in an order no merge produces); sequence order and scalar types ("1" vs 1)
// do matter.
bool same(const Node& a, const Node& b) {
    if (a.kind != b.kind) return false;
    if (a.kind == Kind::Scalar) return a == b;
    if (a.kind == Kind::Sequence) {
        if (a.items.size() != b.items.size()) return false;
        for (std::size_t i = 0; i < a.items.size(); ++i) {
            if (!same(a.items[i], b.items[i])) return false;
        }
        return true;
    }
    if (a.entries.size() != b.entries.size()) return false;
    for (const auto& e : a.entries) {
        const Node* other = b.find(e.key);
        if (other == nullptr || !same(e.value, *other)) return false;
    }
    return true;
}

Node parse(const Node& doc, const char* field, const std::string& name) {
    const Node* text = doc.find(field);
    if (text == nullptr) throw std::runtime_error(std::string("no ") + field);
    auto docs = compose::parse_yaml(text->text, name + "/" + field + ".yaml");
    return docs.empty() ? Node::null() : docs.front();
}

}  // namespace

TEST(Conformance, Merge) {
    Family family("merge", {
                               {"Test_mergeYamlModelsRuntimeFlagsMerge#0",
                                "commented out upstream: compose-go appends models.*.runtime_flags "
                                "like any list, and so do we"},
                           });
    Node file = read_yaml(corpus("compose-go/cases/merge-cases.yaml"));
    const Node* cases = file.find("cases");
    ASSERT_NE(cases, nullptr);
    for (const Node& c : cases->items) {
        std::string name = c.find("name")->text;
        try {
            Node merged = compose::merge(parse(c, "base", name), parse(c, "override", name));
            compose::enforce_unicity(merged);
            Node expected = parse(c, "expected", name);
            family.check(
                same(merged, expected), name,
                "got\n" + compose::emit_yaml(merged) + "want\n" + compose::emit_yaml(expected));
        } catch (const std::exception& e) {
            family.fail(name, e.what());
        }
    }
    family.finish();
}

}  // namespace berth::conformance
