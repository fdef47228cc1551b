#include "compose/yaml.hpp"

#include <gtest/gtest.h>

#include "compose/error.hpp"

using namespace berth::compose;

namespace {

Node parse_one(const std::string& text) {
    return parse_yaml(text, "t.yaml").at(0);
}

std::string error_of(const std::string& text) {
    try {
        parse_yaml(text, "t.yaml");
    } catch (const LoadError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(Yaml, KeepsPositions) {
    Node n = parse_one("services:\n  web:\n    image: nginx\n");
    const Node* image = n.find("services")->find("web")->find("image");
    ASSERT_NE(image, nullptr);
    EXPECT_EQ(image->mark.line, 3);
    EXPECT_EQ(image->mark.column, 12);
    EXPECT_EQ(image->mark.str(), "t.yaml:3:12");
}

TEST(Yaml, TypesPlainScalarsLikeYaml12) {
    Node n = parse_one("a: 1\nb: '1'\nc: 1.5\nd: true\ne: ~\nf: 0440\ng: 09\nh: text\n");
    EXPECT_EQ(n.find("a")->type(), ScalarType::Int);
    EXPECT_EQ(n.find("b")->type(), ScalarType::String);
    EXPECT_EQ(n.find("c")->type(), ScalarType::Float);
    EXPECT_EQ(n.find("d")->type(), ScalarType::Bool);
    EXPECT_TRUE(n.find("e")->is_null());
    EXPECT_EQ(*n.find("f")->as_int(), 0440);
    EXPECT_EQ(n.find("g")->type(),
              ScalarType::Float);  // "09" is not octal; YAML reads it as a number
    EXPECT_EQ(n.find("h")->type(), ScalarType::String);
}

TEST(Yaml, ExpandsAnchorsAndMergeKeys) {
    Node n = parse_one("x: &base {a: 1, b: 2}\ny:\n  <<: *base\n  b: 3\n");
    const Node* y = n.find("y");
    EXPECT_EQ(*y->find("a")->as_int(), 1);
    EXPECT_EQ(*y->find("b")->as_int(), 3);  // the explicit key wins over the merged one
}

TEST(Yaml, MergeKeyOfScalarIsRejected) {
    EXPECT_NE(error_of("x: &s text\ny:\n  <<: *s\n").find("map merge requires map"),
              std::string::npos);
}

TEST(Yaml, DuplicateKeyNamesBothLines) {
    std::string err = error_of("a:\n  b: 1\n  b: 2\n");
    EXPECT_EQ(err, "t.yaml:3:3: mapping key \"b\" already defined at line 2");
}

TEST(Yaml, AliasBombIsRefused) {
    std::string doc = "a: &a [x, x, x, x, x, x, x, x, x]\n";
    std::string prev = "a";
    for (char c = 'b'; c <= 'j'; ++c) {
        doc += std::string(1, c) + ": &" + c + " [";
        for (int i = 0; i < 9; ++i) doc += (i ? ", *" : "*") + prev;
        doc += "]\n";
        prev = std::string(1, c);
    }
    EXPECT_NE(error_of(doc).find("excessive aliasing"), std::string::npos);
}

TEST(Yaml, KeepsResetAndOverrideTags) {
    Node n = parse_one("a: !reset []\nb: !override {x: 1}\nc: !reset\n");
    EXPECT_EQ(n.find("a")->tag, "!reset");
    EXPECT_EQ(n.find("b")->tag, "!override");
    EXPECT_EQ(n.find("c")->tag, "!reset");
}

TEST(Yaml, NonStringKeysAreMarked) {
    Node n = parse_one("123: x\n'456': y\n");
    EXPECT_FALSE(n.entries[0].key_is_string);
    EXPECT_TRUE(n.entries[1].key_is_string);
}

TEST(Yaml, SyntaxErrorHasPosition) {
    std::string err = error_of("services:\n  web:\n    image: [a\n");
    EXPECT_EQ(err.rfind("t.yaml:", 0), 0u) << err;
}

TEST(Yaml, EmitsLikeComposeConfig) {
    Node n = parse_one("a: '3000'\nb: [x, '', 'yes', -p]\nc: {}\nd: \"l1\\nl2\\n\"\ne: null\n");
    EXPECT_EQ(emit_yaml(n),
              "a: \"3000\"\nb:\n  - x\n  - \"\"\n  - \"yes\"\n  - -p\nc: {}\nd: |\n  l1\n  l2\ne: "
              "null\n");
}

TEST(Yaml, EmitsJson) {
    Node n = parse_one("a: '3000'\nb: [1, true, 0440]\n");
    EXPECT_EQ(emit_json(n, -1), R"({"a":"3000","b":[1,true,288]})");
}

TEST(Yaml, ControlCharactersAreRefusedWithTheirPosition) {
    EXPECT_EQ(error_of("a: b\nc: d\x10x\n"), "t.yaml:2:5: control characters are not allowed");
    EXPECT_EQ(error_of("a: \xc2\x81\n"), "t.yaml:1:4: control characters are not allowed");
    EXPECT_EQ(parse_one("a: \"tab\there\"\r\nb: \xc2\x85\n").find("a")->text, "tab\there");
}

TEST(Yaml, InvalidUtf8IsRefusedWithItsPosition) {
    EXPECT_EQ(error_of(",x-\xad: a\n"), "t.yaml:1:4: invalid UTF-8 byte sequence");
    EXPECT_EQ(error_of("a: \xed\xa0\x80\n"),
              "t.yaml:1:4: invalid UTF-8 byte sequence");  // a surrogate
    EXPECT_EQ(parse_one("a: \xc3\xa9t\xc3\xa9 \xf0\x9f\x90\xb3\n").find("a")->text,
              "\xc3\xa9t\xc3\xa9 \xf0\x9f\x90\xb3");
}

TEST(Yaml, StreamThatDoesNotAdvanceIsAnError) {
    EXPECT_EQ(error_of(",NULLa true="), "t.yaml:1:1: did not find expected node content");
    EXPECT_EQ(parse_yaml("a: 1\n---\nb: 2\n", "t.yaml").size(), 2u);
}
