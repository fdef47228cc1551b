#include <gtest/gtest.h>

#include <algorithm>

#include "compose/canonical.hpp"
#include "compose/error.hpp"
#include "compose/go_order.hpp"
#include "compose/yaml.hpp"
#include "compose_support.hpp"

using namespace berth::compose;

using namespace berth::test_support;

namespace {

Node finalized(const std::string& text) {
    Node doc = parse_one(text);
    canonicalize(doc);
    finalize_types(doc);
    return doc;
}

std::string error_of(const std::string& text) {
    try {
        finalized(text);
    } catch (const LoadError& e) {
        return e.what();
    }
    return "";
}

std::string service(const std::string& body) {
    return "services:\n  foo:\n" + body;
}

}  // namespace

TEST(Finalize, CommandsAndHealthcheck) {
    Node doc = finalized(
        service("    command: bundle exec thin -p 3000\n    entrypoint: [a, 1]\n"
                "    healthcheck:\n      test: echo \"hello world\"\n      interval: 60s\n"
                "      timeout: 1m30s\n      retries: '5'\n"));
    expect_yaml(*svc(doc).find("command"), "[bundle, exec, thin, '-p', '3000']\n");
    expect_yaml(*svc(doc).find("entrypoint"), "[a, '1']\n");
    expect_yaml(
        *svc(doc).find("healthcheck"),
        "test: [CMD-SHELL, echo \"hello world\"]\ninterval: 1m0s\ntimeout: 1m30s\nretries: 5\n");
    EXPECT_EQ(error_of(service("    command: echo 'oops\n")),
              "compose.yaml:3:14: invalid command line string");
}

TEST(Finalize, Ulimits) {
    Node doc = finalized(
        service("    ulimits:\n      nproc: 65535\n      nofile: {soft: 20000, hard: 40000}\n"
                "      core: {hard: 1}\n"));
    expect_yaml(*svc(doc).find("ulimits"),
                "core: {soft: 0, hard: 1}\nnofile: {soft: 20000, hard: 40000}\nnproc: 65535\n");
    EXPECT_EQ(svc(doc).find("ulimits")->entries.front().key, "core");
}

TEST(Finalize, ExtraHosts) {
    const char* expected = "- otherhost=50.31.209.229\n- somehost=162.242.195.82\n";
    Node doc = finalized(
        service("    extra_hosts: ['somehost:162.242.195.82', 'otherhost=50.31.209.229']\n"));
    expect_yaml(*svc(doc).find("extra_hosts"), expected);
    doc = finalized(service(
        "    extra_hosts:\n      somehost: 162.242.195.82\n      otherhost: 50.31.209.229\n"));
    expect_yaml(*svc(doc).find("extra_hosts"), expected);
    doc = finalized(
        service("    extra_hosts: ['host=::1', 'host:[::2]', 'multi=1.1.1.1,2.2.2.2']\n"));
    expect_yaml(*svc(doc).find("extra_hosts"),
                "- host=::1\n- host=::2\n- multi=1.1.1.1\n- multi=2.2.2.2\n");
    doc = finalized(service("    extra_hosts:\n      alpha: ['1.1.1.1', '2.2.2.2']\n"));
    expect_yaml(*svc(doc).find("extra_hosts"), "- alpha=1.1.1.1\n- alpha=2.2.2.2\n");
    EXPECT_NE(error_of(service("    extra_hosts: [nohost]\n"))
                  .find("invalid additional host, missing IP: nohost"),
              std::string::npos);
}

TEST(Finalize, MappingsBecomeStringMaps) {
    Node doc =
        finalized(service("    environment: [A=1, B, C=]\n    labels: [x=1, y]\n"
                          "    sysctls: {net.core.somaxconn: 1024}\n    annotations: [a=b]\n"
                          "    build:\n      context: .\n      args: {N: 1, M: null}\n"));
    expect_yaml(*svc(doc).find("environment"), "A: '1'\nB: null\nC: ''\n");
    expect_yaml(*svc(doc).find("labels"), "x: '1'\ny: ''\n");
    expect_yaml(*svc(doc).find("sysctls"), "net.core.somaxconn: '1024'\n");
    expect_yaml(*svc(doc).find("annotations"), "a: b\n");
    expect_yaml(*svc(doc).find("build")->find("args"), "M: null\nN: '1'\n");
    EXPECT_NE(
        error_of(service("    environment: ['A =1']\n")).find("declared with a trailing space"),
        std::string::npos);
}

TEST(Finalize, ValuesPrintAsGoPrintsThem) {
    Node doc = finalized(
        service("    environment: {A: 0755, B: 1.0, C: True, D: 1e20, E: 0x1F, F: 2.5e-7}\n"
                "    expose: [8000, '0755']\n    ulimits: {nproc: 0x10}\n"));
    expect_yaml(*svc(doc).find("environment"),
                "A: '493'\nB: '1'\nC: 'true'\nD: '100000000000000000000'\nE: '31'\nF: '2.5e-07'\n");
    expect_yaml(*svc(doc).find("expose"), "['8000', '0755']\n");
    EXPECT_EQ(svc(doc).find("ulimits")->find("nproc")->text, "16");
}

TEST(Finalize, SizesCpusAndOmittedZeros) {
    Node doc = finalized(
        service("    mem_limit: 1g\n    shm_size: 64m\n    memswap_limit: -1\n    cpus: '1.5'\n"
                "    privileged: false\n    tty: true\n    mem_reservation: 0\n"));
    const Node& s = svc(doc);
    expect_yaml(*s.find("mem_limit"), "'1073741824'\n");
    expect_yaml(*s.find("shm_size"), "'67108864'\n");
    expect_yaml(*s.find("memswap_limit"), "'-1'\n");
    expect_yaml(*s.find("cpus"), "1.5\n");
    EXPECT_EQ(s.find("privileged"), nullptr);
    EXPECT_EQ(s.find("mem_reservation"), nullptr);
    EXPECT_NE(s.find("tty"), nullptr);
    EXPECT_NE(error_of(service("    mem_limit: lots\n")).find("invalid size: 'lots'"),
              std::string::npos);
}

TEST(Finalize, SecretModesAndIds) {
    Node doc =
        finalized(service("    secrets:\n      - source: a\n        uid: 103\n        mode: 0440\n"
                          "      - source: b\n        mode: '755'\n"));
    expect_yaml(*svc(doc).find("secrets"),
                "- {source: a, target: /run/secrets/a, uid: '103', mode: '0440'}\n"
                "- {source: b, target: /run/secrets/b, mode: '0755'}\n");
}

TEST(Finalize, ResourcesPrintAsMaps) {
    Node doc =
        finalized("networks:\n  a:\n  b:\n    driver_opts: {baz: 1, foo: bar}\nvolumes:\n  v:\n");
    expect_yaml(*doc.find("networks"), "a: {}\nb: {driver_opts: {baz: '1', foo: bar}}\n");
    expect_yaml(*doc.find("volumes"), "v: {}\n");
    doc = finalized("services: {}\nnetworks:\nvolumes: {}\nsecrets: {s: {file: ./x}}\n");
    EXPECT_EQ(doc.find("networks"), nullptr);
    EXPECT_EQ(doc.find("volumes"), nullptr);
    EXPECT_NE(doc.find("secrets"), nullptr);
}

TEST(Finalize, Float32Format) {
    for (auto [in, out] : std::vector<std::pair<const char*, const char*>>{{"'0.001'", "0.001"},
                                                                           {"'0.0001'", "0.0001"},
                                                                           {"0.00001", "1e-05"},
                                                                           {"2", "2"},
                                                                           {"'0.5'", "0.5"},
                                                                           {"1000000", "1e+06"},
                                                                           {"123456", "123456"},
                                                                           {"0.3", "0.3"}}) {
        Node doc = finalized(service(std::string("    cpus: ") + in + "\n"));
        EXPECT_EQ(svc(doc).find("cpus")->text, out) << in;
    }
}

// Vectors from compose-go's loader tests (loader/tests/*_test.go).

TEST(FinalizeVectors, Healthcheck) {
    Node doc = finalized(
        service("    healthcheck:\n      test: echo \"hello world\"\n      interval: 10s\n"
                "      timeout: 1s\n      retries: 5\n      start_period: 15s\n      "
                "start_interval: 5s\n"));
    expect_yaml(*svc(doc).find("healthcheck"),
                "test: [CMD-SHELL, echo \"hello world\"]\ninterval: 10s\ntimeout: 1s\nretries: 5\n"
                "start_period: 15s\nstart_interval: 5s\n");
}

TEST(FinalizeVectors, BlkioConfig) {
    Node doc =
        finalized(service("    blkio_config:\n      weight: 300\n      weight_device:\n        - "
                          "{path: /dev/sda, weight: 400}\n"
                          "      device_read_bps:\n        - {path: /dev/sda, rate: 1024k}\n"
                          "      device_write_bps:\n        - {path: /dev/sda, rate: 1024}\n"
                          "      device_read_iops:\n        - {path: /dev/sda, rate: 100}\n"
                          "      device_write_iops:\n        - {path: /dev/sda, rate: 200}\n"));
    expect_yaml(*svc(doc).find("blkio_config"),
                "weight: 300\nweight_device: [{path: /dev/sda, weight: 400}]\n"
                "device_read_bps: [{path: /dev/sda, rate: '1048576'}]\n"
                "device_write_bps: [{path: /dev/sda, rate: '1024'}]\n"
                "device_read_iops: [{path: /dev/sda, rate: '100'}]\n"
                "device_write_iops: [{path: /dev/sda, rate: '200'}]\n");
}

TEST(FinalizeVectors, CpuAndMemoryFields) {
    Node doc = finalized(service(
        "    cpu_count: 4\n    cpu_percent: 50\n    cpu_shares: '1024'\n    cpu_quota: 50000\n"
        "    cpus: 1.5\n    cpuset: '0,1'\n    mem_limit: 512m\n    mem_reservation: 256m\n"
        "    mem_swappiness: 60\n    memswap_limit: 1g\n    shm_size: 64m\n"));
    const Node& s = svc(doc);
    EXPECT_EQ(s.find("cpu_count")->text, "4");
    EXPECT_EQ(s.find("cpu_percent")->text, "50");
    EXPECT_EQ(*s.find("cpu_shares"), Node::integer(1024));
    EXPECT_EQ(s.find("cpus")->text, "1.5");
    EXPECT_EQ(*s.find("mem_limit"), Node::string("536870912"));
    EXPECT_EQ(*s.find("mem_reservation"), Node::string("268435456"));
    EXPECT_EQ(*s.find("mem_swappiness"), Node::string("60"));
    EXPECT_EQ(*s.find("memswap_limit"), Node::string("1073741824"));
    EXPECT_EQ(*s.find("shm_size"), Node::string("67108864"));
}

TEST(FinalizeVectors, UnitBytes) {
    Node doc = finalized(
        "services:\n  test1:\n    memswap_limit: -1\n  test2:\n    memswap_limit: 640kb\n");
    EXPECT_EQ(*svc(doc, "test1").find("memswap_limit"), Node::string("-1"));
    EXPECT_EQ(*svc(doc, "test2").find("memswap_limit"), Node::string("655360"));
}

TEST(FinalizeVectors, Deploy) {
    Node doc =
        finalized(service("    deploy:\n      update_config:\n        parallelism: 3\n        "
                          "delay: 10s\n        monitor: 60s\n"
                          "        max_failure_ratio: 0.3\n      rollback_config:\n        delay: "
                          "0s\n        monitor: 1m30s\n"
                          "      restart_policy:\n        condition: on-failure\n        delay: "
                          "5s\n        max_attempts: 3\n"
                          "        window: 120s\n      placement:\n        constraints: "
                          "[node=foo]\n        max_replicas_per_node: 5\n"
                          "      labels: [FOO=BAR]\n      resources:\n        limits: {cpus: "
                          "'0.001', memory: 50M, pids: 0}\n"
                          "        reservations:\n          devices:\n            - {driver: "
                          "nvidia, capabilities: [gpu], options: {q_bits: 42}}\n"));
    expect_yaml(
        *svc(doc).find("deploy"),
        "update_config: {parallelism: 3, delay: 10s, monitor: 1m0s, max_failure_ratio: 0.3}\n"
        "rollback_config: {monitor: 1m30s}\n"
        "restart_policy: {condition: on-failure, delay: 5s, max_attempts: 3, window: 2m0s}\n"
        "placement: {constraints: [node=foo], max_replicas_per_node: 5}\n"
        "labels: {FOO: BAR}\n"
        "resources:\n  limits: {cpus: 0.001, memory: '52428800'}\n"
        "  reservations:\n    devices: [{driver: nvidia, capabilities: [gpu], options: {q_bits: "
        "'42'}, count: -1}]\n");
}

TEST(FinalizeVectors, DeviceCounts) {
    for (auto [in, out] : std::vector<std::pair<const char*, const char*>>{
             {"all", "-1"}, {"ALL", "-1"}, {"2", "2"}, {"'3'", "3"}}) {
        Node doc = finalized(service(std::string("    gpus:\n      - count: ") + in + "\n"));
        EXPECT_EQ(svc(doc).find("gpus")->items[0].find("count")->text, out) << in;
    }
    EXPECT_NE(error_of(service("    gpus:\n      - count: some\n"))
                  .find("the only value allowed is 'all' or a number"),
              std::string::npos);
}

TEST(FinalizeVectors, SecretFileModes) {
    for (const char* mode : {"0o440", "'0440'", "0440", "288"}) {
        Node doc = finalized(
            service(std::string("    secrets:\n      - source: s\n        target: server.cert\n"
                                "        mode: ") +
                    mode + "\n"));
        EXPECT_EQ(*svc(doc).find("secrets")->items[0].find("mode"), Node::string("0440")) << mode;
    }
}

TEST(FinalizeVectors, ExtraHostsList) {
    Node doc = finalized(
        service("    extra_hosts:\n      - 'alpha:50.31.209.229'\n      - 'zulu:127.0.0.2'\n"
                "      - 'zulu:ff02::1'\n"));
    expect_yaml(*svc(doc).find("extra_hosts"),
                "[alpha=50.31.209.229, zulu=127.0.0.2, 'zulu=ff02::1']\n");
}

TEST(FinalizeVectors, TmpfsAndBuildUlimits) {
    Node doc = finalized(
        "services:\n  list:\n    tmpfs: [/run, /tmp]\n  string:\n    tmpfs: /run\n"
        "  test:\n    build:\n      context: .\n      ulimits:\n        nproc: 65535\n"
        "        nofile: {soft: 20000, hard: 40000}\n");
    expect_yaml(*svc(doc, "list").find("tmpfs"), "[/run, /tmp]\n");
    expect_yaml(*svc(doc, "string").find("tmpfs"), "[/run]\n");
    expect_yaml(*svc(doc, "test").find("build")->find("ulimits"),
                "nofile: {soft: 20000, hard: 40000}\nnproc: 65535\n");
}

TEST(FinalizeVectors, TmpfsVolumeSizes) {
    Node doc =
        finalized(service("    volumes:\n      - {type: tmpfs, target: /a, tmpfs: {size: 0}}\n"
                          "      - {type: tmpfs, target: /b, tmpfs: {size: 1kb, mode: 0755}}\n"));
    expect_yaml(*svc(doc).find("volumes"),
                "- {type: tmpfs, target: /a, tmpfs: {}}\n- {type: tmpfs, target: /b, tmpfs: {size: "
                "'1024', mode: 493}}\n");
}

TEST(FinalizeVectors, VolumeBinds) {
    Node doc = finalized(
        "services:\n  short:\n    volumes: ['/host:/container']\n  long:\n    volumes:\n"
        "      - {type: bind, source: /host, target: /container, bind: {}}\n"
        "      - {type: bind, source: /h, target: /c, read_only: false, bind: {create_host_path: "
        "false, propagation: rslave}}\n"
        "      - {type: volume, source: mydata, target: /data, volume: {nocopy: true}}\n");
    expect_yaml(*svc(doc, "short").find("volumes"),
                "- {type: bind, source: /host, target: /container, bind: {}}\n");
    expect_yaml(*svc(doc, "long").find("volumes"),
                "- {type: bind, source: /host, target: /container, bind: {}}\n"
                "- {type: bind, source: /h, target: /c, bind: {create_host_path: false, "
                "propagation: rslave}}\n"
                "- {type: volume, source: mydata, target: /data, volume: {nocopy: true}}\n");
}

TEST(FinalizeVectors, LegacyBooleans) {
    Node doc = finalized(service("    init: yes\n    tty: 'off'\n    stdin_open: 'on'\n"));
    EXPECT_EQ(*svc(doc).find("init"), Node::boolean(true));
    EXPECT_EQ(svc(doc).find("tty"), nullptr);
    EXPECT_EQ(*svc(doc).find("stdin_open"), Node::boolean(true));
    EXPECT_NE(error_of(service("    privileged: maybe\n")).find("invalid boolean: maybe"),
              std::string::npos);
}

TEST(FinalizeVectors, BuildSshPrintsAsList) {
    Node doc =
        finalized(service("    build:\n      context: .\n      ssh: [key1=value1, default]\n"));
    expect_yaml(*svc(doc).find("build")->find("ssh"), "['key1: value1', default]\n");
}

TEST(FinalizeVectors, EnvFileRequiredDefault) {
    Node doc = finalized(service(
        "    env_file: [a.env, {path: b.env, required: false}, {path: c.env, format: raw}]\n"));
    expect_yaml(*svc(doc).find("env_file"),
                "[{path: a.env}, {path: b.env, required: false}, {path: c.env, format: raw}]\n");
}

TEST(FinalizeVectors, DependsOn) {
    Node doc = finalized(
        service("    depends_on:\n      zeta: {condition: service_healthy, restart: true}\n"
                "      alpha: {condition: service_started, restart: false, required: false}\n"));
    const Node& deps = *svc(doc).find("depends_on");
    EXPECT_EQ(deps.entries[0].key, "alpha");
    expect_yaml(deps,
                "alpha: {condition: service_started, required: false}\n"
                "zeta: {condition: service_healthy, restart: true, required: true}\n");
}

TEST(FinalizeVectors, NullCommandIsDropped) {
    Node doc = finalized(service("    command: null\n    entrypoint: []\n"));
    EXPECT_EQ(svc(doc).find("command"), nullptr);
    expect_yaml(*svc(doc).find("entrypoint"), "[]\n");
}

TEST(FinalizeVectors, ProviderOptionsAreLists) {
    Node doc =
        finalized(service("    provider:\n      type: model\n      options:\n        model: ai/x\n"
                          "        flags: [a, 1]\n"));
    expect_yaml(*svc(doc).find("provider"),
                "type: model\noptions: {flags: [a, '1'], model: [ai/x]}\n");
}

TEST(GoMapOrder, SortsLikeTheGoYamlEncoder) {
    std::vector<std::string> keys = {"com.example.number",
                                     "QUX",
                                     "a10",
                                     "ENV_WITH_UNDERSCORE",
                                     "a2",
                                     "BAZ",
                                     "ENV.WITH.DOT",
                                     "Env",
                                     "a_b",
                                     "ab",
                                     "a1b",
                                     "a12"};
    std::sort(keys.begin(), keys.end(), go_map_key_less);
    EXPECT_EQ(keys, (std::vector<std::string>{"BAZ", "ENV.WITH.DOT", "ENV_WITH_UNDERSCORE", "Env",
                                              "QUX", "a_b", "a1b", "a2", "a10", "a12", "ab",
                                              "com.example.number"}));
}

TEST(FinalizeVectors, EmptyAttributesAreLeftOut) {
    Node doc = finalized(
        service("    image: ''\n    environment:\n    labels: {}\n    dns: ''\n    cap_add: []\n"
                "    healthcheck: {}\n    command: ''\n    entrypoint: []\n    x-empty: {}\n"
                "    networks: {a: null}\n"));
    expect_yaml(svc(doc),
                "healthcheck: {}\ncommand: []\nentrypoint: []\nx-empty: {}\nnetworks: {a: null}\n");
}

TEST(FinalizeVectors, EmptyDeployBlocks) {
    Node doc = finalized(
        service("    deploy:\n      resources: {}\n      placement: {}\n      labels: []\n"));
    expect_yaml(*svc(doc).find("deploy"), "{}\n");
}
