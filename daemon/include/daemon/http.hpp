// The HTTP layer of berthd as the rest of the daemon sees it: requests in, replies or NDJSON
// streams out. Beast and Asio stay inside http_server.cpp; handlers never see them.
#pragma once

#include <sys/types.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace berth::daemon {

struct PeerCredentials {
    pid_t pid = 0;
    uid_t uid = 0;
    gid_t gid = 0;
};

struct HttpRequest {
    std::string method;  // "GET", "POST", ...
    std::string target;  // as sent: /v1/projects/demo/logs?follow=1
    std::string path;    // /v1/projects/demo/logs (percent-decoded)
    std::map<std::string, std::string> query;    // decoded
    std::map<std::string, std::string> headers;  // names lower-cased
    std::map<std::string, std::string> params;   // from the route pattern: {name} -> "demo"
    std::string body;
    std::optional<PeerCredentials> peer;  // on the Unix socket (SO_PEERCRED)
    bool local = false;                   // came over the Unix socket
};

// One reply. Handlers run on worker threads and may block (logs -f); the writer writes
// synchronously from that thread. Either respond() once, or start_stream() then write_line()s
// then finish(). Destroying it without either replies 500.
class ResponseWriter {
  public:
    virtual ~ResponseWriter() = default;
    virtual void respond(int status, const std::string& content_type, const std::string& body) = 0;
    void json(int status, const std::string& body) { respond(status, "application/json", body); }
    void error(int status, const std::string& message);  // {"message": ...}
    // 200, application/x-ndjson, chunked. extra: more headers (Berth-Stdio: send).
    virtual bool start_stream(const std::map<std::string, std::string>& extra = {}) = 0;
    // One JSON object (without the newline). False once the client has gone.
    virtual bool write_line(const std::string& json) = 0;
    virtual void finish() = 0;
    // True when the peer has closed its end (polled without reading), so a follow loop can stop.
    virtual bool client_gone() = 0;
    // Stdio passing (docs/api.md): after start_stream, receives the client's three fds over the
    // Unix socket, waiting at most timeout_ms. Errors on TCP.
    virtual Result<std::vector<int>> receive_fds(int timeout_ms) = 0;
};

using Handler = std::function<void(const HttpRequest&, ResponseWriter&)>;

class Router {
  public:
    // pattern: "/v1/projects/{name}/up"; a {param} matches one path segment.
    void add(const std::string& method, const std::string& pattern, Handler handler);
    // 404 for an unknown path, 405 for a known path with another method.
    void dispatch(HttpRequest& request, ResponseWriter& writer) const;

  private:
    struct Route {
        std::string method;
        std::vector<std::string> segments;
        Handler handler;
    };
    std::vector<Route> routes_;
};

struct ListenerConfig {
    std::string unix_path;  // "" = none
    mode_t unix_mode = 0660;
    std::string unix_group = "berth";  // created if missing? no: root's group when it is missing
    std::vector<std::string> tcp;      // host:port
    std::string tls_ca, tls_cert, tls_key;
    bool allow_insecure_tcp = false;
    std::size_t max_header_bytes = 16 * 1024;
    std::size_t max_body_bytes = 64 * 1024 * 1024;
    int read_timeout_ms = 30000;
    int max_in_flight = 256;  // requests being handled at once; beyond, 503
};

class HttpServer {
  public:
    static Result<std::unique_ptr<HttpServer>> create(const ListenerConfig& config,
                                                      const Router& router);
    virtual ~HttpServer() = default;
    // Serves until stop(): the io thread here, handlers on their own threads.
    virtual void run() = 0;
    // Graceful: stop accepting, let in-flight requests finish (streams are told via
    // client_gone()/write failures), then return from run(). Safe from a signal-handling thread.
    virtual void stop() = 0;
};

// "%2F" decoding and query splitting, exposed for tests.
std::string percent_decode(const std::string& s);
std::map<std::string, std::string> parse_query(const std::string& query);

}  // namespace berth::daemon
