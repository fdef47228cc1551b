#include "compose/paths.hpp"

#include <gtest/gtest.h>

#include "compose/canonical.hpp"
#include "compose/error.hpp"
#include "compose/yaml.hpp"

using namespace berth::compose;

namespace {

const char* kWd = "/project";
const char* kHome = "/home/me";

Node resolved(const std::string& text) {
    Node doc = parse_yaml(text, "compose.yaml").at(0);
    canonicalize(doc);
    resolve_paths(doc, kWd, kHome);
    return doc;
}

const Node& foo(const Node& doc) {
    return *doc.find("services")->find("foo");
}

std::string text_at(const Node& doc, std::initializer_list<const char*> keys) {
    const Node* n = &doc;
    for (const char* k : keys) {
        n = n->find(k);
        if (n == nullptr) return "<missing " + std::string(k) + ">";
    }
    return n->text;
}

}  // namespace

TEST(Paths, AbsolutePath) {
    EXPECT_EQ(absolute_path("./a", kWd, kHome), "/project/a");
    EXPECT_EQ(absolute_path(".", kWd, kHome), "/project");
    EXPECT_EQ(absolute_path("../x/./y", kWd, kHome), "/x/y");
    EXPECT_EQ(absolute_path("~/configs", kWd, kHome), "/home/me/configs");
    EXPECT_EQ(absolute_path("~", kWd, kHome), "/home/me");
    EXPECT_EQ(absolute_path("/abs//kept/", kWd, kHome), "/abs//kept/");
    EXPECT_EQ(absolute_path("", kWd, kHome), "");
}

TEST(Paths, BindSourcesOnly) {
    Node doc = resolved(
        "services:\n  foo:\n    volumes:\n      - .:/code\n      - ./static:/www\n      - "
        "~/cfg:/cfg:ro\n"
        "      - /opt/data:/data\n      - named:/n\n      - /anon\n"
        "      - {type: bind, source: 'z:\\', target: 'c:\\data'}\n");
    const Node& v = *foo(doc).find("volumes");
    EXPECT_EQ(v.items[0].find("source")->text, "/project");
    EXPECT_EQ(v.items[1].find("source")->text, "/project/static");
    EXPECT_EQ(v.items[2].find("source")->text, "/home/me/cfg");
    EXPECT_EQ(v.items[3].find("source")->text, "/opt/data");
    EXPECT_EQ(v.items[4].find("source")->text, "named");
    EXPECT_EQ(v.items[5].find("source"), nullptr);
    EXPECT_EQ(v.items[6].find("source")->text, "z:\\");
}

TEST(Paths, BindWithoutSourceFails) {
    try {
        resolved("services:\n  foo:\n    volumes:\n      - type: bind\n        target: /app\n");
        FAIL() << "expected an error";
    } catch (const LoadError& e) {
        EXPECT_EQ(e.message(),
                  "invalid mount config for type \"bind\": field Source must not be empty");
    }
}

TEST(Paths, BuildContexts) {
    Node doc = resolved(
        "services:\n  foo:\n    build:\n      context: ./testdata\n      dockerfile: "
        "Dockerfile-sample\n"
        "      additional_contexts:\n        image: docker-image://foo\n        oci: "
        "oci-layout://foo\n"
        "        abs_path: /somewhere\n        github: github.com/compose-spec/compose-go\n"
        "        rel_path: ./testdata\n        svc: service:base\n"
        "  bar:\n    build: https://github.com/docker/compose.git\n  baz:\n    build:\n      "
        "dockerfile: x\n");
    EXPECT_EQ(text_at(foo(doc), {"build", "context"}), "/project/testdata");
    EXPECT_EQ(text_at(foo(doc), {"build", "dockerfile"}), "Dockerfile-sample");
    const Node& ctx = *foo(doc).find("build")->find("additional_contexts");
    EXPECT_EQ(ctx.find("image")->text, "docker-image://foo");
    EXPECT_EQ(ctx.find("oci")->text, "oci-layout://foo");
    EXPECT_EQ(ctx.find("abs_path")->text, "/somewhere");
    EXPECT_EQ(ctx.find("github")->text, "github.com/compose-spec/compose-go");
    EXPECT_EQ(ctx.find("rel_path")->text, "/project/testdata");
    EXPECT_EQ(ctx.find("svc")->text, "service:base");
    const Node& services = *doc.find("services");
    EXPECT_EQ(text_at(services, {"bar", "build", "context"}),
              "https://github.com/docker/compose.git");
    EXPECT_EQ(text_at(services, {"baz", "build", "context"}), "/project");
}

TEST(Paths, FilesOfServices) {
    Node doc = resolved(
        "services:\n  foo:\n    env_file: [a.env, {path: /abs.env, required: false}]\n"
        "    label_file: ./l.label\n    extends: {file: ../base.yaml, service: b}\n"
        "    build:\n      context: .\n      ssh: [default, key=./id_rsa]\n"
        "    develop:\n      watch:\n        - {path: ./src, action: sync, target: /app}\n");
    const Node& s = foo(doc);
    EXPECT_EQ(s.find("env_file")->items[0].find("path")->text, "/project/a.env");
    EXPECT_EQ(s.find("env_file")->items[1].find("path")->text, "/abs.env");
    EXPECT_EQ(s.find("label_file")->items[0].text, "/project/l.label");
    EXPECT_EQ(text_at(s, {"extends", "file"}), "/base.yaml");
    EXPECT_TRUE(s.find("build")->find("ssh")->find("default")->is_null());
    EXPECT_EQ(text_at(s, {"build", "ssh", "key"}), "/project/id_rsa");
    EXPECT_EQ(s.find("develop")->find("watch")->items[0].find("path")->text, "/project/src");
}

TEST(Paths, TopLevelFiles) {
    Node doc = resolved(
        "secrets:\n  s:\n    file: ./secret_data\n  e:\n    environment: X\n  a:\n    file: "
        "/abs/secret_data\n"
        "configs:\n  c:\n    file: ~/config_data\n"
        "volumes:\n  v:\n    driver: local\n    driver_opts: {type: none, o: bind, device: "
        "./data}\n"
        "  w:\n    driver_opts: {o: bind, device: ./data}\n"
        "include:\n  - ./inc/compose.yaml\n  - path: [a.yaml, /b.yaml]\n    project_directory: ..\n"
        "    env_file: x.env\n");
    EXPECT_EQ(text_at(doc, {"secrets", "s", "file"}), "/project/secret_data");
    EXPECT_EQ(text_at(doc, {"secrets", "a", "file"}), "/abs/secret_data");
    EXPECT_EQ(text_at(doc, {"secrets", "e", "environment"}), "X");
    EXPECT_EQ(text_at(doc, {"configs", "c", "file"}), "/home/me/config_data");
    EXPECT_EQ(text_at(doc, {"volumes", "v", "driver_opts", "device"}), "/project/data");
    EXPECT_EQ(text_at(doc, {"volumes", "w", "driver_opts", "device"}), "./data");
    const Node& inc = *doc.find("include");
    EXPECT_EQ(inc.items[0].find("path")->text, "/project/inc/compose.yaml");
    EXPECT_EQ(inc.items[1].find("path")->items[0].text, "/project/a.yaml");
    EXPECT_EQ(inc.items[1].find("path")->items[1].text, "/b.yaml");
    EXPECT_EQ(inc.items[1].find("project_directory")->text, "/");
    EXPECT_EQ(inc.items[1].find("env_file")->text, "/project/x.env");
}
