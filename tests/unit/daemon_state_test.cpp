#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "daemon/state.hpp"
#include "state_schema.hpp"

namespace berth::daemon {
namespace {

namespace fs = std::filesystem;

class StateDbTest : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string tmpl = (fs::temp_directory_path() / "berth-state-test-XXXXXX").string();
        ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
        dir_ = tmpl;
        path_ = dir_ + "/berth.db";
    }
    void TearDown() override { fs::remove_all(dir_); }

    std::unique_ptr<StateDb> open_ok() {
        auto db = StateDb::open(path_);
        EXPECT_TRUE(db.ok()) << db.error().message();
        return db.ok() ? std::move(db).value() : nullptr;
    }

    void set_user_version(int version) {
        sqlite3* raw = nullptr;
        ASSERT_EQ(sqlite3_open(path_.c_str(), &raw), SQLITE_OK);
        std::string sql = "PRAGMA user_version = " + std::to_string(version);
        ASSERT_EQ(sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
        sqlite3_close(raw);
    }

    std::string dir_;
    std::string path_;
};

ContainerRecord container(std::string id, std::string name, std::string service = "web",
                          int number = 1) {
    ContainerRecord c;
    c.id = std::move(id);
    c.name = std::move(name);
    c.project = "shop";
    c.service = std::move(service);
    c.number = number;
    c.config_hash = "abc123";
    c.image = "busybox";
    c.image_id = "sha256:" + std::string(64, 'e');
    c.command = {"httpd", "-f", "-p", "80"};
    c.labels = {{"berth.project", "shop"}, {"berth.service", c.service}};
    c.created = 1700000000;
    return c;
}

EventRecord event(std::int64_t time_nano, std::string action) {
    EventRecord e;
    e.time_nano = time_nano;
    e.action = std::move(action);
    e.id = "c1";
    e.attributes = {{"name", "shop-web-1"}};
    return e;
}

StepRecord step(std::string target, int seq) {
    StepRecord s;
    s.plan_id = "plan-1";
    s.project = "shop";
    s.seq = seq;
    s.kind = "create";
    s.target = std::move(target);
    return s;
}

TEST_F(StateDbTest, MigratesAnEmptyFileToTheCurrentSchema) {
    auto db = open_ok();
    ASSERT_NE(db, nullptr);
    EXPECT_EQ(db->schema_version(), state_schema_version());
    auto none = db->projects();
    ASSERT_TRUE(none.ok()) << none.error().message();
    EXPECT_TRUE(none->empty());
}

ImageRecord image(std::string id, std::vector<std::string> names) {
    return {std::move(id), std::move(names), "2026-01-01T00:00:00Z", 4261000, "", 0};
}

TEST_F(StateDbTest, ImagesFollowTheStoreAndKeepWhatOnlyTheDaemonKnows) {
    auto db = open_ok();
    ASSERT_NE(db, nullptr);
    ASSERT_TRUE(db->sync_images({image("sha256:a", {"docker.io/library/busybox:latest"}),
                                 image("sha256:b", {})})
                    .ok());
    auto first = db->images();
    ASSERT_TRUE(first.ok()) << first.error().message();
    ASSERT_EQ(first->size(), 2u);
    EXPECT_EQ((*first)[0].id, "sha256:a");
    EXPECT_EQ((*first)[0].size, 4261000u);
    EXPECT_FALSE((*first)[0].last_tag_time.empty());  // a name it did not have before
    EXPECT_TRUE((*first)[1].last_tag_time.empty());   // untagged
    EXPECT_EQ((*first)[0].last_used, 0);

    ASSERT_TRUE(db->touch_image("sha256:a").ok());
    // b is gone from the store; a keeps its last use and, with no new name, its tag time.
    ASSERT_TRUE(db->sync_images({image("sha256:a", {"docker.io/library/busybox:latest"})}).ok());
    auto second = db->images();
    ASSERT_TRUE(second.ok());
    ASSERT_EQ(second->size(), 1u);
    EXPECT_GT((*second)[0].last_used, 0);
    EXPECT_EQ((*second)[0].last_tag_time, (*first)[0].last_tag_time);
}

TEST_F(StateDbTest, RestartStateIsKeptAndGoesWithItsContainer) {
    auto db = open_ok();
    ASSERT_NE(db, nullptr);
    ASSERT_TRUE(db->put_container(container("id1", "shop-web-1")).ok());
    ASSERT_TRUE(db->put_container(container("id2", "shop-web-2")).ok());
    RestartRecord r{"id1", "on-failure:3", "SIGINT", 2, true};
    ASSERT_TRUE(db->put_restart(r).ok());
    ASSERT_TRUE(db->put_restart({"id2", "always", "", 0, false}).ok());
    auto back = db->restart_record("id1");
    ASSERT_TRUE(back.ok() && back->has_value());
    EXPECT_EQ((*back)->policy, "on-failure:3");
    EXPECT_EQ((*back)->stop_signal, "SIGINT");
    EXPECT_EQ((*back)->restart_count, 2);
    EXPECT_TRUE((*back)->manually_stopped);
    r.restart_count = 3;
    ASSERT_TRUE(db->put_restart(r).ok());
    EXPECT_EQ((*db->restart_record("id1"))->restart_count, 3);
    ASSERT_TRUE(db->remove_container("id1").ok());
    auto gone = db->restart_record("id1");
    ASSERT_TRUE(gone.ok());
    EXPECT_FALSE(gone->has_value());
    auto all = db->restart_records();
    ASSERT_TRUE(all.ok());
    ASSERT_EQ(all->size(), 1u);
    EXPECT_EQ((*all)[0].id, "id2");
}

TEST_F(StateDbTest, UsesWriteAheadLogging) {
    auto db = open_ok();
    ASSERT_NE(db, nullptr);
    ASSERT_TRUE(db->put_project({"p", "{}", {}, "/", ""}).ok());
    EXPECT_TRUE(fs::exists(path_ + "-wal"));
}

TEST_F(StateDbTest, RefusesANewerSchemaNamingBothVersions) {
    { ASSERT_NE(open_ok(), nullptr); }
    set_user_version(7);
    auto db = StateDb::open(path_);
    ASSERT_FALSE(db.ok());
    EXPECT_NE(db.error().message().find("schema version 7"), std::string::npos)
        << db.error().message();
    EXPECT_NE(db.error().message().find("version " + std::to_string(state_schema_version())),
              std::string::npos)
        << db.error().message();
    EXPECT_NE(db.error().message().find(path_), std::string::npos) << db.error().message();
}

TEST_F(StateDbTest, ACorruptFileIsAnErrorNamingThePath) {
    std::ofstream(path_) << std::string(8192, 'x');
    auto db = StateDb::open(path_);
    ASSERT_FALSE(db.ok());
    EXPECT_NE(db.error().message().find(path_), std::string::npos) << db.error().message();
    EXPECT_NE(db.error().message().find("not a database"), std::string::npos)
        << db.error().message();
}

TEST_F(StateDbTest, ProjectsRoundTrip) {
    auto db = open_ok();
    ASSERT_NE(db, nullptr);
    ProjectRecord p{"shop",
                    R"({"name":"shop"})",
                    {"/srv/shop/compose.yaml", "/srv/o.yaml"},
                    "/srv/shop",
                    "2026-01-02T03:04:05Z"};
    ASSERT_TRUE(db->put_project(p).ok());
    ASSERT_TRUE(db->put_project({"blog", "{}", {}, "/srv/blog", ""}).ok());

    auto got = db->project("shop");
    ASSERT_TRUE(got.ok()) << got.error().message();
    ASSERT_TRUE(got->has_value());
    EXPECT_EQ((*got)->model_json, p.model_json);
    EXPECT_EQ((*got)->config_files, p.config_files);
    EXPECT_EQ((*got)->working_dir, "/srv/shop");
    EXPECT_EQ((*got)->updated_at, "2026-01-02T03:04:05Z");

    auto blog = db->project("blog");
    ASSERT_TRUE(blog.ok() && blog->has_value());
    EXPECT_EQ((*blog)->updated_at.size(), 20u) << "an empty updated_at is filled with now";

    p.model_json = "{}";
    ASSERT_TRUE(db->put_project(p).ok());
    auto all = db->projects();
    ASSERT_TRUE(all.ok());
    ASSERT_EQ(all->size(), 2u);
    EXPECT_EQ((*all)[0].name, "blog");
    EXPECT_EQ((*all)[1].model_json, "{}");

    ASSERT_TRUE(db->remove_project("shop").ok());
    auto gone = db->project("shop");
    ASSERT_TRUE(gone.ok());
    EXPECT_FALSE(gone->has_value());
}

TEST_F(StateDbTest, ContainersRoundTrip) {
    auto db = open_ok();
    ASSERT_NE(db, nullptr);
    ContainerRecord c = container("id1", "shop-web-1");
    c.oneoff = true;
    ASSERT_TRUE(db->put_container(c).ok());

    auto got = db->container("id1");
    ASSERT_TRUE(got.ok()) << got.error().message();
    ASSERT_TRUE(got->has_value());
    const ContainerRecord& r = **got;
    EXPECT_EQ(r.name, "shop-web-1");
    EXPECT_EQ(r.project, "shop");
    EXPECT_EQ(r.service, "web");
    EXPECT_EQ(r.number, 1);
    EXPECT_TRUE(r.oneoff);
    EXPECT_EQ(r.config_hash, "abc123");
    EXPECT_EQ(r.image, "busybox");
    EXPECT_EQ(r.image_id, c.image_id);
    EXPECT_EQ(r.command, c.command);
    EXPECT_EQ(r.labels, c.labels);
    EXPECT_EQ(r.created, 1700000000);

    auto by_name = db->container_by_name("shop-web-1");
    ASSERT_TRUE(by_name.ok() && by_name->has_value());
    EXPECT_EQ((*by_name)->id, "id1");
    auto missing = db->container("nope");
    ASSERT_TRUE(missing.ok());
    EXPECT_FALSE(missing->has_value());
}

TEST_F(StateDbTest, PutContainerReplacesById) {
    auto db = open_ok();
    ASSERT_NE(db, nullptr);
    ASSERT_TRUE(db->put_container(container("id1", "shop-web-1")).ok());
    ContainerRecord renamed = container("id1", "shop-web-renamed");
    renamed.config_hash = "def456";
    ASSERT_TRUE(db->put_container(renamed).ok());
    auto all = db->containers("shop");
    ASSERT_TRUE(all.ok());
    ASSERT_EQ(all->size(), 1u);
    EXPECT_EQ((*all)[0].name, "shop-web-renamed");
    EXPECT_EQ((*all)[0].config_hash, "def456");
}

TEST_F(StateDbTest, ASecondContainerWithTheSameNameFails) {
    auto db = open_ok();
    ASSERT_NE(db, nullptr);
    ASSERT_TRUE(db->put_container(container("id1", "shop-web-1")).ok());
    auto clash = db->put_container(container("id2", "shop-web-1"));
    ASSERT_FALSE(clash.ok());
    EXPECT_NE(clash.error().message().find("container name \"shop-web-1\" is already in use"),
              std::string::npos)
        << clash.error().message();
    auto first = db->container("id1");
    ASSERT_TRUE(first.ok());
    EXPECT_TRUE(first->has_value()) << "the clash must not replace the first container";
    auto second = db->container("id2");
    ASSERT_TRUE(second.ok());
    EXPECT_FALSE(second->has_value());
}

TEST_F(StateDbTest, ContainersFilterByProjectAndSortByServiceThenNumber) {
    auto db = open_ok();
    ASSERT_NE(db, nullptr);
    ASSERT_TRUE(db->put_container(container("a", "shop-web-2", "web", 2)).ok());
    ASSERT_TRUE(db->put_container(container("b", "shop-db-1", "db", 1)).ok());
    ASSERT_TRUE(db->put_container(container("c", "shop-web-1", "web", 1)).ok());
    ContainerRecord other = container("d", "blog-web-1");
    other.project = "blog";
    ASSERT_TRUE(db->put_container(other).ok());

    auto shop = db->containers("shop");
    ASSERT_TRUE(shop.ok());
    std::vector<std::string> names;
    for (const auto& c : *shop) names.push_back(c.name);
    EXPECT_EQ(names, (std::vector<std::string>{"shop-db-1", "shop-web-1", "shop-web-2"}));

    auto all = db->containers("");
    ASSERT_TRUE(all.ok());
    EXPECT_EQ(all->size(), 4u);

    ASSERT_TRUE(db->remove_container("a").ok());
    auto after = db->containers("shop");
    ASSERT_TRUE(after.ok());
    EXPECT_EQ(after->size(), 2u);
}

TEST_F(StateDbTest, ReopeningKeepsData) {
    {
        auto db = open_ok();
        ASSERT_NE(db, nullptr);
        ASSERT_TRUE(db->put_project({"shop", "{}", {"c.yaml"}, "/srv", ""}).ok());
        ASSERT_TRUE(db->put_container(container("id1", "shop-web-1")).ok());
        ASSERT_TRUE(db->add_event(event(5, "create")).ok());
    }
    auto db = open_ok();
    ASSERT_NE(db, nullptr);
    EXPECT_EQ(db->schema_version(), state_schema_version());
    auto p = db->project("shop");
    ASSERT_TRUE(p.ok() && p->has_value());
    EXPECT_EQ((*p)->config_files, std::vector<std::string>{"c.yaml"});
    auto c = db->container_by_name("shop-web-1");
    ASSERT_TRUE(c.ok() && c->has_value());
    auto events = db->events_since(0, 0, 0);
    ASSERT_TRUE(events.ok());
    ASSERT_EQ(events->size(), 1u);
    auto next = db->add_event(event(6, "start"));
    ASSERT_TRUE(next.ok());
    EXPECT_EQ(next->seq, 2);
}

TEST_F(StateDbTest, EventsGetIncreasingSeqsAndRoundTrip) {
    auto db = open_ok();
    ASSERT_NE(db, nullptr);
    auto first = db->add_event(event(100, "create"));
    auto second = db->add_event(event(200, "start"));
    ASSERT_TRUE(first.ok() && second.ok());
    EXPECT_LT(first->seq, second->seq);
    auto all = db->events_since(0, 0, 0);
    ASSERT_TRUE(all.ok());
    ASSERT_EQ(all->size(), 2u);
    EXPECT_EQ((*all)[1].action, "start");
    EXPECT_EQ((*all)[1].type, "container");
    EXPECT_EQ((*all)[1].id, "c1");
    EXPECT_EQ((*all)[1].time_nano, 200);
    EXPECT_EQ((*all)[1].attributes.at("name"), "shop-web-1");
}

TEST_F(StateDbTest, EventsSinceFiltersBySeqAndTime) {
    auto db = open_ok();
    ASSERT_NE(db, nullptr);
    std::vector<std::int64_t> seqs;
    for (std::int64_t t : {100, 200, 300, 400}) {
        auto e = db->add_event(event(t, "a" + std::to_string(t)));
        ASSERT_TRUE(e.ok());
        seqs.push_back(e->seq);
    }
    auto actions = [](const Result<std::vector<EventRecord>>& r) {
        std::vector<std::string> out;
        for (const auto& e : r.value()) out.push_back(e.action);
        return out;
    };
    using Names = std::vector<std::string>;
    EXPECT_EQ(actions(db->events_since(seqs[1], 0, 0)), (Names{"a300", "a400"}));
    EXPECT_EQ(actions(db->events_since(0, 200, 0)), (Names{"a200", "a300", "a400"}));
    EXPECT_EQ(actions(db->events_since(0, 200, 300)), (Names{"a200", "a300"}));
    EXPECT_EQ(actions(db->events_since(0, 0, 150)), (Names{"a100"}));
    EXPECT_EQ(actions(db->events_since(seqs[3], 0, 0)), Names{});
}

TEST_F(StateDbTest, TrimEventsKeepsTheNewest) {
    auto db = open_ok();
    ASSERT_NE(db, nullptr);
    for (int i = 0; i < 10; ++i) ASSERT_TRUE(db->add_event(event(i, std::to_string(i))).ok());
    ASSERT_TRUE(db->trim_events(3).ok());
    auto kept = db->events_since(0, 0, 0);
    ASSERT_TRUE(kept.ok());
    ASSERT_EQ(kept->size(), 3u);
    EXPECT_EQ((*kept)[0].action, "7");
    EXPECT_EQ((*kept)[2].action, "9");

    ASSERT_TRUE(db->trim_events(100).ok());
    EXPECT_EQ(db->events_since(0, 0, 0)->size(), 3u);

    // seq keeps counting after a trim, so a reader resuming from a seq never sees one again.
    auto next = db->add_event(event(10, "10"));
    ASSERT_TRUE(next.ok());
    EXPECT_EQ(next->seq, 11);

    ASSERT_TRUE(db->trim_events(0).ok());
    EXPECT_TRUE(db->events_since(0, 0, 0)->empty());
}

TEST_F(StateDbTest, UnfinishedStepsSurviveACrash) {
    std::int64_t running_id = 0;
    {
        auto db = open_ok();
        ASSERT_NE(db, nullptr);
        auto a = db->add_step(step("shop-db-1", 0));
        auto b = db->add_step(step("shop-web-1", 1));
        auto c = db->add_step(step("shop-web-2", 2));
        auto d = db->add_step(step("shop-cache-1", 3));
        ASSERT_TRUE(a.ok() && b.ok() && c.ok() && d.ok());
        ASSERT_TRUE(db->set_step_state(*a, StepState::Done, "").ok());
        ASSERT_TRUE(db->set_step_state(*b, StepState::Running, "").ok());
        ASSERT_TRUE(db->set_step_state(*d, StepState::Failed, "no space left on device").ok());
        running_id = *b;
        // The daemon dies here: no clean shutdown marks anything.
    }
    auto db = open_ok();
    ASSERT_NE(db, nullptr);
    auto left = db->unfinished_steps();
    ASSERT_TRUE(left.ok()) << left.error().message();
    ASSERT_EQ(left->size(), 2u);
    EXPECT_EQ((*left)[0].id, running_id);
    EXPECT_EQ((*left)[0].state, StepState::Running);
    EXPECT_EQ((*left)[0].target, "shop-web-1");
    EXPECT_EQ((*left)[0].plan_id, "plan-1");
    EXPECT_EQ((*left)[0].kind, "create");
    EXPECT_EQ((*left)[1].state, StepState::Pending);
    EXPECT_EQ((*left)[1].seq, 2);
}

TEST_F(StateDbTest, SettingAnUnknownStepFails) {
    auto db = open_ok();
    ASSERT_NE(db, nullptr);
    EXPECT_FALSE(db->set_step_state(42, StepState::Done, "").ok());
}

TEST_F(StateDbTest, ConcurrentWritersAllLand) {
    auto db = open_ok();
    ASSERT_NE(db, nullptr);
    constexpr int kThreads = 8;
    constexpr int kEach = 50;
    std::vector<std::thread> threads;
    std::vector<int> failures(kThreads, 0);
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kEach; ++i) {
                std::string id = std::to_string(t) + "-" + std::to_string(i);
                if (!db->put_container(container(id, "c-" + id, "s" + std::to_string(t), i + 1)))
                    ++failures[t];
                if (!db->add_event(event(i, id))) ++failures[t];
                if (!db->add_step(step(id, i))) ++failures[t];
                if (!db->containers("shop")) ++failures[t];
            }
        });
    }
    for (auto& th : threads) th.join();
    for (int t = 0; t < kThreads; ++t) EXPECT_EQ(failures[t], 0) << "thread " << t;
    EXPECT_EQ(db->containers("shop")->size(), std::size_t{kThreads * kEach});
    auto events = db->events_since(0, 0, 0);
    ASSERT_TRUE(events.ok());
    EXPECT_EQ(events->size(), std::size_t{kThreads * kEach});
    for (std::size_t i = 1; i < events->size(); ++i) {
        EXPECT_EQ((*events)[i].seq, (*events)[i - 1].seq + 1);
    }
    EXPECT_EQ(db->unfinished_steps()->size(), std::size_t{kThreads * kEach});
}

// Two connections to one file (a daemon and a second process reading or starting up): the busy
// timeout makes writers wait for each other instead of failing with "database is locked".
TEST_F(StateDbTest, TwoConnectionsWriteTheSameFile) {
    auto first = open_ok();
    auto second = open_ok();
    ASSERT_NE(first, nullptr);
    ASSERT_NE(second, nullptr);
    constexpr int kEach = 100;
    auto write = [](StateDb* db, const std::string& prefix, int* failures) {
        for (int i = 0; i < kEach; ++i) {
            if (!db->add_event(event(i, prefix + std::to_string(i)))) ++*failures;
        }
    };
    int failures_a = 0, failures_b = 0;
    std::thread a(write, first.get(), "a", &failures_a);
    std::thread b(write, second.get(), "b", &failures_b);
    a.join();
    b.join();
    EXPECT_EQ(failures_a, 0);
    EXPECT_EQ(failures_b, 0);
    EXPECT_EQ(first->events_since(0, 0, 0)->size(), std::size_t{2 * kEach});
}

TEST(StepStateNames, AreLowercase) {
    EXPECT_STREQ(to_string(StepState::Pending), "pending");
    EXPECT_STREQ(to_string(StepState::Running), "running");
    EXPECT_STREQ(to_string(StepState::Done), "done");
    EXPECT_STREQ(to_string(StepState::Failed), "failed");
}

}  // namespace
}  // namespace berth::daemon

namespace berth::daemon {
namespace {

TEST_F(StateDbTest, HealthGoesWithItsContainer) {
    auto db = open_ok();
    ASSERT_NE(db, nullptr);
    ASSERT_TRUE(db->put_container(container("id1", "shop-web-1")).ok());
    ASSERT_TRUE(db->put_health({"id1", R"({"Test":["CMD","true"]})", ""}).ok());
    ASSERT_TRUE(db->set_health_state("id1", R"({"Status":"healthy"})").ok());
    auto h = db->health("id1");
    ASSERT_TRUE(h.ok() && h->has_value());
    EXPECT_EQ((*h)->config, R"({"Test":["CMD","true"]})");
    EXPECT_EQ((*h)->state, R"({"Status":"healthy"})");
    ASSERT_TRUE(db->remove_container("id1").ok());
    auto gone = db->health("id1");
    ASSERT_TRUE(gone.ok());
    EXPECT_FALSE(gone->has_value());
}

}  // namespace
}  // namespace berth::daemon
