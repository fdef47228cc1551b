#include "api_client.hpp"

#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <nlohmann/json.hpp>

namespace berth::cli {
namespace {

std::string ssl_error(const std::string& what) {
    char buf[256] = "unknown TLS error";
    unsigned long e = ERR_get_error();
    if (e != 0) ERR_error_string_n(e, buf, sizeof buf);
    ERR_clear_error();
    return what + ": " + buf;
}

// One connection: a socket, with TLS on top over TCP when certificates were given.
class Conn {
  public:
    Conn() = default;
    Conn(const Conn&) = delete;
    Conn& operator=(const Conn&) = delete;
    ~Conn() {
        if (ssl_ != nullptr) SSL_free(ssl_);
        if (ctx_ != nullptr) SSL_CTX_free(ctx_);
        if (fd_ >= 0) ::close(fd_);
    }

    static Result<std::unique_ptr<Conn>> open(const Host& host, const TlsFiles& tls) {
        auto c = std::make_unique<Conn>();
        Result<void> r = host.kind == Host::Kind::Unix ? c->connect_unix(host.path)
                                                       : c->connect_tcp(host.name, host.port);
        if (!r) return r.error();
        if (host.kind == Host::Kind::Tcp && tls.any()) {
            if (auto t = c->start_tls(host.name, tls); !t) return t.error();
        }
        return c;
    }

    Result<void> write_all(std::string_view data) {
        while (!data.empty()) {
            ssize_t n = 0;
            if (ssl_ != nullptr) {
                n = SSL_write(ssl_, data.data(), static_cast<int>(data.size()));
                if (n <= 0) return Error(ssl_error("send request"));
            } else {
                n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
                if (n < 0 && errno == EINTR) continue;
                if (n < 0) return errno_error("send request", errno);
            }
            data.remove_prefix(static_cast<std::size_t>(n));
        }
        return {};
    }

    // 0 at the end of the stream.
    Result<std::size_t> read_some(char* buf, std::size_t len) {
        for (;;) {
            if (ssl_ != nullptr) {
                int n = SSL_read(ssl_, buf, static_cast<int>(len));
                if (n > 0) return static_cast<std::size_t>(n);
                int err = SSL_get_error(ssl_, n);
                if (err == SSL_ERROR_ZERO_RETURN) return std::size_t{0};
                if (err == SSL_ERROR_SYSCALL && errno == EINTR) continue;
                // A peer closing without close_notify: the daemon ends streams that way too.
                if (err == SSL_ERROR_SYSCALL && ERR_peek_error() == 0) return std::size_t{0};
                return Error(ssl_error("read reply"));
            }
            ssize_t n = ::read(fd_, buf, len);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) return errno_error("read reply", errno);
            return static_cast<std::size_t>(n);
        }
    }

    // Waits for bytes up to `ms`; true when some may be read.
    bool readable(int ms) {
        if (ssl_ != nullptr && SSL_pending(ssl_) > 0) return true;
        pollfd p{fd_, POLLIN, 0};
        return ::poll(&p, 1, ms) > 0;
    }

    Result<void> send_stdio() {
        char byte = 'F';
        iovec iov{&byte, 1};
        alignas(cmsghdr) char control[CMSG_SPACE(3 * sizeof(int))] = {};
        msghdr msg{};
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control;
        msg.msg_controllen = sizeof control;
        cmsghdr* cm = CMSG_FIRSTHDR(&msg);
        cm->cmsg_level = SOL_SOCKET;
        cm->cmsg_type = SCM_RIGHTS;
        cm->cmsg_len = CMSG_LEN(3 * sizeof(int));
        const int fds[3] = {0, 1, 2};
        std::memcpy(CMSG_DATA(cm), fds, sizeof fds);
        while (::sendmsg(fd_, &msg, MSG_NOSIGNAL) < 0) {
            if (errno != EINTR) return errno_error("send stdio to berthd", errno);
        }
        return {};
    }

  private:
    Result<void> connect_unix(const std::string& path) {
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        if (path.size() >= sizeof addr.sun_path) return Error("socket path too long: " + path);
        std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
        fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd_ < 0) return errno_error("socket", errno);
        if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0) {
            return errno_error("connect " + path, errno);
        }
        return {};
    }

    Result<void> connect_tcp(const std::string& name, int port) {
        addrinfo hints{};
        hints.ai_family = AF_UNSPEC;
        hints.ai_socktype = SOCK_STREAM;
        addrinfo* res = nullptr;
        std::string where = name + ":" + std::to_string(port);
        int rc = ::getaddrinfo(name.c_str(), std::to_string(port).c_str(), &hints, &res);
        if (rc != 0) return Error("resolve " + where + ": " + gai_strerror(rc));
        int last = ECONNREFUSED;
        for (addrinfo* a = res; a != nullptr; a = a->ai_next) {
            fd_ = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
            if (fd_ < 0) continue;
            if (::connect(fd_, a->ai_addr, a->ai_addrlen) == 0) break;
            last = errno;
            ::close(fd_);
            fd_ = -1;
        }
        ::freeaddrinfo(res);
        if (fd_ < 0) return errno_error("connect " + where, last);
        return {};
    }

    Result<void> start_tls(const std::string& name, const TlsFiles& tls) {
        ctx_ = SSL_CTX_new(TLS_client_method());
        if (ctx_ == nullptr) return Error(ssl_error("TLS context"));
        SSL_CTX_set_min_proto_version(ctx_, TLS1_2_VERSION);
        SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
        int ok = tls.ca.empty() ? SSL_CTX_set_default_verify_paths(ctx_)
                                : SSL_CTX_load_verify_locations(ctx_, tls.ca.c_str(), nullptr);
        if (ok != 1) return Error(ssl_error("load CA " + tls.ca));
        if (!tls.cert.empty() && SSL_CTX_use_certificate_chain_file(ctx_, tls.cert.c_str()) != 1) {
            return Error(ssl_error("load certificate " + tls.cert));
        }
        if (!tls.key.empty() &&
            SSL_CTX_use_PrivateKey_file(ctx_, tls.key.c_str(), SSL_FILETYPE_PEM) != 1) {
            return Error(ssl_error("load key " + tls.key));
        }
        ssl_ = SSL_new(ctx_);
        if (ssl_ == nullptr) return Error(ssl_error("TLS session"));
        SSL_set_fd(ssl_, fd_);
        SSL_set_tlsext_host_name(ssl_, name.c_str());
        SSL_set1_host(ssl_, name.c_str());
        if (SSL_connect(ssl_) != 1) return Error(ssl_error("TLS handshake with " + name));
        return {};
    }

    int fd_ = -1;
    SSL_CTX* ctx_ = nullptr;
    SSL* ssl_ = nullptr;
};

std::string request_text(const Request& req) {
    std::string s = req.method + " " + req.target + " HTTP/1.1\r\n";
    s += "Host: berthd\r\nUser-Agent: berth/0.1.0\r\nConnection: close\r\n";
    bool with_body = !req.body.empty() || req.method == "POST" || req.method == "PUT";
    if (with_body) {
        s += "Content-Type: " + req.content_type + "\r\n";
        s += "Content-Length: " + std::to_string(req.body.size()) + "\r\n";
    }
    s += "\r\n";
    if (with_body) s += req.body;
    return s;
}

bool is_ndjson(const ResponseHead& head) {
    auto ct = head.header("Content-Type");
    return ct && ct->find("ndjson") != std::string::npos;
}

// Reads more, giving up when the request's cancel flag is raised while waiting.
Result<std::size_t> read_more(Conn& c, const Request& req, char* buf, std::size_t len) {
    if (req.cancel != nullptr) {
        while (!c.readable(200)) {
            if (*req.cancel != 0) return Error("interrupted", EINTR);
        }
    }
    return c.read_some(buf, len);
}

Result<Response> exchange(const Host& host, const TlsFiles& tls, const Request& req,
                          const LineFn* on_line, const std::function<void()>& before_stdio) {
    auto conn = Conn::open(host, tls);
    if (!conn) return conn.error();
    Conn& c = **conn;
    if (auto w = c.write_all(request_text(req)); !w) return w.error();

    std::string buf;
    char tmp[64 * 1024];
    Response resp;
    for (;;) {
        auto n = read_more(c, req, tmp, sizeof tmp);
        if (!n) return n.error();
        if (*n == 0) return Error("berthd closed the connection before replying");
        buf.append(tmp, *n);
        std::size_t used = 0;
        auto head = parse_response_head(buf, used);
        if (!head) return head.error().context("read reply");
        if (!*head) continue;
        resp.head = std::move(**head);
        buf.erase(0, used);
        break;
    }
    if (resp.ok() && resp.head.header("Berth-Stdio") == "send") {
        if (before_stdio) before_stdio();
        if (auto s = c.send_stdio(); !s) return s.error();
    }

    LineSplitter lines;
    bool to_lines = on_line != nullptr && resp.ok() && is_ndjson(resp.head);
    auto sink = [&](std::string_view data) {
        if (to_lines) {
            lines.feed(data, *on_line);
        } else {
            resp.body.append(data);
        }
    };
    auto length = resp.head.content_length();
    if (!length) return length.error();
    bool chunked = resp.head.chunked();
    ChunkedDecoder decoder;
    std::size_t received = 0;
    auto take = [&](std::string_view data) -> Result<bool> {  // true once the body is complete
        if (chunked) {
            std::string out;
            if (auto d = decoder.feed(data, out); !d) return d.error();
            sink(out);
            return decoder.done();
        }
        if (*length) data = data.substr(0, **length - received);
        received += data.size();
        sink(data);
        return *length && received >= **length;
    };
    auto complete = take(buf);
    if (!complete) return complete.error();
    while (!*complete && !(*length && **length == 0)) {
        auto n = read_more(c, req, tmp, sizeof tmp);
        if (!n) return n.error();
        if (*n == 0) {
            if (chunked || *length) return Error("berthd closed the connection mid-reply");
            break;
        }
        complete = take(std::string_view(tmp, *n));
        if (!complete) return complete.error();
    }
    if (to_lines) lines.finish(*on_line);
    return resp;
}

}  // namespace

Result<Host> parse_host(std::string_view text) {
    Host h;
    h.text = std::string(text);
    if (text.starts_with("unix://")) {
        h.path = std::string(text.substr(7));
    } else if (text.starts_with("/")) {
        h.path = std::string(text);
    } else if (text.starts_with("tcp://")) {
        h.kind = Host::Kind::Tcp;
        std::string_view rest = text.substr(6);
        while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
        auto colon = rest.rfind(':');
        if (colon == std::string_view::npos) return Error("host " + h.text + ": missing :port");
        std::string_view name = rest.substr(0, colon);
        if (name.size() >= 2 && name.front() == '[' && name.back() == ']') {
            name = name.substr(1, name.size() - 2);
        }
        h.name = std::string(name);
        std::string_view port = rest.substr(colon + 1);
        auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), h.port);
        if (ec != std::errc() || end != port.data() + port.size() || h.port <= 0 ||
            h.port > 65535 || h.name.empty()) {
            return Error("host " + h.text + ": expected tcp://HOST:PORT");
        }
        return h;
    } else {
        return Error("host " + h.text + ": expected unix:///path or tcp://host:port");
    }
    if (h.path.empty() || h.path.front() != '/') {
        return Error("host " + h.text + ": the socket path must be absolute");
    }
    return h;
}

std::string Response::error_message() const {
    auto doc = nlohmann::json::parse(body, nullptr, false);
    if (doc.is_object() && doc.contains("message") && doc["message"].is_string()) {
        return doc["message"].get<std::string>();
    }
    std::string b = body;
    while (!b.empty() && (b.back() == '\n' || b.back() == '\r')) b.pop_back();
    if (!b.empty()) return b;
    return std::to_string(head.status) + " " + head.reason;
}

Result<Response> ApiClient::call(const Request& req) const {
    return exchange(host_, tls_, req, nullptr, {});
}

Result<Response> ApiClient::stream(const Request& req, const LineFn& on_line,
                                   const std::function<void()>& before_stdio) const {
    return exchange(host_, tls_, req, &on_line, before_stdio);
}

}  // namespace berth::cli
