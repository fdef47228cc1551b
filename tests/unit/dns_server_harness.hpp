// Shared by the DnsServer tests: a DNS client whose sockets bind a container's 127.0.0.x
// address, a small reply decoder of its own (independent of the codec's builder), fake upstream
// servers on threads, and polling with deadlines.
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "dns/record_store.hpp"
#include "dns/records.hpp"
#include "dns/server.hpp"
#include "dns/wire.hpp"

namespace dnstest {

using namespace berth::dns;
using berth::network::parse_address;
using berth::network::parse_prefix;
using Bytes = std::vector<std::uint8_t>;
using Clock = std::chrono::steady_clock;

inline Address ip(const char* text) {
    return parse_address(text).value();
}

inline sockaddr_in make_sockaddr(const char* addr, std::uint16_t port) {
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    inet_pton(AF_INET, addr, &sa.sin_addr);
    return sa;
}

// ---- queries --------------------------------------------------------------------------------

inline void put16(Bytes& b, std::uint16_t v) {
    b.push_back(static_cast<std::uint8_t>(v >> 8));
    b.push_back(static_cast<std::uint8_t>(v));
}

inline Bytes encode_name(const std::string& name) {
    Bytes b;
    std::size_t start = 0;
    while (start < name.size()) {
        std::size_t dot = name.find('.', start);
        if (dot == std::string::npos) dot = name.size();
        b.push_back(static_cast<std::uint8_t>(dot - start));
        b.insert(b.end(), name.begin() + static_cast<long>(start),
                 name.begin() + static_cast<long>(dot));
        start = dot + 1;
    }
    b.push_back(0);
    return b;
}

// A query with RD set; `edns` > 0 adds an OPT record advertising that size.
inline Bytes make_query(const std::string& name, std::uint16_t type, std::uint16_t id,
                        std::uint16_t edns = 0) {
    Bytes b;
    put16(b, id);
    put16(b, 0x0100);
    put16(b, 1);
    put16(b, 0);
    put16(b, 0);
    put16(b, edns ? 1 : 0);
    Bytes n = encode_name(name);
    b.insert(b.end(), n.begin(), n.end());
    put16(b, type);
    put16(b, 1);
    if (edns) {
        b.push_back(0);
        put16(b, 41);
        put16(b, edns);
        put16(b, 0);
        put16(b, 0);
        put16(b, 0);
    }
    return b;
}

// ---- replies ---------------------------------------------------------------------------------

struct Record {
    std::string name;
    std::uint16_t type = 0;
    std::uint32_t ttl = 0;
    std::string data;  // an address, or a name for PTR/CNAME
};

struct Reply {
    std::uint16_t id = 0;
    std::uint16_t flags = 0;
    std::string question;
    std::vector<Record> answers;
    bool ok = false;

    int rcode() const { return flags & 0x0f; }
    bool tc() const { return flags & 0x0200; }
    std::vector<std::string> addresses() const {
        std::vector<std::string> out;
        for (const auto& r : answers) out.push_back(r.data);
        std::sort(out.begin(), out.end());
        return out;
    }
};

inline bool read_name(const Bytes& m, std::size_t& pos, std::string& out) {
    std::size_t p = pos;
    bool jumped = false;
    int hops = 0;
    out.clear();
    while (p < m.size()) {
        std::uint8_t len = m[p];
        if ((len & 0xc0) == 0xc0) {
            if (p + 1 >= m.size() || ++hops > 64) return false;
            if (!jumped) pos = p + 2;
            jumped = true;
            p = static_cast<std::size_t>((len & 0x3f) << 8 | m[p + 1]);
            continue;
        }
        if (len == 0) {
            if (!jumped) pos = p + 1;
            return true;
        }
        if (p + 1 + len > m.size()) return false;
        if (!out.empty()) out += '.';
        out.append(reinterpret_cast<const char*>(&m[p + 1]), len);
        p += 1 + len;
    }
    return false;
}

inline Reply decode(const Bytes& m) {
    Reply r;
    if (m.size() < 12) return r;
    auto u16 = [&](std::size_t at) { return static_cast<std::uint16_t>(m[at] << 8 | m[at + 1]); };
    r.id = u16(0);
    r.flags = u16(2);
    std::uint16_t qd = u16(4), an = u16(6);
    std::size_t pos = 12;
    for (int i = 0; i < qd; ++i) {
        if (!read_name(m, pos, r.question) || pos + 4 > m.size()) return r;
        pos += 4;
    }
    for (int i = 0; i < an; ++i) {
        Record rec;
        if (!read_name(m, pos, rec.name) || pos + 10 > m.size()) return r;
        rec.type = u16(pos);
        rec.ttl = static_cast<std::uint32_t>(u16(pos + 4)) << 16 | u16(pos + 6);
        std::uint16_t len = u16(pos + 8);
        pos += 10;
        if (pos + len > m.size()) return r;
        char text[64];
        if (rec.type == 1 && len == 4) {
            inet_ntop(AF_INET, &m[pos], text, sizeof text);
            rec.data = text;
        } else if (rec.type == 28 && len == 16) {
            inet_ntop(AF_INET6, &m[pos], text, sizeof text);
            rec.data = text;
        } else if (rec.type == 12 || rec.type == 5) {
            std::size_t p = pos;
            if (!read_name(m, p, rec.data)) return r;
        }
        pos += len;
        r.answers.push_back(rec);
    }
    r.ok = true;
    return r;
}

// ---- clients ---------------------------------------------------------------------------------

inline bool wait_readable(int fd, std::chrono::milliseconds timeout) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, static_cast<int>(timeout.count())) == 1;
}

// A UDP socket bound to a container's address.
struct UdpClient {
    int fd = -1;
    explicit UdpClient(const char* source) {
        fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        auto sa = make_sockaddr(source, 0);
        EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0) << source;
    }
    ~UdpClient() { ::close(fd); }

    void send(const Bytes& q, const char* server, std::uint16_t port) const {
        auto sa = make_sockaddr(server, port);
        ::sendto(fd, q.data(), q.size(), 0, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
    }
    std::optional<Bytes> receive(std::chrono::milliseconds timeout) const {
        if (!wait_readable(fd, timeout)) return std::nullopt;
        Bytes b(65535);
        ssize_t n = ::recv(fd, b.data(), b.size(), 0);
        if (n < 0) return std::nullopt;
        b.resize(static_cast<std::size_t>(n));
        return b;
    }
    std::optional<Bytes> ask(const Bytes& q, const char* server, std::uint16_t port,
                             std::chrono::milliseconds timeout = std::chrono::seconds(3)) const {
        send(q, server, port);
        return receive(timeout);
    }
};

// A TCP connection from a container's address.
struct TcpClient {
    int fd = -1;
    TcpClient(const char* source, const char* server, std::uint16_t port) {
        fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        auto src = make_sockaddr(source, 0);
        EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&src), sizeof src), 0);
        auto dst = make_sockaddr(server, port);
        EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&dst), sizeof dst), 0);
    }
    ~TcpClient() { ::close(fd); }

    void send_raw(const Bytes& b) const {
        ASSERT_EQ(::send(fd, b.data(), b.size(), 0), ssize_t(b.size()));
    }
    void send(const Bytes& q) const {
        Bytes framed;
        put16(framed, static_cast<std::uint16_t>(q.size()));
        framed.insert(framed.end(), q.begin(), q.end());
        send_raw(framed);
    }
    // Reads exactly n bytes; false on EOF or timeout.
    bool read_exact(std::uint8_t* p, std::size_t n, Clock::time_point deadline) const {
        while (n > 0) {
            auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
            if (left.count() <= 0 || !wait_readable(fd, left)) return false;
            ssize_t got = ::recv(fd, p, n, 0);
            if (got <= 0) return false;
            p += got;
            n -= static_cast<std::size_t>(got);
        }
        return true;
    }
    std::optional<Bytes> receive(
        std::chrono::milliseconds timeout = std::chrono::seconds(3)) const {
        auto deadline = Clock::now() + timeout;
        std::uint8_t len[2];
        if (!read_exact(len, 2, deadline)) return std::nullopt;
        Bytes b(static_cast<std::size_t>(len[0] << 8 | len[1]));
        if (!read_exact(b.data(), b.size(), deadline)) return std::nullopt;
        return b;
    }
    // Waits for the server to close the connection.
    bool closed_within(std::chrono::milliseconds timeout) const {
        if (!wait_readable(fd, timeout)) return false;
        std::uint8_t c;
        return ::recv(fd, &c, 1, 0) <= 0;
    }
};

// ---- fake upstream servers --------------------------------------------------------------------

// A DNS server on a thread, UDP and TCP on one port: answers every A query with `records`
// addresses 192.0.2.1, 192.0.2.2, ... and the TTL given (over UDP cut at 512 bytes with TC, as
// a server does), or stays silent. Counts the queries it saw on each transport.
struct FakeUpstream {
    int fd = -1;
    int listen_fd = -1;
    std::string address;
    std::uint16_t port = 0;
    std::uint32_t ttl = 300;
    bool silent = false;
    int records = 1;
    std::atomic<int> queries{0};
    std::atomic<int> tcp_queries{0};
    std::atomic<bool> stop{false};
    std::thread thread;

    FakeUpstream(const char* address_, std::uint32_t ttl_, bool silent_, int records_ = 1)
        : address(address_), ttl(ttl_), silent(silent_), records(records_) {
        fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        auto sa = make_sockaddr(address_, 0);
        EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
        socklen_t len = sizeof sa;
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len);
        port = ntohs(sa.sin_port);
        listen_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        int one = 1;
        ::setsockopt(listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        EXPECT_EQ(::bind(listen_fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
        ::listen(listen_fd, 8);
        thread = std::thread([this] { serve(); });
    }
    ~FakeUpstream() {
        stop = true;
        thread.join();
        ::close(fd);
        ::close(listen_fd);
    }

    std::size_t answer(const std::uint8_t* query, std::size_t n, std::span<std::uint8_t> out,
                       std::size_t limit) const {
        auto parsed = parse_query(std::span<const std::uint8_t>(query, n));
        if (!parsed.ok()) return 0;
        ResponseBuilder rb(out, limit);
        ResponseFlags flags;
        flags.authoritative = false;
        rb.start(parsed.query, Rcode::NoError, flags);
        if (parsed.query.question.type() == Type::A) {
            for (int i = 0; i < records; ++i) {
                rb.add_a(parsed.query.question.name, ttl,
                         {192, 0, static_cast<std::uint8_t>(2 + i / 250),
                          static_cast<std::uint8_t>(1 + i % 250)});
            }
        }
        return rb.finish();
    }

    void serve() {
        while (!stop) {
            pollfd p[2]{{fd, POLLIN, 0}, {listen_fd, POLLIN, 0}};
            if (::poll(p, 2, 50) <= 0) continue;
            if (p[0].revents & POLLIN) serve_udp();
            if (p[1].revents & POLLIN) serve_tcp();
        }
    }

    void serve_udp() {
        std::uint8_t buf[4096];
        sockaddr_in from{};
        socklen_t len = sizeof from;
        ssize_t n = ::recvfrom(fd, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &len);
        if (n <= 0) return;
        queries++;
        if (silent) return;
        std::array<std::uint8_t, 512> out;
        std::size_t size = answer(buf, static_cast<std::size_t>(n), out, out.size());
        ::sendto(fd, out.data(), size, 0, reinterpret_cast<sockaddr*>(&from), len);
    }

    // One query per connection, read and answered in the serving thread.
    void serve_tcp() {
        int c = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
        if (c < 0) return;
        timeval tv{1, 0};
        ::setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        std::uint8_t len[2];
        std::vector<std::uint8_t> q;
        if (::recv(c, len, 2, MSG_WAITALL) == 2) {
            q.resize(static_cast<std::size_t>(len[0] << 8 | len[1]));
            if (::recv(c, q.data(), q.size(), MSG_WAITALL) == static_cast<ssize_t>(q.size())) {
                tcp_queries++;
                std::vector<std::uint8_t> out(65537);
                std::size_t size =
                    silent ? 0 : answer(q.data(), q.size(), std::span(out).subspan(2), 65535);
                out[0] = static_cast<std::uint8_t>(size >> 8);
                out[1] = static_cast<std::uint8_t>(size);
                if (size) ::send(c, out.data(), size + 2, MSG_NOSIGNAL);
            }
        }
        ::close(c);
    }

    Upstream upstream() const { return {ip(address.c_str()), port}; }
};

// A port on which nothing listens: bound then closed, so the kernel answers port unreachable.
inline std::uint16_t dead_port(const char* address) {
    int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    auto sa = make_sockaddr(address, 0);
    ::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
    socklen_t len = sizeof sa;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len);
    ::close(fd);
    return ntohs(sa.sin_port);
}

template <typename F>
bool eventually(F f, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
        if (f()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return f();
}

// ---- the records ----------------------------------------------------------------------------

inline ContainerRecord container(std::string name, std::string service, std::string network,
                                 const char* address, std::vector<std::string> aliases = {}) {
    ContainerRecord c;
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016zx", std::hash<std::string>{}(name));
    c.id = std::string(hex) + std::string(48, 'c');
    c.name = std::move(name);
    c.hostname = c.id.substr(0, 12);
    c.service = std::move(service);
    c.project = "proj";
    EndpointRecord ep;
    ep.network_id = std::move(network);
    ep.ipv4 = ip(address);
    ep.aliases = std::move(aliases);
    c.endpoints.push_back(std::move(ep));
    c.running = true;
    return c;
}

// proj_default (127.0.0.0/24): three web replicas, a db with an alias, and "big", a service of 40
// replicas whose answer does not fit in 512 bytes, and "six", which also has ::1. other_default
// (127.0.1.0/24): another project's cache. 127.0.0.99 is no container's.
inline Snapshot test_snapshot() {
    std::vector<NetworkRecord> networks{
        {"n1", "proj_default", false, {parse_prefix("127.0.0.0/24").value()}},
        {"n2", "other_default", false, {parse_prefix("127.0.1.0/24").value()}},
    };
    std::vector<ContainerRecord> cs{
        container("proj-web-1", "web", "n1", "127.0.0.10"),
        container("proj-web-2", "web", "n1", "127.0.0.11"),
        container("proj-web-3", "web", "n1", "127.0.0.12"),
        container("proj-db-1", "db", "n1", "127.0.0.13", {"database"}),
        container("other-cache-1", "cache", "n2", "127.0.1.5"),
        container("proj-six-1", "six", "n1", "127.0.0.14"),
    };
    cs.back().endpoints[0].ipv6 = ip("::1");  // asks over IPv6 from the loopback
    for (int i = 0; i < 40; ++i) {
        std::string addr = "127.0.0." + std::to_string(100 + i);
        cs.push_back(container("proj-big-" + std::to_string(i + 1), "big", "n1", addr.c_str()));
    }
    auto s = Snapshot::build(networks, cs);
    EXPECT_TRUE(s) << s.error().message();
    return std::move(s).value();
}

}  // namespace dnstest
