// The cost of berthd's network operations, measured through its network manager in network and
// mount namespaces of the bench's own (nothing reaches the host): creating plus removing a bridge
// network (IPAM, the bridge, its sysctls, the firewall rebuilt twice), attaching one container to
// a network (its pinned namespace, a veth born inside it, address, MAC, default route), and
// connecting a container that already has a namespace to one more network.
// Prints figures; asserts nothing. As root: build/bin/bench_network [--iterations N]
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "daemon/state.hpp"
#include "network/netlink.hpp"
#include "network_manager.hpp"

using namespace berth;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

void report(const char* what, std::vector<double> v) {
    std::sort(v.begin(), v.end());
    auto at = [&](double q) { return v[static_cast<std::size_t>(q * (v.size() - 1))]; };
    std::printf("%-58s median %6.2f ms   p90 %6.2f ms   min %6.2f ms   (n=%zu)\n", what, at(0.5),
                at(0.9), v.front(), v.size());
}

template <typename T>
T must(Result<T> r, const char* what) {
    if (!r) {
        std::fprintf(stderr, "bench_network: %s: %s\n", what, r.error().message().c_str());
        std::exit(1);
    }
    return std::move(r).value();
}

void must(Result<void> r, const char* what) {
    if (!r) {
        std::fprintf(stderr, "bench_network: %s: %s\n", what, r.error().message().c_str());
        std::exit(1);
    }
}

network::NetworkSpec bridge(const std::string& name) {
    network::NetworkSpec s;
    s.key = name;
    s.name = name;
    return s;
}

std::string fake_id(int i) {
    char buf[65];
    std::snprintf(buf, sizeof buf, "%064x", i + 1);
    return buf;
}

}  // namespace

int main(int argc, char** argv) {
    int iterations = 200;
    for (int i = 1; i + 1 < argc; ++i) {
        if (std::strcmp(argv[i], "--iterations") == 0) iterations = std::atoi(argv[i + 1]);
    }
    if (::geteuid() != 0) {
        std::fprintf(stderr, "bench_network: needs root (network namespaces)\n");
        return 2;
    }
    // Still single-threaded here, so unshare applies to the whole process.
    if (::unshare(CLONE_NEWNET | CLONE_NEWNS) != 0 ||
        ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
        std::perror("bench_network: unshare");
        return 1;
    }
    auto nl = must(network::Netlink::open(), "netlink");
    must(nl.set_up("lo"), "lo up");
    char tmpl[] = "/tmp/bench-network-XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) return 1;
    const std::string root = tmpl;
    {
        auto db = must(daemon::StateDb::open(root + "/berth.db"), "state");
        daemon::NetworkManager mgr(*db, {root + "/netns", {}, "/etc/resolv.conf", true});

        // Back to back, each operation waits for the kernel's rtnl lock while the reaper deletes
        // the previous round's links; settled, the reaper is done before the clock starts, as
        // for one network made or one container started at a time.
        for (bool settled : {false, true}) {
            std::vector<double> create_remove;
            for (int i = 0; i < iterations; ++i) {
                if (settled) mgr.settle();
                auto t0 = Clock::now();
                auto n = must(mgr.create(bridge("bench-" + std::to_string(i)), "bench"), "create");
                must(mgr.remove(n), "remove");
                create_remove.push_back(ms_since(t0));
            }
            report(settled ? "network create + remove, settled"
                           : "network create + remove, back to back",
                   create_remove);
        }

        auto net = must(mgr.create(bridge("bench-attach"), "bench"), "create");
        auto extra = must(mgr.create(bridge("bench-extra"), "bench"), "create");
        std::vector<double> attach, connect, release;
        for (int i = 0; i < iterations; ++i) {
            mgr.settle();
            const std::string id = fake_id(i);
            scheduler::Attachment a;
            a.network = "default";
            auto t0 = Clock::now();
            must(mgr.setup_container(id, {{net, a}}, {}), "setup");
            attach.push_back(ms_since(t0));
            t0 = Clock::now();
            must(mgr.connect(id, extra, {}), "connect");
            connect.push_back(ms_since(t0));
            t0 = Clock::now();
            must(mgr.release_container(id), "release");
            release.push_back(ms_since(t0));
            // The records hold the last address handed out; refresh them for the next round.
            net = *must(mgr.find("bench-attach"), "find");
            extra = *must(mgr.find("bench-extra"), "find");
        }
        report("attach a container (namespace + veth + address), settled", attach);
        report("connect a running container to one more network", connect);
        report("release a container (2 interfaces + namespace)", release);
        must(mgr.remove(net), "remove");
        must(mgr.remove(extra), "remove");
    }
    std::error_code ec;
    std::filesystem::remove_all(root, ec);
    return 0;
}
