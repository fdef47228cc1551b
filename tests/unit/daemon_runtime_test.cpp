// Runtime against the real berth-ctr (root only: skipped otherwise) on a busybox rootfs made by
// tests/integration/make-rootfs.sh, plus the pure log, top and stats helpers (anywhere).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "ctr_process.hpp"
#include "daemon/runtime.hpp"
#include "engine/ctr_store.hpp"
#include "log_records.hpp"
#include "runtime_query.hpp"

namespace berth::daemon {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// --- pure helpers ------------------------------------------------------------------------------

TEST(DaemonRuntimeLogRecords, ParsesRfc3339WithAndWithoutFraction) {
    EXPECT_EQ(parse_rfc3339_nano("1970-01-01T00:00:01.000000002Z"), 1000000002);
    EXPECT_EQ(parse_rfc3339_nano("2026-11-29T02:45:00Z"), 1795920300LL * 1000000000LL);
    EXPECT_EQ(parse_rfc3339_nano("1970-01-01T01:00:00.5+01:00"), 500000000);
    EXPECT_FALSE(parse_rfc3339_nano("1970-01-01 00:00:00Z"));
    EXPECT_FALSE(parse_rfc3339_nano("1970-01-01T00:00:00.Z"));
    EXPECT_FALSE(parse_rfc3339_nano("1970-01-01T00:00:00Zjunk"));
}

TEST(DaemonRuntimeLogRecords, TakesCompleteRecordsAndKeepsThePartialOne) {
    std::string text =
        "{\"time\":\"1970-01-01T00:00:01.000000000Z\",\"stream\":\"stdout\",\"log\":\"a\\n\"}\n"
        "not json\n"
        "{\"time\":\"1970-01-01T00:00:02.000000000Z\",\"stream\":\"stderr\",\"log\":\"cut\"}\n"
        "{\"time\":\"1970-01-01T00:00:03";
    std::vector<LogEntry> out;
    take_entries("c1", text, out);
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].line.line, "a");
    EXPECT_TRUE(out[0].newline);
    EXPECT_EQ(out[0].line.stream, "stdout");
    EXPECT_EQ(out[0].line.container_id, "c1");
    EXPECT_EQ(out[1].line.line, "cut");
    EXPECT_FALSE(out[1].newline);
    EXPECT_EQ(out[1].line.stream, "stderr");
    EXPECT_EQ(out[1].line.time_nano, 2000000000);
    EXPECT_EQ(text, "{\"time\":\"1970-01-01T00:00:03");
}

LogEntry entry(const std::string& id, std::int64_t t, const std::string& line) {
    LogEntry e;
    e.line.container_id = id;
    e.line.time_nano = t;
    e.line.line = line;
    return e;
}

TEST(DaemonRuntimeLogRecords, SelectsByTimeThenTail) {
    std::vector<LogEntry> v{entry("a", 1, "1"), entry("a", 2, "2"), entry("a", 3, "3"),
                            entry("a", 4, "4"), entry("a", 5, "5")};
    LogQuery q;
    q.since_nano = 2;
    q.until_nano = 4;
    q.tail = 2;
    select_entries(v, q);
    ASSERT_EQ(v.size(), 2u);
    EXPECT_EQ(v[0].line.line, "3");
    EXPECT_EQ(v[1].line.line, "4");
}

TEST(DaemonRuntimeLogRecords, MergesByTimeKeepingFileOrderOnTies) {
    auto merged = merge_by_time({{entry("a", 1, "a1"), entry("a", 5, "a5"), entry("a", 5, "a5b")},
                                 {entry("b", 2, "b2"), entry("b", 5, "b5")}});
    std::vector<std::string> lines;
    for (const auto& e : merged) lines.push_back(e.line.line);
    EXPECT_EQ(lines, (std::vector<std::string>{"a1", "b2", "a5", "a5b", "b5"}));
}

TEST(DaemonRuntimeQuery, TopRowFromProcTexts) {
    ProcTexts p;
    p.pid = 4242;
    p.status = "Name:\tsleep\nPPid:\t4200\nUid:\t1000\t1000\t1000\t1000\nNSpid:\t4242\t1\n";
    p.cmdline = std::string(
        "sleep\0"
        "100\0",
        10);
    p.comm = "sleep\n";
    EXPECT_EQ(top_row(p), (std::vector<std::string>{"1000", "4242", "4200", "1", "sleep 100"}));
    p.cmdline.clear();
    EXPECT_EQ(top_row(p)[4], "[sleep]");
    auto doc = nlohmann::json::parse(top_document({p}));
    EXPECT_EQ(doc["Titles"].size(), 5u);
    EXPECT_EQ(doc["Processes"][0][1], "4242");
}

TEST(DaemonRuntimeQuery, CpuPercentOfOneCpu) {
    EXPECT_DOUBLE_EQ(cpu_percent(1000, 51000, 100000), 50.0);
    EXPECT_DOUBLE_EQ(cpu_percent(0, 200, 100), 200.0);
    EXPECT_DOUBLE_EQ(cpu_percent(10, 5, 100), 0.0);
    EXPECT_DOUBLE_EQ(cpu_percent(0, 5, 0), 0.0);
    engine::CgroupStats s;
    s.memory_usage = 7;
    auto doc = nlohmann::json::parse(stats_document(s, 12.5));
    EXPECT_EQ(doc["memory_usage"], 7);
    EXPECT_DOUBLE_EQ(doc["cpu_percent"].get<double>(), 12.5);
    EXPECT_TRUE(doc.contains("memory_limit"));
    EXPECT_TRUE(doc.contains("pids"));
}

TEST(DaemonRuntimeStop, ReadsWhetherBerthCtrHadToKill) {
    EXPECT_FALSE(stop_outcome("").killed);
    auto killed =
        stop_outcome("abc: killed after timeout: did not stop within 10s after SIGTERM\n");
    EXPECT_TRUE(killed.killed);
    EXPECT_EQ(killed.reason, "did not stop within 10s after SIGTERM");
    // An older berth-ctr printed the marker alone.
    auto bare = stop_outcome("abc: killed after timeout\n");
    EXPECT_TRUE(bare.killed);
    EXPECT_EQ(bare.reason, "did not stop within its grace period");
}

TEST(DaemonRuntimeStates, Names) {
    EXPECT_STREQ(to_string(ContainerRunState::Created), "created");
    EXPECT_STREQ(to_string(ContainerRunState::Running), "running");
    EXPECT_STREQ(to_string(ContainerRunState::Paused), "paused");
    EXPECT_STREQ(to_string(ContainerRunState::Exited), "exited");
    EXPECT_STREQ(to_string(ContainerRunState::Dead), "dead");
}

TEST(DaemonRuntimeProcess, ChildGetsOnlyTheFdsPassed) {
    // An fd some other thread opened without O_CLOEXEC must not reach berth-ctr (or a monitor).
    int leaked = dup2(open("/dev/null", O_RDONLY | O_CLOEXEC), 57);
    ASSERT_EQ(leaked, 57);
    auto out = run_captured("/bin/sh", {"-c", "ls /proc/self/fd; echo err >&2; exit 3"});
    close(leaked);
    ASSERT_TRUE(out) << out.error().message();
    EXPECT_EQ(out->status, 3);
    EXPECT_EQ(out->err, "err\n");
    std::set<std::string> fds;
    std::istringstream lines(out->out);
    for (std::string l; std::getline(lines, l);) fds.insert(l);
    EXPECT_EQ(fds.count("57"), 0u) << out->out;
    EXPECT_LE(fds.size(), 4u) << out->out;  // 0, 1, 2 and the one ls reads the folder with
    EXPECT_EQ(failure_message(*out), "err");
    EXPECT_EQ(failure_message(CtrOutput{2, "", ""}), "exit status 2");
}

TEST(DaemonRuntimeProcess, StdioFdsArePlacedEvenWhenTheyOverlap) {
    int p[2];
    ASSERT_EQ(pipe2(p, O_CLOEXEC), 0);
    // Its stdout and stderr are the same pipe; stdin is the pipe's write end (read fails).
    auto status =
        run_with_stdio("/bin/sh", {"-c", "echo out; echo err >&2; exit 4"}, {p[1], p[1], p[1]});
    close(p[1]);
    std::string got;
    char buf[256];
    ssize_t n;
    while ((n = read(p[0], buf, sizeof buf)) > 0) got.append(buf, static_cast<std::size_t>(n));
    close(p[0]);
    ASSERT_TRUE(status) << status.error().message();
    EXPECT_EQ(*status, 4);
    EXPECT_EQ(got, "out\nerr\n");
    EXPECT_FALSE(run_with_stdio("/nonexistent/berth-ctr", {}, {0, 1, 2}));
}

// --- against berth-ctr (root) --------------------------------------------------------------------

const std::string kCtr = std::string(BERTH_BINARY_DIR) + "/berth-ctr";

template <typename Pred>
bool eventually(Pred pred, std::chrono::milliseconds limit = std::chrono::seconds(20)) {
    const auto deadline = Clock::now() + limit;
    while (Clock::now() < deadline) {
        if (pred()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return pred();
}

std::string read_all(int fd) {
    std::string out;
    char buf[4096];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
    return out;
}

class DaemonRuntime : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        if (geteuid() != 0) return;
        base_ = fs::path(BERTH_TEST_TMPDIR) / "daemon_runtime";
        fs::create_directories(base_);
        chmod(base_.c_str(), 0755);
        // One per process: ctest runs each test in its own, maybe several at once.
        rootfs_ = base_ / ("rootfs-" + std::to_string(getpid()));
        const std::string cmd = "bash " + std::string(BERTH_SOURCE_DIR) +
                                "/tests/integration/make-rootfs.sh " + rootfs_.string() +
                                " >/dev/null 2>&1";
        rootfs_ok_ = std::system(cmd.c_str()) == 0;
    }

    static void TearDownTestSuite() {
        std::error_code ec;
        if (!rootfs_.empty()) fs::remove_all(rootfs_, ec);
    }

    void SetUp() override {
        if (geteuid() != 0) GTEST_SKIP() << "needs root";
        if (!rootfs_ok_) GTEST_SKIP() << "cannot build the busybox rootfs";
        if (access(kCtr.c_str(), X_OK) != 0) GTEST_SKIP() << "no " << kCtr;
        dir_ = base_ / (::testing::UnitTest::GetInstance()->current_test_info()->name() +
                        std::string("-") + std::to_string(getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_ / "root");
        fs::create_directories(dir_ / "share");
        chmod(dir_.c_str(), 0755);
        rt_ = std::make_unique<Runtime>(RuntimeConfig{kCtr, (dir_ / "root").string()});
    }

    void TearDown() override {
        if (!rt_) return;
        for (const auto& id : created_) {
            // The pids first: if removal fails, nothing of the test is left running.
            auto c = engine::ctr::load((dir_ / "root").string(), id);
            auto r = rt_->remove(id, true);
            if (!r && c && c->state) {
                ADD_FAILURE() << "remove " << id << ": " << r.error().message();
                if (engine::same_process(c->state->pid, c->state->pid_start))
                    ::kill(c->state->pid, SIGKILL);
                if (engine::same_process(c->state->monitor_pid, c->state->monitor_start))
                    ::kill(c->state->monitor_pid, SIGKILL);
            }
        }
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }

    // create with the rootfs and the share folder at /s.
    void create(const std::string& id, const std::vector<std::string>& cmd,
                std::vector<std::string> opts = {}) {
        std::vector<std::string> args{"--rootfs", rootfs_.string(), "--bind",
                                      (dir_ / "share").string() + ":/s"};
        args.insert(args.end(), opts.begin(), opts.end());
        args.push_back("--");
        args.insert(args.end(), cmd.begin(), cmd.end());
        created_.push_back(id);
        auto r = rt_->create(id, args);
        ASSERT_TRUE(r) << r.error().message();
    }

    void create_and_start(const std::string& id, const std::vector<std::string>& cmd) {
        ASSERT_NO_FATAL_FAILURE(create(id, cmd));
        auto r = rt_->start(id);
        ASSERT_TRUE(r) << r.error().message();
    }

    ContainerRunState state_of(const std::string& id) {
        auto s = rt_->status(id);
        EXPECT_TRUE(s) << s.error().message();
        return s ? s->state : ContainerRunState::Dead;
    }

    std::vector<LogLine> logs(const std::string& id) {
        std::vector<LogLine> out;
        auto r = rt_->logs({id}, {}, [&](const LogLine& l) {
            out.push_back(l);
            return true;
        });
        EXPECT_TRUE(r) << r.error().message();
        return out;
    }

    static inline fs::path base_, rootfs_;
    static inline bool rootfs_ok_ = false;
    fs::path dir_;
    std::unique_ptr<Runtime> rt_;
    std::vector<std::string> created_;
};

const std::vector<std::string> kLoop = {"/bin/sh", "-c",
                                        "trap 'exit 42' TERM; trap 'exit 11' USR1; "
                                        "while :; do sleep 0.05; done"};

TEST_F(DaemonRuntime, RunningPausedExecTopStatsStopWaitRemove) {
    ASSERT_NO_FATAL_FAILURE(create_and_start("loop", kLoop));
    auto st = rt_->status("loop");
    ASSERT_TRUE(st) << st.error().message();
    EXPECT_EQ(st->state, ContainerRunState::Running);
    ASSERT_GT(st->pid, 0);
    EXPECT_FALSE(st->started_at.empty());
    std::ifstream proc("/proc/" + std::to_string(st->pid) + "/status");
    std::string line, nspid;
    while (std::getline(proc, line)) {
        if (line.rfind("NSpid:", 0) == 0) nspid = line;
    }
    ASSERT_FALSE(nspid.empty());
    EXPECT_EQ(nspid.substr(nspid.find_last_of(" \t") + 1), "1") << nspid;
    EXPECT_EQ(rt_->list_ids(), std::vector<std::string>{"loop"});

    auto p = rt_->pause("loop", true);
    ASSERT_TRUE(p) << p.error().message();
    EXPECT_EQ(state_of("loop"), ContainerRunState::Paused);
    auto refused = rt_->exec("loop", ExecRequest{{"true"}, {}, "", "", false, false}, {0, 1, 2});
    EXPECT_FALSE(refused);
    p = rt_->pause("loop", false);
    ASSERT_TRUE(p) << p.error().message();
    EXPECT_EQ(state_of("loop"), ContainerRunState::Running);

    int out[2];
    ASSERT_EQ(pipe2(out, O_CLOEXEC), 0);
    int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
    ExecRequest req;
    req.cmd = {"/bin/sh", "-c", "echo from-exec $FOO $(pwd); exit 7"};
    req.env = {"FOO=bar"};
    req.workdir = "/tmp";
    auto code = rt_->exec("loop", req, {devnull, out[1], devnull});
    close(out[1]);
    close(devnull);
    const std::string printed = read_all(out[0]);
    close(out[0]);
    ASSERT_TRUE(code) << code.error().message();
    EXPECT_EQ(*code, 7);
    EXPECT_EQ(printed, "from-exec bar /tmp\n");

    auto top = rt_->top_json("loop");
    ASSERT_TRUE(top) << top.error().message();
    auto tdoc = nlohmann::json::parse(*top);
    bool has_pid1 = false;
    for (const auto& row : tdoc["Processes"]) has_pid1 |= row[3] == "1";
    EXPECT_TRUE(has_pid1) << *top;
    auto stats = rt_->stats_json("loop");
    ASSERT_TRUE(stats) << stats.error().message();
    auto sdoc = nlohmann::json::parse(*stats);
    EXPECT_GT(sdoc["pids"].get<std::uint64_t>(), 0u) << *stats;
    EXPECT_GT(sdoc["memory_usage"].get<std::uint64_t>(), 0u) << *stats;

    auto s = rt_->stop("loop", 5.0);
    ASSERT_TRUE(s) << s.error().message();
    EXPECT_FALSE(s->killed);
    st = rt_->status("loop");
    ASSERT_TRUE(st);
    EXPECT_EQ(st->state, ContainerRunState::Exited);
    EXPECT_EQ(st->exit_code, 42);
    EXPECT_EQ(st->pid, 0);
    EXPECT_FALSE(st->finished_at.empty());
    auto w = rt_->wait("loop");
    ASSERT_TRUE(w) << w.error().message();
    EXPECT_EQ(*w, 42);

    auto rm = rt_->remove("loop", false);
    ASSERT_TRUE(rm) << rm.error().message();
    EXPECT_FALSE(fs::exists(dir_ / "root" / "loop"));
    EXPECT_TRUE(rt_->remove("loop", false)) << "a missing container is not an error";
    EXPECT_FALSE(rt_->status("loop"));
}

TEST_F(DaemonRuntime, KillWithASignalAndWait) {
    ASSERT_NO_FATAL_FAILURE(create_and_start("sig", kLoop));
    std::thread waiter;
    Result<int> waited = Error("not yet");
    waiter = std::thread([&] { waited = rt_->wait("sig"); });
    auto k = rt_->kill("sig", "USR1");
    ASSERT_TRUE(k) << k.error().message();
    waiter.join();
    ASSERT_TRUE(waited) << waited.error().message();
    EXPECT_EQ(*waited, 11);
    EXPECT_EQ(state_of("sig"), ContainerRunState::Exited);
    auto again = rt_->kill("sig", "KILL");
    EXPECT_FALSE(again) << "an exited container cannot be signalled";
}

TEST_F(DaemonRuntime, LogsOldLinesThenFollowsUntilExit) {
    ASSERT_NO_FATAL_FAILURE(create_and_start(
        "talk", {"/bin/sh", "-c",
                 "echo hello; echo oops >&2; while [ ! -e /s/go ]; do sleep 0.02; done; "
                 "echo after-go; exit 3"}));
    ASSERT_TRUE(eventually([&] { return logs("talk").size() >= 2; }));
    auto old = logs("talk");
    ASSERT_EQ(old.size(), 2u);
    std::set<std::pair<std::string, std::string>> seen;
    for (const auto& l : old) {
        seen.insert({l.stream, l.line});
        EXPECT_EQ(l.container_id, "talk");
        EXPECT_GT(l.time_nano, 0);
    }
    EXPECT_EQ(seen, (std::set<std::pair<std::string, std::string>>{{"stdout", "hello"},
                                                                   {"stderr", "oops"}}));

    LogQuery q;
    q.follow = true;
    q.tail = 1;
    std::vector<LogLine> followed;
    const auto began = Clock::now();
    auto r = rt_->logs({"talk"}, q, [&](const LogLine& l) {
        followed.push_back(l);
        // The container prints its last line only once the follow is under way.
        if (followed.size() == 1) std::ofstream(dir_ / "share" / "go") << "x";
        return true;
    });
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_LT(Clock::now() - began, std::chrono::seconds(20));
    ASSERT_EQ(followed.size(), 2u);
    EXPECT_EQ(followed[1].line, "after-go");
    EXPECT_EQ(followed[1].stream, "stdout");
    EXPECT_EQ(state_of("talk"), ContainerRunState::Exited);
    auto w = rt_->wait("talk");
    ASSERT_TRUE(w);
    EXPECT_EQ(*w, 3);

    // A sink that says stop ends the follow of a container that still runs.
    ASSERT_NO_FATAL_FAILURE(
        create_and_start("chatty", {"/bin/sh", "-c", "while :; do echo tick; sleep 0.05; done"}));
    int ticks = 0;
    r = rt_->logs({"chatty"}, q, [&](const LogLine&) { return ++ticks < 3; });
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(ticks, 3);
    EXPECT_EQ(state_of("chatty"), ContainerRunState::Running);
}

TEST_F(DaemonRuntime, LogsReadRotatedFilesOldestFirst) {
    ASSERT_NO_FATAL_FAILURE(create("rot",
                                   {"/bin/sh", "-c", "for i in $(seq 1 30); do echo line-$i; done"},
                                   {"--log-max-size", "400", "--log-max-file", "3"}));
    auto r = rt_->start("rot");
    ASSERT_TRUE(r) << r.error().message();
    auto w = rt_->wait("rot");
    ASSERT_TRUE(w) << w.error().message();
    ASSERT_TRUE(fs::exists(dir_ / "root" / "rot" / "ctr.log.2"));
    auto lines = logs("rot");
    // Records are about 90 bytes: 4 per file, 3 files; the survivors end with the last line and
    // are consecutive, so the files were read oldest first.
    ASSERT_GT(lines.size(), 8u);
    int expect = 31 - static_cast<int>(lines.size());
    for (const auto& l : lines) EXPECT_EQ(l.line, "line-" + std::to_string(expect++));
    LogQuery q;
    q.tail = 2;
    std::vector<std::string> tail;
    ASSERT_TRUE(rt_->logs({"rot"}, q, [&](const LogLine& l) {
        tail.push_back(l.line);
        return true;
    }));
    EXPECT_EQ(tail, (std::vector<std::string>{"line-29", "line-30"}));
}

TEST_F(DaemonRuntime, AttachFeedsStdinAndCopiesOutput) {
    ASSERT_NO_FATAL_FAILURE(create_and_start(
        "att", {"/bin/sh", "-c", "read line; echo got-$line; echo to-err >&2; exit 5"}));
    int in[2], out[2], err[2];
    ASSERT_EQ(pipe2(in, O_CLOEXEC), 0);
    ASSERT_EQ(pipe2(out, O_CLOEXEC), 0);
    ASSERT_EQ(pipe2(err, O_CLOEXEC), 0);
    ASSERT_EQ(write(in[1], "abc\n", 4), 4);
    close(in[1]);
    auto code = rt_->attach("att", {in[0], out[1], err[1]});
    close(in[0]);
    close(out[1]);
    close(err[1]);
    const std::string o = read_all(out[0]), e = read_all(err[0]);
    close(out[0]);
    close(err[0]);
    ASSERT_TRUE(code) << code.error().message();
    EXPECT_EQ(*code, 5);
    EXPECT_EQ(o, "got-abc\n");
    EXPECT_EQ(e, "to-err\n");
}

TEST_F(DaemonRuntime, StatusOfManyCreatedContainersIsReadInProcess) {
    constexpr int kCount = 300;
    for (int i = 0; i < kCount; ++i) {
        ASSERT_NO_FATAL_FAILURE(create("c" + std::to_string(i), {"/bin/true"}));
    }
    const auto began = Clock::now();
    auto ids = rt_->list_ids();
    int created = 0;
    for (const auto& id : ids) {
        auto s = rt_->status(id);
        ASSERT_TRUE(s) << s.error().message();
        created += s->state == ContainerRunState::Created && s->pid == 0;
    }
    const auto took =
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - began).count();
    std::printf("status of %zu containers: %.2f ms\n", ids.size(), took / 1000.0);
    EXPECT_EQ(ids.size(), static_cast<std::size_t>(kCount));
    EXPECT_EQ(created, kCount);
}

TEST_F(DaemonRuntime, ErrorsCarryBerthCtrsMessage) {
    auto r = rt_->start("nope");
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message().find("no such container: nope"), std::string::npos)
        << r.error().message();
    auto bad = rt_->create("bad", {"--no-such-flag", "--", "/bin/true"});
    created_.push_back("bad");
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message().find("create container bad"), std::string::npos);
    EXPECT_FALSE(rt_->wait("nope"));
    EXPECT_FALSE(rt_->logs({"nope"}, {}, [](const LogLine&) { return true; }));
}

}  // namespace
}  // namespace berth::daemon
