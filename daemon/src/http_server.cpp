// berthd's listeners: one io thread reads requests asynchronously under the limits of
// docs/api.md; each complete request runs on its own thread, which writes the reply
// synchronously and then hands the connection back to the io thread.

// clang-format off
// Boost 1.74's awaitable.hpp uses std::exchange without including <utility>.
#include <utility>
// clang-format on

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <system_error>
#include <thread>

#include "daemon/http.hpp"
#include "log.hpp"
#include "unix_socket.hpp"

namespace berth::daemon {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using unix_socket = asio::local::stream_protocol::socket;
using tls_stream = ssl::stream<tcp::socket>;

// A handler that ignores client_gone() still gets this long after stop() before run() returns.
constexpr auto kStopGrace = std::chrono::seconds(5);
// After an error reply, how long the rest of the client's request is read and dropped, so the
// close does not reset the connection before the client has read the reply.
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr int kStdioFds = 3;

// What every connection shares with the server; connections and handler threads hold it by
// shared_ptr, so a handler still running when run() returns finds it alive.
struct Core {
    Core(const ListenerConfig& c, const Router& r) : config(c), router(r) {}
    const ListenerConfig config;
    const Router& router;
    asio::io_context io;
    std::atomic<bool> stopping{false};
    std::mutex mutex;
    std::condition_variable idle;
    int in_flight = 0;  // guarded by mutex

    bool try_begin_request() {
        std::lock_guard lock(mutex);
        if (in_flight >= config.max_in_flight) return false;
        ++in_flight;
        return true;
    }
    void end_request() {
        std::lock_guard lock(mutex);
        --in_flight;
        idle.notify_all();
    }
};

std::string status_line(int status) {
    auto reason = http::obsolete_reason(static_cast<http::status>(status));
    return "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason) + "\r\n";
}

std::string full_response(int status, const std::string& type, const std::string& body,
                          bool close) {
    std::string out = status_line(status);
    if (!type.empty()) out += "Content-Type: " + type + "\r\n";
    out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    if (close) out += "Connection: close\r\n";
    return out + "\r\n" + body;
}

std::string json_message(const std::string& message) {
    std::string escaped;
    for (char c : message) {
        if (c == '"' || c == '\\') escaped += '\\';
        if (static_cast<unsigned char>(c) >= 0x20) escaped += c;
    }
    return "{\"message\":\"" + escaped + "\"}";
}

template <typename Stream>
class Session;

// Writes one reply from a handler thread, straight to the socket. The io thread does not touch
// the connection meanwhile: it handed it over with the complete request.
template <typename Stream>
class SyncWriter : public ResponseWriter {
  public:
    SyncWriter(Session<Stream>& session, bool keep_alive)
        : session_(session), keep_alive_(keep_alive) {}

    void respond(int status, const std::string& type, const std::string& body) override {
        if (state_ != State::fresh) return;
        state_ = State::done;
        status_ = status;
        send(full_response(status, type, body, !keep_alive_));
    }
    bool start_stream(const std::map<std::string, std::string>& extra) override {
        if (state_ != State::fresh) return false;
        state_ = State::streaming;
        status_ = 200;
        std::string head = status_line(200) +
                           "Content-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n";
        for (const auto& [k, v] : extra) head += k + ": " + v + "\r\n";
        if (!keep_alive_) head += "Connection: close\r\n";
        return send(head + "\r\n");
    }
    bool write_line(const std::string& json) override {
        if (state_ != State::streaming || failed_) return false;
        char size[24];
        std::snprintf(size, sizeof size, "%zx\r\n", json.size() + 1);
        return send(size + json + "\n\r\n");
    }
    void finish() override {
        if (state_ != State::streaming) return;
        state_ = State::done;
        send("0\r\n\r\n");
    }
    bool client_gone() override {
        return failed_ || session_.core().stopping || peer_hung_up(session_.native_fd());
    }
    Result<std::vector<int>> receive_fds(int timeout_ms) override {
        if (!session_.local()) return Error("exec and attached run need the local socket");
        if (state_ != State::streaming) return Error("receive stdio before the stream has started");
        return daemon::receive_fds(session_.native_fd(), kStdioFds, timeout_ms);
    }

    // After the handler: a reply it never sent is a 500; a stream it never finished ends the
    // connection, since the client cannot tell where the reply stops.
    void complete() {
        if (state_ == State::fresh) respond(500, "application/json", json_message("no reply"));
        if (state_ == State::streaming) failed_ = true;
    }
    bool reusable() const { return keep_alive_ && !failed_; }
    int status() const { return status_; }

  private:
    enum class State { fresh, streaming, done };

    bool send(const std::string& data) {
        if (failed_) return false;
        boost::system::error_code ec;
        asio::write(session_.stream(), asio::buffer(data), ec);
        if (ec) failed_ = true;
        return !ec;
    }

    Session<Stream>& session_;
    bool keep_alive_;
    State state_ = State::fresh;
    bool failed_ = false;
    int status_ = 0;
};

template <typename Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
  public:
    Session(std::shared_ptr<Core> core, Stream stream, bool local)
        : core_(std::move(core)), stream_(std::move(stream)), deadline_(core_->io), local_(local) {}

    void start(std::optional<PeerCredentials> peer) {
        peer_ = peer;
        arm_deadline(std::chrono::milliseconds(core_->config.read_timeout_ms));
        if constexpr (std::is_same_v<Stream, tls_stream>) {
            stream_.async_handshake(ssl::stream_base::server,
                                    [self = this->shared_from_this()](beast::error_code ec) {
                                        if (ec)
                                            return self->close("TLS handshake: " + ec.message());
                                        self->read_header();
                                    });
        } else {
            read_header();
        }
    }

    Core& core() { return *core_; }
    Stream& stream() { return stream_; }
    bool local() const { return local_; }
    int native_fd() { return beast::get_lowest_layer(stream_).native_handle(); }

  private:
    // One deadline for the whole request: a client that trickles a byte at a time is cut off
    // when it expires, however busy it keeps the connection.
    void arm_deadline(std::chrono::milliseconds after) {
        timed_out_ = false;
        deadline_.expires_after(after);
        deadline_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
            if (ec) return;
            self->timed_out_ = true;
            beast::get_lowest_layer(self->stream_).cancel(ec);
        });
    }

    void read_header() {
        if (core_->stopping) return close("");
        parser_.emplace();
        parser_->header_limit(static_cast<std::uint32_t>(core_->config.max_header_bytes));
        parser_->body_limit(core_->config.max_body_bytes);
        http::async_read_header(
            stream_, buffer_, *parser_,
            [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                if (ec) return self->read_failed(ec);
                self->read_body();
            });
    }

    void read_body() {
        auto& req = parser_->get();
        if (beast::iequals(req[http::field::expect], "100-continue") && !parser_->is_done()) {
            static const std::string cont = "HTTP/1.1 100 Continue\r\n\r\n";
            asio::async_write(stream_, asio::buffer(cont),
                              [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                                  if (ec) return self->close("");
                                  self->read_rest();
                              });
            return;
        }
        read_rest();
    }

    void read_rest() {
        http::async_read(stream_, buffer_, *parser_,
                         [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                             if (ec) return self->read_failed(ec);
                             self->deadline_.cancel();
                             self->hand_over();
                         });
    }

    void read_failed(beast::error_code ec) {
        bool started = parser_->got_some() || buffer_.size() > 0;
        if (timed_out_) {
            // An idle kept-alive connection just ends; a request that did not finish in time is
            // told.
            if (!started) return close("");
            return reply_and_close(408, "the request did not arrive within " +
                                            std::to_string(core_->config.read_timeout_ms) + " ms");
        }
        if (ec == http::error::header_limit)
            return reply_and_close(413, "request header larger than " +
                                            std::to_string(core_->config.max_header_bytes) +
                                            " bytes");
        if (ec == http::error::body_limit)
            return reply_and_close(413, "request body larger than " +
                                            std::to_string(core_->config.max_body_bytes) +
                                            " bytes");
        if (ec == http::error::end_of_stream || ec == asio::error::eof ||
            ec == asio::error::operation_aborted || ec == asio::error::connection_reset || !started)
            return close("");
        reply_and_close(400, "malformed request: " + ec.message());
    }

    void reply_and_close(int status, const std::string& message) {
        log_debug("reply " + std::to_string(status) + " and close: " + message);
        deadline_.cancel();
        auto text = std::make_shared<std::string>(
            full_response(status, "application/json", json_message(message), true));
        asio::async_write(
            stream_, asio::buffer(*text),
            [self = this->shared_from_this(), text](beast::error_code ec, std::size_t) {
                if (ec) return self->close("");
                self->linger();
            });
    }

    // Half-closes and drops what the client still sends, for a short while, so the kernel does
    // not answer its unread bytes with a reset that would destroy the reply in flight.
    void linger() {
        beast::error_code ec;
        beast::get_lowest_layer(stream_).shutdown(asio::socket_base::shutdown_send, ec);
        arm_deadline(std::chrono::duration_cast<std::chrono::milliseconds>(kLingerTime));
        drain(std::make_shared<std::array<char, 4096>>());
    }

    void drain(std::shared_ptr<std::array<char, 4096>> scratch) {
        beast::get_lowest_layer(stream_).async_read_some(
            asio::buffer(*scratch),
            [self = this->shared_from_this(), scratch](beast::error_code ec, std::size_t) {
                if (ec) return self->close("");
                self->drain(scratch);
            });
    }

    void close(const std::string& why) {
        if (!why.empty()) log_debug("connection closed: " + why);
        deadline_.cancel();
        beast::error_code ec;
        beast::get_lowest_layer(stream_).close(ec);
    }

    void hand_over() {
        if (!core_->try_begin_request())
            return reply_and_close(503, "too many requests in flight (" +
                                            std::to_string(core_->config.max_in_flight) + ")");
        // A thread per request rather than a fixed pool: a `logs -f` stream may hold its thread
        // for hours, and a pool would let a few of them starve every short request.
        try {
            std::thread([self = this->shared_from_this()] { self->handle(); }).detach();
        } catch (const std::system_error& e) {
            core_->end_request();
            reply_and_close(503, std::string("no thread for the request: ") + e.what());
        }
    }

    HttpRequest make_request() {
        auto msg = parser_->release();
        HttpRequest r;
        r.method = std::string(msg.method_string());
        r.target = std::string(msg.target());
        for (const auto& field : msg) {
            std::string name(field.name_string());
            for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            r.headers[name] = std::string(field.value());
        }
        auto question = r.target.find('?');
        r.path = percent_decode(r.target.substr(0, question));
        if (question != std::string::npos) r.query = parse_query(r.target.substr(question + 1));
        r.body = std::move(msg.body());
        r.peer = peer_;
        r.local = local_;
        keep_alive_ = msg.keep_alive();
        return r;
    }

    void handle() {
        HttpRequest request = make_request();
        SyncWriter<Stream> writer(*this, keep_alive_ && !core_->stopping);
        core_->router.dispatch(request, writer);
        writer.complete();
        log_debug(request.method + " " + request.target + " " + std::to_string(writer.status()));
        bool again = writer.reusable() && !core_->stopping;
        // Back to the io thread: it alone starts reads and timers on this connection.
        asio::post(core_->io, [self = this->shared_from_this(), again] {
            if (!again) return self->close("");
            self->arm_deadline(std::chrono::milliseconds(self->core_->config.read_timeout_ms));
            self->read_header();
        });
        core_->end_request();
    }

    std::shared_ptr<Core> core_;
    Stream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    asio::steady_timer deadline_;
    bool timed_out_ = false;
    bool local_;
    bool keep_alive_ = false;
    std::optional<PeerCredentials> peer_;
};

template <typename Acceptor, typename Accepted>
void accept_loop(std::shared_ptr<Core> core, Acceptor& acceptor, Accepted on_accept) {
    acceptor.async_accept([core, &acceptor, on_accept](beast::error_code ec, auto socket) {
        if (ec == asio::error::operation_aborted || core->stopping) return;
        if (!ec) on_accept(std::move(socket));
        // EMFILE and friends: keep accepting rather than go deaf; the next client may fit.
        if (ec) log_warn("accept: " + ec.message());
        accept_loop(core, acceptor, on_accept);
    });
}

Result<tcp::endpoint> tcp_endpoint(asio::io_context& io, const std::string& host_port) {
    auto colon = host_port.rfind(':');
    if (colon == std::string::npos) return Error(host_port + " is not HOST:PORT");
    std::string host = host_port.substr(0, colon), port = host_port.substr(colon + 1);
    if (host.size() > 1 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    tcp::resolver resolver(io);
    beast::error_code ec;
    auto results = resolver.resolve(host, port, tcp::resolver::numeric_service, ec);
    if (ec || results.empty()) return Error("resolve " + host_port + ": " + ec.message());
    return results.begin()->endpoint();
}

Result<std::unique_ptr<ssl::context>> make_tls_context(const ListenerConfig& c) {
    auto ctx = std::make_unique<ssl::context>(ssl::context::tls_server);
    beast::error_code ec;
    ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                         ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                         ssl::context::no_tlsv1_1 | ssl::context::single_dh_use,
                     ec);
    // A client certificate signed by tlscacert is the only credential TCP clients have.
    ctx->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert, ec);
    if (ctx->load_verify_file(c.tls_ca, ec); ec)
        return Error("tlscacert " + c.tls_ca + ": " + ec.message());
    if (ctx->use_certificate_chain_file(c.tls_cert, ec); ec)
        return Error("tlscert " + c.tls_cert + ": " + ec.message());
    if (ctx->use_private_key_file(c.tls_key, ssl::context::pem, ec); ec)
        return Error("tlskey " + c.tls_key + ": " + ec.message());
    return ctx;
}

class AsioServer : public HttpServer {
  public:
    AsioServer(const ListenerConfig& config, const Router& router)
        : core_(std::make_shared<Core>(config, router)) {}

    ~AsioServer() override {
        if (!unix_path_.empty() && unix_listening_) ::unlink(unix_path_.c_str());
    }

    Result<void> open() {
        const ListenerConfig& c = core_->config;
        if (!c.unix_path.empty())
            if (auto ok = open_unix(c); !ok) return ok.error().context("listen on " + c.unix_path);
        bool tls = !c.tls_ca.empty() || !c.tls_cert.empty() || !c.tls_key.empty();
        if (!c.tcp.empty() && !tls && !c.allow_insecure_tcp)
            return Error(
                "a TCP listener needs TLS with client certificates (tlsverify, tlscacert, "
                "tlscert, tlskey) or --allow-insecure-tcp");
        if (!c.tcp.empty() && tls) {
            auto ctx = make_tls_context(c);
            if (!ctx) return ctx.error();
            tls_ = std::move(*ctx);
        }
        for (const std::string& host : c.tcp)
            if (auto ok = open_tcp(host); !ok) return ok.error().context("listen on tcp://" + host);
        return {};
    }

    void run() override {
        for (auto& acceptor : tcp_) start_tcp(*acceptor);
        if (unix_) start_unix();
        core_->io.run();
        std::unique_lock lock(core_->mutex);
        if (!core_->idle.wait_for(lock, kStopGrace, [&] { return core_->in_flight == 0; }))
            log_warn(std::to_string(core_->in_flight) + " requests still running at exit");
        if (unix_listening_ && ::unlink(unix_path_.c_str()) == 0) unix_listening_ = false;
    }

    void stop() override {
        std::shared_ptr<Core> core = core_;
        core->stopping = true;
        asio::post(core->io, [this, core] {
            beast::error_code ec;
            if (unix_) unix_->close(ec);
            for (auto& acceptor : tcp_) acceptor->close(ec);
            core->io.stop();
        });
    }

  private:
    Result<void> open_unix(const ListenerConfig& c) {
        auto fd = open_unix_listener(c.unix_path, c.unix_mode, c.unix_group);
        if (!fd) return fd.error();
        unix_path_ = c.unix_path;
        unix_listening_ = true;
        unix_ = std::make_unique<asio::local::stream_protocol::acceptor>(core_->io);
        beast::error_code ec;
        unix_->assign(asio::local::stream_protocol(), *fd, ec);
        if (ec) return Error("adopt the socket: " + ec.message());
        log_info("listening on unix://" + c.unix_path);
        return {};
    }

    Result<void> open_tcp(const std::string& host) {
        auto endpoint = tcp_endpoint(core_->io, host);
        if (!endpoint) return endpoint.error();
        auto acceptor = std::make_unique<tcp::acceptor>(core_->io);
        beast::error_code ec;
        acceptor->open(endpoint->protocol(), ec);
        if (!ec) acceptor->set_option(asio::socket_base::reuse_address(true), ec);
        if (!ec) acceptor->bind(*endpoint, ec);
        if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
        if (ec) return Error(ec.message());
        log_info(std::string("listening on tcp://") + host +
                 (tls_ ? " (TLS, client certificates)" : " (no TLS)"));
        tcp_.push_back(std::move(acceptor));
        return {};
    }

    void start_unix() {
        accept_loop(core_, *unix_, [core = core_](unix_socket socket) {
            std::optional<PeerCredentials> peer;
            if (auto cred = peer_credentials(socket.native_handle())) peer = *cred;
            std::make_shared<Session<unix_socket>>(core, std::move(socket), true)->start(peer);
        });
    }

    void start_tcp(tcp::acceptor& acceptor) {
        ssl::context* tls = tls_.get();
        accept_loop(core_, acceptor, [core = core_, tls](tcp::socket socket) {
            beast::error_code ec;
            socket.set_option(tcp::no_delay(true), ec);
            if (tls)
                std::make_shared<Session<tls_stream>>(core, tls_stream(std::move(socket), *tls),
                                                      false)
                    ->start(std::nullopt);
            else
                std::make_shared<Session<tcp::socket>>(core, std::move(socket), false)
                    ->start(std::nullopt);
        });
    }

    std::shared_ptr<Core> core_;
    std::unique_ptr<asio::local::stream_protocol::acceptor> unix_;
    std::vector<std::unique_ptr<tcp::acceptor>> tcp_;
    std::unique_ptr<ssl::context> tls_;
    std::string unix_path_;
    bool unix_listening_ = false;
};

}  // namespace

Result<std::unique_ptr<HttpServer>> HttpServer::create(const ListenerConfig& config,
                                                       const Router& router) {
    auto server = std::make_unique<AsioServer>(config, router);
    if (auto ok = server->open(); !ok) return ok.error();
    return std::unique_ptr<HttpServer>(std::move(server));
}

}  // namespace berth::daemon
