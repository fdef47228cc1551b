// Helpers the compose and scheduler unit tests share: documents from text, projects from text, and
// comparing documents by content.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <ostream>
#include <stdexcept>
#include <string>

#include "compose/project.hpp"
#include "compose/yaml.hpp"

namespace berth::compose {
// Failure messages show the YAML instead of bytes.
inline void PrintTo(const Node& n, std::ostream* os) {
    *os << "\n" << emit_yaml(n);
}
}  // namespace berth::compose

namespace berth::test_support {

inline compose::Node parse_one(const std::string& text) {
    return compose::parse_yaml(text, "compose.yaml").at(0);
}

// A project loaded from `yaml` as `-f -`, named "t", from /tmp; a load error throws.
inline compose::Project load_project(const std::string& yaml) {
    compose::LoadOptions o;
    o.files = {"-"};
    o.stdin_content = yaml;
    o.cwd = "/tmp";
    o.project_name = "t";
    auto p = compose::load(o);
    if (!p) throw std::runtime_error(p.error().message());
    return std::move(p.value());
}

// Key order is the printer's business; content comparisons sort every mapping.
inline compose::Node sorted(compose::Node n) {
    for (compose::Node& item : n.items) item = sorted(std::move(item));
    for (compose::Entry& e : n.entries) e.value = sorted(std::move(e.value));
    std::sort(n.entries.begin(), n.entries.end(),
              [](const compose::Entry& a, const compose::Entry& b) { return a.key < b.key; });
    return n;
}

inline void expect_yaml(const compose::Node& actual, const std::string& expected_yaml) {
    compose::Node expected = parse_one(expected_yaml);
    EXPECT_EQ(sorted(actual), sorted(expected)) << "actual:\n"
                                                << compose::emit_yaml(actual) << "expected:\n"
                                                << compose::emit_yaml(expected);
}

inline const compose::Node& svc(const compose::Node& doc, const char* name = "foo") {
    return *doc.find("services")->find(name);
}

}  // namespace berth::test_support
