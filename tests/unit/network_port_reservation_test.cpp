// A published port's host side: held by a bound socket, refused when taken, free again once
// released. Only loopback ports, so nothing is exposed.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "network/port_reservation.hpp"

using namespace berth::network;

namespace {

PortRequest loopback(const char* proto, std::uint16_t port) {
    return {proto, parse_address("127.0.0.1"), port};
}

TEST(PortReservation, AnyFreePortThenRefusedWhileHeld) {
    auto first = reserve_port(loopback("tcp", 0));
    ASSERT_TRUE(first) << first.error().message();
    ASSERT_GT(first->port(), 0);
    auto again = reserve_port(loopback("tcp", first->port()));
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().message(),
              "port " + std::to_string(first->port()) +
                  " is already in use (127.0.0.1:" + std::to_string(first->port()) + "/tcp)");
    const std::uint16_t port = first->port();
    { PortReservation gone = std::move(*first); }  // released
    auto later = reserve_port(loopback("tcp", port));
    EXPECT_TRUE(later) << later.error().message();
}

TEST(PortReservation, AnotherProgramsListenerIsDetected) {
    int s = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    ::inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    socklen_t len = sizeof sa;
    ASSERT_EQ(::bind(s, reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
    ASSERT_EQ(::listen(s, 1), 0);
    ASSERT_EQ(::getsockname(s, reinterpret_cast<sockaddr*>(&sa), &len), 0);
    auto taken = reserve_port(loopback("tcp", ntohs(sa.sin_port)));
    EXPECT_FALSE(taken);
    ::close(s);
}

TEST(PortReservation, UdpAndBadProtocols) {
    auto udp = reserve_port(loopback("udp", 0));
    ASSERT_TRUE(udp) << udp.error().message();
    EXPECT_FALSE(reserve_port(loopback("udp", udp->port())));
    EXPECT_FALSE(reserve_port(loopback("icmp", 80)));
}

}  // namespace
