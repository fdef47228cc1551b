// berth's table applied through libnftables, as root, inside a network namespace of the test's
// own (the host's ruleset is never touched): applied, listed, applied again unchanged, refused
// whole when wrong, and removed.
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>

#include "network/firewall.hpp"
#include "network/nftables.hpp"
#include "step_support.hpp"

using namespace berth::network;

namespace {

int fail(const char* what, const std::string& why) {
    std::fprintf(stderr, "%s: %s\n", what, why.c_str());
    return 1;
}

int in_private_namespace() {
    if (::unshare(CLONE_NEWNET) != 0) return fail("unshare", "no network namespace");
    FirewallSpec spec;
    spec.networks.push_back({"br-nfttest", {parse_prefix("172.30.0.0/16").value()}, false, true});
    spec.ports.push_back({"tcp", std::nullopt, 8080, parse_address("172.30.0.2").value(), 80});
    auto script = render_ruleset(spec);
    if (!script) return fail("render", script.error().message());
    for (int round = 0; round < 2; ++round) {  // applying twice is the same as once
        if (auto r = nft_apply(*script); !r) return fail("apply", r.error().message());
    }
    auto listed = nft_query("list table inet berth");
    if (!listed) return fail("list", listed.error().message());
    for (const char* want : {"dnat ip to 172.30.0.2:80", "masquerade", "\"br-nfttest\""}) {
        if (listed->find(want) == std::string::npos) return fail("list lacks", want);
    }
    std::size_t n = 0;
    for (std::size_t at = 0; (at = listed->find("chain ", at)) != std::string::npos; ++at) ++n;
    if (n != 6) return fail("chains", "expected 6 chains once, got " + std::to_string(n));
    // A broken script changes nothing: the table is as it was.
    if (nft_apply("table inet berth {}\nadd rule inet berth forward nonsense\n")) {
        return fail("bad script", "was accepted");
    }
    auto still = nft_query("list table inet berth");
    if (!still || *still != *listed) return fail("bad script", "changed the table");
    if (auto r = nft_remove_berth_table(); !r) return fail("remove", r.error().message());
    if (nft_query("list table inet berth")) return fail("remove", "the table remains");
    if (auto r = nft_remove_berth_table(); !r) return fail("remove twice", r.error().message());
    return 0;
}

TEST(Nftables, AppliesAndRemovesOnlyBerthsTable) {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root (a network namespace, nftables)";
    test_support::expect_child_succeeds(in_private_namespace);
}

}  // namespace
