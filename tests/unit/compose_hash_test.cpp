#include <gtest/gtest.h>

#include "compose/hash.hpp"
#include "compose_support.hpp"

namespace berth::compose {
namespace {

using test_support::parse_one;

std::string hash_of(const std::string& yaml) {
    return service_config_hash(parse_one(yaml));
}

const char* kBase = "image: busybox\ncommand: [sleep, '1']\n";

TEST(ComposeHash, ReplicasDoNotCount) {
    std::string base = hash_of(kBase);
    EXPECT_EQ(hash_of(std::string(kBase) + "scale: 3\n"), base);
    EXPECT_EQ(hash_of(std::string(kBase) + "deploy: {replicas: 2}\n"), base);
    EXPECT_NE(hash_of(std::string(kBase) + "deploy: {replicas: 2, labels: {a: b}}\n"), base);
}

TEST(ComposeHash, BuildPullPolicyDependsOnAndProfilesDoNotCount) {
    std::string base = hash_of(kBase);
    EXPECT_EQ(hash_of(std::string(kBase) + "build: {context: .}\npull_policy: always\n"), base);
    EXPECT_EQ(hash_of(std::string(kBase) + "depends_on: {db: {condition: service_started}}\n"),
              base);
    EXPECT_EQ(hash_of(std::string(kBase) + "profiles: [debug]\n"), base);
}

TEST(ComposeHash, WhatRunsCounts) {
    std::string base = hash_of(kBase);
    EXPECT_NE(hash_of("image: busybox\ncommand: [sleep, '2']\n"), base);
    EXPECT_NE(hash_of(std::string(kBase) + "environment: {A: b}\n"), base);
    EXPECT_EQ(base.size(), 64u);
}

TEST(ComposeHash, HashedServiceShowsWhatIsCompared) {
    Node n = hashed_service(parse_one(std::string(kBase) + "scale: 2\ndeploy: {replicas: 2}\n"));
    EXPECT_EQ(n.find("scale"), nullptr);
    EXPECT_EQ(n.find("deploy"), nullptr);
    EXPECT_NE(n.find("command"), nullptr);
}

}  // namespace
}  // namespace berth::compose
