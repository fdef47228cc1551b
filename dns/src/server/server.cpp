// DnsServer's I/O: listeners, TCP connections and upstream forwards, all on one io_context thread,
// so the state below needs no locks. The only Asio translation unit of the resolver.
#include "dns/server.hpp"

#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <cerrno>
#include <cstring>
#include <deque>
#include <future>
#include <map>
#include <random>
#include <thread>
#include <unordered_set>

#include "dns/record_store.hpp"
#include "forward_cache.hpp"
#include "local_reply.hpp"

namespace berth::dns {

namespace asio = boost::asio;
using asio::ip::tcp;
using asio::ip::udp;
using Clock = std::chrono::steady_clock;

namespace {

asio::ip::address to_asio(const network::Address& a) {
    if (!a.v6) return asio::ip::address_v4({a.bytes[0], a.bytes[1], a.bytes[2], a.bytes[3]});
    return asio::ip::address_v6(a.bytes);
}

network::Address from_asio(const asio::ip::address& a) {
    network::Address out;
    if (a.is_v4()) {
        auto b = a.to_v4().to_bytes();
        std::copy(b.begin(), b.end(), out.bytes.begin());
    } else if (a.to_v6().is_v4_mapped()) {
        auto b = asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6()).to_bytes();
        std::copy(b.begin(), b.end(), out.bytes.begin());
    } else {
        out.v6 = true;
        out.bytes = a.to_v6().to_bytes();
    }
    return out;
}

// The gateway address may not exist yet when the network's bridge is being made.
void set_freebind(int fd) {
    int one = 1;
    // Linux reads this one flag for IPv6 sockets too.
    ::setsockopt(fd, IPPROTO_IP, IP_FREEBIND, &one, sizeof one);
}

}  // namespace

struct Listener;
struct Connection;

// Where a reply goes: a UDP peer through its listener's socket, or a TCP connection.
struct Client {
    std::shared_ptr<Listener> listener;
    udp::endpoint peer;
    std::shared_ptr<Connection> connection;  // set for TCP
};

struct Listener {
    network::Address ip;
    std::uint16_t port = 0;
    ListenerOptions options;
    udp::socket datagrams;
    tcp::acceptor acceptor;
    std::unordered_set<std::shared_ptr<Connection>> connections;
    bool closed = false;

    Listener(asio::io_context& io) : datagrams(io), acceptor(io) {}
};

constexpr std::size_t kMaxQueuedReplies = 256;

struct Connection : std::enable_shared_from_this<Connection> {
    std::shared_ptr<Listener> listener;
    tcp::socket socket;
    asio::steady_timer idle;
    network::Address source;
    std::vector<std::uint8_t> in;  // unread stream bytes
    std::size_t in_used = 0;
    std::deque<std::vector<std::uint8_t>> out;  // framed replies; the front one is being written
    std::size_t forwards = 0;                   // replies still owed by upstreams
    bool closed = false;

    Connection(asio::io_context& io, tcp::socket s) : socket(std::move(s)), idle(io) {}
};

struct Forward {
    Client client;
    Query query;
    std::vector<std::uint8_t> packet;  // the client's query under our upstream id
    std::uint16_t client_id = 0;
    std::uint16_t upstream_id = 0;
    std::vector<Upstream> upstreams;
    std::size_t next = 0;  // the upstream to try next
    std::string cache_key;
    bool tcp = false;  // asked over TCP, as the client asked us
    udp::socket socket;
    tcp::socket stream;
    std::vector<std::uint8_t> stream_buf;  // the framed query, then the reply
    asio::steady_timer timer;
    bool done = false;

    Forward(asio::io_context& io) : socket(io), stream(io), timer(io) {}
};

struct DnsServer::Impl {
    const RecordStore& store;
    UpstreamsFor upstreams_for;
    ServerOptions options;

    asio::io_context io;
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
    std::thread thread;
    bool stopped = false;

    // I/O-thread state.
    std::map<network::Address, std::shared_ptr<Listener>> listeners;
    std::unordered_set<std::shared_ptr<Forward>> forwards;
    std::size_t tcp_connections = 0;
    ForwardCache cache;
    std::mt19937 rng{std::random_device{}()};
    std::uint64_t seed = 0;
    Answer answer;
    std::string name_buf;
    std::string key_buf;
    std::array<std::uint8_t, 65535> rx{};  // upstream replies are read here, one at a time
    std::array<std::uint8_t, 65535 + 2> tx{};

    struct Counters {
        std::atomic<std::uint64_t> queries{0}, forwarded{0}, cache_hits{0}, upstream_sends{0},
            forward_refused{0}, tcp_rejected{0};
    } counters;

    Impl(const RecordStore& s, UpstreamsFor u, ServerOptions o)
        : store(s),
          upstreams_for(std::move(u)),
          options(o),
          cache(o.cache_entries, o.cache_max_ttl) {}

    template <typename F>
    auto on_io_thread(F f) -> decltype(f()) {
        std::packaged_task<decltype(f())()> task(std::move(f));
        auto result = task.get_future();
        asio::post(io, [&task] { task(); });
        return result.get();
    }

    // ---- listeners ----

    Result<std::uint16_t> open(const network::Address& ip, std::uint16_t port,
                               const ListenerOptions& opts) {
        if (listeners.count(ip)) return Error("already listening on " + network::to_string(ip));
        std::string where = network::to_string(ip) + ":" + std::to_string(port);
        // Port 0: the kernel picks a UDP port, which TCP may find taken; a few tries.
        for (int attempt = 0;; ++attempt) {
            auto l = std::make_shared<Listener>(io);
            l->ip = ip;
            l->options = opts;
            boost::system::error_code ec;
            auto bound = bind_both(*l, port, ec);
            if (!ec) {
                l->port = bound;
                listeners[ip] = l;
                receive_udp(l);
                accept(l);
                return bound;
            }
            if (port != 0 || attempt >= 8) {
                return Error("dns listener on " + where + ": " + ec.message());
            }
        }
    }

    std::uint16_t bind_both(Listener& l, std::uint16_t port, boost::system::error_code& ec) {
        auto address = to_asio(l.ip);
        udp::endpoint uep(address, port);
        l.datagrams.open(uep.protocol(), ec);
        if (ec) return 0;
        set_freebind(l.datagrams.native_handle());
        if (l.ip.v6) l.datagrams.set_option(asio::ip::v6_only(true), ec);
        l.datagrams.bind(uep, ec);
        if (ec) return 0;
        l.datagrams.non_blocking(true, ec);
        std::uint16_t bound = l.datagrams.local_endpoint(ec).port();
        if (ec) return 0;
        tcp::endpoint tep(address, bound);
        l.acceptor.open(tep.protocol(), ec);
        if (ec) return 0;
        set_freebind(l.acceptor.native_handle());
        if (l.ip.v6) l.acceptor.set_option(asio::ip::v6_only(true), ec);
        l.acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
        l.acceptor.bind(tep, ec);
        if (!ec) l.acceptor.listen(asio::socket_base::max_listen_connections, ec);
        return ec ? 0 : bound;
    }

    Result<void> close_listener(const network::Address& ip) {
        auto it = listeners.find(ip);
        if (it == listeners.end()) return Error("no dns listener on " + network::to_string(ip));
        close(*it->second);
        listeners.erase(it);
        return {};
    }

    void close(Listener& l) {
        l.closed = true;
        boost::system::error_code ec;
        l.datagrams.close(ec);
        l.acceptor.close(ec);
        auto connections = l.connections;
        for (auto& c : connections) close(*c);
    }

    void close_all() {
        for (auto& [ip, l] : listeners) close(*l);
        listeners.clear();
        auto pending = forwards;
        for (auto& f : pending) finish_forward(f);
    }

    // ---- UDP ----

    // A burst is read with one recvmmsg and its local answers go out with one sendmmsg: under
    // load the syscalls, not the lookups, are what the resolver spends its time on.
    static constexpr unsigned kBatch = 32;
    static constexpr std::size_t kSlot = 4096;  // a longer datagram is cut (MSG_TRUNC): dropped
    struct UdpBatch {
        std::array<mmsghdr, kBatch> in{}, out{};
        std::array<iovec, kBatch> in_iov{}, out_iov{};
        std::array<sockaddr_storage, kBatch> in_peer{}, out_peer{};
        std::vector<std::uint8_t> in_buf = std::vector<std::uint8_t>(kBatch * kSlot);
        std::vector<std::uint8_t> out_buf = std::vector<std::uint8_t>(kBatch * kSlot);
        unsigned pending = 0;
    };
    UdpBatch batch;
    const Listener* batching = nullptr;  // the listener whose burst is being answered

    int receive_batch(int fd) {
        for (unsigned i = 0; i < kBatch; ++i) {
            batch.in_iov[i] = {batch.in_buf.data() + i * kSlot, kSlot};
            auto& h = batch.in[i].msg_hdr;
            h = {};
            h.msg_name = &batch.in_peer[i];
            h.msg_namelen = sizeof(sockaddr_storage);
            h.msg_iov = &batch.in_iov[i];
            h.msg_iovlen = 1;
        }
        return ::recvmmsg(fd, batch.in.data(), kBatch, MSG_DONTWAIT, nullptr);
    }

    void flush_batch(int fd) {
        unsigned sent = 0;
        while (sent < batch.pending) {
            int n = ::sendmmsg(fd, batch.out.data() + sent, batch.pending - sent, MSG_DONTWAIT);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;  // a full send buffer drops the rest, as UDP may
            sent += static_cast<unsigned>(n);
        }
        batch.pending = 0;
    }

    void receive_udp(const std::shared_ptr<Listener>& l) {
        l->datagrams.async_wait(udp::socket::wait_read, [this, l](boost::system::error_code ec) {
            if (ec || l->closed) return;
            const int fd = l->datagrams.native_handle();
            for (int round = 0; round < 4; ++round) {  // a few bursts, then let the others run
                int n = receive_batch(fd);
                if (n <= 0) break;
                batching = l.get();
                for (int i = 0; i < n; ++i) {
                    const auto& h = batch.in[i].msg_hdr;
                    if (h.msg_flags & MSG_TRUNC) continue;
                    udp::endpoint peer;
                    if (h.msg_namelen > peer.capacity()) continue;
                    std::memcpy(peer.data(), &batch.in_peer[i], h.msg_namelen);
                    peer.resize(h.msg_namelen);
                    Client client{l, peer, nullptr};
                    handle(std::span<const std::uint8_t>(batch.in_buf.data() + i * kSlot,
                                                         batch.in[i].msg_len),
                           from_asio(peer.address()), client);
                }
                batching = nullptr;
                flush_batch(fd);
                if (static_cast<unsigned>(n) < kBatch) break;
            }
            if (!l->closed) receive_udp(l);
        });
    }

    // Into the burst's replies when one is being answered, else at once.
    void send_udp(const Client& c, std::span<const std::uint8_t> reply) {
        if (c.listener->closed) return;
        if (batching == c.listener.get() && reply.size() <= kSlot && batch.pending < kBatch) {
            unsigned i = batch.pending++;
            std::uint8_t* slot = batch.out_buf.data() + i * kSlot;
            std::memcpy(slot, reply.data(), reply.size());
            std::memcpy(&batch.out_peer[i], c.peer.data(), c.peer.size());
            batch.out_iov[i] = {slot, reply.size()};
            auto& h = batch.out[i].msg_hdr;
            h = {};
            h.msg_name = &batch.out_peer[i];
            h.msg_namelen = static_cast<socklen_t>(c.peer.size());
            h.msg_iov = &batch.out_iov[i];
            h.msg_iovlen = 1;
            return;
        }
        boost::system::error_code ec;  // a full send buffer drops the reply, as UDP may
        c.listener->datagrams.send_to(asio::buffer(reply.data(), reply.size()), c.peer, 0, ec);
    }

    // ---- TCP ----

    void accept(const std::shared_ptr<Listener>& l) {
        l->acceptor.async_accept([this, l](boost::system::error_code ec, tcp::socket s) {
            if (l->closed) return;
            if (!ec) {
                if (tcp_connections >= options.max_tcp_connections) {
                    counters.tcp_rejected++;
                    s.close(ec);
                } else {
                    start_connection(l, std::move(s));
                }
            }
            accept(l);
        });
    }

    void start_connection(const std::shared_ptr<Listener>& l, tcp::socket s) {
        boost::system::error_code ec;
        auto peer = s.remote_endpoint(ec);
        if (ec) return;
        auto c = std::make_shared<Connection>(io, std::move(s));
        c->listener = l;
        c->source = from_asio(peer.address());
        l->connections.insert(c);
        tcp_connections++;
        arm_idle(c);
        read_tcp(c);
    }

    void close(Connection& c) {
        if (c.closed) return;
        c.closed = true;
        boost::system::error_code ec;
        c.socket.close(ec);
        c.idle.cancel();
        tcp_connections--;
        c.listener->connections.erase(c.shared_from_this());
    }

    void arm_idle(const std::shared_ptr<Connection>& c) {
        c->idle.expires_after(options.tcp_idle);
        c->idle.async_wait([this, c](boost::system::error_code ec) {
            if (ec || c->closed) return;
            if (c->forwards > 0 || !c->out.empty()) {
                arm_idle(c);  // still owes replies: not idle
                return;
            }
            close(*c);
        });
    }

    void read_tcp(const std::shared_ptr<Connection>& c) {
        // One frame is at most 2 + 65535 bytes; the buffer grows to that and no further.
        std::size_t want = 4096;
        if (c->in.size() < c->in_used + want)
            c->in.resize(
                std::min<std::size_t>(std::max(c->in_used + want, c->in.size()), 65537 + want));
        c->socket.async_read_some(
            asio::buffer(c->in.data() + c->in_used, c->in.size() - c->in_used),
            [this, c](boost::system::error_code ec, std::size_t n) {
                if (c->closed) return;
                if (ec) {
                    close(*c);
                    return;
                }
                c->in_used += n;
                arm_idle(c);
                consume_frames(c);
                if (!c->closed) read_tcp(c);
            });
    }

    void consume_frames(const std::shared_ptr<Connection>& c) {
        std::array<Frame, 16> frames;
        for (;;) {
            auto scan =
                scan_frames(std::span<const std::uint8_t>(c->in.data(), c->in_used), frames);
            for (std::size_t i = 0; i < scan.count && !c->closed; ++i) {
                Client client{c->listener, {}, c};
                handle(std::span<const std::uint8_t>(c->in.data() + frames[i].offset,
                                                     frames[i].length),
                       c->source, client);
            }
            if (c->closed) return;
            std::copy(c->in.begin() + static_cast<std::ptrdiff_t>(scan.consumed),
                      c->in.begin() + static_cast<std::ptrdiff_t>(c->in_used), c->in.begin());
            c->in_used -= scan.consumed;
            if (scan.count < frames.size()) return;
        }
    }

    void send_tcp(const std::shared_ptr<Connection>& c, std::span<const std::uint8_t> reply) {
        if (c->closed || reply.size() > kTcpLimit) return;
        // Replies queue here only once the kernel's send buffer is full: a client that asks and
        // never reads would otherwise grow the queue without end.
        if (c->out.size() >= kMaxQueuedReplies) {
            close(*c);
            return;
        }
        std::vector<std::uint8_t> framed(reply.size() + 2);
        write_frame_prefix(std::span<std::uint8_t, 2>(framed.data(), 2), reply.size());
        std::copy(reply.begin(), reply.end(), framed.begin() + 2);
        c->out.push_back(std::move(framed));
        if (c->out.size() == 1) write_tcp(c);
    }

    void write_tcp(const std::shared_ptr<Connection>& c) {
        asio::async_write(c->socket, asio::buffer(c->out.front()),
                          [this, c](boost::system::error_code ec, std::size_t) {
                              if (c->closed) return;
                              if (ec) {
                                  close(*c);
                                  return;
                              }
                              c->out.pop_front();
                              if (!c->out.empty()) write_tcp(c);
                          });
    }

    void reply(const Client& c, std::span<const std::uint8_t> bytes) {
        if (bytes.empty()) return;
        if (c.connection) {
            send_tcp(c.connection, bytes);
        } else {
            send_udp(c, bytes);
        }
    }

    // ---- queries ----

    void handle(std::span<const std::uint8_t> packet, const network::Address& source,
                const Client& client) {
        Transport transport = client.connection ? Transport::Tcp : Transport::Udp;
        auto parsed = parse_query(packet);
        // Malformed packets are answered by category and never logged: a container could flood
        // the log.
        switch (parsed.status) {
            case ParseStatus::Drop:
                return;
            case ParseStatus::FormErr:
                reply(client, tx_span(build_header_only(parsed.query.header, Rcode::FormErr, tx)));
                return;
            case ParseStatus::NotImp:
                reply(client, tx_span(build_header_only(parsed.query.header, Rcode::NotImp, tx)));
                return;
            case ParseStatus::Ok:
                break;
        }
        counters.queries++;
        const Query& q = parsed.query;
        if (q.edns.present && q.edns.version != 0) {
            reply(client, tx_span(build_rcode_reply(q, Rcode::BadVers, transport, tx)));
            return;
        }
        auto snapshot = store.current();
        lookup_name(q.question.name, name_buf);
        lookup(*snapshot, source, name_buf, query_type(q.question), seed++, answer);
        if (answer.status != Status::Forward) {
            reply(client, tx_span(build_local_reply(q, answer, transport, options.ttl, tx)));
            return;
        }
        if (client.listener->options.internal) {
            // An internal network has no way out: fail at once, as Docker does.
            reply(client, tx_span(build_rcode_reply(q, Rcode::ServFail, transport, tx)));
            return;
        }
        forward(q, packet, source, client);
    }

    std::span<const std::uint8_t> tx_span(std::size_t n) { return {tx.data(), n}; }

    // ---- forwarding ----

    bool is_own_listener(const Upstream& u) const {
        auto it = listeners.find(u.address);
        return it != listeners.end() && it->second->port == u.port;
    }

    // The daemon's callback, kept from taking the I/O thread down: a throw means no upstream.
    std::vector<Upstream> upstreams(const network::Address& source) {
        if (!upstreams_for) return {};
        try {
            return upstreams_for(source);
        } catch (...) {
            return {};
        }
    }

    void forward(const Query& q, std::span<const std::uint8_t> packet,
                 const network::Address& source, const Client& client) {
        Transport transport = client.connection ? Transport::Tcp : Transport::Udp;
        counters.forwarded++;
        std::vector<Upstream> ups = upstreams(source);
        std::erase_if(ups, [&](const Upstream& u) { return is_own_listener(u); });
        if (ups.empty()) {
            reply(client, tx_span(build_rcode_reply(q, Rcode::ServFail, transport, tx)));
            return;
        }
        ForwardCache::key(q, ups, key_buf);
        if (auto hit = cache.find(key_buf, Clock::now())) {
            counters.cache_hits++;
            deliver(client, q, hit->reply, hit->age);
            return;
        }
        if (forwards.size() >= options.max_forwards) {
            counters.forward_refused++;
            reply(client, tx_span(build_rcode_reply(q, Rcode::Refused, transport, tx)));
            return;
        }
        auto f = std::make_shared<Forward>(io);
        f->client = client;
        f->query = q;
        f->packet.assign(packet.begin(), packet.end());
        f->client_id = q.header.id;
        f->upstream_id = static_cast<std::uint16_t>(rng());
        write_id(f->packet, f->upstream_id);
        f->upstreams = std::move(ups);
        f->cache_key = key_buf;
        f->tcp = client.connection != nullptr;
        forwards.insert(f);
        if (client.connection) client.connection->forwards++;
        try_next(f);
    }

    void try_next(const std::shared_ptr<Forward>& f) {
        if (f->done) return;
        boost::system::error_code ec;
        f->socket.close(ec);
        f->stream.close(ec);
        f->timer.cancel();
        if (f->next >= f->upstreams.size()) {
            Transport transport = f->client.connection ? Transport::Tcp : Transport::Udp;
            reply(f->client, tx_span(build_rcode_reply(f->query, Rcode::ServFail, transport, tx)));
            finish_forward(f);
            return;
        }
        const Upstream& u = f->upstreams[f->next++];
        counters.upstream_sends++;
        if (f->tcp) {
            ask_over_tcp(f, u);
        } else if (!ask_over_udp(f, u)) {
            try_next(f);
            return;
        }
        f->timer.expires_after(options.upstream_timeout);
        // The generation check drops an expiry that was already queued when the server failed
        // in another way and the next one was tried.
        f->timer.async_wait([this, f, generation = f->next](boost::system::error_code tec) {
            if (!tec && !f->done && generation == f->next) try_next(f);
        });
    }

    bool ask_over_udp(const std::shared_ptr<Forward>& f, const Upstream& u) {
        udp::endpoint ep(to_asio(u.address), u.port);
        // A connected socket of its own: a fresh source port per query, replies from other
        // addresses are filtered by the kernel, and a dead upstream answers ECONNREFUSED at once.
        boost::system::error_code ec;
        f->socket.open(ep.protocol(), ec);
        if (!ec) f->socket.non_blocking(true, ec);
        if (!ec) f->socket.connect(ep, ec);
        if (!ec) f->socket.send(asio::buffer(f->packet), 0, ec);
        if (ec) return false;
        wait_upstream(f);
        return true;
    }

    // A TCP client is forwarded over TCP, so an answer too large for UDP reaches it whole.
    void ask_over_tcp(const std::shared_ptr<Forward>& f, const Upstream& u) {
        auto current = [f, generation = f->next] { return !f->done && generation == f->next; };
        f->stream.async_connect(tcp::endpoint(to_asio(u.address), u.port), [this, f,
                                                                            current](auto ec) {
            if (!current()) return;
            if (ec) return try_next(f);
            f->stream_buf.resize(f->packet.size() + 2);
            write_frame_prefix(std::span<std::uint8_t, 2>(f->stream_buf.data(), 2),
                               f->packet.size());
            std::copy(f->packet.begin(), f->packet.end(), f->stream_buf.begin() + 2);
            asio::async_write(
                f->stream, asio::buffer(f->stream_buf), [this, f, current](auto wec, std::size_t) {
                    if (!current()) return;
                    if (wec) return try_next(f);
                    f->stream_buf.resize(2);
                    asio::async_read(f->stream, asio::buffer(f->stream_buf),
                                     [this, f, current](auto rec, std::size_t) {
                                         if (!current()) return;
                                         if (rec) return try_next(f);
                                         f->stream_buf.resize(std::size_t{f->stream_buf[0]} << 8 |
                                                              f->stream_buf[1]);
                                         asio::async_read(
                                             f->stream, asio::buffer(f->stream_buf),
                                             [this, f, current](auto bec, std::size_t) {
                                                 if (!current()) return;
                                                 if (bec) return try_next(f);
                                                 // On a stream a wrong reply cannot be followed by
                                                 // the right one.
                                                 if (!accept_reply(f, f->stream_buf)) try_next(f);
                                             });
                                     });
                });
        });
    }

    void wait_upstream(const std::shared_ptr<Forward>& f) {
        f->socket.async_wait(udp::socket::wait_read,
                             [this, f, generation = f->next](boost::system::error_code ec) {
                                 if (ec || f->done || generation != f->next)
                                     return;  // closed for the next server
                                 std::size_t n = f->socket.receive(asio::buffer(rx), 0, ec);
                                 if (ec == asio::error::would_block) {
                                     wait_upstream(f);
                                     return;
                                 }
                                 if (ec) {  // ICMP unreachable: nobody listens there
                                     try_next(f);
                                     return;
                                 }
                                 // A stray or spoofed datagram: keep waiting for the real reply.
                                 if (!accept_reply(f, std::span<const std::uint8_t>(rx.data(), n)))
                                     wait_upstream(f);
                             });
    }

    // False when `r` is not the reply to this forward. Otherwise the forward moves on: to the
    // next server after a SERVFAIL or REFUSED, else to the client (and the cache).
    bool accept_reply(const std::shared_ptr<Forward>& f, std::span<const std::uint8_t> r) {
        if (!reply_matches(r, f->upstream_id, f->query.question)) return false;
        auto rcode = static_cast<Rcode>(read_header(r)->rcode());
        if (rcode == Rcode::ServFail || rcode == Rcode::Refused) {
            try_next(f);
            return true;
        }
        cache.insert(f->cache_key, r, Clock::now());
        deliver(f->client, f->query, r);
        finish_forward(f);
        return true;
    }

    // Sends an upstream reply to the client: its id back, the question in the client's case,
    // cut to the client's UDP limit.
    void deliver(const Client& client, const Query& q, std::span<const std::uint8_t> upstream,
                 std::uint32_t age = 0) {
        if (upstream.size() > tx.size()) return;
        std::span<std::uint8_t> out(tx.data(), upstream.size());
        std::copy(upstream.begin(), upstream.end(), out.begin());
        write_id(out, q.header.id);
        age_ttls(out, age);
        auto name = q.question.name.wire();
        if (out.size() >= kHeaderSize + name.size()) {
            std::copy(name.begin(), name.end(), out.begin() + kHeaderSize);
        }
        std::size_t n = out.size();
        if (!client.connection) {
            n = truncate_reply(out, response_limit(q, Transport::Udp));
            if (n == 0) return;
        }
        reply(client, std::span<const std::uint8_t>(tx.data(), n));
    }

    void finish_forward(const std::shared_ptr<Forward>& f) {
        if (f->done) return;
        f->done = true;
        boost::system::error_code ec;
        f->socket.close(ec);
        f->stream.close(ec);
        f->timer.cancel();
        if (f->client.connection) f->client.connection->forwards--;
        forwards.erase(f);
    }
};

DnsServer::DnsServer(const RecordStore& store, UpstreamsFor upstreams, ServerOptions options)
    : impl_(std::make_unique<Impl>(store, std::move(upstreams), options)) {
    impl_->work.emplace(impl_->io.get_executor());
    impl_->thread = std::thread([io = &impl_->io] { io->run(); });
}

DnsServer::~DnsServer() {
    stop();
}

Result<std::uint16_t> DnsServer::add_listener(const network::Address& ip, std::uint16_t port,
                                              ListenerOptions options) {
    if (impl_->stopped) return Error("dns server is stopped");
    return impl_->on_io_thread([&] { return impl_->open(ip, port, options); });
}

Result<void> DnsServer::remove_listener(const network::Address& ip) {
    if (impl_->stopped) return Error("dns server is stopped");
    return impl_->on_io_thread([&] { return impl_->close_listener(ip); });
}

void DnsServer::stop() {
    if (impl_->stopped) return;
    impl_->stopped = true;
    // Closing every socket and timer lets their handlers finish, then run() returns on its own,
    // so nothing outlives the io_context.
    impl_->on_io_thread([this] { impl_->close_all(); });
    impl_->work.reset();
    impl_->thread.join();
}

ServerStats DnsServer::stats() const {
    const auto& c = impl_->counters;
    return {c.queries.load(),        c.forwarded.load(),       c.cache_hits.load(),
            c.upstream_sends.load(), c.forward_refused.load(), c.tcp_rejected.load()};
}

}  // namespace berth::dns
