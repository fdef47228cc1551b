// The image routes on a real store (vfs driver, in a temp folder): import, inspect by a
// percent-encoded name, tag, list, save, rm refused by a lease, load, prune, and the errors.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "daemon_context.hpp"
#include "images/images.hpp"
#include "routes.hpp"

namespace berth::daemon {
namespace {

using nlohmann::json;

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
    nlohmann::json doc() const { return nlohmann::json::parse(body, nullptr, false); }
};

// A ustar archive of one regular file, as `tar -cf` would write it.
std::string one_file_tar(const std::string& name, const std::string& data) {
    std::string h(512, '\0');
    auto put = [&](std::size_t at, const std::string& s) { h.replace(at, s.size(), s); };
    char buf[16];
    put(0, name);
    put(100, "0000644");
    put(108, "0000000");
    put(116, "0000000");
    std::snprintf(buf, sizeof buf, "%011o", static_cast<unsigned>(data.size()));
    put(124, buf);
    put(136, "14721436700");
    put(148, "        ");
    h[156] = '0';
    put(257, "ustar");
    put(263, "00");
    unsigned sum = 0;
    for (unsigned char c : h) sum += c;
    std::snprintf(buf, sizeof buf, "%06o", sum);
    put(148, buf);
    h[154] = '\0';
    std::string body = data + std::string((512 - data.size() % 512) % 512, '\0');
    return h + body + std::string(1024, '\0');
}

class ImageRoutes : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string tmpl = std::string(BERTH_TEST_TMPDIR) + "/image-routes-XXXXXX";
        ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
        root_ = tmpl;
        auto store = images::Store::open({root_, "vfs"});
        ASSERT_TRUE(store) << store.error().message();
        ctx_.store = std::make_unique<images::Store>(std::move(store).value());
        // The routes keep the state's image rows in step with the store.
        auto db = StateDb::open(root_ + "/berth.db");
        ASSERT_TRUE(db) << db.error().message();
        ctx_.db = std::move(db).value();
        add_image_routes(router_, ctx_);
    }
    void TearDown() override { std::filesystem::remove_all(root_); }

    RecordingWriter call(const std::string& method, const std::string& target,
                         const std::string& body = "") {
        HttpRequest r;
        r.method = method;
        r.target = target;
        r.body = body;
        RecordingWriter w;
        router_.dispatch(r, w);
        return w;
    }

    std::string import_tiny(const std::string& encoded_name) {
        std::string changes = "%5B%22CMD%20%5B%5C%22sh%5C%22%5D%22%5D";  // ["CMD [\"sh\"]"]
        auto w = call("POST", "/v1/images/import?name=" + encoded_name + "&changes=" + changes,
                      one_file_tar("etc/hostname", "tiny\n"));
        EXPECT_EQ(w.status, 200) << w.body;
        return w.doc()["lines"][0].get<std::string>();
    }

    std::string root_;
    DaemonContext ctx_;
    Router router_;
};

TEST_F(ImageRoutes, ImportInspectTagListSave) {
    if (::geteuid() != 0) GTEST_SKIP() << "layer unpacking needs root";
    EXPECT_EQ(call("GET", "/v1/images").body, "[]");
    std::string id = import_tiny("example.com%2Fteam%2Ftiny%3A1");
    EXPECT_TRUE(id.starts_with("sha256:")) << id;

    auto insp = call("GET", "/v1/images/example.com%2Fteam%2Ftiny%3A1/json");
    ASSERT_EQ(insp.status, 200) << insp.body;
    EXPECT_EQ(insp.doc()[0]["Config"]["Cmd"], json::array({"sh"}));
    EXPECT_EQ(insp.doc()[0]["Id"], id);

    auto tag = call("POST", "/v1/images/" + id.substr(7, 12) + "/tag?repo=tiny%3A2");
    EXPECT_EQ(tag.status, 200) << tag.body;
    auto list = call("GET", "/v1/images").doc();
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0]["Names"],
              json::array({"docker.io/library/tiny:2", "example.com/team/tiny:1"}));
    EXPECT_EQ(list[0]["ID"], id);
    EXPECT_GT(list[0]["Size"].get<std::uint64_t>(), 0u);
    EXPECT_FALSE(list[0]["Created"].get<std::string>().empty());
    // berthd saw the image get names, and keeps when in its state.
    EXPECT_FALSE(list[0]["LastTagTime"].get<std::string>().empty());
    auto rows = ctx_.db->images();
    ASSERT_TRUE(rows) << rows.error().message();
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ((*rows)[0].id, id);
    EXPECT_EQ((*rows)[0].names.size(), 2u);

    auto save = call("GET", "/v1/images/get?names=tiny:2");
    EXPECT_EQ(save.status, 200);
    EXPECT_EQ(save.content_type, "application/x-tar");
    EXPECT_NE(save.body.find("manifest.json"), std::string::npos);
    // Nothing of the save's temp folder is left behind.
    EXPECT_TRUE(std::filesystem::is_empty(root_ + "/images/tmp"));
}

TEST_F(ImageRoutes, RmRefusedWhileLeasedThenSaveRmLoadRoundTrips) {
    if (::geteuid() != 0) GTEST_SKIP() << "layer unpacking needs root";
    std::string id = import_tiny("tiny%3A1");
    auto info = images::find_image(*ctx_.store, "tiny:1");
    ASSERT_TRUE(info);
    ASSERT_TRUE(images::add_lease(*ctx_.store, "0123456789abcdef", *info));
    auto refused = call("DELETE", "/v1/images/tiny%3A1");
    EXPECT_EQ(refused.status, 409);
    EXPECT_EQ(refused.doc()["message"],
              "conflict: unable to remove repository reference \"tiny:1\" (must force) - "
              "container 0123456789ab is using its referenced image " +
                  id.substr(7, 12));
    ASSERT_TRUE(images::remove_lease(*ctx_.store, "0123456789abcdef"));

    std::string archive = call("GET", "/v1/images/get?names=tiny%3A1").body;
    auto rm = call("DELETE", "/v1/images/tiny%3A1");
    ASSERT_EQ(rm.status, 200) << rm.body;
    auto lines = rm.doc()["lines"];
    EXPECT_EQ(lines[0], "Untagged: tiny:1");
    EXPECT_NE(std::find(lines.begin(), lines.end(), "Deleted: " + id), lines.end()) << rm.body;
    EXPECT_EQ(call("GET", "/v1/images/tiny%3A1/json").status, 404);
    // The route that removed it also dropped its row from the state.
    auto rows = ctx_.db->images();
    ASSERT_TRUE(rows);
    EXPECT_TRUE(rows->empty());

    auto load = call("POST", "/v1/images/load", archive);
    ASSERT_EQ(load.status, 200) << load.body;
    EXPECT_EQ(load.doc()["lines"], json::array({"Loaded image: tiny:1"}));
    EXPECT_EQ(call("GET", "/v1/images/tiny%3A1/json").doc()[0]["Id"], id);
    EXPECT_EQ(call("POST", "/v1/images/prune").status, 200);
}

TEST_F(ImageRoutes, Errors) {
    auto missing = call("DELETE", "/v1/images/nope");
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(missing.doc()["message"], "No such image: nope");
    EXPECT_EQ(call("GET", "/v1/images/get?names=nope").status, 404);
    EXPECT_EQ(call("POST", "/v1/images/nope/tag?repo=x").status, 404);
    EXPECT_EQ(call("POST", "/v1/images/import", one_file_tar("a", "b")).status, 400);
    EXPECT_EQ(call("POST", "/v1/images/import?name=x&changes=%7B%7D", "x").status, 400);
    EXPECT_EQ(call("POST", "/v1/images/import?name=x").status, 400);  // no body
    auto garbage = call("POST", "/v1/images/load", "not a tar at all");
    EXPECT_EQ(garbage.status, 400);
    std::string message = garbage.doc()["message"];
    EXPECT_EQ(message.find("/images/tmp"), std::string::npos) << message;
    EXPECT_TRUE(std::filesystem::is_empty(root_ + "/images/tmp"));
}

}  // namespace
}  // namespace berth::daemon
