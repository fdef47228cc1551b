#include "network/port_reservation.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace berth::network {

PortReservation::PortReservation(PortReservation&& o) noexcept
    : fd_(std::exchange(o.fd_, -1)), port_(o.port_) {}

PortReservation& PortReservation::operator=(PortReservation&& o) noexcept {
    std::swap(fd_, o.fd_);
    std::swap(port_, o.port_);
    return *this;
}

PortReservation::~PortReservation() {
    if (fd_ >= 0) ::close(fd_);
}

Result<PortReservation> reserve_port(const PortRequest& r) {
    if (r.protocol != "tcp" && r.protocol != "udp") {
        return Error("cannot reserve a " + r.protocol + " port: only tcp and udp");
    }
    const bool v6 = r.host_ip && r.host_ip->v6;
    const std::string where = (r.host_ip ? to_string(*r.host_ip) : std::string("0.0.0.0")) + ":" +
                              std::to_string(r.port) + "/" + r.protocol;
    int fd = ::socket(v6 ? AF_INET6 : AF_INET,
                      (r.protocol == "tcp" ? SOCK_STREAM : SOCK_DGRAM) | SOCK_CLOEXEC, 0);
    if (fd < 0) return errno_error("reserve " + where, errno);
    // Closed on every early return. No SO_REUSEADDR: with it, two sockets that do not listen
    // may bind one port, and a second reservation of a taken port would go unnoticed.
    PortReservation held(fd, r.port);
    sockaddr_storage ss{};
    socklen_t len = 0;
    if (v6) {
        auto* sa = reinterpret_cast<sockaddr_in6*>(&ss);
        sa->sin6_family = AF_INET6;
        sa->sin6_port = htons(r.port);
        std::memcpy(&sa->sin6_addr, r.host_ip->bytes.data(), 16);
        len = sizeof *sa;
    } else {
        auto* sa = reinterpret_cast<sockaddr_in*>(&ss);
        sa->sin_family = AF_INET;
        sa->sin_port = htons(r.port);
        if (r.host_ip) std::memcpy(&sa->sin_addr, r.host_ip->bytes.data(), 4);
        len = sizeof *sa;
    }
    if (::bind(fd, reinterpret_cast<sockaddr*>(&ss), len) != 0) {
        if (errno == EADDRINUSE) {
            return Error("port " + std::to_string(r.port) + " is already in use (" + where + ")");
        }
        return errno_error("reserve " + where, errno);
    }
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) {
        return errno_error("reserve " + where, errno);
    }
    const std::uint16_t port = v6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port)
                                  : ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
    held.port_ = port;
    return held;
}

}  // namespace berth::network
