// A small HTTP/1.1 client for berthd: one request per connection over a Unix socket, or over TCP
// with TLS and client certificates. Replies come whole or as NDJSON lines, and attached `run` and
// `exec` hand the client's stdio to the daemon (docs/api.md, "Stdio passing").
#pragma once

#include <csignal>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "http_parse.hpp"

namespace berth::cli {

inline constexpr const char* kDefaultSocket = "/run/berth/berth.sock";

struct Host {
    enum class Kind { Unix, Tcp };
    Kind kind = Kind::Unix;
    std::string path;  // Unix
    std::string name;  // Tcp: host name or address
    int port = 0;      // Tcp
    std::string text;  // as given, for messages
};

// unix:///path or tcp://host:port; a bare absolute path is a Unix socket too.
Result<Host> parse_host(std::string_view text);

struct TlsFiles {
    std::string ca, cert, key;
    bool any() const { return !ca.empty() || !cert.empty() || !key.empty(); }
};

struct Request {
    std::string method = "GET";
    std::string target;  // "/v1/..." with its query
    std::string body;    // JSON; sent when non-empty (or when the method is POST/PUT)
    std::string content_type = "application/json";
    // Set from a signal handler to give up on the reply (Ctrl-C during `up`): the read returns
    // an Error with errno EINTR within a fifth of a second.
    const volatile std::sig_atomic_t* cancel = nullptr;
};

inline Request get_request(std::string target) {
    Request r;
    r.target = std::move(target);
    return r;
}
inline Request post_request(std::string target, std::string body) {
    Request r;
    r.method = "POST";
    r.target = std::move(target);
    r.body = std::move(body);
    return r;
}

struct Response {
    ResponseHead head;
    std::string body;  // whole, unless the lines went to a callback

    int status() const { return head.status; }
    bool ok() const { return head.status >= 200 && head.status < 300; }
    // The daemon's {"message": ...}, else the body, else the status line.
    std::string error_message() const;
};

using LineFn = std::function<void(std::string_view)>;

class ApiClient {
  public:
    ApiClient(Host host, TlsFiles tls) : host_(std::move(host)), tls_(std::move(tls)) {}

    const Host& host() const { return host_; }

    // The reply, read whole. Connection errors keep their errno (ENOENT, ECONNREFUSED, EACCES).
    Result<Response> call(const Request& req) const;
    // A 2xx NDJSON reply goes to `on_line`, one line at a time; anything else comes back whole.
    // When the reply carries `Berth-Stdio: send`, the client's fds 0, 1 and 2 go to the daemon
    // first; `before_stdio` runs just before (to put the terminal in raw mode).
    Result<Response> stream(const Request& req, const LineFn& on_line,
                            const std::function<void()>& before_stdio = {}) const;

  private:
    Host host_;
    TlsFiles tls_;
};

}  // namespace berth::cli
