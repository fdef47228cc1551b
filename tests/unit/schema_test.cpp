#include "compose/schema.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "common/fs.hpp"
#include "compose/error.hpp"
#include "compose/yaml.hpp"

using namespace berth::compose;
namespace fs = std::filesystem;

namespace {

std::string corpus(const std::string& rel) {
    return std::string(BERTH_CONFORMANCE_DIR) + "/" + rel;
}

std::string text_of(const std::string& path) {
    auto text = berth::read_file(path);
    if (!text) throw std::runtime_error(text.error().message());
    return *text;
}

Node parse_one(const std::string& text, const std::string& name = "t.yaml") {
    auto docs = parse_yaml(text, name);
    return docs.empty() ? Node::null() : docs.front();
}

// The full message ("file:line:col: message") of what the key and schema checks throw, or "".
std::string error_of(const Node& doc) {
    try {
        check_string_keys(doc);
        validate_schema(doc);
    } catch (const LoadError& e) {
        return e.what();
    }
    return "";
}

std::string error_of(const std::string& text) {
    return error_of(parse_one(text));
}

void reverse_mappings(Node& n) {
    std::reverse(n.entries.begin(), n.entries.end());
    for (auto& e : n.entries) reverse_mappings(e.value);
    for (auto& item : n.items) reverse_mappings(item);
}

}  // namespace

// --- documents that must pass -------------------------------------------------------------

TEST(Schema, FullExampleValidates) {
    std::string path = corpus("compose-go/full-example/full-example.yml");
    EXPECT_EQ(error_of(parse_one(text_of(path), path)), "");
}

TEST(Schema, ArcheryValidates) {
    std::string path = corpus("archery/docker-compose.yml");
    EXPECT_EQ(error_of(parse_one(text_of(path), path)), "");
}

// Every compose file of docker compose's own end-to-end tests, as written (no interpolation).
TEST(Schema, DockerComposeE2eTestdataValidates) {
    std::vector<fs::path> files;
    for (const auto& entry :
         fs::recursive_directory_iterator(corpus("docker-compose-e2e/testdata"))) {
        std::string name = entry.path().filename().string();
        bool yaml = name.ends_with(".yaml") || name.ends_with(".yml");
        if (entry.is_regular_file() && name.starts_with("compose") && yaml)
            files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    int parsed = 0, valid = 0;
    std::vector<std::string> failures;
    for (const auto& file : files) {
        std::vector<Node> docs;
        try {
            docs = parse_yaml(text_of(file.string()), file.string());
        } catch (const LoadError&) {
            continue;  // not YAML we read; the YAML tests cover those
        }
        ++parsed;
        bool ok = true;
        for (const Node& doc : docs) {
            std::string err = error_of(doc);
            if (!err.empty()) {
                failures.push_back(err);
                ok = false;
                break;
            }
        }
        valid += ok ? 1 : 0;
    }
    std::cout << "[schema] e2e testdata: " << files.size() << " files, " << parsed << " parse, "
              << valid << " validate\n";
    for (const auto& f : failures) std::cout << "  FAIL " << f << "\n";
    EXPECT_GT(parsed, 100);
    EXPECT_EQ(valid, parsed);
}

TEST(Schema, ShortAndLongSyntaxesPass) {
    EXPECT_EQ(error_of(R"(
services:
  web:
    image: nginx
    build: .
    command: echo hi
    entrypoint: [sh, -c]
    environment: [A=1, B]
    labels: {a: 1, b: true, c: null, d: text}
    ports: [80, "8080:80", {target: 443, published: "8443", x-note: ok}]
    volumes: [./data:/data, {type: tmpfs, target: /tmp, tmpfs: {size: 1000}}]
    depends_on: [db]
    networks: [front]
    extra_hosts: {somehost: 1.2.3.4, multi: [1.2.3.4, "::1"]}
    ulimits: {nofile: {soft: 1, hard: 2}, nproc: 10}
    healthcheck: {test: [CMD, "true"], interval: 10s, retries: 3}
    deploy: ~
    develop:
    dns: 8.8.8.8
    env_file: [{path: a.env, required: false}, b.env]
    gpus: all
    x-anything: {whatever: [1, 2]}
  db:
    image: postgres
    depends_on: {web: {condition: service_healthy, required: false, x-why: because}}
    networks: {front: {aliases: [d]}, back: null}
    cpus: "${CPUS}"
    mem_limit: 1g
    privileged: "${PRIV:-false}"
networks: {front: {}, back: ~, ext: {external: true}, old: {external: {name: x}}}
volumes: {data: ~}
secrets: {s: {file: ./s}}
configs: {c: {content: hi}}
models: {m: {model: ai/smollm2}}
include: [other.yaml, {path: [a.yaml, b.yaml]}]
version: "3.9"
name: demo
x-top: 1
)"),
              "");
}

TEST(Schema, ResetValuesAreSkipped) {
    EXPECT_EQ(
        error_of("services:\n  web:\n    image: x\n    ports: !reset\n    build: !reset {}\n"), "");
}

// --- compose-go's rejection cases ---------------------------------------------------------------

// The cases of invalid/INDEX.yaml whose expected error comes from the key or schema checks.
TEST(Schema, ComposeGoInvalidCases) {
    const std::vector<std::string> schema_cases = {
        "TestNonStringKeys-1.yaml",
        "TestNonStringKeys-2.yaml",
        "TestNonStringKeys-3.yaml",
        "TestNonStringKeys-4.yaml",
        "TestNonMappingObject-1.yaml",
        "TestNonMappingObject-2.yaml",
        "TestNonMappingObject-3.yaml",
        "TestNonMappingObject-4.yaml",
        "TestNonMappingObject-5.yaml",
        "TestNonMappingObject-6.yaml",
        "TestNonStringImage-1.yaml",
        "TestInvalidEnvironmentValue-1.yaml",
        "TestInvalidEnvironmentObject-1.yaml",
        "TestInvalidResource-1.yaml",
        "TestLoadTmpfsVolumeAdditionalPropertyNotAllowed-1.yaml",
        "TestLoadTmpfsVolumeSizeMustBeGTEQZero-1.yaml",
        "TestLoadTmpfsVolumeSizeMustBeInteger-1.yaml",
        "TestServiceDeviceRequestCapabilitiesMandatory-1.yaml",
        "TestLoadSSHWithoutValueInBuildConfig-1.yaml",
        "TestInvalidProjectNameType-1.yaml",
        "TestBadDevelopConfig-1.yaml",
        "TestDevelopMissingAction-1.yaml",
        "TestEnvironmentInvalidValue-1.yaml",
        "TestEnvironmentInvalidObject-1.yaml",
        "TestInvalidTopLevelObjectType-1.yaml",
        "TestInvalidTopLevelObjectType-2.yaml",
        "TestInvalidTopLevelObjectType-3.yaml",
        "docker-compose-wrongField.yaml",
    };
    Node index = parse_one(text_of(corpus("compose-go/invalid/INDEX.yaml")));
    int checked = 0;
    for (const Node& c : index.find("cases")->items) {
        std::string file = c.find("file")->text;
        std::string name = file.substr(file.find('/') + 1);
        if (std::find(schema_cases.begin(), schema_cases.end(), name) == schema_cases.end())
            continue;
        const Node* want = c.find("expect_error_contains");
        ASSERT_NE(want, nullptr) << name;
        std::string expected = want->text;
        // compose-go prefixes the file it validated; our errors lead with file:line:col instead.
        std::string shown_as = name;
        if (expected.rfind("validating ", 0) == 0) {
            shown_as = expected.substr(11, expected.find(':') - 11);
            expected = expected.substr(expected.find(": ") + 2);
        }
        std::string err = error_of(parse_one(text_of(corpus("compose-go/" + file)), shown_as));
        EXPECT_NE(err.find(expected), std::string::npos)
            << name << ": got \"" << err << "\", want \"" << expected << "\"";
        EXPECT_EQ(err.rfind(shown_as + ":", 0), 0u) << name << ": " << err;
        ++checked;
    }
    EXPECT_EQ(checked, static_cast<int>(schema_cases.size()));
}

// These are rejected by later stages (consistency checks, extends, interpolation, the mount
// parser); the schema itself lets them through, as compose-go's does.
TEST(Schema, LaterStageCasesPassTheSchema) {
    for (const char* name : {
             "TestInvalidExternalAndDriverCombination-1.yaml",
             "TestInvalidExternalAndDirverOptsCombination-1.yaml",
             "TestInvalidExternalAndLabelsCombination-1.yaml",
             "TestLoadVolumeInvalidExternalNameAndNameCombination-1.yaml",
             "TestLoadSecretInvalidExternalNameAndNameCombination-1.yaml",
             "TestLoadNetworkInvalidExternalNameAndNameCombination-1.yaml",
             "TestLoadBindMountSourceMustNotBeEmpty-1.yaml",
             "TestServiceDeviceRequestCountInvalidStringType-1.yaml",
             "TestServiceDeviceRequestCountAndDeviceIdsExclusive-1.yaml",
             "TestBadServiceConfig-1.yaml",
             "TestLoadEmptyContent_MissingProject-1.yaml",
             "TestWithSelectedServicesOption_SkipsMissingEnvFile-1.yaml",
             "TestLoadWithResourcesCycle-1.yaml",
             "interp-required-missing.yaml",
         }) {
        std::string path = corpus(std::string("compose-go/invalid/") + name);
        EXPECT_EQ(error_of(parse_one(text_of(path), path)), "") << name;
    }
}

// --- wording and positions ----------------------------------------------------------------------

TEST(Schema, ErrorsNameFileLineAndColumn) {
    EXPECT_EQ(error_of("services:\n  foo:\n    image: [a, b]\n"),
              "t.yaml:3:12: services.foo.image must be a string");
    EXPECT_EQ(error_of("services:\n  foo:\n    image: x\n    wrongField: 1\n"),
              "t.yaml:4:5: services.foo additional properties 'wrongField' not allowed");
    EXPECT_EQ(error_of("name: x\nimpossible: 1\n"),
              "t.yaml:2:1: additional properties 'impossible' not allowed");
    EXPECT_EQ(error_of("services:\n  s:\n    environment:\n      1: FOO\n"),
              "t.yaml:4:7: non-string key in services.s.environment: 1");
    EXPECT_EQ(error_of("true: 1\n"), "t.yaml:1:1: non-string key at top level: true");
    EXPECT_EQ(error_of("x-a:\n  - {1.5: a}\n"), "t.yaml:2:6: non-string key in x-a[0]: 1.5");
    // An empty value is shown at its key.
    EXPECT_EQ(error_of("services:\n  test:\n    build:\n      ssh:\n"),
              "t.yaml:4:7: services.test.build.ssh must be a mapping");
}

TEST(Schema, ReportsTheMostSpecificProblem) {
    // The object branch of depends_on goes deeper than the list branch.
    EXPECT_NE(error_of("services:\n  a:\n    depends_on: {b: {condition: up}}\n")
                  .find("services.a.depends_on.b.condition value must be one of 'service_started', "
                        "'service_healthy', 'service_completed_successfully'"),
              std::string::npos);
    EXPECT_NE(error_of("services:\n  a:\n    depends_on: {b: {required: true}}\n")
                  .find("services.a.depends_on.b missing property 'condition'"),
              std::string::npos);
    // Both branches fail at the same depth: the first one listed speaks.
    EXPECT_NE(
        error_of("services:\n  a:\n    build: 12\n").find("services.a.build must be a string"),
        std::string::npos);
    EXPECT_NE(error_of("services:\n  a:\n    ports: [{target: 80, foo: 1}]\n")
                  .find("services.a.ports.0 additional properties 'foo' not allowed"),
              std::string::npos);
}

TEST(Schema, TypeWordingFollowsComposeGo) {
    EXPECT_NE(error_of("services:\n  a:\n    init: 3\n")
                  .find("services.a.init must be a boolean or string"),
              std::string::npos);
    EXPECT_NE(error_of("networks:\n  n: 3\n").find("networks.n must be a mapping or null"),
              std::string::npos);
    EXPECT_NE(
        error_of("services:\n  a:\n    cpu_count: -1\n")
            .find("services.a.cpu_count must be a string"),
        std::string::npos);  // sic: both branches fail as deep, and the string one is listed first
    EXPECT_NE(
        error_of("services:\n  a:\n    volumes: [{type: tmpfs, target: /t, tmpfs: {size: -1}}]\n")
            .find("services.a.volumes.0.tmpfs.size must be greater than or equal to 0"),
        std::string::npos);
    EXPECT_NE(
        error_of("services:\n  a:\n    gpus: some\n").find("services.a.gpus value must be 'all'"),
        std::string::npos);
    EXPECT_NE(
        error_of("services:\n  a:\n    cgroup: 1\n").find("services.a.cgroup must be a string"),
        std::string::npos);
    EXPECT_NE(error_of("services:\n  a:\n    container_name: '-'\n")
                  .find("services.a.container_name '-' does not match pattern "
                        "'[a-zA-Z0-9][a-zA-Z0-9_.-]+'"),
              std::string::npos);
    EXPECT_NE(error_of("services:\n  a:\n    develop: {watch: [{target: /x}]}\n")
                  .find("services.a.develop.watch.0 missing properties 'path', 'action'"),
              std::string::npos);
    EXPECT_NE(
        error_of("services:\n  a:\n    extends: {file: b.yaml}\n")
            .find("services.a.extends must be a string"),  // a tie again: the string branch speaks
        std::string::npos);
    EXPECT_NE(error_of("secrets:\n  s:\n").find("secrets.s must be a mapping"), std::string::npos);
    EXPECT_NE(error_of("services:\n  'bad name':\n    image: x\n")
                  .find("services additional properties 'bad name' not allowed"),
              std::string::npos);
}

TEST(Schema, IntegersMayBeWrittenAsWholeFloats) {
    EXPECT_EQ(
        error_of("services:\n  a:\n    volumes: [{type: tmpfs, target: /t, tmpfs: {size: 1.0}}]\n"),
        "");
    EXPECT_NE(
        error_of("services:\n  a:\n    volumes: [{type: tmpfs, target: /t, tmpfs: {size: 1.5}}]\n")
            .find("services.a.volumes.0.tmpfs.size must be a integer"),
        std::string::npos);
}

TEST(Schema, StringsStandInForNumbersWhereTheSpecSaysSo) {
    // What ${VAR} produces is a string: fine where the spec takes "string or number"...
    EXPECT_EQ(error_of("services:\n  a:\n    scale: '3'\n    cpus: '0.5'\n    ports: ['80']\n"),
              "");
    // ...but not where it wants a number only.
    EXPECT_NE(error_of("services:\n  a:\n    networks: {n: {priority: '3'}}\n")
                  .find("services.a.networks.n.priority must be a number"),
              std::string::npos);
    EXPECT_NE(error_of("services:\n  a:\n    use_api_socket: 'true'\n").find("must be a boolean"),
              std::string::npos);
}

TEST(Schema, UniqueItemsExceptWhereMergingFoldsRepeats) {
    EXPECT_NE(error_of("services:\n  a:\n    security_opt: [x, y, x]\n")
                  .find("services.a.security_opt items at 0 and 2 are equal"),
              std::string::npos);
    EXPECT_EQ(error_of("services:\n  a:\n    environment: [A=1, A=1]\n    cap_add: [X, X]\n"), "");
}

// --- key order -----------------------------------------------------------------------------------

TEST(KeyOrder, RestoresDockerComposeConfigOrder) {
    std::string path = corpus("compose-go/full-example/expected-normalized.yaml");
    std::string expected = text_of(path);
    Node doc = parse_one(expected, path);
    reverse_mappings(doc);
    ASSERT_NE(emit_yaml(doc), expected);
    order_keys(doc);
    EXPECT_EQ(emit_yaml(doc), expected);
}

TEST(KeyOrder, ExtensionsAfterKnownKeysAndFreeMapsSorted) {
    Node doc = parse_one(
        "x-b: 1\nservices:\n  web:\n    x-z: 1\n    labels: {b: 1, a: 2}\n    image: i\n    build: "
        "{x-a: 1, "
        "context: .}\n    depends_on: {db: {required: true, restart: true, condition: "
        "service_started}}\n"
        "x-a: {z: 1, a: {d: 1, c: 2}}\nname: demo\n");
    order_keys(doc);
    EXPECT_EQ(emit_yaml(doc),
              "name: demo\nservices:\n  web:\n    build:\n      context: .\n      x-a: 1\n    "
              "depends_on:\n      db:\n"
              "        condition: service_started\n        restart: true\n        required: true\n "
              "   image: i\n"
              "    labels:\n      a: 2\n      b: 1\n    x-z: 1\nx-a:\n  a:\n    c: 2\n    d: 1\n  "
              "z: 1\nx-b: 1\n");
}

TEST(KeyOrder, SortsKeysAsGoYamlDoes) {
    EXPECT_TRUE(yaml_key_less("a2", "a10"));
    EXPECT_FALSE(yaml_key_less("a10", "a2"));
    EXPECT_TRUE(yaml_key_less("B", "a"));
    EXPECT_TRUE(yaml_key_less("A_B", "AB"));  // a non-letter before a letter...
    EXPECT_TRUE(yaml_key_less("1a", "1_"));   // ...unless digits came just before
    EXPECT_TRUE(yaml_key_less("ENV.WITH.DOT", "ENV_WITH_UNDERSCORE"));
    EXPECT_TRUE(yaml_key_less("x", "xa"));
    EXPECT_FALSE(yaml_key_less("x", "x"));
}
