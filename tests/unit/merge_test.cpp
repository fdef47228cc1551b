#include "compose/merge.hpp"

#include <gtest/gtest.h>

#include "compose/error.hpp"
#include "compose/yaml.hpp"

using namespace berth::compose;

namespace {

Node parse(const std::string& text, const std::string& file = "base.yaml") {
    auto docs = parse_yaml(text, file);
    return docs.empty() ? Node::null() : docs.front();
}

// Merges base.yaml and override.yaml, then removes duplicates as the loader does.
Node layer(const std::string& base, const std::string& over) {
    Node merged = merge(parse(base, "base.yaml"), parse(over, "override.yaml"));
    enforce_unicity(merged);
    return merged;
}

const Node& service(const Node& doc, const char* name = "web") {
    const Node* s = doc.find("services")->find(name);
    if (s == nullptr) throw std::runtime_error("no service");
    return *s;
}

std::vector<std::string> texts(const Node& seq) {
    std::vector<std::string> out;
    for (const Node& item : seq.items) out.push_back(item.text);
    return out;
}

std::vector<std::string> keys(const Node& map) {
    std::vector<std::string> out;
    for (const Entry& e : map.entries) out.push_back(e.key);
    return out;
}

bool has_tags(const Node& n) {
    if (!n.tag.empty()) return true;
    for (const Node& item : n.items) {
        if (has_tags(item)) return true;
    }
    for (const Entry& e : n.entries) {
        if (has_tags(e.value)) return true;
    }
    return false;
}

std::string error_of(const std::string& base, const std::string& over) {
    try {
        layer(base, over);
    } catch (const LoadError& e) {
        return e.what();
    }
    return "";
}

using Strings = std::vector<std::string>;

}  // namespace

TEST(Merge, LaterScalarWinsAndKeepsItsFileAndLine) {
    Node m = layer("services:\n  web:\n    image: a\n    user: root\n",
                   "services:\n  web:\n\n    image: b\n");
    const Node& image = *service(m).find("image");
    EXPECT_EQ(image.text, "b");
    EXPECT_EQ(image.mark.str(), "override.yaml:4:12");
    EXPECT_EQ(service(m).find("user")->mark.str(), "base.yaml:4:11");
}

TEST(Merge, MappingsMergeKeepingBaseOrderThenNewKeys) {
    Node m = layer("services:\n  web:\n    image: a\n    user: root\n",
                   "services:\n  web:\n    init: true\n    image: b\n  db:\n    image: pg\n");
    EXPECT_EQ(keys(service(m)), (Strings{"image", "user", "init"}));
    EXPECT_EQ(keys(*m.find("services")), (Strings{"web", "db"}));
}

TEST(Merge, NullOverrideKeepsTheBaseValue) {
    Node m = layer("services:\n  web:\n    image: a\n", "services:\n  web:\n    image:\n");
    EXPECT_EQ(service(m).find("image")->text, "a");
}

TEST(Merge, ScalarTypeComesFromTheWinningFile) {
    Node m = layer("services:\n  web:\n    scale: '1'\n", "services:\n  web:\n    scale: 2\n");
    EXPECT_EQ(service(m).find("scale")->type(), ScalarType::Int);
}

TEST(Merge, SequencesAppend) {
    Node m = layer("services:\n  web:\n    security_opt: [a]\n",
                   "services:\n  web:\n    security_opt: [b, a]\n");
    EXPECT_EQ(texts(*service(m).find("security_opt")), (Strings{"a", "b", "a"}));
}

TEST(Merge, CommandEntrypointAndHealthcheckTestAreReplaced) {
    Node m = layer(
        "services:\n  web:\n    command: [a, b]\n    entrypoint: [sh]\n"
        "    healthcheck:\n      test: [CMD, x]\n      retries: 3\n",
        "services:\n  web:\n    command: [c]\n    entrypoint: bash\n"
        "    healthcheck:\n      test: [CMD, y]\n");
    EXPECT_EQ(texts(*service(m).find("command")), (Strings{"c"}));
    EXPECT_EQ(service(m).find("entrypoint")->text, "bash");
    EXPECT_EQ(texts(*service(m).find("healthcheck")->find("test")), (Strings{"CMD", "y"}));
    EXPECT_EQ(service(m).find("healthcheck")->find("retries")->text, "3");
}

TEST(Merge, MappingFormBecomesSortedKeyValueList) {
    Node m = layer("services:\n  web:\n    environment:\n      B: 1\n      A: x\n",
                   "services:\n  web:\n    environment:\n      - C=3\n      - A=y\n");
    EXPECT_EQ(texts(*service(m).find("environment")), (Strings{"A=y", "B=1", "C=3"}));
}

TEST(Merge, KeyValueListsFormatValuesLikeGo) {
    Node m = layer("services:\n  web:\n    labels:\n      a: 0x10\n      b: 1.50\n      c: True\n",
                   "services:\n  web:\n    labels:\n      d: 1e21\n      e: 0.00001\n      f: ~\n"
                   "      g: 100000000000000000000.0\n");
    EXPECT_EQ(
        texts(*service(m).find("labels")),
        (Strings{"a=16", "b=1.5", "c=true", "d=1e+21", "e=1e-05", "f", "g=100000000000000000000"}));
}

TEST(Merge, KeyValueEntryPointsAtTheValueThatMadeIt) {
    Node m = layer("services:\n  web:\n    environment:\n      A: x\n",
                   "services:\n  web:\n    environment:\n      B: y\n");
    const Node& env = *service(m).find("environment");
    EXPECT_EQ(env.items[0].mark.file->c_str(), std::string("base.yaml"));
    EXPECT_EQ(env.items[1].mark.str(), "override.yaml:4:10");
    EXPECT_EQ(env.items[1].type(), ScalarType::String);
}

TEST(Merge, AttributeOnlyInOneFileKeepsItsForm) {
    Node m = layer("services:\n  web:\n    image: a\n",
                   "services:\n  web:\n    environment:\n      A: x\n");
    EXPECT_TRUE(service(m).find("environment")->is_map());
}

TEST(Merge, ExtraHostsSkipRepeatsOfBaseEntries) {
    Node m = layer(
        "services:\n  web:\n    extra_hosts:\n      - a=1.1.1.1\n",
        "services:\n  web:\n    extra_hosts:\n      b: 2.2.2.2\n      a: [1.1.1.1, 3.3.3.3]\n");
    EXPECT_EQ(texts(*service(m).find("extra_hosts")),
              (Strings{"a=1.1.1.1", "a=3.3.3.3", "b=2.2.2.2"}));
}

TEST(Merge, DependsOnListBecomesMappingWithDefaults) {
    Node m = layer(
        "services:\n  web:\n    depends_on: [db, cache]\n",
        "services:\n  web:\n    depends_on:\n      db:\n        condition: service_healthy\n");
    const Node& deps = *service(m).find("depends_on");
    EXPECT_EQ(keys(deps), (Strings{"db", "cache"}));
    EXPECT_EQ(deps.find("db")->find("condition")->text, "service_healthy");
    EXPECT_EQ(*deps.find("db")->find("required")->as_bool(), true);
    EXPECT_EQ(deps.find("cache")->find("condition")->text, "service_started");
}

TEST(Merge, NetworksListBecomesMapping) {
    Node m = layer("services:\n  web:\n    networks: [front]\n",
                   "services:\n  web:\n    networks:\n      back:\n        aliases: [api]\n");
    const Node& nets = *service(m).find("networks");
    EXPECT_EQ(keys(nets), (Strings{"front", "back"}));
    EXPECT_TRUE(nets.find("front")->is_null());
}

TEST(Merge, BuildShortFormMergesWithLongForm) {
    Node m = layer("services:\n  web:\n    build: ./app\n",
                   "services:\n  web:\n    build:\n      dockerfile: Dockerfile.dev\n");
    const Node& build = *service(m).find("build");
    EXPECT_EQ(build.find("context")->text, "./app");
    EXPECT_EQ(build.find("dockerfile")->text, "Dockerfile.dev");

    Node s = layer("services:\n  web:\n    build: ./a\n", "services:\n  web:\n    build: ./b\n");
    EXPECT_EQ(service(s).find("build")->find("context")->text, "./b");
}

TEST(Merge, LoggingOptionsMergeOnlyForTheSameDriver) {
    const std::string base =
        "services:\n  web:\n    logging:\n      driver: local\n      options:\n        max-size: "
        "1m\n";
    Node same =
        layer(base, "services:\n  web:\n    logging:\n      options:\n        max-file: 3\n");
    EXPECT_EQ(keys(*service(same).find("logging")->find("options")),
              (Strings{"max-size", "max-file"}));
    Node other = layer(base,
                       "services:\n  web:\n    logging:\n      driver: syslog\n      options:\n"
                       "        tag: x\n");
    EXPECT_EQ(keys(*service(other).find("logging")->find("options")), (Strings{"tag"}));
}

TEST(Merge, EachUlimitIsReplacedWhole) {
    Node m =
        layer("services:\n  web:\n    ulimits:\n      nofile: {soft: 1, hard: 2}\n      nproc: 5\n",
              "services:\n  web:\n    ulimits:\n      nofile: {soft: 3}\n");
    const Node& ul = *service(m).find("ulimits");
    EXPECT_EQ(keys(*ul.find("nofile")), (Strings{"soft"}));
    EXPECT_EQ(ul.find("nproc")->text, "5");
}

TEST(Merge, IpamConfigMergesBySubnet) {
    const std::string base =
        "networks:\n  n:\n    ipam:\n      config:\n        - subnet: 10.0.0.0/24\n"
        "          gateway: 10.0.0.1\n";
    Node m = layer(base,
                   "networks:\n  n:\n    ipam:\n      config:\n        - subnet: 10.1.0.0/24\n"
                   "        - subnet: 10.0.0.0/24\n          ip_range: 10.0.0.128/25\n");
    const Node& config = *m.find("networks")->find("n")->find("ipam")->find("config");
    ASSERT_EQ(config.items.size(), 2u);
    EXPECT_EQ(config.items[0].find("subnet")->text, "10.1.0.0/24");
    EXPECT_EQ(config.items[1].find("gateway")->text, "10.0.0.1");
    EXPECT_EQ(config.items[1].find("ip_range")->text, "10.0.0.128/25");
}

TEST(Merge, ResetRemovesTheAttribute) {
    Node m = layer("services:\n  web:\n    image: a\n    ports: ['80:80']\n    command: x\n",
                   "services:\n  web:\n    ports: !reset []\n    command: !reset\n");
    EXPECT_EQ(keys(service(m)), (Strings{"image"}));
    EXPECT_FALSE(has_tags(m));
}

TEST(Merge, ResetOfOneVariableInMappingForm) {
    Node m = layer("services:\n  web:\n    environment:\n      A: 1\n      B: 2\n",
                   "services:\n  web:\n    environment:\n      A: !reset\n      C: 3\n");
    EXPECT_EQ(texts(*service(m).find("environment")), (Strings{"B=2", "C=3"}));
}

TEST(Merge, ResetOfAServiceAndOfAListItem) {
    Node m = layer("services:\n  web:\n    image: a\n    dns: [1.1.1.1]\n  db:\n    image: b\n",
                   "services:\n  db: !reset\n  web:\n    dns: [!reset 8.8.8.8, 9.9.9.9]\n");
    EXPECT_EQ(keys(*m.find("services")), (Strings{"web"}));
    EXPECT_EQ(texts(*service(m).find("dns")), (Strings{"1.1.1.1", "9.9.9.9"}));
}

TEST(Merge, OverrideReplacesWithoutMergeRules) {
    Node m = layer(
        "services:\n  web:\n    ports: ['80:80']\n    environment:\n      A: 1\n"
        "    build: ./app\n",
        "services:\n  web:\n    ports: !override ['8080:80']\n    environment: !override\n      B: "
        "2\n"
        "    build: !override\n      dockerfile: D\n");
    EXPECT_EQ(texts(*service(m).find("ports")), (Strings{"8080:80"}));
    EXPECT_EQ(keys(*service(m).find("environment")), (Strings{"B"}));
    EXPECT_EQ(keys(*service(m).find("build")), (Strings{"dockerfile"}));
    EXPECT_FALSE(has_tags(m));
}

TEST(Merge, OverrideOfAnAttributeTheBaseLacks) {
    Node m = layer("services:\n  web:\n    image: a\n",
                   "services:\n  web:\n    ports: !override ['1:1']\n");
    EXPECT_EQ(texts(*service(m).find("ports")), (Strings{"1:1"}));
    EXPECT_FALSE(has_tags(m));
}

TEST(Merge, ThreeFilesInOrder) {
    Node a = parse("services:\n  web:\n    image: a\n    environment: [X=1]\n", "a.yaml");
    Node b = parse("services:\n  web:\n    image: b\n    environment: {Y: 2}\n", "b.yaml");
    Node c = parse("services:\n  web:\n    environment: [X=3]\n", "c.yaml");
    Node m = merge(merge(a, b), c);
    enforce_unicity(m);
    EXPECT_EQ(service(m).find("image")->mark.file->c_str(), std::string("b.yaml"));
    EXPECT_EQ(texts(*service(m).find("environment")), (Strings{"X=3", "Y=2"}));
}

TEST(Merge, EmptyFilesOnEitherSide) {
    Node base = parse("services:\n  web:\n    image: a\n");
    EXPECT_EQ(merge(base, Node::null()), base);
    EXPECT_EQ(merge(Node::null(), base), base);
}

TEST(Merge, MappingCannotBeReplacedByAString) {
    std::string err =
        error_of("services:\n  web:\n    build:\n      context: .\n    healthcheck: {}\n",
                 "services:\n  web:\n    healthcheck: yes\n");
    EXPECT_NE(err.find("override.yaml:3:18"), std::string::npos) << err;
    EXPECT_NE(err.find("cannot override services.web.healthcheck"), std::string::npos) << err;
}

TEST(Merge, SequenceCannotBeReplacedByAMapping) {
    std::string err = error_of("services:\n  web:\n    cap_add: [A]\n",
                               "services:\n  web:\n    cap_add: {A: 1}\n");
    EXPECT_NE(err.find("cannot override services.web.cap_add"), std::string::npos) << err;
}

TEST(ApplyResetTags, LoneFileDropsResetAndKeepsOverride) {
    Node doc = parse(
        "services:\n  web:\n    image: a\n    ports: !reset ['1:1']\n    dns: [!reset x, y]\n"
        "    command: !override [sh]\n");
    apply_reset_tags(doc);
    EXPECT_EQ(keys(service(doc)), (Strings{"image", "dns", "command"}));
    EXPECT_EQ(texts(*service(doc).find("dns")), (Strings{"y"}));
    EXPECT_FALSE(has_tags(doc));
}

TEST(Unicity, LaterEntryReplacesEarlierInPlace) {
    Node m = layer("services:\n  web:\n    environment: [A=1, B=2]\n    ports: ['80:80', 443]\n",
                   "services:\n  web:\n    environment: [C=3, A=9]\n    ports: [443, '80:80']\n");
    EXPECT_EQ(texts(*service(m).find("environment")), (Strings{"A=9", "B=2", "C=3"}));
    EXPECT_EQ(texts(*service(m).find("ports")), (Strings{"80:80", "443"}));
    EXPECT_EQ(service(m).find("environment")->items[0].mark.file->c_str(),
              std::string("override.yaml"));
}

TEST(Unicity, VolumesAreKeyedByTarget) {
    Node m = layer("services:\n  web:\n    volumes:\n      - data:/data\n      - ./src:/app:ro\n",
                   "services:\n  web:\n    volumes:\n      - type: volume\n        source: other\n"
                   "        target: /data\n      - logs:/logs\n");
    const Node& vols = *service(m).find("volumes");
    ASSERT_EQ(vols.items.size(), 3u);
    EXPECT_EQ(vols.items[0].find("source")->text, "other");
    EXPECT_EQ(vols.items[1].text, "./src:/app:ro");
}

TEST(Unicity, SecretsPortsDevicesEnvFiles) {
    Node m = layer(
        "services:\n  web:\n    secrets: [s1]\n    ports: [{target: 80, published: 8080}]\n"
        "    devices: ['/dev/a:/dev/x']\n    env_file: [a.env]\n",
        "services:\n  web:\n    secrets: [{source: s2, target: /run/secrets/s1}]\n"
        "    ports: [{target: 80, published: 8080, protocol: tcp}]\n    devices: "
        "['/dev/b:/dev/x:r']\n"
        "    env_file: [{path: a.env, required: false}]\n");
    const Node& web = service(m);
    ASSERT_EQ(web.find("secrets")->items.size(), 1u);
    EXPECT_EQ(web.find("secrets")->items[0].find("source")->text, "s2");
    ASSERT_EQ(web.find("ports")->items.size(), 1u);
    EXPECT_NE(web.find("ports")->items[0].find("protocol"), nullptr);
    EXPECT_EQ(texts(*web.find("devices")), (Strings{"/dev/b:/dev/x:r"}));
    ASSERT_EQ(web.find("env_file")->items.size(), 1u);
    EXPECT_TRUE(web.find("env_file")->items[0].is_map());
}

TEST(Unicity, ListsWithoutAKeyAreLeftAlone) {
    Node doc = parse("services:\n  web:\n    security_opt: [a, a]\n    dns: [x, x]\n");
    enforce_unicity(doc);
    EXPECT_EQ(texts(*service(doc).find("security_opt")), (Strings{"a", "a"}));
    EXPECT_EQ(texts(*service(doc).find("dns")), (Strings{"x"}));
}

TEST(Unicity, VolumeWithoutTargetIsAnError) {
    Node doc = parse("services:\n  web:\n    volumes:\n      - type: tmpfs\n");
    try {
        enforce_unicity(doc);
        FAIL() << "no error";
    } catch (const LoadError& e) {
        EXPECT_EQ(
            std::string(e.what()),
            "base.yaml:4:9: service volume services.web.volumes[0] is missing a mount target");
    }
}

TEST(Unicity, InvalidShortVolumeIsAnError) {
    Node doc = parse("services:\n  web:\n    volumes: ['data::/b']\n");
    EXPECT_THROW(enforce_unicity(doc), LoadError);
    Node ok = parse("services:\n  web:\n    volumes: ['${SRC:-.}:/app', 'C:\\x:/y']\n");
    EXPECT_NO_THROW(enforce_unicity(ok));
}

TEST(Unicity, EnvironmentKeyedByName) {
    Node doc = parse(
        "services:\n  web:\n    environment:\n      - FOO=BAR\n      - BAR=QIX\n      - QIX=\n"
        "      - ZOT\n      - FOO=ZOT\n      - QIX\n      - ZOT=\n");
    enforce_unicity(doc);
    EXPECT_EQ(texts(*service(doc).find("environment")),
              (Strings{"FOO=ZOT", "BAR=QIX", "QIX", "ZOT="}));
}

TEST(Unicity, ShortPortsKeyedByText) {
    Node doc = parse(
        "services:\n  web:\n    ports: ['9080:80', '9081:81', '9080:80', '5000', '6060:6060/udp',"
        " '9080:6060/udp']\n");
    enforce_unicity(doc);
    EXPECT_EQ(texts(*service(doc).find("ports")),
              (Strings{"9080:80", "9081:81", "5000", "6060:6060/udp", "9080:6060/udp"}));
}

TEST(Unicity, LongPortsKeyedByHostPublishedTargetProtocol) {
    Node doc = parse(
        "services:\n  web:\n    ports:\n"
        "      - {target: 80, host_ip: 127.0.0.1, published: '8080', protocol: tcp, mode: host}\n"
        "      - {target: 81, published: '8080', protocol: tcp}\n"
        "      - {target: 80, host_ip: 127.0.0.2, published: '8080', protocol: tcp}\n"
        "      - {target: 81, published: '8080'}\n");
    enforce_unicity(doc);
    const Node& ports = *service(doc).find("ports");
    ASSERT_EQ(ports.items.size(), 3u);
    EXPECT_EQ(ports.items[1].find("protocol"), nullptr);  // the later entry took the place
}

TEST(Unicity, ShortVolumeTargets) {
    Node doc =
        parse("services:\n  web:\n    volumes: ['.:/foo', 'foo:/bar', 'src:/foo', '/tmp']\n");
    enforce_unicity(doc);
    EXPECT_EQ(texts(*service(doc).find("volumes")), (Strings{"src:/foo", "foo:/bar", "/tmp"}));
}

TEST(MergeService, UsesServiceRules) {
    Node base =
        parse("image: a\ncommand: [x, y]\nenvironment: {A: 1}\nports: ['80:80']\n", "base.yaml");
    Node ext = parse("command: [z]\nenvironment: [B=2]\nports: !override ['81:81']\n", "ext.yaml");
    Node m = merge_service(base, ext);
    EXPECT_EQ(texts(*m.find("command")), (Strings{"z"}));
    EXPECT_EQ(texts(*m.find("environment")), (Strings{"A=1", "B=2"}));
    EXPECT_EQ(texts(*m.find("ports")), (Strings{"81:81"}));
    EXPECT_EQ(m.find("image")->text, "a");
    EXPECT_FALSE(has_tags(m));
}

TEST(Merge, ConflictMessageNamesBothKinds) {
    std::string err = error_of("services:\n  web:\n    ulimits: {nproc: 1}\n    networks_x: [a]\n",
                               "services:\n  web:\n    networks_x: 3\n");
    EXPECT_NE(err.find("an earlier file has an array there, this one an integer"),
              std::string::npos)
        << err;
}
