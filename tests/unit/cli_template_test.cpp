#include <gtest/gtest.h>

#include "go_template.hpp"

using namespace berth::cli;
using nlohmann::json;

namespace {

const json kNetwork = json::parse(R"({
  "Name": "demo_default", "Id": "0123456789abcdef", "EnableIPv6": false, "Options": null,
  "IPAM": {"Driver": "default", "Config": [{"Subnet": "172.18.0.0/16", "Gateway": "172.18.0.1"},
                                            {"Subnet": "fd00::/64", "Gateway": "fd00::1"}]},
  "Containers": {"bbb": {"Name": "demo-web-1"}, "aaa": {"Name": "demo-db-1"}},
  "Labels": {"com.docker.compose.project": "demo", "x": "1"},
  "Count": 3, "Tags": ["a", "b"], "Empty": ""
})");

std::string run(const std::string& text, const json& dot = kNetwork) {
    auto t = GoTemplate::parse(text);
    if (!t) return "PARSE: " + t.error().message();
    auto out = t->execute(dot);
    if (!out) return "EXEC: " + out.error().message();
    return *out;
}

}  // namespace

TEST(CliTemplate, FieldsAndText) {
    EXPECT_EQ(run("{{.Name}}"), "demo_default");
    EXPECT_EQ(run("name={{ .Name }} v6={{.EnableIPv6}} n={{.Count}}"),
              "name=demo_default v6=false n=3");
    EXPECT_EQ(run("{{.IPAM.Driver}}"), "default");
    EXPECT_EQ(run("plain text only"), "plain text only");
    EXPECT_EQ(run(""), "");
}

TEST(CliTemplate, ValuesPrintAsGoPrintsThem) {
    EXPECT_EQ(run("{{.Tags}}"), "[a b]");
    EXPECT_EQ(run("{{.Labels}}"), "map[com.docker.compose.project:demo x:1]");
    EXPECT_EQ(run("{{.Missing}}"), "<no value>");
    EXPECT_EQ(run("{{.Missing.Deeper}}"), "<no value>");
    EXPECT_EQ(run("{{.Options}}"), "<nil>");
    EXPECT_EQ(run("{{.}}", json("x")), "x");
}

TEST(CliTemplate, JsonAndDockerFunctions) {
    EXPECT_EQ(run("{{json .Labels}}"), R"({"com.docker.compose.project":"demo","x":"1"})");
    EXPECT_EQ(run("{{json .Tags}}"), R"(["a","b"])");
    EXPECT_EQ(run("{{json .Missing}}"), "null");
    EXPECT_EQ(run("{{json .Name}}"), R"("demo_default")");
    EXPECT_EQ(run("{{join .Tags \",\"}}"), "a,b");
    EXPECT_EQ(run("{{upper .Name}} {{lower \"ABC\"}} {{title \"hello world\"}}"),
              "DEMO_DEFAULT abc Hello World");
    EXPECT_EQ(run("{{truncate .Id 4}}|{{pad .Count 1 2}}|"), "0123| 3  |");
    EXPECT_EQ(run("{{split \"a:b:c\" \":\"}}"), "[a b c]");
    EXPECT_EQ(run("{{len .Tags}} {{len .Name}} {{len .Containers}}"), "2 12 2");
    EXPECT_EQ(run("{{index .Labels \"com.docker.compose.project\"}}"), "demo");
    EXPECT_EQ(run("{{index .Tags 1}}"), "b");
    EXPECT_EQ(run("{{index .Labels \"nope\"}}"), "<no value>");
    EXPECT_EQ(run("{{print .Count 4}}|{{print \"a\" \"b\"}}|{{println .Name}}"),
              "3 4|ab|demo_default\n");
}

TEST(CliTemplate, Pipelines) {
    EXPECT_EQ(run("{{.Name | upper}}"), "DEMO_DEFAULT");
    EXPECT_EQ(run("{{join .Tags \"-\" | upper}}"), "A-B");
    // The piped value is the last argument, as in Go: here the separator's place.
    EXPECT_EQ(run("{{.Tags | join \"-\"}}"),
              "EXEC: template: executing: error calling join: wrong type for value; expected "
              "[]string; got string");
    EXPECT_EQ(run("{{join .Missing \",\"}}"), "");
    EXPECT_EQ(run("{{.Labels | json}}"), R"({"com.docker.compose.project":"demo","x":"1"})");
}

TEST(CliTemplate, RangeIfWithElse) {
    EXPECT_EQ(run("{{range .IPAM.Config}}{{.Subnet}} {{end}}"), "172.18.0.0/16 fd00::/64 ");
    // A map is ranged over in key order.
    EXPECT_EQ(run("{{range .Containers}}{{.Name}},{{end}}"), "demo-db-1,demo-web-1,");
    EXPECT_EQ(run("{{range .Nothing}}x{{else}}none{{end}}"), "none");
    EXPECT_EQ(run("{{if .EnableIPv6}}v6{{else}}v4{{end}}"), "v4");
    EXPECT_EQ(run("{{if .Empty}}a{{else if .Count}}b{{else}}c{{end}}"), "b");
    EXPECT_EQ(run("{{if eq .Driver \"bridge\" \"x\"}}y{{else}}n{{end}}", json{{"Driver", "x"}}),
              "y");
    EXPECT_EQ(run("{{if and .Count (.Empty)}}"),
              "PARSE: template parsing error: template: :1: "
              "unsupported \"(\": variables and parentheses "
              "are not supported");
    EXPECT_EQ(run("{{if not .Empty}}empty{{end}}"), "empty");
    EXPECT_EQ(run("{{if ne .Count 3}}x{{else}}three{{end}}"), "three");
    EXPECT_EQ(run("{{with .IPAM}}{{.Driver}}{{end}}{{with .Missing}}x{{else}}-{{end}}"),
              "default-");
    EXPECT_EQ(run("{{or .Empty \"dflt\"}} {{and .Count .Name}}"), "dflt demo_default");
}

TEST(CliTemplate, TrimMarkersAndComments) {
    EXPECT_EQ(run("a  {{- .Count -}}  b"), "a3b");
    EXPECT_EQ(run("{{range .Tags -}}\n  {{.}}\n{{- end}}"), "ab");
    EXPECT_EQ(run("x{{/* a comment */}}y"), "xy");
    EXPECT_EQ(run("{{-3}}", json::object()), "-3");
    EXPECT_EQ(run("{{\"}}\"}}"), "}}");
}

TEST(CliTemplate, ParseErrorsAreRefused) {
    EXPECT_EQ(run("{{.Name"), "PARSE: template parsing error: template: :1: unclosed action");
    EXPECT_EQ(run("{{nope .Name}}"),
              "PARSE: template parsing error: template: :1: function \"nope\" not defined");
    EXPECT_EQ(run("{{end}}"), "PARSE: template parsing error: template: :1: unexpected {{end}}");
    EXPECT_EQ(run("{{if .X}}a"), "PARSE: template parsing error: template: :1: unexpected EOF");
    EXPECT_EQ(run("{{$x := .Name}}"),
              "PARSE: template parsing error: template: :1: unsupported "
              "\"$\": variables and parentheses are not supported");
    EXPECT_EQ(run("{{}}"),
              "PARSE: template parsing error: template: :1: missing value for command");
    EXPECT_EQ(run("{{.Name | }}"),
              "PARSE: template parsing error: template: :1: missing value for command");
    EXPECT_EQ(run("{{\"abc}}"), "PARSE: template parsing error: template: :1: unclosed action");
}

TEST(CliTemplate, ExecutionErrors) {
    EXPECT_EQ(run("{{.Name.First}}"),
              "EXEC: template: executing: can't evaluate field First in type string");
    EXPECT_EQ(run("{{.Name .Count}}"),
              "EXEC: template: executing: can't give argument to non-function");
    EXPECT_EQ(run("{{index .Tags 5}}"),
              "EXEC: template: executing: error calling index: index out of range: 5");
    EXPECT_EQ(run("{{range .Name}}x{{end}}"),
              "EXEC: template: executing: range can't iterate over demo_default");
    EXPECT_EQ(run("{{json}}"),
              "EXEC: template: executing: wrong number of args for json: want 1 got 0");
}

TEST(CliTemplate, DockerFormatText) {
    bool table = false;
    EXPECT_EQ(docker_format_text("table {{.ID}}\\t{{.Name}}", &table), "{{.ID}}\t{{.Name}}");
    EXPECT_TRUE(table);
    EXPECT_EQ(docker_format_text("  {{.Name}}\\n  ", &table), "{{.Name}}\n");
    EXPECT_FALSE(table);
    EXPECT_EQ(docker_format_text("a\\b", nullptr), "a\\b");
}
