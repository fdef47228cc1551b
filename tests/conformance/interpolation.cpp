// Family "interpolation": compose-go's template and interpolation test vectors
// (cases/interpolation-cases.yaml), run against compose::substitute, operator_for and interpolate.
#include <string>
#include <vector>

#include "compose/error.hpp"
#include "compose/interpolate.hpp"
#include "compose/template.hpp"
#include "harness.hpp"

namespace berth::conformance {

namespace {

using compose::Environment;
using compose::Node;

std::string field(const Node& c, std::string_view key) {
    const Node* n = c.find(key);
    return n != nullptr && n->is_scalar() ? n->text : std::string();
}

bool has(const Node& c, std::string_view key) {
    return c.find(key) != nullptr;
}

Environment env_of(const Node* map) {
    Environment env;
    if (map == nullptr || !map->is_map()) return env;
    for (const auto& e : map->entries) env[e.key] = e.value.is_scalar() ? e.value.text : "";
    return env;
}

std::string case_name(const std::string& section, std::size_t i, const Node& c) {
    return section + "[" + std::to_string(i) + "] " + field(c, "in");
}

// A template's expansion, compared with `out`, or its error, which must contain `error`
// (compose-go asserts these with ErrorContains).
void check_template(Family& f, const std::string& name, const Node& c, const Environment& env) {
    auto got = compose::substitute(field(c, "in"), compose::lookup_in(env));
    if (has(c, "error")) {
        bool ok = !got.ok() && got.error().message().find(field(c, "error")) != std::string::npos;
        f.check(ok, name, got.ok() ? "expanded to \"" + *got + "\"" : got.error().message());
        return;
    }
    bool ok = got.ok() && *got == field(c, "out");
    f.check(ok, name, got.ok() ? "got \"" + *got + "\"" : got.error().message());
}

void run_substitute(Family& f, const Node& doc) {
    Environment shared = env_of(doc.find("env"));
    const Node& cases = *doc.find("substitute");
    for (std::size_t i = 0; i < cases.items.size(); ++i) {
        const Node& c = cases.items[i];
        Environment env = has(c, "env") ? env_of(c.find("env")) : shared;
        check_template(f, case_name("substitute", i, c), c, env);
    }
}

void run_operator_choice(Family& f, const Node& doc) {
    const Node& cases = *doc.find("operator_choice");
    for (std::size_t i = 0; i < cases.items.size(); ++i) {
        const Node& c = cases.items[i];
        std::string got = compose::operator_for(field(c, "in"));
        f.check(got == field(c, "op"), case_name("operator_choice", i, c), "got \"" + got + "\"");
    }
}

// A model holding `value` at the dotted `path`, as compose-go's interpolation tests build it.
Node model_with(const std::string& path, const std::string& value) {
    std::vector<std::string> parts;
    for (std::size_t start = 0;;) {
        std::size_t dot = path.find('.', start);
        parts.push_back(path.substr(start, dot - start));
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    Node leaf = Node::plain(value);
    for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
        Node parent = Node::mapping();
        parent.set(*it, std::move(leaf));
        leaf = std::move(parent);
    }
    return leaf;
}

const Node* at_path(const Node& root, const std::string& path) {
    const Node* n = &root;
    for (std::size_t start = 0; n != nullptr;) {
        std::size_t dot = path.find('.', start);
        n = n->find(path.substr(start, dot - start));
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    return n;
}

// Whole-model errors are compared exactly: they carry compose's wrapper text and the path.
void run_whole_model(Family& f, const Node& doc) {
    const Node& cases = *doc.find("whole_model");
    for (std::size_t i = 0; i < cases.items.size(); ++i) {
        const Node& c = cases.items[i];
        std::string path = has(c, "path") ? field(c, "path") : "myservice.environment.TESTVAR";
        Node model = model_with(path, field(c, "in"));
        Environment env = env_of(c.find("env"));
        std::string name = case_name("whole_model", i, c);
        try {
            compose::interpolate(model, compose::lookup_in(env));
            const Node* v = at_path(model, path);
            bool ok = !has(c, "error") && v != nullptr && v->text == field(c, "out");
            f.check(ok, name, v != nullptr ? "got \"" + v->text + "\"" : "value lost");
        } catch (const compose::LoadError& e) {
            f.check(e.message() == field(c, "error"), name, e.message());
        }
    }
}

// podman-compose's integration project: plain templates go through substitute; the label item
// `"$TEST_LABELS=test_labels"` goes through a labels list, which podman then prints as a label.
void run_podman(Family& f, const Node& doc) {
    Environment env = {{"EXAMPLE_VARIABLE_USER", "test_user"},
                       {"DOT_ENV_VARIABLE", "dot_env"},
                       {"TEST_LABELS", "TEST"}};
    const Node& cases = *doc.find("podman_compose_integration");
    for (std::size_t i = 0; i < cases.items.size(); ++i) {
        const Node& c = cases.items[i];
        std::string name = case_name("podman", i, c);
        std::string in = field(c, "in");
        if (in.find("(label list item)") == std::string::npos) {
            check_template(f, name, c, env);
            continue;
        }
        std::string item = in.substr(1, in.find('"', 1) - 1);
        Node model = model_with("services.test.labels", "");
        Node& labels = *model.find("services")->find("test")->find("labels");
        labels = Node::sequence();
        labels.push(Node::plain(item));
        compose::interpolate(model, compose::lookup_in(env));
        std::string want = field(c, "out").substr(std::string("label ").size());
        f.check(labels.items[0].text == want, name, "got \"" + labels.items[0].text + "\"");
    }
}

}  // namespace

TEST(Conformance, Interpolation) {
    Family family("interpolation", {});
    Node doc = read_yaml(corpus("compose-go/cases/interpolation-cases.yaml"));
    run_substitute(family, doc);
    run_operator_choice(family, doc);
    run_whole_model(family, doc);
    run_podman(family, doc);
    family.finish();
}

}  // namespace berth::conformance
