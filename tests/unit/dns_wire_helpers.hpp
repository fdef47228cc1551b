// Shortcuts through the codec itself for the wire tests: a name from its presentation form and a
// query that must parse. (dns_wire_support.hpp is the independent encoder and decoder.)
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dns/wire.hpp"

namespace berth::dns::test {

inline Name name(const std::string& text) {
    auto n = parse_name(text);
    EXPECT_TRUE(n.ok()) << text << ": " << (n.ok() ? "" : n.error().message());
    return n.ok() ? *n : Name();
}

inline Query query_of(const std::vector<std::uint8_t>& b) {
    QueryParse p = parse_query(b);
    EXPECT_TRUE(p.ok()) << p.reason;
    return p.query;
}

}  // namespace berth::dns::test
