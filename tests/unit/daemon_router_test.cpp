#include <gtest/gtest.h>

#include "daemon/http.hpp"

namespace berth::daemon {
namespace {

// Records what a handler answered, the way the server's writer would send it.
class RecordingWriter : public ResponseWriter {
  public:
    void respond(int s, const std::string& type, const std::string& b) override {
        status = s;
        content_type = type;
        body = b;
    }
    bool start_stream(const std::map<std::string, std::string>&) override { return true; }
    bool write_line(const std::string&) override { return true; }
    void finish() override {}
    bool client_gone() override { return false; }
    Result<std::vector<int>> receive_fds(int) override { return Error("no socket"); }

    int status = 0;
    std::string content_type, body;
};

HttpRequest request(const std::string& method, const std::string& target) {
    HttpRequest r;
    r.method = method;
    r.target = target;
    return r;
}

TEST(PercentDecode, DecodesEscapesAndLeavesBadOnesAlone) {
    EXPECT_EQ(percent_decode("a%2Fb%20c"), "a/b c");
    EXPECT_EQ(percent_decode("%41%6a"), "Aj");
    EXPECT_EQ(percent_decode("100%"), "100%");
    EXPECT_EQ(percent_decode("%zz%4"), "%zz%4");
    EXPECT_EQ(percent_decode("plain"), "plain");
}

TEST(ParseQuery, SplitsDecodesAndKeepsEmptyValues) {
    auto q = parse_query("follow=1&tail=10&services=a%2Cb&flag&name=a+b&plus=%2B");
    EXPECT_EQ(q["follow"], "1");
    EXPECT_EQ(q["tail"], "10");
    EXPECT_EQ(q["services"], "a,b");
    EXPECT_EQ(q.count("flag"), 1u);
    EXPECT_EQ(q["flag"], "");
    EXPECT_EQ(q["name"], "a b");
    EXPECT_EQ(q["plus"], "+");
    EXPECT_TRUE(parse_query("").empty());
}

TEST(Router, MatchesParamsAndFillsPathAndQuery) {
    Router router;
    std::string seen;
    router.add("GET", "/v1/projects/{name}/logs", [&](const HttpRequest& r, ResponseWriter& w) {
        seen = r.params.at("name") + "|" + r.path + "|" + r.query.at("follow");
        w.respond(200, "text/plain", "ok");
    });
    auto r = request("GET", "/v1/projects/de%2Fmo/logs?follow=1");
    RecordingWriter w;
    router.dispatch(r, w);
    EXPECT_EQ(w.status, 200);
    EXPECT_EQ(seen, "de/mo|/v1/projects/de/mo/logs|1");
}

TEST(Router, UnknownPathIs404AndOtherMethodIs405) {
    Router router;
    router.add("GET", "/v1/_ping",
               [](const HttpRequest&, ResponseWriter& w) { w.respond(200, "text/plain", "OK"); });
    RecordingWriter missing;
    auto r1 = request("GET", "/v1/nothing");
    router.dispatch(r1, missing);
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(missing.content_type, "application/json");
    EXPECT_NE(missing.body.find("\"message\""), std::string::npos);

    RecordingWriter wrong;
    auto r2 = request("POST", "/v1/_ping");
    router.dispatch(r2, wrong);
    EXPECT_EQ(wrong.status, 405);
}

TEST(Router, ParamMatchesOneSegmentOnly) {
    Router router;
    int calls = 0;
    router.add("POST", "/v1/containers/{id}/exec",
               [&](const HttpRequest&, ResponseWriter& w) { ++calls, w.respond(200, "", ""); });
    RecordingWriter w;
    auto r = request("POST", "/v1/containers/a/b/exec");
    router.dispatch(r, w);
    EXPECT_EQ(calls, 0);
    EXPECT_EQ(w.status, 404);
}

TEST(Router, SamePathDifferentMethodsPickTheRightHandler) {
    Router router;
    std::string which;
    router.add("GET", "/v1/containers/{id}/archive", [&](const HttpRequest&, ResponseWriter& w) {
        which = "get", w.respond(200, "", "");
    });
    router.add("PUT", "/v1/containers/{id}/archive", [&](const HttpRequest&, ResponseWriter& w) {
        which = "put", w.respond(200, "", "");
    });
    RecordingWriter w;
    auto r = request("PUT", "/v1/containers/abcd/archive?path=/x");
    router.dispatch(r, w);
    EXPECT_EQ(which, "put");
    EXPECT_EQ(r.query["path"], "/x");
}

TEST(ResponseWriter, ErrorIsJsonMessage) {
    RecordingWriter w;
    w.error(409, "conflict \"x\"");
    EXPECT_EQ(w.status, 409);
    EXPECT_EQ(w.body, R"({"message":"conflict \"x\""})");
}

}  // namespace
}  // namespace berth::daemon
