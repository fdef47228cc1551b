// A published port's host side held by a bound socket, as Docker holds it: `up` finds out at once
// that a port is taken (`port 8080 is already in use`), and no other program can take the port
// while the container publishes it. Nothing listens on the socket: the nftables DNAT takes the
// traffic before it would reach it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/result.hpp"
#include "network/address.hpp"

namespace berth::network {

struct PortRequest {
    std::string protocol = "tcp";    // tcp or udp (sctp is published without a reservation)
    std::optional<Address> host_ip;  // unset: every address (0.0.0.0)
    std::uint16_t port = 0;          // 0: any free port, chosen by the kernel from its range
};

class PortReservation {
  public:
    PortReservation(PortReservation&&) noexcept;
    PortReservation& operator=(PortReservation&&) noexcept;
    ~PortReservation();

    std::uint16_t port() const { return port_; }
    int fd() const { return fd_; }

  private:
    friend Result<PortReservation> reserve_port(const PortRequest& request);
    PortReservation(int fd, std::uint16_t port) : fd_(fd), port_(port) {}
    int fd_ = -1;
    std::uint16_t port_ = 0;
};

Result<PortReservation> reserve_port(const PortRequest& request);

}  // namespace berth::network
