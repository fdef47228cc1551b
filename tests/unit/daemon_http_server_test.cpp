// The server over a real Unix socket: NDJSON streams, hang-up detection, stdio passing, stop().
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "daemon/http.hpp"

namespace berth::daemon {
namespace {

using namespace std::chrono_literals;

int connect_to(const std::string& path) {
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

void send_all(int fd, const std::string& s) {
    ASSERT_EQ(::send(fd, s.data(), s.size(), MSG_NOSIGNAL), static_cast<ssize_t>(s.size()));
}

// Reads until `until` appears or the peer closes, with a deadline.
std::string read_until(int fd, const std::string& until) {
    std::string out;
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (out.find(until) == std::string::npos && std::chrono::steady_clock::now() < deadline) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0) continue;
        char buf[4096];
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
}

template <typename F>
bool poll_until(F done) {
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!done()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(10ms);
    }
    return true;
}

class HttpServerTest : public testing::Test {
  protected:
    void SetUp() override {
        char tmpl[] = "/tmp/berth-http-XXXXXX";
        ASSERT_NE(::mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
        config_.unix_path = dir_ + "/api.sock";
        config_.read_timeout_ms = 5000;
    }
    void TearDown() override {
        if (server_) {
            server_->stop();
            thread_.join();
        }
        std::system(("rm -rf " + dir_).c_str());
    }
    void start() {
        auto server = HttpServer::create(config_, router_);
        ASSERT_TRUE(server.ok()) << server.error().message();
        server_ = std::move(*server);
        thread_ = std::thread([this] { server_->run(); });
    }

    std::string dir_;
    ListenerConfig config_;
    Router router_;
    std::unique_ptr<HttpServer> server_;
    std::thread thread_;
};

TEST_F(HttpServerTest, StreamsChunkedNdjsonAndKeepsTheConnection) {
    router_.add("GET", "/v1/stream", [](const HttpRequest& r, ResponseWriter& w) {
        ASSERT_TRUE(r.local);
        ASSERT_TRUE(r.peer.has_value());
        EXPECT_EQ(r.peer->uid, ::getuid());
        EXPECT_EQ(r.peer->pid, ::getpid());
        w.start_stream();
        w.write_line(R"({"n":1})");
        w.write_line(R"({"n":2})");
        w.finish();
    });
    start();
    int fd = connect_to(config_.unix_path);
    ASSERT_GE(fd, 0);
    send_all(fd, "GET /v1/stream HTTP/1.1\r\nHost: b\r\n\r\n");
    std::string reply = read_until(fd, "0\r\n\r\n");
    EXPECT_NE(reply.find("Transfer-Encoding: chunked"), std::string::npos) << reply;
    EXPECT_NE(reply.find("application/x-ndjson"), std::string::npos);
    EXPECT_NE(reply.find("8\r\n{\"n\":1}\n\r\n8\r\n{\"n\":2}\n\r\n0\r\n\r\n"), std::string::npos)
        << reply;
    // The same connection serves the next request.
    send_all(fd, "GET /v1/nothing HTTP/1.1\r\nHost: b\r\n\r\n");
    EXPECT_NE(read_until(fd, "}").find("HTTP/1.1 404"), std::string::npos);
    ::close(fd);
}

TEST_F(HttpServerTest, ClientGoneOnceThePeerCloses) {
    std::atomic<bool> streaming{false}, noticed{false};
    router_.add("GET", "/v1/follow", [&](const HttpRequest&, ResponseWriter& w) {
        w.start_stream();
        streaming = true;
        EXPECT_FALSE(w.client_gone());
        if (poll_until([&] { return w.client_gone(); })) noticed = true;
        w.finish();
    });
    start();
    int fd = connect_to(config_.unix_path);
    send_all(fd, "GET /v1/follow HTTP/1.1\r\nHost: b\r\n\r\n");
    read_until(fd, "\r\n\r\n");
    ASSERT_TRUE(poll_until([&] { return streaming.load(); }));
    ::close(fd);
    EXPECT_TRUE(poll_until([&] { return noticed.load(); }));
}

TEST_F(HttpServerTest, ReceivesStdioFds) {
    router_.add("POST", "/v1/exec", [](const HttpRequest&, ResponseWriter& w) {
        w.start_stream({{"Berth-Stdio", "send"}});
        auto fds = w.receive_fds(5000);
        if (!fds) {
            w.write_line(R"({"type":"result","ok":false})");
            return w.finish();
        }
        ASSERT_EQ(fds->size(), 3u);
        EXPECT_EQ(::fcntl((*fds)[1], F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
        EXPECT_EQ(::write((*fds)[1], "hello", 5), 5);
        for (int f : *fds) ::close(f);
        w.write_line(R"({"type":"result","ok":true,"exit_code":0})");
        w.finish();
    });
    start();
    int fd = connect_to(config_.unix_path);
    send_all(fd, "POST /v1/exec HTTP/1.1\r\nHost: b\r\nContent-Length: 2\r\n\r\n{}");
    std::string head = read_until(fd, "\r\n\r\n");
    ASSERT_NE(head.find("Berth-Stdio: send"), std::string::npos) << head;

    int pipe_fds[2];
    ASSERT_EQ(::pipe(pipe_fds), 0);
    int passed[3] = {pipe_fds[1], pipe_fds[1], pipe_fds[1]};
    char byte = 'F';
    iovec iov{&byte, 1};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof passed)] = {};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof passed);
    std::memcpy(CMSG_DATA(c), passed, sizeof passed);
    ASSERT_EQ(::sendmsg(fd, &msg, 0), 1);
    ::close(pipe_fds[1]);

    std::string result = read_until(fd, "0\r\n\r\n");
    EXPECT_NE(result.find(R"("ok":true)"), std::string::npos) << result;
    char buf[16] = {};
    EXPECT_EQ(::read(pipe_fds[0], buf, sizeof buf), 5);
    EXPECT_STREQ(buf, "hello");
    ::close(pipe_fds[0]);
    ::close(fd);
}

TEST_F(HttpServerTest, UnfinishedHandlerGets500AndStopRemovesTheSocket) {
    router_.add("GET", "/v1/silent", [](const HttpRequest&, ResponseWriter&) {});
    start();
    int fd = connect_to(config_.unix_path);
    send_all(fd, "GET /v1/silent HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n");
    EXPECT_NE(read_until(fd, "}").find("HTTP/1.1 500"), std::string::npos);
    ::close(fd);
    server_->stop();
    thread_.join();
    server_.reset();
    EXPECT_NE(::access(config_.unix_path.c_str(), F_OK), 0);
}

TEST_F(HttpServerTest, BeyondMaxInFlightIs503AndAShortRequestPassesALongOne) {
    config_.max_in_flight = 2;
    std::atomic<bool> release{false};
    std::atomic<int> blocked{0};
    router_.add("GET", "/v1/block", [&](const HttpRequest&, ResponseWriter& w) {
        ++blocked;
        poll_until([&] { return release.load(); });
        w.respond(200, "text/plain", "done");
    });
    router_.add("GET", "/v1/_ping",
                [](const HttpRequest&, ResponseWriter& w) { w.respond(200, "text/plain", "OK"); });
    start();
    int slow = connect_to(config_.unix_path);
    send_all(slow, "GET /v1/block HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n");
    ASSERT_TRUE(poll_until([&] { return blocked == 1; }));
    // A second request runs beside the blocked one: it does not wait for it.
    int quick = connect_to(config_.unix_path);
    send_all(quick, "GET /v1/_ping HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n");
    EXPECT_NE(read_until(quick, "OK").find("HTTP/1.1 200"), std::string::npos);
    ::close(quick);

    // The ping's slot frees just after its reply, so this may briefly still meet a 503.
    int second = -1;
    for (int attempt = 0; attempt < 100 && blocked < 2; ++attempt) {
        second = connect_to(config_.unix_path);
        send_all(second, "GET /v1/block HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n");
        pollfd p{second, POLLIN, 0};
        while (blocked < 2 && ::poll(&p, 1, 10) == 0) {
        }
        if (blocked < 2) ::close(second);
    }
    ASSERT_EQ(blocked, 2);
    int third = connect_to(config_.unix_path);
    send_all(third, "GET /v1/_ping HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n");
    EXPECT_NE(read_until(third, "}").find("HTTP/1.1 503"), std::string::npos);
    release = true;
    EXPECT_NE(read_until(slow, "done").find("HTTP/1.1 200"), std::string::npos);
    EXPECT_NE(read_until(second, "done").find("HTTP/1.1 200"), std::string::npos);
    for (int fd : {slow, second, third}) ::close(fd);
}

TEST_F(HttpServerTest, TcpWithoutTlsNeedsTheInsecureFlag) {
    config_.unix_path.clear();
    config_.tcp = {"127.0.0.1:0"};
    auto refused = HttpServer::create(config_, router_);
    ASSERT_FALSE(refused.ok());
    EXPECT_NE(refused.error().message().find("--allow-insecure-tcp"), std::string::npos);
}

}  // namespace
}  // namespace berth::daemon
