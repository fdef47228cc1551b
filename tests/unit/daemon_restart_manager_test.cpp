// The restart manager's timers and bookkeeping against a fake berth-ctr (a script that logs its
// arguments) and fake container folders: no root, no containers.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "container_ops.hpp"
#include "engine/container_state.hpp"
#include "restart_manager.hpp"

namespace berth::daemon {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

class RestartManagerTest : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string tmpl = (fs::temp_directory_path() / "berth-restart-test-XXXXXX").string();
        ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
        dir_ = tmpl;
        fs::create_directories(dir_ + "/containers");
        const std::string ctr = dir_ + "/fake-ctr";
        std::ofstream(ctr) << "#!/bin/sh\necho \"$3 $4\" >> " << dir_ << "/calls\n";
        ::chmod(ctr.c_str(), 0755);
        auto db = StateDb::open(dir_ + "/berth.db");
        ASSERT_TRUE(db) << db.error().message();
        ctx_.db = std::move(db).value();
        ctx_.runtime = std::make_unique<Runtime>(RuntimeConfig{ctr, dir_ + "/containers"});
        ctx_.events = std::make_unique<EventBus>(*ctx_.db);
        mgr_ = std::make_unique<RestartManager>(ctx_);
        ctx_.restarts = mgr_.get();
    }
    void TearDown() override {
        ctx_.restarts = nullptr;
        mgr_.reset();
        fs::remove_all(dir_);
    }

    // A container that ran from second `from` to `to` and exited with `code`.
    ContainerRecord exited_container(const std::string& id, const std::string& policy, int code,
                                     int from = 0, int to = 1) {
        ContainerRecord c;
        c.id = id;
        c.name = "p-" + id + "-1";
        c.project = "p";
        c.service = id;
        EXPECT_TRUE(ctx_.db->put_container(c));
        EXPECT_TRUE(ctx_.db->put_restart({id, policy, "", 0, false}));
        set_run(id, code, from, to);
        return c;
    }
    void set_run(const std::string& id, int code, int from, int to) {
        const std::string d = dir_ + "/containers/" + id;
        fs::create_directories(d);
        std::ofstream(d + "/config.json") << "[]\n";
        engine::ContainerState st;
        st.id = id;
        st.started_at = stamp(from);
        std::ofstream(d + "/state.json") << engine::encode_state(st);
        engine::ExitRecord e;
        e.exit_code = code;
        e.finished_at = stamp(to);
        std::ofstream(d + "/exit.json") << engine::encode_exit(e);
    }
    static std::string stamp(int second) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "2026-11-29T05:%02d:%02d.000000000Z", second / 60,
                      second % 60);
        return buf;
    }
    ContainerStatus status(const std::string& id) { return *ctx_.runtime->status(id); }

    // The `start ID` calls the fake berth-ctr got.
    int starts(const std::string& id) {
        std::ifstream in(dir_ + "/calls");
        std::string line;
        int n = 0;
        while (std::getline(in, line)) n += line == "start " + id;
        return n;
    }
    bool wait_starts(const std::string& id, int n, std::chrono::milliseconds limit) {
        auto end = Clock::now() + limit;
        while (Clock::now() < end) {
            if (starts(id) >= n) return true;
            std::this_thread::sleep_for(5ms);
        }
        return starts(id) >= n;
    }

    std::string dir_;
    DaemonContext ctx_;
    std::unique_ptr<RestartManager> mgr_;
};

TEST_F(RestartManagerTest, AlwaysRestartsAfterTheFirstBackoffAndCounts) {
    auto c = exited_container("a", "always", 0);
    auto t0 = Clock::now();
    mgr_->exited(c, status("a"));
    ASSERT_TRUE(wait_starts("a", 1, 5s));
    EXPECT_GE(Clock::now() - t0, 95ms);
    EXPECT_EQ((*ctx_.db->restart_record("a"))->restart_count, 1);
}

TEST_F(RestartManagerTest, AStopBeforeTheDelayDropsTheRestart) {
    auto c = exited_container("a", "always", 1);
    mgr_->exited(c, status("a"));
    mgr_->user_stopped("a");
    std::this_thread::sleep_for(400ms);
    EXPECT_EQ(starts("a"), 0);
    EXPECT_TRUE((*ctx_.db->restart_record("a"))->manually_stopped);
    // Cancelled until the user starts it: a later exit is not restarted either.
    set_run("a", 1, 2, 3);
    mgr_->exited(c, status("a"));
    std::this_thread::sleep_for(300ms);
    EXPECT_EQ(starts("a"), 0);
}

TEST_F(RestartManagerTest, OnFailureStopsAtItsCountAndAUserStartResetsIt) {
    auto c = exited_container("a", "on-failure:1", 2);
    mgr_->exited(c, status("a"));
    ASSERT_TRUE(wait_starts("a", 1, 5s));
    set_run("a", 2, 2, 3);
    mgr_->exited(c, status("a"));
    std::this_thread::sleep_for(500ms);  // the second backoff would be 200 ms
    EXPECT_EQ(starts("a"), 1);
    EXPECT_EQ((*ctx_.db->restart_record("a"))->restart_count, 1);
    mgr_->user_started("a");
    EXPECT_EQ((*ctx_.db->restart_record("a"))->restart_count, 0);
    auto ok = exited_container("b", "on-failure", 0);
    mgr_->exited(ok, status("b"));
    std::this_thread::sleep_for(300ms);
    EXPECT_EQ(starts("b"), 0);
}

TEST_F(RestartManagerTest, ANewerRunMakesAPendingRestartMoot) {
    auto c = exited_container("a", "always", 1);
    mgr_->exited(c, status("a"));
    set_run("a", 0, 5, 6);  // someone started it meanwhile, and it has ended again
    std::this_thread::sleep_for(400ms);
    EXPECT_EQ(starts("a"), 0);
}

TEST_F(RestartManagerTest, KillCancelsAlwaysUnlessItIsAnotherSignalThanTheOwnStopSignal) {
    auto c = exited_container("a", "always", 137);
    mgr_->user_killed("a", "SIGKILL");
    mgr_->exited(c, status("a"));
    auto d = exited_container("b", "always", 129);
    ASSERT_TRUE(ctx_.db->put_restart({"b", "always", "SIGINT", 0, false}));
    mgr_->user_killed("b", "HUP");
    mgr_->exited(d, status("b"));
    ASSERT_TRUE(wait_starts("b", 1, 5s));
    EXPECT_EQ(starts("a"), 0);
    EXPECT_TRUE((*ctx_.db->restart_record("b"))->manually_stopped);
}

TEST_F(RestartManagerTest, ResumeFollowsDockerdAfterADaemonRestart) {
    exited_container("always", "always", 143);
    exited_container("unless", "unless-stopped", 143);
    exited_container("quiet", "no", 1);
    exited_container("done", "on-failure", 0);
    ASSERT_TRUE(ctx_.db->put_restart({"always", "always", "", 0, true}));
    ASSERT_TRUE(ctx_.db->put_restart({"unless", "unless-stopped", "", 0, true}));
    mgr_->resume();
    ASSERT_TRUE(wait_starts("always", 1, 5s));
    std::this_thread::sleep_for(200ms);
    EXPECT_EQ(starts("unless"), 0);
    EXPECT_EQ(starts("quiet"), 0);
    EXPECT_EQ(starts("done"), 0);
}

}  // namespace
}  // namespace berth::daemon
