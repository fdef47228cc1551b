// Leases against a real store in a temp dir: rm refuses a leased image, rm -f untags it but gc
// keeps its content, and the content goes once the lease does.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "images/digest.hpp"
#include "images/images.hpp"

namespace berth::images {
namespace {

namespace fs = std::filesystem;
using V = std::vector<std::string>;

const std::string kC1 = "2b1e2f0c4d9a" + std::string(52, '1');
const std::string kC2 = "7f00aa11bb22" + std::string(52, '2');

bool has_prefix(const V& lines, const std::string& prefix) {
    return std::any_of(lines.begin(), lines.end(),
                       [&](const std::string& l) { return l.rfind(prefix, 0) == 0; });
}

class ImagesLease : public ::testing::Test {
  protected:
    void SetUp() override {
        // Unpacking a layer keeps owners and device nodes, which needs root.
        if (::geteuid() != 0) GTEST_SKIP() << "layer unpacking needs root";
        char tmpl[] = "/tmp/berth-lease-XXXXXX";
        ASSERT_NE(::mkdtemp(tmpl), nullptr);
        root_ = tmpl;
        fs::create_directories(root_ + "/rootfs/bin");
        std::ofstream(root_ + "/rootfs/bin/hello") << "#!/bin/sh\necho hello\n";
        std::string cmd = "tar -C " + root_ + "/rootfs -cf " + root_ + "/rootfs.tar .";
        ASSERT_EQ(std::system(cmd.c_str()), 0);
        auto s = Store::open({root_ + "/data", "overlay2"});
        ASSERT_TRUE(s) << s.error().message();
        store_ = std::make_unique<Store>(std::move(*s));
    }
    void TearDown() override {
        if (!root_.empty()) fs::remove_all(root_);
    }

    ImageInfo import(const std::string& name, const V& changes = {}) {
        auto id = import_rootfs(*store_, root_ + "/rootfs.tar", name, changes);
        EXPECT_TRUE(id) << id.error().message();
        auto info = find_image(*store_, name);
        EXPECT_TRUE(info) << info.error().message();
        return info ? *info : ImageInfo{};
    }
    void lease(const std::string& holder, const ImageInfo& image) {
        auto ok = add_lease(*store_, holder, image);
        ASSERT_TRUE(ok) << ok.error().message();
    }
    // Every blob and layer dir the image needs.
    bool content_present(const ImageInfo& i) const {
        bool all =
            fs::exists(store_->blob_path(i.manifest_digest)) && fs::exists(store_->blob_path(i.id));
        for (const auto& l : i.manifest.layers)
            all = all && fs::exists(store_->blob_path(l.digest));
        for (const auto& c : i.chain_ids) all = all && fs::exists(store_->layer_diff(c));
        return all;
    }
    bool content_gone(const ImageInfo& i) const {
        bool none = !fs::exists(store_->blob_path(i.manifest_digest)) &&
                    !fs::exists(store_->blob_path(i.id));
        for (const auto& l : i.manifest.layers)
            none = none && !fs::exists(store_->blob_path(l.digest));
        for (const auto& c : i.chain_ids) none = none && !fs::exists(store_->layer_dir(c));
        return none;
    }
    size_t image_count() const {
        auto all = list_images(*store_);
        EXPECT_TRUE(all) << all.error().message();
        return all ? all->size() : 0;
    }
    std::string short_id(const ImageInfo& i) const { return digest_hex(i.id).substr(0, 12); }

    std::string root_;
    std::unique_ptr<Store> store_;
};

TEST_F(ImagesLease, RmRefusedWhileLeased) {
    auto img = import("busybox");
    lease(kC1, img);
    auto r = remove_image(*store_, "busybox");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message(),
              "conflict: unable to remove repository reference \"busybox\" (must force) - "
              "container 2b1e2f0c4d9a is using its referenced image " +
                  short_id(img));
    auto by_id = remove_image(*store_, short_id(img));
    ASSERT_FALSE(by_id);
    EXPECT_EQ(by_id.error().message(), "conflict: unable to delete " + short_id(img) +
                                           " (must be forced) - image is being used by "
                                           "container 2b1e2f0c4d9a");
    EXPECT_EQ(image_count(), 1u);
    EXPECT_TRUE(content_present(img));
}

TEST_F(ImagesLease, OneOfSeveralNamesGoesWithoutForce) {
    // As Docker: the image stays listed under its other name, so the container loses nothing.
    auto img = import("busybox");
    ASSERT_TRUE(tag_image(*store_, "busybox", "busybox:two"));
    lease(kC1, img);
    auto r = remove_image(*store_, "busybox:two");
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(*r, V{"Untagged: busybox:two"});
    EXPECT_FALSE(remove_image(*store_, "busybox"));
}

TEST_F(ImagesLease, ForceUntagsButKeepsContentUntilLeaseGoes) {
    auto img = import("busybox");
    lease(kC1, img);
    auto r = remove_image(*store_, "busybox", true);
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(*r, V{"Untagged: busybox:latest"});
    EXPECT_EQ(image_count(), 0u);
    EXPECT_TRUE(content_present(img));

    auto pruned = prune_images(*store_);
    ASSERT_TRUE(pruned) << pruned.error().message();
    EXPECT_EQ(*pruned, V{});
    EXPECT_TRUE(content_present(img));

    ASSERT_TRUE(remove_lease(*store_, kC1));
    pruned = prune_images(*store_);
    ASSERT_TRUE(pruned) << pruned.error().message();
    EXPECT_TRUE(has_prefix(*pruned, "Deleted: " + img.id));
    EXPECT_TRUE(content_gone(img));
}

TEST_F(ImagesLease, RmDeletesOnceLeaseRemoved) {
    auto img = import("busybox");
    lease(kC1, img);
    ASSERT_FALSE(remove_image(*store_, "busybox"));
    ASSERT_TRUE(remove_lease(*store_, kC1));
    auto r = remove_image(*store_, "busybox");
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(r->front(), "Untagged: busybox:latest");
    EXPECT_TRUE(has_prefix(*r, "Deleted: " + img.manifest_digest));
    EXPECT_TRUE(content_gone(img));
}

TEST_F(ImagesLease, HoldersListedSortedAndRemoveTwiceIsFine) {
    auto a = import("a");
    auto b = import("b", {"CMD [\"true\"]"});
    lease(kC2, a);
    lease(kC1, a);
    lease("other", b);
    auto h = lease_holders(*store_, a.id);
    ASSERT_TRUE(h) << h.error().message();
    EXPECT_EQ(*h, (V{kC1, kC2}));
    h = lease_holders(*store_, digest_hex(b.id));
    ASSERT_TRUE(h);
    EXPECT_EQ(*h, V{"other"});

    ASSERT_TRUE(remove_lease(*store_, kC2));
    auto again = remove_lease(*store_, kC2);
    EXPECT_TRUE(again) << again.error().message();
    EXPECT_TRUE(remove_lease(*store_, "never-leased"));
    h = lease_holders(*store_, a.id);
    ASSERT_TRUE(h);
    EXPECT_EQ(*h, V{kC1});
}

TEST_F(ImagesLease, HolderMustBeOneFileName) {
    auto img = import("busybox");
    for (std::string bad : {"", "../x", "a/b", ".hidden"}) {
        EXPECT_FALSE(add_lease(*store_, bad, img)) << bad;
        EXPECT_FALSE(remove_lease(*store_, bad)) << bad;
    }
}

TEST_F(ImagesLease, SharedLayerOutlivesFirstImage) {
    // Same tar, different config: two images, one layer (same chain id).
    auto a = import("a");
    auto b = import("b", {"CMD [\"sh\"]"});
    ASSERT_EQ(a.chain_ids, b.chain_ids);
    ASSERT_NE(a.id, b.id);
    auto r = remove_image(*store_, "a");
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_FALSE(fs::exists(store_->blob_path(a.id)));
    EXPECT_TRUE(content_present(b));
}

TEST_F(ImagesLease, LeaseKeepsSharedLayerWhenOtherImageGoes) {
    auto a = import("a");
    auto b = import("b", {"CMD [\"sh\"]"});
    lease(kC1, a);
    ASSERT_TRUE(remove_image(*store_, "a", true));
    auto r = remove_image(*store_, "b");
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_TRUE(has_prefix(*r, "Deleted: " + b.id));
    EXPECT_TRUE(content_present(a));
    ASSERT_TRUE(remove_lease(*store_, kC1));
    ASSERT_TRUE(prune_images(*store_));
    EXPECT_TRUE(content_gone(a));
}

TEST_F(ImagesLease, PruneKeepsLeasedDanglingImage) {
    auto img = import("busybox");
    ASSERT_TRUE(store_->update_refs([&](Refs& r) {
        r.tags.clear();
        r.untagged.push_back(img.manifest_digest);
    }));
    lease(kC1, img);
    auto pruned = prune_images(*store_);
    ASSERT_TRUE(pruned) << pruned.error().message();
    EXPECT_EQ(*pruned, V{});
    EXPECT_EQ(image_count(), 1u);
    ASSERT_TRUE(remove_lease(*store_, kC1));
    pruned = prune_images(*store_);
    ASSERT_TRUE(pruned);
    EXPECT_EQ(image_count(), 0u);
    EXPECT_TRUE(content_gone(img));
}

TEST_F(ImagesLease, LeaseOnCollectedImageFails) {
    auto img = import("busybox");
    ASSERT_TRUE(remove_image(*store_, "busybox"));
    auto ok = add_lease(*store_, kC1, img);
    ASSERT_FALSE(ok);
    EXPECT_NE(ok.error().message().find("no longer in the store"), std::string::npos)
        << ok.error().message();
    auto h = lease_holders(*store_, img.id);
    ASSERT_TRUE(h);
    EXPECT_TRUE(h->empty());
}

TEST_F(ImagesLease, DamagedLeaseStopsGcAndStaleTempGoes) {
    auto img = import("busybox");
    std::string dir = store_->images_dir() + "/leases";
    fs::create_directories(dir);
    std::ofstream(dir + "/x.json.tmp-12345") << "{";
    ASSERT_TRUE(prune_images(*store_));
    EXPECT_FALSE(fs::exists(dir + "/x.json.tmp-12345"));

    std::ofstream(dir + "/broken.json") << "{\"holder\": 1}";
    auto r = remove_image(*store_, "busybox", true);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message().find("broken.json"), std::string::npos) << r.error().message();
    EXPECT_EQ(image_count(), 1u);  // nothing untagged either
    EXPECT_TRUE(content_present(img));
}

}  // namespace
}  // namespace berth::images
