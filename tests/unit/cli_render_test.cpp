#include <gtest/gtest.h>

#include <sstream>

#include "log_render.hpp"
#include "progress.hpp"
#include "ps_table.hpp"
#include "query_format.hpp"

using namespace berth::cli;
using nlohmann::json;

TEST(CliProgress, PlainLinesLikeDockerCompose) {
    EXPECT_EQ(
        progress_line(json::parse(
            R"({"type":"progress","resource":"Container demo-web-1","status":"Started","text":""})")),
        " Container demo-web-1  Started");
    EXPECT_EQ(
        progress_line(json::parse(
            R"({"type":"progress","resource":"Container demo-web-1","status":"Recreate","text":"config changed: command"})")),
        " Container demo-web-1  Recreate  config changed: command");
    EXPECT_EQ(warning_line("Found orphan containers", 3), "WARN[0003] Found orphan containers");
}

TEST(CliProgress, ModesAndResult) {
    const char* lines[] = {
        R"({"type":"progress","resource":"Network demo_default","status":"Created","text":""})",
        R"({"type":"warning","text":"careful"})",
        R"({"type":"result","ok":false,"message":"boom","exit_code":3})"};
    std::ostringstream plain, js, quiet;
    ProgressPrinter p(ProgressMode::Plain, plain), j(ProgressMode::Json, js),
        q(ProgressMode::Quiet, quiet);
    for (const char* l : lines) {
        p.line(l);
        j.line(l);
        q.line(l);
    }
    EXPECT_EQ(plain.str(), " Network demo_default  Created\nWARN[0000] careful\n");
    EXPECT_EQ(js.str(),
              "{\"id\":\"Network demo_default\",\"status\":\"Created\",\"state\":\"done\"}\n"
              "{\"level\":\"warning\",\"msg\":\"careful\"}\n");
    EXPECT_EQ(quiet.str(), "WARN[0000] careful\n");
    EXPECT_TRUE(p.result().seen);
    EXPECT_FALSE(p.result().ok);
    EXPECT_EQ(p.result().message, "boom");
    EXPECT_EQ(p.result().exit_status(), 3);
}

TEST(CliProgress, ExitStatus) {
    StreamResult none;
    EXPECT_EQ(none.exit_status(), 1);
    StreamResult failed{.seen = true, .ok = false, .exit_code = 0, .message = "x"};
    EXPECT_EQ(failed.exit_status(), 1);
    StreamResult fine{.seen = true, .ok = true, .exit_code = 0, .message = ""};
    EXPECT_EQ(fine.exit_status(), 0);
    EXPECT_TRUE(parse_progress_mode("tty"));
    EXPECT_FALSE(parse_progress_mode("fancy"));
}

namespace {

json containers() {
    return json::parse(R"([
 {"ID":"aaaa","Name":"demo-web-1","Image":"nginx:1.25","Command":"\"nginx -g 'daemon off;'\"",
  "Service":"web","Number":1,"State":"running","Status":"Up 3 seconds","RunningFor":"3 seconds ago",
  "Publishers":[{"URL":"0.0.0.0","TargetPort":80,"PublishedPort":8080,"Protocol":"tcp"},
                {"URL":"","TargetPort":53,"PublishedPort":0,"Protocol":"udp"}]},
 {"ID":"bbbb","Name":"demo-db-1","Image":"postgres","Command":"\"postgres\"","Service":"db",
  "Number":1,"State":"exited","Status":"Exited (0) 1 second ago","RunningFor":"5 seconds ago",
  "Publishers":[]}])");
}

}  // namespace

TEST(CliPs, TableColumns) {
    std::string out = render_ps(containers(), {});
    EXPECT_EQ(out,
              "NAME         IMAGE        COMMAND                  SERVICE   CREATED         "
              "STATUS                    PORTS\n"
              "demo-web-1   nginx:1.25   \"nginx -g 'daemon of\xE2\x80\xA6\"   web       3 seconds "
              "ago   Up 3 seconds              0.0.0.0:8080->80/tcp, 53/udp\n"
              "demo-db-1    postgres     \"postgres\"               db        5 seconds ago   "
              "Exited (0) 1 second ago\n");
}

TEST(CliPs, JsonLinesQuietServicesAndStatus) {
    PsView view;
    view.format = "json";
    std::string out = render_ps(containers(), view);
    EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 2);
    EXPECT_EQ(json::parse(out.substr(0, out.find('\n')))["Name"], "demo-web-1");
    PsView ids;
    ids.quiet = true;
    EXPECT_EQ(render_ps(containers(), ids), "aaaa\nbbbb\n");
    PsView services;
    services.services = true;
    EXPECT_EQ(render_ps(containers(), services), "web\ndb\n");
    ids.status = {"exited"};
    EXPECT_EQ(render_ps(containers(), ids), "bbbb\n");
    ids.status = {"paused"};
    EXPECT_EQ(render_ps(containers(), ids), "");
}

TEST(CliLogs, PrefixPaddedToTheLongestAndColouredInOrder) {
    LogRenderer r({.color = false, .timestamps = false, .prefix = true});
    r.add("web-1");
    r.add("database-1");
    auto web = json::parse(R"({"service":"web","number":1,"line":"hello","time":"T"})");
    auto db = json::parse(R"({"service":"database","number":1,"line":"ready","time":"T"})");
    EXPECT_EQ(r.render(web), "web-1       | hello");
    EXPECT_EQ(r.render(db), "database-1  | ready");

    LogRenderer c({.color = true, .timestamps = true, .prefix = true});
    EXPECT_EQ(c.render(web), "\033[36mweb-1  |\033[0m T hello");
    EXPECT_EQ(c.render(db), "\033[33mdatabase-1  |\033[0m T ready");
    EXPECT_EQ(c.render(web), "\033[36mweb-1       |\033[0m T hello");

    LogRenderer bare({.color = true, .timestamps = false, .prefix = false});
    EXPECT_EQ(bare.render(web), "hello");
    EXPECT_EQ(palette_color(5), "36;1");
    EXPECT_EQ(palette_color(10), "36");
}

TEST(CliFormat, SizesEventsAndTop) {
    EXPECT_EQ(human_size(4261000), "4.26MB");
    EXPECT_EQ(human_size(512), "512B");
    EXPECT_EQ(bytes_size(1577058), "1.504MiB");
    auto ev = json::parse(R"({"time":"2026-11-29T05:00:00.123456789Z","type":"container",
        "action":"start","id":"abc","attributes":{"name":"demo-web-1","image":"busybox"}})");
    EXPECT_EQ(format_event(ev),
              "2026-11-29 05:00:00.123456 container start abc (image=busybox, name=demo-web-1)");
    auto top =
        json::parse(R"({"Titles":["UID","PID","CMD"],"Processes":[["root","42","sleep 9"]]})");
    EXPECT_EQ(render_top(top), "UID       PID       CMD\nroot      42        sleep 9\n");
}
