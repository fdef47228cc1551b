#include <gtest/gtest.h>

#include "images/digest.hpp"
#include "images/manifest.hpp"

namespace berth::images {
namespace {

TEST(ImagesDigest, Sha256) {
    EXPECT_EQ(sha256_digest(""),
              "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    Sha256 h;
    h.update("ab");
    h.update("c");
    EXPECT_EQ(h.digest(), sha256_digest("abc"));
    EXPECT_EQ(sha256_digest("abc"),
              "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(ImagesDigest, Validity) {
    EXPECT_TRUE(valid_digest("sha256:" + std::string(64, 'f')));
    EXPECT_FALSE(valid_digest("sha256:" + std::string(64, 'F')));
    EXPECT_FALSE(valid_digest("sha256:" + std::string(63, 'f')));
    EXPECT_FALSE(valid_digest("sha512:" + std::string(64, 'f')));
    EXPECT_FALSE(valid_digest("sha256:../../../etc/passwd" + std::string(40, 'a')));
    EXPECT_EQ(digest_hex("sha256:" + std::string(64, 'a')), std::string(64, 'a'));
}

// The chain id rule of the OCI image spec (config.md, "Layer ChainID").
TEST(ImagesDigest, ChainIds) {
    std::string a = sha256_digest("a"), b = sha256_digest("b"), c = sha256_digest("c");
    auto ids = chain_ids({a, b, c});
    ASSERT_EQ(ids.size(), 3u);
    EXPECT_EQ(ids[0], a);
    EXPECT_EQ(ids[1], sha256_digest(a + " " + b));
    EXPECT_EQ(ids[2], sha256_digest(ids[1] + " " + c));
    EXPECT_TRUE(chain_ids({}).empty());
    // The same layer on different parents is a different chain, and so a different diff dir.
    EXPECT_NE(chain_ids({b, c})[1], ids[2]);
}

TEST(ImagesManifest, MediaTypesAndDescriptors) {
    std::string d = "sha256:" + std::string(64, 'a');
    std::string good =
        R"({"schemaVersion":2,"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":")" +
        d +
        R"(","size":1},"layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","digest":")" +
        d + R"(","size":2}]})";
    auto m = parse_manifest(good);
    ASSERT_TRUE(m) << m.error().message();
    EXPECT_EQ(m->layers.size(), 1u);
    auto again = parse_manifest(manifest_json(*m));
    ASSERT_TRUE(again);
    EXPECT_EQ(manifest_json(*again), manifest_json(*m));

    std::string bad = good;
    std::string t = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    bad.replace(bad.find(t), t.size(), "application/x-made-up-type");
    auto r = parse_manifest(bad);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message().find("unknown media type \"application/x-made-up-type"),
              std::string::npos);
    EXPECT_FALSE(parse_manifest(R"({"config":{"digest":"sha256:12"}})"));
}

}  // namespace
}  // namespace berth::images
