#include "compose/interpolate.hpp"

#include <gtest/gtest.h>

#include <string>

#include "compose/error.hpp"
#include "compose/yaml.hpp"

using namespace berth::compose;

namespace {

Node interpolated(const std::string& yaml, const Environment& env) {
    Node root = parse_yaml(yaml, "compose.yaml").at(0);
    interpolate(root, lookup_in(env));
    return root;
}

// The LoadError text (with its position) for a document that must fail.
std::string failure(const std::string& yaml, const Environment& env) {
    try {
        interpolated(yaml, env);
    } catch (const LoadError& e) {
        return e.what();
    }
    return "no error";
}

const Node& web(const Node& root) {
    return *root.find("services")->find("web");
}

}  // namespace

TEST(Interpolate, ExpandsValuesButNotKeys) {
    Node root =
        interpolated("services:\n  web:\n    image: $IMG\n    environment:\n      $K: ${V}\n",
                     {{"IMG", "nginx"}, {"K", "key"}, {"V", "val"}});
    EXPECT_EQ(web(root).find("image")->text, "nginx");
    const Node& env = *web(root).find("environment");
    ASSERT_EQ(env.entries.size(), 1u);
    EXPECT_EQ(env.entries[0].key, "$K");
    EXPECT_EQ(env.entries[0].value.text, "val");
}

TEST(Interpolate, ExpandsListItems) {
    Node root = interpolated("services:\n  web:\n    labels:\n      - \"$K=v\"\n      - plain\n",
                             {{"K", "TEST"}});
    const Node& labels = *web(root).find("labels");
    EXPECT_EQ(labels.items[0].text, "TEST=v");
    EXPECT_EQ(labels.items[1].text, "plain");
}

TEST(Interpolate, ExpandedValuesAreStrings) {
    Node root = interpolated("x-a: $N\nx-b: ${T}\n", {{"N", "80"}, {"T", "true"}});
    EXPECT_EQ(root.find("x-a")->text, "80");
    EXPECT_EQ(root.find("x-a")->type(), ScalarType::String);
    EXPECT_EQ(root.find("x-b")->type(), ScalarType::String);
}

TEST(Interpolate, ValuesWithoutDollarKeepTypeAndPosition) {
    Node root = interpolated("services:\n  web:\n    cpus: \"0.5\"\n    scale: 2\n", {});
    const Node& cpus = *web(root).find("cpus");
    EXPECT_TRUE(cpus.quoted);
    EXPECT_EQ(cpus.mark.line, 3);
    EXPECT_EQ(web(root).find("scale")->type(), ScalarType::Int);
}

TEST(Interpolate, TypedAttributesAreCastBack) {
    Node root = interpolated(
        "services:\n"
        "  web:\n"
        "    cpus: \"${CPUS}\"\n"
        "    privileged: \"$YES\"\n"
        "    deploy:\n"
        "      replicas: \"$REPLICAS\"\n"
        "    ports:\n"
        "      - target: \"$PORT\"\n"
        "    ulimits:\n"
        "      nofile: {soft: \"$PORT\", hard: \"$PORT\"}\n"
        "      nproc: \"$PORT\"\n"
        "networks:\n"
        "  front:\n"
        "    external: \"$YES\"\n",
        {{"CPUS", "0.50"}, {"YES", "yes"}, {"REPLICAS", "010"}, {"PORT", "8080"}});
    const Node& w = web(root);
    EXPECT_EQ(w.find("cpus")->type(), ScalarType::Float);
    EXPECT_DOUBLE_EQ(*w.find("cpus")->as_float(), 0.5);
    EXPECT_EQ(w.find("privileged")->text, "true");
    EXPECT_EQ(w.find("privileged")->type(), ScalarType::Bool);
    EXPECT_EQ(*w.find("deploy")->find("replicas")->as_int(), 10);  // decimal, not octal
    EXPECT_EQ(*w.find("ports")->items[0].find("target")->as_int(), 8080);
    EXPECT_EQ(*w.find("ulimits")->find("nofile")->find("soft")->as_int(), 8080);
    EXPECT_EQ(*w.find("ulimits")->find("nproc")->as_int(), 8080);
    EXPECT_EQ(*root.find("networks")->find("front")->find("external")->as_bool(), true);
}

TEST(Interpolate, OnlyTheListedPathsAreCast) {
    Node root =
        interpolated("services:\n  web:\n    ports:\n      - \"$PORT\"\n", {{"PORT", "80"}});
    EXPECT_EQ(web(root).find("ports")->items[0].type(), ScalarType::String);
}

TEST(Interpolate, CastFailuresNameThePath) {
    EXPECT_EQ(
        failure("services:\n  web:\n    privileged: $X\n", {{"X", "maybe"}}),
        "compose.yaml:3:17: error while interpolating services.web.privileged: failed to cast "
        "to expected type: invalid boolean: maybe");
    EXPECT_EQ(
        failure("services:\n  web:\n    deploy:\n      replicas: ${R}\n", {{"R", "two"}}),
        "compose.yaml:4:17: error while interpolating services.web.deploy.replicas: failed to "
        "cast to expected type: strconv.Atoi: parsing \"two\": invalid syntax");
    EXPECT_EQ(failure("services:\n  web:\n    cpus: $C\n", {{"C", "1e99"}}),
              "compose.yaml:3:11: error while interpolating services.web.cpus: failed to cast to "
              "expected type: strconv.ParseFloat: parsing \"1e99\": value out of range");
}

TEST(Interpolate, RequiredVariableErrorsNameThePath) {
    EXPECT_EQ(failure("services:\n  web:\n    environment:\n      FOO: ${FOO:?set it}\n", {}),
              "compose.yaml:4:12: error while interpolating services.web.environment.FOO: required "
              "variable FOO is missing a value: set it");
}

TEST(Interpolate, ListItemsAppearByIndexInPaths) {
    EXPECT_EQ(
        failure("services:\n  web:\n    labels:\n      - a\n      - ${X?}\n", {}),
        "compose.yaml:5:9: error while interpolating services.web.labels.1: required variable "
        "X is missing a value");
}

TEST(Interpolate, InvalidTemplatesExplainTheEscape) {
    EXPECT_EQ(failure("services:\n  web:\n    image: \"a${\"\n", {}),
              "compose.yaml:3:12: invalid interpolation format for services.web.image.\n"
              "You may need to escape any $ with another $.\na${");
}

TEST(Interpolate, KeysWithDotsPrintAsWritten) {
    EXPECT_EQ(
        failure("x-labels:\n  com.example.a: ${X?}\n", {}),
        "compose.yaml:2:18: error while interpolating x-labels.com.example.a: required variable "
        "X is missing a value");
}

TEST(Interpolate, DollarEscapeLeavesAString) {
    Node root = interpolated("services:\n  web:\n    command: echo $$HOME\n", {});
    EXPECT_EQ(web(root).find("command")->text, "echo $HOME");
}
