// The exit watch against fake container folders: an exit record renamed into place and a monitor
// that dies without one are both noticed within a fraction of a second; exits from before the
// watch started are not news. No root: the "monitor" is a child process of the test.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "engine/container_state.hpp"
#include "exit_watch.hpp"

namespace berth::daemon {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

class ExitWatchTest : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string tmpl = (fs::temp_directory_path() / "berth-exit-watch-test-XXXXXX").string();
        ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
        dir_ = tmpl;
        fs::create_directories(dir_ + "/containers");
        auto db = StateDb::open(dir_ + "/berth.db");
        ASSERT_TRUE(db) << db.error().message();
        ctx_.cfg.data_root = dir_;
        ctx_.db = std::move(db).value();
        ctx_.runtime = std::make_unique<Runtime>(RuntimeConfig{"/bin/false", dir_ + "/containers"});
        ctx_.events = std::make_unique<EventBus>(*ctx_.db);
    }
    void TearDown() override {
        watch_.reset();
        for (pid_t p : children_) {
            ::kill(p, SIGKILL);
            ::waitpid(p, nullptr, 0);
        }
        fs::remove_all(dir_);
    }

    std::string folder(const std::string& id) { return dir_ + "/containers/" + id; }

    // A running container whose "monitor" is a sleeping child of the test.
    pid_t running(const std::string& id) {
        ContainerRecord c;
        c.id = id;
        c.name = "p-" + id + "-1";
        c.project = "p";
        c.service = id;
        EXPECT_TRUE(ctx_.db->put_container(c));
        pid_t child = ::fork();
        if (child == 0) {
            ::pause();
            ::_exit(0);
        }
        children_.push_back(child);
        fs::create_directories(folder(id));
        std::ofstream(folder(id) + "/config.json") << "[]\n";
        engine::ContainerState st;
        st.id = id;
        st.pid = child;
        st.monitor_pid = child;
        st.monitor_start = engine::process_start_time(child).value_or(0);
        st.pid_start = st.monitor_start;
        st.started_at = "2026-11-29T05:00:00.000000000Z";
        EXPECT_TRUE(
            engine::write_file_atomic(folder(id) + "/state.json", engine::encode_state(st)));
        return child;
    }
    void write_exit(const std::string& id, int code) {
        engine::ExitRecord e;
        e.exit_code = code;
        e.finished_at = "2026-11-29T05:00:01.000000000Z";
        ASSERT_TRUE(engine::write_file_atomic(folder(id) + "/exit.json", engine::encode_exit(e)));
    }
    void start_watch() {
        watch_ = std::make_unique<ExitWatch>(
            ctx_, [this](const ContainerRecord& c, const ContainerStatus& st) {
                std::lock_guard lock(mu_);
                exits_.emplace_back(c.id, st.exit_code);
            });
    }
    // The exits seen for id, waiting up to `limit` for the first.
    std::vector<int> exits_of(const std::string& id, std::chrono::milliseconds limit) {
        auto end = Clock::now() + limit;
        for (;;) {
            std::vector<int> out;
            {
                std::lock_guard lock(mu_);
                for (const auto& [who, code] : exits_) {
                    if (who == id) out.push_back(code);
                }
            }
            if (!out.empty() || Clock::now() >= end) return out;
            std::this_thread::sleep_for(2ms);
        }
    }

    std::string dir_;
    DaemonContext ctx_;
    std::vector<pid_t> children_;
    std::unique_ptr<ExitWatch> watch_;
    std::mutex mu_;
    std::vector<std::pair<std::string, int>> exits_;
};

TEST_F(ExitWatchTest, AnExitRecordIsNoticedPromptly) {
    running("a");
    start_watch();
    auto t0 = Clock::now();
    write_exit("a", 3);
    EXPECT_EQ(exits_of("a", 3s), std::vector<int>{3});
    // Far below the safety rescan: the rename woke the watch.
    EXPECT_LT(Clock::now() - t0, 1s);
}

TEST_F(ExitWatchTest, AMonitorThatDiesWithoutARecordIsNoticedThroughItsPidfd) {
    pid_t monitor = running("b");
    start_watch();
    auto t0 = Clock::now();
    ::kill(monitor, SIGKILL);
    ::waitpid(monitor, nullptr, 0);
    EXPECT_EQ(exits_of("b", 3s), std::vector<int>{-1});
    EXPECT_LT(Clock::now() - t0, 1s);
}

TEST_F(ExitWatchTest, ExitsFromBeforeTheWatchAreNotNews) {
    running("c");
    write_exit("c", 1);
    start_watch();
    EXPECT_TRUE(exits_of("c", 300ms).empty());
}

TEST_F(ExitWatchTest, AContainerMadeAfterTheWatchStartedIsWatchedToo) {
    start_watch();
    running("d");
    // Give the watch the folder's IN_CREATE before the record lands: either order must work.
    auto t0 = Clock::now();
    write_exit("d", 7);
    EXPECT_EQ(exits_of("d", 7s), std::vector<int>{7});
    EXPECT_LT(Clock::now() - t0, 1s);
}

}  // namespace
}  // namespace berth::daemon
