// Times the resolver's per-query codec work on one core: parse a query, build the reply (A answers
// for a service with replicas, or a PTR), check it as the forwarder would. Prints queries per
// second for each case; the server's budget is well above 100k per second, so the codec must be
// a small part of it.
//
//   bench_dns_wire [queries=2000000]
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "dns/wire.hpp"

namespace {

using namespace berth::dns;
using Clock = std::chrono::steady_clock;

std::vector<std::uint8_t> query_bytes(const Name& name, Type type, bool edns) {
    std::vector<std::uint8_t> b = {0x12, 0x34, 0x01, 0x00, 0, 1,
                                   0,    0,    0,    0,    0, static_cast<std::uint8_t>(edns)};
    // push_back rather than insert: GCC 12 warns falsely on vector::insert from a span here.
    for (std::uint8_t x : name.wire()) b.push_back(x);
    auto t = static_cast<std::uint16_t>(type);
    for (std::uint8_t x : {static_cast<std::uint8_t>(t >> 8), static_cast<std::uint8_t>(t),
                           std::uint8_t{0}, std::uint8_t{1}}) {
        b.push_back(x);
    }
    if (edns) {
        for (std::uint8_t x : {0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 0}) b.push_back(x);
    }
    return b;
}

struct Case {
    const char* what;
    std::vector<std::uint8_t> query;
    int answers;  // A records, or 0 for a PTR
};

// The sum keeps the optimiser from dropping the work.
std::size_t run(const Case& c, long queries) {
    std::array<std::uint8_t, kUdpEdnsLimit> buf{};
    const Name target = *parse_name("demo-web-1.demo_default");
    std::size_t sum = 0;
    for (long i = 0; i < queries; ++i) {
        QueryParse p = parse_query(c.query);
        if (!p.ok()) std::abort();
        ResponseBuilder rb(buf, response_limit(p.query, Transport::Udp));
        rb.start(p.query, Rcode::NoError);
        if (c.answers == 0) {
            rb.add_ptr(p.query.question.name, 0, target);
        }
        for (int a = 0; a < c.answers; ++a) {
            rb.add_a(p.query.question.name, 0, {172, 18, 0, static_cast<std::uint8_t>(a + 2)});
        }
        std::size_t n = rb.finish();
        sum += n + reply_matches({buf.data(), n}, p.query.header.id, p.query.question);
    }
    return sum;
}

}  // namespace

int main(int argc, char** argv) {
    long queries = argc > 1 ? std::atol(argv[1]) : 2000000;
    const Name service = *parse_name("web.demo_default");
    const std::vector<Case> cases = {
        {"A, 1 answer", query_bytes(service, Type::A, false), 1},
        {"A, 10 answers, EDNS", query_bytes(service, Type::A, true), 10},
        {"A, 40 answers (truncated at 512)", query_bytes(service, Type::A, false), 40},
        {"PTR", query_bytes(reverse_name(IpAddress::v4(172, 18, 0, 2)), Type::PTR, false), 0},
    };
    for (const Case& c : cases) {
        auto t0 = Clock::now();
        std::size_t sum = run(c, queries);
        double secs = std::chrono::duration<double>(Clock::now() - t0).count();
        std::printf("%-36s %10.0f queries/s  %6.0f ns/query  (%zu)\n", c.what, queries / secs,
                    secs * 1e9 / static_cast<double>(queries), sum % 10);
    }
    return 0;
}
