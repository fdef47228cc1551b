// Vectors from distribution/reference normalize_test.go and reference_test.go.
#include <gtest/gtest.h>

#include "images/reference.hpp"

namespace berth::images {
namespace {

std::string norm(const std::string& s) {
    auto r = parse_reference(s);
    return r ? r->str() : "ERR: " + r.error().message();
}

TEST(ImagesReference, Normalizes) {
    EXPECT_EQ(norm("busybox"), "docker.io/library/busybox:latest");
    EXPECT_EQ(norm("docker/docker"), "docker.io/docker/docker:latest");
    EXPECT_EQ(norm("library/debian"), "docker.io/library/debian:latest");
    EXPECT_EQ(norm("docker.io/debian"), "docker.io/library/debian:latest");
    EXPECT_EQ(norm("index.docker.io/docker/docker"), "docker.io/docker/docker:latest");
    EXPECT_EQ(norm("index.docker.io/debian"), "docker.io/library/debian:latest");
    EXPECT_EQ(norm("127.0.0.1:5000/docker/docker"), "127.0.0.1:5000/docker/docker:latest");
    EXPECT_EQ(norm("127.0.0.1:5000/debian"), "127.0.0.1:5000/debian:latest");
    EXPECT_EQ(norm("192.168.0.1"), "docker.io/library/192.168.0.1:latest");
    EXPECT_EQ(norm("192.168.0.1:80"), "docker.io/library/192.168.0.1:80");
    EXPECT_EQ(norm("localhost/debian"), "localhost/debian:latest");
    EXPECT_EQ(norm("localhost:5000/foo/bar:tag"), "localhost:5000/foo/bar:tag");
    EXPECT_EQ(norm("[fc00::1]:5000/repo"), "[fc00::1]:5000/repo:latest");
    EXPECT_EQ(norm("foo-bar.com:8080/x__y.z-w"), "foo-bar.com:8080/x__y.z-w:latest");
}

TEST(ImagesReference, Digests) {
    std::string d = "sha256:" + std::string(64, 'a');
    EXPECT_EQ(norm("busybox@" + d), "docker.io/library/busybox@" + d);
    EXPECT_EQ(norm("busybox:1.36@" + d), "docker.io/library/busybox:1.36@" + d);
    EXPECT_EQ(norm("busybox@sha256:abc"), "ERR: invalid reference format");
    EXPECT_EQ(norm("busybox@sha256:" + std::string(63, 'a') + "g"),
              "ERR: invalid reference format");
    EXPECT_EQ(norm("busybox@sha256:" + std::string(40, 'a')),
              "ERR: invalid checksum digest length");
}

TEST(ImagesReference, GrammarErrors) {
    EXPECT_EQ(norm("docker/Docker"),
              "ERR: invalid reference format: repository name (docker/Docker) must be lowercase");
    EXPECT_EQ(norm("Busybox"),
              "ERR: invalid reference format: repository name (library/Busybox) must be lowercase");
    EXPECT_EQ(norm("https://github.com/docker/docker"), "ERR: invalid reference format");
    EXPECT_EQ(norm("-docker"), "ERR: invalid reference format");
    EXPECT_EQ(norm("docker///docker"), "ERR: invalid reference format");
    EXPECT_EQ(norm("docker.io/docker///docker"), "ERR: invalid reference format");
    EXPECT_EQ(norm("busybox:"), "ERR: invalid reference format");
    EXPECT_EQ(norm("busybox:-tag"), "ERR: invalid reference format");
    EXPECT_EQ(norm(""), "ERR: invalid reference format");
    std::string hex(64, 'a');
    EXPECT_EQ(norm(hex), "ERR: invalid repository name (" + hex +
                             "), cannot specify 64-byte hexadecimal strings");
    EXPECT_EQ(norm("a/" + std::string(255, 'b')),
              "ERR: repository name must not be more than 255 characters");
    EXPECT_EQ(norm("busybox:" + std::string(129, 't')), "ERR: invalid reference format");
}

TEST(ImagesReference, Familiar) {
    auto r = parse_reference("index.docker.io/library/busybox:1");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->familiar(), "busybox:1");
    r = parse_reference("docker/compose");
    EXPECT_EQ(r->familiar(), "docker/compose:latest");
    r = parse_reference("localhost:5000/a/b:c");
    EXPECT_EQ(r->familiar(), "localhost:5000/a/b:c");
    EXPECT_TRUE(looks_like_id("4f303748305e"));
    EXPECT_FALSE(looks_like_id("busybox"));
}

}  // namespace
}  // namespace berth::images
