#include "compose/canonical.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "compose/error.hpp"
#include "compose/paths.hpp"
#include "compose/yaml.hpp"
#include "compose_support.hpp"

using namespace berth::compose;

using namespace berth::test_support;

namespace {

Node canonical(const std::string& text) {
    Node doc = parse_one(text);
    canonicalize(doc);
    return doc;
}

std::string error_of(const std::string& text) {
    try {
        Node doc = parse_one(text);
        canonicalize(doc);
    } catch (const LoadError& e) {
        return e.what();
    }
    return "";
}

std::string service(const std::string& body) {
    return "services:\n  foo:\n" + body;
}

}  // namespace

TEST(Canonical, BuildStringBecomesContext) {
    Node doc = canonical(service("    build: ./dir\n"));
    expect_yaml(*svc(doc).find("build"), "context: ./dir\n");
    doc = canonical(service("    build:\n      dockerfile: Dockerfile\n"));
    expect_yaml(*svc(doc).find("build"), "dockerfile: Dockerfile\ncontext: .\n");
}

TEST(Canonical, BuildSshAndAdditionalContexts) {
    Node doc =
        canonical(service("    build:\n      context: .\n      ssh: [default, foo=bar]\n"
                          "      additional_contexts: [a=./x]\n"));
    expect_yaml(*svc(doc).find("build")->find("ssh"), "default: null\nfoo: bar\n");
    expect_yaml(*svc(doc).find("build")->find("additional_contexts"), "a: ./x\n");
    EXPECT_NE(error_of(service("    build:\n      ssh: [nope]\n")).find("invalid ssh key \"nope\""),
              std::string::npos);
}

TEST(Canonical, DependsOnListAndMap) {
    Node doc = canonical(service("    depends_on: [db, redis]\n"));
    expect_yaml(*svc(doc).find("depends_on"),
                "db: {condition: service_started, required: true}\n"
                "redis: {condition: service_started, required: true}\n");
    doc = canonical(service("    depends_on:\n      db:\n        condition: service_healthy\n"));
    expect_yaml(*svc(doc).find("depends_on"), "db: {condition: service_healthy, required: true}\n");
}

TEST(Canonical, EnvFileAndLabelFile) {
    Node doc = canonical(service("    env_file: .env\n    label_file: a.label\n"));
    expect_yaml(*svc(doc).find("env_file"), "- {path: .env, required: true}\n");
    expect_yaml(*svc(doc).find("label_file"), "- a.label\n");
    doc = canonical(
        service("    env_file:\n      - a.env\n      - path: b.env\n        required: false\n"
                "      - path: c.env\n        format: raw\n"));
    expect_yaml(*svc(doc).find("env_file"),
                "- {path: a.env, required: true}\n- {path: b.env, required: false}\n"
                "- {path: c.env, format: raw, required: true}\n");
}

TEST(Canonical, ExtendsNetworksSecretsConfigs) {
    Node doc =
        canonical(service("    extends: base\n    networks: [front, back]\n"
                          "    secrets: [s1]\n    configs: [c1]\n"));
    expect_yaml(*svc(doc).find("extends"), "service: base\n");
    expect_yaml(*svc(doc).find("networks"), "front: null\nback: null\n");
    expect_yaml(*svc(doc).find("secrets"), "- {source: s1, target: /run/secrets/s1}\n");
    expect_yaml(*svc(doc).find("configs"), "- {source: c1}\n");
}

TEST(Canonical, DevicesShortSyntax) {
    Node doc = canonical(service("    devices: [/dev/a, '/dev/b:/dev/c', '/dev/d:/dev/e:r']\n"));
    expect_yaml(*svc(doc).find("devices"),
                "- {source: /dev/a, target: /dev/a, permissions: rwm}\n"
                "- {source: /dev/b, target: /dev/c, permissions: rwm}\n"
                "- {source: /dev/d, target: /dev/e, permissions: r}\n");
    EXPECT_NE(error_of(service("    devices: ['a:b:c:d']\n")).find("confusing device mapping"),
              std::string::npos);
}

TEST(Canonical, PortsExpandWithDefaults) {
    Node doc =
        canonical(service("    ports:\n      - 3000\n      - '127.0.0.1:8080:80/udp'\n"
                          "      - target: 80\n        published: 8080\n"));
    expect_yaml(
        *svc(doc).find("ports"),
        "- {mode: ingress, target: 3000, protocol: tcp}\n"
        "- {mode: ingress, host_ip: 127.0.0.1, target: 80, published: '8080', protocol: udp}\n"
        "- {target: 80, published: 8080, protocol: tcp, mode: ingress}\n");
    EXPECT_EQ(error_of(service("    ports: ['127.0.1:8080:80']\n")),
              "compose.yaml:3:13: services.foo.ports.0: invalid port \"127.0.1:8080:80\": Invalid "
              "ip address: 127.0.1");
}

TEST(Canonical, VolumesShortSyntax) {
    Node doc =
        canonical(service("    volumes:\n      - /anon\n      - ./src:/code/:ro,z\n"
                          "      - data:/data:nocopy\n      - type: bind\n        source: /x\n"
                          "        target: /y\n        bind: {propagation: shared}\n"));
    expect_yaml(*svc(doc).find("volumes"),
                "- {type: volume, target: /anon, volume: {}}\n"
                "- {type: bind, source: ./src, target: /code, read_only: true,"
                "   bind: {selinux: z, create_host_path: true}}\n"
                "- {type: volume, source: data, target: /data, volume: {nocopy: true}}\n"
                "- {type: bind, source: /x, target: /y, bind: {propagation: shared, "
                "create_host_path: true}}\n");
    EXPECT_EQ(
        error_of(service("    volumes: ['/foo:/foo:ro:foo']\n")),
        "compose.yaml:3:15: services.foo.volumes: invalid spec: /foo:/foo:ro:foo: too many colons");
}

TEST(Canonical, StringOrListAttributes) {
    Node doc =
        canonical(service("    dns: 8.8.8.8\n    dns_search: example.com\n    tmpfs: /run\n"));
    expect_yaml(*svc(doc).find("dns"), "- 8.8.8.8\n");
    expect_yaml(*svc(doc).find("dns_search"), "- example.com\n");
    expect_yaml(*svc(doc).find("tmpfs"), "- /run\n");
}

TEST(Canonical, GpusAndDeviceRequests) {
    Node doc =
        canonical(service("    gpus: all\n    deploy:\n      resources:\n        reservations:\n"
                          "          devices:\n            - capabilities: [gpu]\n"));
    expect_yaml(*svc(doc).find("gpus"), "- {count: all}\n");
    expect_yaml(*svc(doc).find("deploy")->find("resources")->find("reservations")->find("devices"),
                "- {capabilities: [gpu], count: all}\n");
}

TEST(Canonical, LegacyExternalName) {
    Node doc =
        canonical("volumes:\n  v:\n    external:\n      name: real\n  w:\n    external: true\n");
    expect_yaml(*doc.find("volumes")->find("v"), "name: real\nexternal: true\n");
    expect_yaml(*doc.find("volumes")->find("w"), "external: true\n");
    EXPECT_EQ(error_of("networks:\n  n:\n    name: a\n    external:\n      name: b\n"),
              "compose.yaml:3:11: networks.n: name and external.name conflict; only use name");
    doc = canonical("secrets:\n  s:\n    name: a\n    external:\n      name: a\n");
    expect_yaml(*doc.find("secrets")->find("s"), "name: a\nexternal: true\n");
}

TEST(Canonical, IncludeStrings) {
    Node doc = canonical("include:\n  - other.yaml\n  - path: x.yaml\n");
    expect_yaml(*doc.find("include"), "- {path: other.yaml}\n- {path: x.yaml}\n");
}

TEST(Canonical, UlimitsMustBeIntOrMap) {
    EXPECT_NE(
        error_of(service("    ulimits:\n      nproc: lots\n")).find("services.foo.ulimits.nproc"),
        std::string::npos);
}

TEST(Canonical, DnsDropsEmptyEntries) {
    Node doc = canonical(service("    dns: ''\n"));
    EXPECT_TRUE(svc(doc).find("dns")->items.empty());
    doc = canonical(service("    dns: [8.8.8.8, '', null]\n"));
    expect_yaml(*svc(doc).find("dns"), "[8.8.8.8]\n");
}

TEST(Canonical, KeepUnparsedLeavesTemplatesAlone) {
    const std::string text = service(
        "    ports: ['${HOST_IP}:${HOST_PORT}:80', {target: 81}]\n    volumes: "
        "['${A}:${B}:${C}:${D}', /xy]\n"
        "    build:\n      context: .\n      additional_contexts: ['${CTX}']\n");
    Node doc = parse_one(text);
    canonicalize(doc, CanonicalOptions{.set_defaults = false, .keep_unparsed = true});
    expect_yaml(*svc(doc).find("ports"), "['${HOST_IP}:${HOST_PORT}:80', {target: 81}]\n");
    expect_yaml(*svc(doc).find("volumes"),
                "['${A}:${B}:${C}:${D}', {type: volume, target: /xy, volume: {}}]\n");
    expect_yaml(*svc(doc).find("build")->find("additional_contexts"), "['${CTX}']\n");
    EXPECT_NE(error_of(text).find("invalid value ${CTX}, expected key=value"), std::string::npos);
}

TEST(Canonical, DefaultsCanBeSetAfterMerging) {
    Node doc = parse_one(service("    build: .\n    ports: ['80']\n    secrets: [s]\n"));
    canonicalize(doc, CanonicalOptions{.set_defaults = false});
    EXPECT_EQ(svc(doc).find("secrets")->items[0].find("target"), nullptr);
    set_default_values(doc);
    EXPECT_EQ(svc(doc).find("secrets")->items[0].find("target")->text, "/run/secrets/s");
}

// The reference project: every per-value transformation between full-example.yml and what
// `docker compose config` prints for it.
TEST(FullExample, MatchesComposeOutput) {
    // compose works with the absolute, cleaned project directory.
    const std::string dir =
        std::filesystem::path(std::string(BERTH_CONFORMANCE_DIR) + "/compose-go/full-example")
            .lexically_normal();
    const std::string home = "/home/tester";
    auto slurp = [](const std::string& path) {
        std::ifstream in(path);
        std::stringstream ss;
        ss << in.rdbuf();
        return ss.str();
    };
    std::string expected_text = slurp(dir + "/expected-normalized.yaml");
    ASSERT_FALSE(expected_text.empty());
    for (auto [from, to] :
         {std::pair<std::string, std::string>{"/WORKDIR", dir}, {"/HOME", home}}) {
        for (std::size_t at = expected_text.find(from); at != std::string::npos;
             at = expected_text.find(from, at + to.size())) {
            expected_text.replace(at, from.size(), to);
        }
    }
    Node expected = parse_yaml(expected_text, "expected.yaml").at(0);
    Node doc = parse_yaml(slurp(dir + "/full-example.yml"), "full-example.yml").at(0);
    canonicalize(doc);
    resolve_paths(doc, dir, home);
    finalize_types(doc);

    // Each pass is idempotent: a loader may run them again on an already long-form document.
    Node again = doc;
    canonicalize(again);
    resolve_paths(again, dir, home);
    finalize_types(again);
    EXPECT_EQ(again, doc);

    const Node& foo = svc(doc);
    const Node& want = svc(expected);
    // environment and labels gain the contents of env_file / label_file in a later stage.
    const std::set<std::string> later = {"environment", "labels", "build"};
    for (const char* key : {"ports", "volumes", "deploy", "healthcheck", "command", "ulimits",
                            "extra_hosts", "secrets", "configs"}) {
        ASSERT_NE(foo.find(key), nullptr) << key;
    }
    ASSERT_EQ(foo.entries.size(), want.entries.size());
    for (const Entry& e : want.entries) {
        if (later.count(e.key)) continue;
        ASSERT_NE(foo.find(e.key), nullptr) << e.key;
        EXPECT_EQ(sorted(*foo.find(e.key)), sorted(e.value)) << e.key;
    }
    // build.tags holds ${COMPOSE_PROJECT_NAME}, which interpolation resolves, not this pass.
    Node build = *foo.find("build");
    Node want_build = *want.find("build");
    build.erase("tags");
    want_build.erase("tags");
    EXPECT_EQ(sorted(build), sorted(want_build)) << emit_yaml(build);
    EXPECT_EQ(sorted(svc(doc, "bar")), sorted(svc(expected, "bar"))) << emit_yaml(svc(doc, "bar"));
    for (const char* kind : {"networks", "volumes", "secrets", "configs"}) {
        EXPECT_EQ(sorted(*doc.find(kind)), sorted(*expected.find(kind)))
            << kind << ":\n"
            << emit_yaml(*doc.find(kind));
    }
}

// Files from the rejection corpus whose error comes from these passes.
TEST(InvalidCorpus, RejectedWithComposeMessages) {
    const std::string dir = std::string(BERTH_CONFORMANCE_DIR) + "/compose-go/invalid/";
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"TestLoadVolumeInvalidExternalNameAndNameCombination-1.yaml",
         "volumes.external_volume: name and external.name conflict; only use name"},
        {"TestLoadSecretInvalidExternalNameAndNameCombination-1.yaml",
         "secrets.external_secret: name and external.name conflict; only use name"},
        {"TestLoadNetworkInvalidExternalNameAndNameCombination-1.yaml",
         "networks.foo: name and external.name conflict; only use name"},
        {"TestLoadBindMountSourceMustNotBeEmpty-1.yaml",
         "invalid mount config for type \"bind\": field Source must not be empty"},
        {"TestServiceDeviceRequestCountInvalidStringType-1.yaml",
         "invalid value \"some_string\", the only value allowed is 'all' or a number"},
    };
    for (const auto& [file, message] : cases) {
        std::ifstream in(dir + file);
        std::stringstream text;
        text << in.rdbuf();
        ASSERT_FALSE(text.str().empty()) << file;
        std::string got;
        try {
            Node doc = parse_yaml(text.str(), file).at(0);
            canonicalize(doc);
            resolve_paths(doc, "/project", "/home/me");
            finalize_types(doc);
        } catch (const LoadError& e) {
            got = e.message();
        }
        EXPECT_EQ(got, message) << file;
    }
}
