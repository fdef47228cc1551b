#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "compose/project.hpp"
#include "compose_support.hpp"
#include "engine/create_options.hpp"
#include "scheduler/container_args.hpp"

using namespace berth;
using scheduler::ContainerArgs;
using scheduler::ContainerContext;

namespace {

// A project written to a file of its own folder and loaded as `berth config` would load it.
class ContainerArgsTest : public ::testing::Test {
  protected:
    void SetUp() override {
        char tmpl[] = "/tmp/berth-args-XXXXXX";
        ASSERT_NE(mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    const compose::Node& load(const std::string& yaml) {
        const std::string file = dir_ + "/compose.yaml";
        std::ofstream(file) << yaml;
        compose::LoadOptions o;
        o.files = {file};
        o.cwd = dir_;
        o.project_name = "t";
        auto p = compose::load(o);
        if (!p) throw std::runtime_error(p.error().message());
        project_ = std::move(*p);
        return *project_.service("s");
    }

    // Service "s" (image busybox) with `body` as its further attributes.
    Result<ContainerArgs> args(const std::string& body, const std::string& more = "") {
        return scheduler::container_args(
            load("services:\n  s:\n    image: busybox\n" + body + more), ctx);
    }

    // The same, which must succeed and be accepted by berth-ctr create.
    engine::CreateOptions parsed(const std::string& body, const std::string& more = "") {
        auto a = args(body, more);
        if (!a) throw std::runtime_error(a.error().message());
        last = *a;
        auto o = engine::parse_create_options(a->create_args);
        if (!o) throw std::runtime_error("create rejects the options: " + o.error().message());
        return std::move(*o);
    }

    std::string error(const std::string& body, const std::string& more = "") {
        auto a = args(body, more);
        return a ? "(no error)" : a.error().message();
    }

    static ContainerContext make_ctx() {
        ContainerContext c;
        c.project = "t";
        c.service = "s";
        c.number = 2;
        c.container_name = "t-s-2";
        c.config_hash = "cafe";
        c.image_id = "sha256:feed";
        c.image.cmd = {"sh"};
        c.image.env = {"PATH=/bin", "A=image", "B=b"};
        c.image.working_dir = "/srv";
        c.rootfs_args = {"--lower", "/l1", "--upper", "/u", "--work", "/w", "--merged", "/m"};
        c.state_dir = "/run/berth/containers/x";
        c.host_cpus = 2;
        c.service_pid = [](const std::string& svc) -> Result<int> {
            if (svc == "db") return 4242;
            return Error("service " + svc + " has no running container");
        };
        c.shared_netns = [](const std::string& mode) -> Result<std::string> {
            if (mode == "service:db") return std::string("/run/berth/netns/db");
            if (mode == "container:abc") return std::string("/proc/77/ns/net");
            return Error("no such container");
        };
        return c;
    }

    std::string dir_;
    compose::Project project_;
    ContainerContext ctx = make_ctx();
    ContainerArgs last;
};

const char* kHost = "    network_mode: host\n";

bool has(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

TEST_F(ContainerArgsTest, MinimalServiceRoundTrips) {
    auto o = parsed(kHost);
    const auto& s = o.spec;
    EXPECT_EQ(s.lower_dirs, std::vector<std::string>{"/l1"});
    EXPECT_EQ(s.upper_dir, "/u");
    EXPECT_EQ(s.merged_dir, "/m");
    EXPECT_EQ(s.state_dir, "/run/berth/containers/x");
    EXPECT_EQ(s.hostname, "t-s-2");
    EXPECT_EQ(last.hostname, "t-s-2");
    EXPECT_FALSE(s.namespaces.net);
    EXPECT_TRUE(s.namespaces.join.empty());
    EXPECT_EQ(s.args, std::vector<std::string>{"sh"});
    EXPECT_EQ(last.command, s.args);
    EXPECT_EQ(s.env, (std::vector<std::string>{"PATH=/bin", "A=image", "B=b"}));
    EXPECT_EQ(s.cwd, "/srv");
    EXPECT_EQ(s.user, "");
    EXPECT_FALSE(s.tty);
    EXPECT_EQ(o.stop_signal, SIGTERM);
    EXPECT_EQ(o.stop_timeout, 10);
    EXPECT_FALSE(o.resources.memory);
    EXPECT_EQ(o.log_max_size, 0u);
    // The command follows the options, after "--".
    auto dash = std::find(last.create_args.begin(), last.create_args.end(), "--");
    ASSERT_NE(dash, last.create_args.end());
    EXPECT_EQ(std::vector<std::string>(dash + 1, last.create_args.end()), last.command);
    EXPECT_TRUE(last.warnings.empty());
}

TEST_F(ContainerArgsTest, Labels) {
    ctx.oneoff = true;
    parsed(kHost, "    labels:\n      app: web\n      berth.project: other\n");
    EXPECT_EQ(last.labels, (std::map<std::string, std::string>{{"app", "web"},
                                                               {"berth.config-hash", "cafe"},
                                                               {"berth.number", "2"},
                                                               {"berth.oneoff", "True"},
                                                               {"berth.project", "t"},
                                                               {"berth.service", "s"}}));
    ctx.oneoff = false;
    parsed(kHost);
    EXPECT_EQ(last.labels.at(scheduler::kLabelOneoff), "False");
}

TEST_F(ContainerArgsTest, EntrypointClearsTheImageCmd) {
    ctx.image.entrypoint = {"/docker-entrypoint.sh"};
    ctx.image.cmd = {"nginx", "-g", "daemon off;"};
    EXPECT_EQ(parsed(kHost).spec.args,
              (std::vector<std::string>{"/docker-entrypoint.sh", "nginx", "-g", "daemon off;"}));
    EXPECT_EQ(parsed(kHost, "    entrypoint: run.sh -v\n").spec.args,
              (std::vector<std::string>{"run.sh", "-v"}));
    EXPECT_EQ(parsed(kHost, "    entrypoint: [run.sh]\n    command: [a, b]\n").spec.args,
              (std::vector<std::string>{"run.sh", "a", "b"}));
    EXPECT_EQ(parsed(kHost, "    command: echo hi\n").spec.args,
              (std::vector<std::string>{"/docker-entrypoint.sh", "echo", "hi"}));
}

TEST_F(ContainerArgsTest, EmptyCommandAndEntrypointFollowDockersMerge) {
    ctx.image.entrypoint = {"/ep"};
    ctx.image.cmd = {"x"};
    EXPECT_EQ(parsed(kHost, "    command: []\n").spec.args, (std::vector<std::string>{"/ep", "x"}));
    EXPECT_EQ(parsed(kHost, "    entrypoint: []\n").spec.args, std::vector<std::string>{"x"});
    EXPECT_EQ(parsed(kHost, "    entrypoint: []\n    command: [y]\n").spec.args,
              std::vector<std::string>{"y"});
}

TEST_F(ContainerArgsTest, EnvironmentMergesOverTheImage) {
    ctx.extra_env = {"D=run", "C=run"};
    auto o = parsed(kHost, "    environment:\n      A: svc\n      C: c\n      UNSET_HERE:\n");
    EXPECT_EQ(o.spec.env,
              (std::vector<std::string>{"PATH=/bin", "A=svc", "B=b", "C=run", "D=run"}));
}

TEST_F(ContainerArgsTest, RunOverridesWin) {
    ctx.command = std::vector<std::string>{"id", "-u"};
    ctx.entrypoint = std::vector<std::string>{"/bin/env"};
    ctx.user = "1000:1000";
    ctx.workdir = "/tmp";
    ctx.tty = true;
    auto o = parsed(kHost, "    command: [nope]\n    user: root\n    working_dir: /x\n");
    EXPECT_EQ(o.spec.args, (std::vector<std::string>{"/bin/env", "id", "-u"}));
    EXPECT_EQ(o.spec.user, "1000:1000");
    EXPECT_EQ(o.spec.cwd, "/tmp");
    EXPECT_TRUE(o.spec.tty);
    ctx.tty = false;
    EXPECT_FALSE(parsed(kHost, "    tty: true\n").spec.tty);
}

TEST_F(ContainerArgsTest, ProcessAttributes) {
    auto o = parsed(kHost,
                    "    working_dir: /app\n    user: \"100:101\"\n    group_add: [wheel, 27]\n"
                    "    hostname: box\n    domainname: example.org\n    tty: true\n"
                    "    stdin_open: true\n");
    EXPECT_EQ(o.spec.cwd, "/app");
    EXPECT_EQ(o.spec.user, "100:101");
    EXPECT_EQ(o.spec.additional_groups, (std::vector<std::string>{"wheel", "27"}));
    EXPECT_EQ(o.spec.hostname, "box");
    EXPECT_EQ(last.hostname, "box");
    EXPECT_EQ(o.spec.domainname, "example.org");
    EXPECT_TRUE(o.spec.tty);
}

TEST_F(ContainerArgsTest, DefaultHostnameIsTheContainerNameCutToALabel) {
    ctx.container_name = std::string(70, 'a');
    EXPECT_EQ(parsed(kHost).spec.hostname, std::string(63, 'a'));
}

TEST_F(ContainerArgsTest, SecurityAndKernelSettings) {
    auto o =
        parsed(kHost,
               "    cap_add: [NET_ADMIN]\n    cap_drop: [MKNOD]\n    privileged: true\n"
               "    security_opt: [no-new-privileges:true]\n    read_only: true\n"
               "    sysctls:\n      kernel.msgmax: 65536\n"
               "    ulimits:\n      nproc: 512\n      nofile:\n        soft: 1024\n"
               "        hard: 2048\n"
               "    oom_score_adj: -500\n    devices: [\"/dev/fuse\", \"/dev/sda:/dev/xvda:r\"]\n"
               "    shm_size: 128m\n    init: true\n");
    const auto& s = o.spec;
    EXPECT_EQ(s.cap_add, std::vector<std::string>{"NET_ADMIN"});
    EXPECT_EQ(s.cap_drop, std::vector<std::string>{"MKNOD"});
    EXPECT_TRUE(s.privileged);
    EXPECT_TRUE(s.no_new_privileges);
    EXPECT_TRUE(s.read_only_rootfs);
    EXPECT_EQ(s.sysctls, (std::map<std::string, std::string>{{"kernel.msgmax", "65536"}}));
    ASSERT_EQ(s.rlimits.size(), 2u);
    EXPECT_EQ(s.rlimits[0].name, "nofile");
    EXPECT_EQ(s.rlimits[0].soft, 1024u);
    EXPECT_EQ(s.rlimits[0].hard, 2048u);
    EXPECT_EQ(s.rlimits[1].name, "nproc");
    EXPECT_EQ(s.rlimits[1].soft, 512u);
    EXPECT_EQ(s.rlimits[1].hard, 512u);
    EXPECT_EQ(s.oom_score_adj, -500);
    ASSERT_EQ(s.devices.size(), 2u);
    EXPECT_EQ(s.devices[0].host_path, "/dev/fuse");
    EXPECT_EQ(s.devices[0].container_path, "/dev/fuse");
    EXPECT_EQ(s.devices[0].permissions, "rwm");
    EXPECT_EQ(s.devices[1].container_path, "/dev/xvda");
    EXPECT_EQ(s.devices[1].permissions, "r");
    EXPECT_EQ(s.shm_size, 128u << 20);
    EXPECT_TRUE(s.init);
}

TEST_F(ContainerArgsTest, SecurityOptsOtherThanNoNewPrivilegesAreRefused) {
    EXPECT_FALSE(
        parsed(kHost, "    security_opt: [\"no-new-privileges:false\"]\n").spec.no_new_privileges);
    EXPECT_TRUE(parsed(kHost, "    security_opt: [no-new-privileges]\n").spec.no_new_privileges);
    EXPECT_EQ(error(kHost, "    security_opt: [\"label=disable\"]\n"),
              "service \"s\": security_opt \"label=disable\" is not supported");
    EXPECT_EQ(error(kHost, "    security_opt: [\"seccomp=unconfined\"]\n"),
              "service \"s\": security_opt \"seccomp=unconfined\" is not supported");
}

TEST_F(ContainerArgsTest, SysctlsOfASharedNamespaceAreRefused) {
    EXPECT_EQ(error(kHost, "    sysctls:\n      net.core.somaxconn: 1024\n"),
              "service \"s\": sysctls: net.core.somaxconn is not allowed in a shared network "
              "namespace");
    EXPECT_EQ(
        error("    network_mode: none\n    ipc: host\n", "    sysctls:\n      kernel.shmmax: 1\n"),
        "service \"s\": sysctls: kernel.shmmax is not allowed in a shared ipc namespace");
    auto o = parsed("    network_mode: none\n", "    sysctls:\n      net.core.somaxconn: 1024\n");
    EXPECT_EQ(o.spec.sysctls.at("net.core.somaxconn"), "1024");
}

TEST_F(ContainerArgsTest, BindsAndTmpfs) {
    std::filesystem::create_directory(dir_ + "/conf");
    auto o = parsed(kHost,
                    "    volumes:\n      - ./conf:/etc/app:ro\n      - /var/log:/logs\n"
                    "      - type: tmpfs\n        target: /cache\n        tmpfs:\n"
                    "          size: 64m\n          mode: 0o1777\n"
                    "      - type: bind\n        source: /srv\n        target: /srv\n"
                    "        bind:\n          propagation: rprivate\n"
                    "    tmpfs: [\"/run\", \"/tmp:size=1m,exec\"]\n");
    const auto& m = o.spec.mounts;
    ASSERT_EQ(m.size(), 6u);
    EXPECT_EQ(m[0].type, engine::Mount::Type::Bind);
    EXPECT_EQ(m[0].source, dir_ + "/conf");
    EXPECT_EQ(m[0].target, "/etc/app");
    EXPECT_TRUE(m[0].read_only);
    EXPECT_EQ(m[1].source, "/var/log");
    EXPECT_FALSE(m[1].read_only);
    EXPECT_EQ(m[2].type, engine::Mount::Type::Tmpfs);
    EXPECT_EQ(m[2].target, "/cache");
    EXPECT_TRUE(has(m[2].options, "size=67108864,mode=1777"))
        << ::testing::PrintToString(m[2].options);
    EXPECT_EQ(m[3].source, "/srv");
    EXPECT_EQ(m[4].type, engine::Mount::Type::Tmpfs);
    EXPECT_EQ(m[4].target, "/run");
    EXPECT_EQ(m[5].target, "/tmp");
    EXPECT_TRUE(has(m[5].options, "size=1m,exec"));
}

TEST_F(ContainerArgsTest, ReadOnlyTmpfsVolume) {
    auto o = parsed(
        kHost, "    volumes:\n      - type: tmpfs\n        target: /x\n        read_only: true\n");
    ASSERT_EQ(o.spec.mounts.size(), 1u);
    EXPECT_TRUE(has(o.spec.mounts[0].options, "ro"));
}

TEST_F(ContainerArgsTest, LinksNeedABridgeNetwork) {
    EXPECT_EQ(error(kHost, "    links: [db:database]\n  db:\n    image: busybox\n"),
              "service \"s\": links need a bridge network; remove network_mode or the links");
}

TEST_F(ContainerArgsTest, VolumesBindTheFolderBerthdGives) {
    std::vector<std::pair<std::string, std::string>> asked;
    ctx.volume_source = [&](const std::string& source,
                            const std::string& target) -> Result<std::string> {
        asked.emplace_back(source, target);
        return "/var/lib/berth/volumes/" +
               (source.empty() ? std::string("anon") : "demo_" + source) + "/_data";
    };
    auto o = parsed(
        kHost, "    volumes:\n      - data:/var/lib/db:ro\n      - /scratch\nvolumes:\n  data:\n");
    ASSERT_EQ(o.spec.mounts.size(), 2u);
    EXPECT_EQ(o.spec.mounts[0].source, "/var/lib/berth/volumes/demo_data/_data");
    EXPECT_EQ(o.spec.mounts[0].target, "/var/lib/db");
    EXPECT_TRUE(o.spec.mounts[0].read_only);
    EXPECT_TRUE(o.spec.mounts[0].copy_up);
    EXPECT_EQ(o.spec.mounts[1].source, "/var/lib/berth/volumes/anon/_data");
    EXPECT_EQ(asked, (std::vector<std::pair<std::string, std::string>>{{"data", "/var/lib/db"},
                                                                       {"", "/scratch"}}));
}

TEST_F(ContainerArgsTest, NocopyVolume) {
    ctx.volume_source = [](const std::string&, const std::string&) -> Result<std::string> {
        return std::string("/v/_data");
    };
    auto o = parsed(kHost,
                    "    volumes:\n      - type: volume\n        source: data\n        target: /d\n"
                    "        volume:\n          nocopy: true\nvolumes:\n  data:\n");
    ASSERT_EQ(o.spec.mounts.size(), 1u);
    EXPECT_FALSE(o.spec.mounts[0].copy_up);
}

TEST_F(ContainerArgsTest, ImageVolumesGetAnonymousVolumesUnlessMounted) {
    int made = 0;
    ctx.volume_source = [&](const std::string& source, const std::string&) -> Result<std::string> {
        if (source.empty()) ++made;
        return "/v/" + (source.empty() ? "anon" + std::to_string(made) : source) + "/_data";
    };
    ctx.image.volumes = {"/var/lib/db/", "/logs"};
    auto o = parsed(kHost, "    volumes:\n      - data:/logs\nvolumes:\n  data:\n");
    ASSERT_EQ(o.spec.mounts.size(), 2u);
    EXPECT_EQ(o.spec.mounts[0].target, "/logs");
    EXPECT_EQ(o.spec.mounts[1].source, "/v/anon1/_data");
    EXPECT_EQ(o.spec.mounts[1].target, "/var/lib/db");
    EXPECT_TRUE(o.spec.mounts[1].copy_up);
    EXPECT_EQ(made, 1);
}

TEST_F(ContainerArgsTest, SubpathMountsAFolderOfTheVolumeWithoutCopy) {
    ctx.volume_source = [](const std::string&, const std::string&) -> Result<std::string> {
        return std::string("/v/data/_data");
    };
    auto o = parsed(kHost,
                    "    volumes:\n      - type: volume\n        source: data\n        target: /d\n"
                    "        volume:\n          subpath: a/b\nvolumes:\n  data:\n");
    ASSERT_EQ(o.spec.mounts.size(), 1u);
    EXPECT_EQ(o.spec.mounts[0].source, "/v/data/_data/a/b");
    EXPECT_FALSE(o.spec.mounts[0].copy_up);
    EXPECT_EQ(error(kHost,
                    "    volumes:\n      - type: volume\n        source: data\n        target: /d\n"
                    "        volume:\n          subpath: ../x\nvolumes:\n  data:\n"),
              "service \"s\": volumes: /d: subpath \"../x\" must be a relative path inside the "
              "volume");
}

TEST_F(ContainerArgsTest, ConfigsAndSecretsAreReadOnlyFiles) {
    ctx.file_source = [](const std::string& kind,
                         const std::string& source) -> Result<std::string> {
        return "/files/" + kind + "-" + source;
    };
    auto o = parsed(kHost,
                    "    configs: [app, {source: other, target: /etc/o.conf}]\n"
                    "    secrets: [token]\n"
                    "configs:\n  app: {content: x}\n  other: {content: y}\n"
                    "secrets:\n  token: {file: /etc/hostname}\n");
    ASSERT_EQ(o.spec.mounts.size(), 3u);
    EXPECT_EQ(o.spec.mounts[0].source, "/files/config-app");
    EXPECT_EQ(o.spec.mounts[0].target, "/app");
    EXPECT_EQ(o.spec.mounts[1].target, "/etc/o.conf");
    EXPECT_EQ(o.spec.mounts[2].source, "/files/secret-token");
    EXPECT_EQ(o.spec.mounts[2].target, "/run/secrets/token");
    for (const auto& m : o.spec.mounts) EXPECT_TRUE(m.read_only);
}

TEST_F(ContainerArgsTest, VolumesFromTakesTheOthersMounts) {
    ctx.volumes_from = [](const std::string& ref)
        -> Result<std::vector<scheduler::ContainerContext::SharedMount>> {
        if (ref != "db") return Error("no such service");
        return std::vector<scheduler::ContainerContext::SharedMount>{{"/v/x/_data", "/x", false},
                                                                     {"/host/conf", "/conf", true}};
    };
    auto o = parsed(
        kHost, "    volumes_from: ['db:rw']\n    depends_on: [db]\n  db:\n    image: busybox\n");
    ASSERT_EQ(o.spec.mounts.size(), 2u);
    EXPECT_EQ(o.spec.mounts[0].target, "/x");
    EXPECT_FALSE(o.spec.mounts[0].read_only);
    EXPECT_TRUE(o.spec.mounts[1].read_only);
}

TEST_F(ContainerArgsTest, BindPropagation) {
    auto o = parsed(kHost,
                    "    volumes:\n      - type: bind\n        source: /a\n        target: /b\n"
                    "        read_only: true\n        bind:\n          propagation: rslave\n");
    ASSERT_EQ(o.spec.mounts.size(), 1u);
    EXPECT_TRUE(o.spec.mounts[0].read_only);
    EXPECT_EQ(o.spec.mounts[0].propagation, engine::Propagation::RSlave);
}

TEST_F(ContainerArgsTest, MountErrors) {
    EXPECT_EQ(error(kHost, "    volumes:\n      - data:/var/lib/db\nvolumes:\n  data:\n"),
              "service \"s\": volume \"data\": named volumes are not supported yet");
    EXPECT_EQ(error(kHost, "    volumes:\n      - /var/lib/db\n"),
              "service \"s\": anonymous volume at /var/lib/db: volumes are not supported yet");
    EXPECT_EQ(
        error(kHost,
              "    volumes:\n      - type: bind\n        source: \"/a:b\"\n        target: /b\n"),
        "service \"s\": volumes: source \"/a:b\" contains ':', which berth cannot mount");
}

TEST_F(ContainerArgsTest, NetworkModes) {
    // A service on networks joins the namespace berthd made and pinned for it.
    const std::string missing =
        "service \"s\": no network namespace was made for the service's networks";
    EXPECT_EQ(error(""), missing);
    ctx.netns_path = "/run/berth/netns/abc";
    for (const char* body : {"", "    network_mode: bridge\n"}) {
        auto on = parsed(body);
        EXPECT_TRUE(on.spec.namespaces.net);
        EXPECT_EQ(on.spec.namespaces.join.at(engine::Namespace::Net), "/run/berth/netns/abc");
    }
    auto front = parsed("    networks: [front]\n", "networks:\n  front:\n");
    EXPECT_EQ(front.spec.namespaces.join.at(engine::Namespace::Net), "/run/berth/netns/abc");
    ctx.netns_path.clear();

    auto none = parsed("    network_mode: none\n");
    EXPECT_TRUE(none.spec.namespaces.net);
    EXPECT_TRUE(none.spec.namespaces.join.empty());

    auto joined = parsed("    network_mode: service:db\n  db:\n    image: busybox\n");
    EXPECT_TRUE(joined.spec.namespaces.net);
    EXPECT_EQ(joined.spec.namespaces.join.at(engine::Namespace::Net), "/run/berth/netns/db");
    auto by_name = parsed("    network_mode: container:abc\n");
    EXPECT_EQ(by_name.spec.namespaces.join.at(engine::Namespace::Net), "/proc/77/ns/net");

    EXPECT_EQ(error("    network_mode: container:zzz\n"),
              "service \"s\": network_mode container:zzz: no such container");
    EXPECT_EQ(error("    network_mode: weird\n"),
              "service \"s\": network_mode \"weird\" is not supported");
}

TEST_F(ContainerArgsTest, Ports) {
    EXPECT_EQ(error("    network_mode: none\n    ports: [\"80:80\"]\n"),
              "service \"s\": ports need a network; network_mode none has none");
    EXPECT_EQ(error("    network_mode: service:db\n    ports: [\"80:80\"]\n  db:\n    image: x\n"),
              "service \"s\": conflicting options: port publishing and the container type "
              "network mode");
    ctx.netns_path = "/run/berth/netns/abc";
    EXPECT_EQ(error("    ports: [\"80:80\"]\n"), "(no error)");
    ctx.netns_path.clear();
    auto o = parsed(kHost, "    ports: [\"80:80\"]\n    expose: [\"81\"]\n");
    EXPECT_FALSE(o.spec.namespaces.net);
    ASSERT_EQ(last.warnings.size(), 1u);
    EXPECT_EQ(last.warnings[0],
              "service \"s\": published ports are discarded with network_mode host");
}

TEST_F(ContainerArgsTest, IpcPidUts) {
    auto host = parsed(kHost, "    ipc: host\n    pid: host\n");
    EXPECT_EQ(host.spec.namespaces.join.at(engine::Namespace::Ipc), "/proc/self/ns/ipc");
    EXPECT_EQ(host.spec.namespaces.join.at(engine::Namespace::Pid), "/proc/self/ns/pid");

    auto svc =
        parsed(kHost, "    ipc: service:db\n    pid: service:db\n  db:\n    image: busybox\n");
    EXPECT_EQ(svc.spec.namespaces.join.at(engine::Namespace::Ipc), "/proc/4242/ns/ipc");
    EXPECT_EQ(svc.spec.namespaces.join.at(engine::Namespace::Pid), "/proc/4242/ns/pid");

    EXPECT_TRUE(parsed(kHost, "    ipc: shareable\n").spec.namespaces.join.empty());
    EXPECT_TRUE(parsed(kHost, "    ipc: private\n").spec.namespaces.join.empty());

    EXPECT_EQ(error(kHost, "    ipc: service:web\n  web:\n    image: busybox\n"),
              "service \"s\": ipc service:web: service web has no running container");
    EXPECT_EQ(error(kHost, "    ipc: none\n"), "service \"s\": ipc \"none\" is not supported");
    EXPECT_EQ(error(kHost, "    pid: container:x\n"),
              "service \"s\": pid \"container:x\" is not supported yet (use service:)");

    auto uts = parsed(kHost, "    uts: host\n");
    EXPECT_EQ(uts.spec.namespaces.join.at(engine::Namespace::Uts), "/proc/self/ns/uts");
    EXPECT_EQ(uts.spec.hostname, "");
    EXPECT_EQ(error(kHost, "    uts: host\n    hostname: x\n"),
              "service \"s\": hostname and domainname cannot be set with uts \"host\"");
}

TEST_F(ContainerArgsTest, Resources) {
    auto o = parsed(kHost,
                    "    mem_limit: 64m\n    mem_reservation: 32m\n    cpus: 1.5\n"
                    "    cpu_shares: 512\n    cpuset: \"0-1\"\n    pids_limit: 100\n"
                    "    blkio_config:\n      weight: 300\n      device_read_bps:\n"
                    "        - path: /dev/sda\n          rate: 1mb\n");
    const auto& r = o.resources;
    EXPECT_EQ(r.memory, 64 << 20);
    EXPECT_EQ(r.memory_reservation, 32 << 20);
    EXPECT_EQ(r.memory_swap, 128 << 20);  // Docker's default: as much swap as memory
    EXPECT_EQ(r.cpu_period, 100000u);
    EXPECT_EQ(r.cpu_quota, 150000);
    EXPECT_EQ(r.cpu_shares, 512u);
    EXPECT_EQ(r.cpuset_cpus, "0-1");
    EXPECT_EQ(r.pids_limit, 100);
    EXPECT_EQ(r.blkio_weight, 300);
    ASSERT_EQ(r.read_bps.size(), 1u);
    EXPECT_EQ(r.read_bps[0].device, "/dev/sda");
    EXPECT_EQ(r.read_bps[0].rate, 1u << 20);

    auto deploy = parsed(kHost,
                         "    memswap_limit: -1\n    deploy:\n      resources:\n        limits:\n"
                         "          memory: 16m\n          pids: 7\n");
    EXPECT_EQ(deploy.resources.memory, 16 << 20);
    EXPECT_EQ(deploy.resources.memory_swap, -1);
    EXPECT_EQ(deploy.resources.pids_limit, 7);

    EXPECT_NE(error(kHost, "    cpus: 8\n").find("service \"s\": "), std::string::npos);
    EXPECT_NE(error(kHost, "    cpus: 8\n").find("range of CPUs is from 0.01 to 2.00"),
              std::string::npos);
}

TEST_F(ContainerArgsTest, StopSignalAndGracePeriod) {
    auto o = parsed(kHost, "    stop_signal: SIGUSR1\n    stop_grace_period: 1m30s\n");
    EXPECT_EQ(o.stop_signal, SIGUSR1);
    EXPECT_EQ(o.stop_timeout, 90);
    EXPECT_EQ(parsed(kHost, "    stop_grace_period: 1500ms\n").stop_timeout, 1.5);
    ctx.image.stop_signal = "SIGQUIT";
    EXPECT_EQ(parsed(kHost).stop_signal, SIGQUIT);
    EXPECT_EQ(error(kHost, "    stop_signal: SIGNOPE\n").rfind("service \"s\": stop_signal: ", 0),
              0u);
}

TEST_F(ContainerArgsTest, LogRotation) {
    auto o = parsed(kHost,
                    "    logging:\n      driver: json-file\n      options:\n        max-size: 10m\n"
                    "        max-file: \"3\"\n");
    EXPECT_EQ(o.log_max_size, 10u << 20);
    EXPECT_EQ(o.log_max_file, 3);
    EXPECT_EQ(error(kHost, "    logging:\n      driver: syslog\n"),
              "service \"s\": logging driver \"syslog\" is not supported (only json-file)");
}

TEST_F(ContainerArgsTest, DaemonLogOptsFillWhatTheServiceLeavesOut) {
    ctx.log_defaults.max_size = 5u << 20;
    ctx.log_defaults.max_file = 4;
    auto o = parsed(kHost);
    EXPECT_EQ(o.log_max_size, 5u << 20);
    EXPECT_EQ(o.log_max_file, 4);
    o = parsed(kHost, "    logging:\n      options:\n        max-size: 1m\n");
    EXPECT_EQ(o.log_max_size, 1u << 20);
    EXPECT_EQ(o.log_max_file, 4);
}

TEST_F(ContainerArgsTest, HarmlessAttributesAreIgnored) {
    auto o = parsed(kHost,
                    "    restart: always\n    healthcheck:\n      test: [CMD, \"true\"]\n"
                    "    depends_on: [db]\n    x-note: hi\n"
                    "    deploy:\n      replicas: 2\n      placement:\n        constraints: [a]\n"
                    "    expose: [\"80\"]\n  db:\n    image: busybox\n    network_mode: host\n");
    EXPECT_EQ(o.spec.args, std::vector<std::string>{"sh"});
}

TEST_F(ContainerArgsTest, UnsupportedAttributesAreRefused) {
    EXPECT_EQ(error(kHost, "    userns_mode: host\n"),
              "service \"s\": userns_mode is not supported yet");
    EXPECT_EQ(error(kHost, "    volumes_from: [db]\n  db:\n    image: busybox\n"),
              "service \"s\": volumes_from is not supported yet");
    EXPECT_EQ(error(kHost, "    cgroup: private\n"),
              "service \"s\": cgroup \"private\" is not supported yet (only host)");
    EXPECT_EQ(error(kHost, "    devices: [\"vendor.com/gpu=all\"]\n"),
              "service \"s\": devices: \"vendor.com/gpu=all\" is not a device path (CDI devices "
              "are not supported)");
}

TEST_F(ContainerArgsTest, MoreMountErrors) {
    EXPECT_EQ(error(kHost,
                    "    volumes:\n      - type: bind\n        source: /a\n        target: /b\n"
                    "        bind:\n          recursive: readonly\n"),
              "service \"s\": volumes: /b: bind recursive \"readonly\" is not supported (only "
              "enabled)");
    EXPECT_EQ(error(kHost, "    tmpfs: [run]\n"),
              "service \"s\": tmpfs \"run\": want an absolute path");
}

TEST_F(ContainerArgsTest, GpuReservationsAreRefused) {
    EXPECT_EQ(error(kHost,
                    "    deploy:\n      resources:\n        reservations:\n          devices:\n"
                    "            - capabilities: [gpu]\n"),
              "service \"s\": deploy.resources.reservations.devices is not supported yet");
}

TEST_F(ContainerArgsTest, JoiningAServiceNeedsItsNamespace) {
    ctx.shared_netns = nullptr;
    EXPECT_EQ(error("    network_mode: service:db\n  db:\n    image: busybox\n"),
              "service \"s\": network_mode \"service:db\": no container to join");
    ctx.service_pid = nullptr;
    EXPECT_EQ(error(kHost, "    ipc: service:db\n  db:\n    image: busybox\n"),
              "service \"s\": ipc: no running service db");
}

TEST_F(ContainerArgsTest, NoCommandAtAll) {
    ctx.image.cmd.clear();
    EXPECT_EQ(error(kHost),
              "service \"s\": no command: the image has neither Entrypoint nor Cmd; set command");
}

TEST_F(ContainerArgsTest, ImageVolumesAreWarnedAbout) {
    ctx.image.volumes = {"/data"};
    parsed(kHost);
    ASSERT_EQ(last.warnings.size(), 1u);
    EXPECT_NE(last.warnings[0].find("/data"), std::string::npos);
}

TEST(NeedsBridgeNetwork, ByNetworkModeAndNetworks) {
    auto p = test_support::load_project(
        "services:\n  a:\n    image: x\n  b:\n    image: x\n    network_mode: host\n"
        "  c:\n    image: x\n    network_mode: none\n  d:\n    image: x\n    network_mode: "
        "bridge\n");
    EXPECT_TRUE(scheduler::needs_bridge_network(*p.service("a")));
    EXPECT_FALSE(scheduler::needs_bridge_network(*p.service("b")));
    EXPECT_FALSE(scheduler::needs_bridge_network(*p.service("c")));
    EXPECT_TRUE(scheduler::needs_bridge_network(*p.service("d")));
}

}  // namespace
