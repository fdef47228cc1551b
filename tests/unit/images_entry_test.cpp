#include <gtest/gtest.h>

#include "images/entry_path.hpp"

namespace berth::images {
namespace {

std::string clean(const std::string& s) {
    auto r = clean_entry_path(s);
    return r ? *r : "ERR: " + r.error().message();
}

TEST(ImagesEntryPath, Cleans) {
    EXPECT_EQ(clean("./usr//bin/"), "usr/bin");
    EXPECT_EQ(clean("./"), "");
    EXPECT_EQ(clean("."), "");
    EXPECT_EQ(clean("etc/./passwd"), "etc/passwd");
    EXPECT_EQ(clean("a..b/..c"), "a..b/..c");
}

TEST(ImagesEntryPath, RefusesEscapes) {
    EXPECT_EQ(clean("../etc/passwd"), "ERR: path escapes the layer root (..)");
    EXPECT_EQ(clean("a/../../x"), "ERR: path escapes the layer root (..)");
    EXPECT_EQ(clean("a/.."), "ERR: path escapes the layer root (..)");
    EXPECT_EQ(clean("/etc/passwd"), "ERR: absolute path in layer");
}

EntryClass cls(const std::string& s) {
    auto r = classify_entry(s);
    return r ? *r : EntryClass{EntryKind::kNormal, "ERR"};
}

TEST(ImagesEntryPath, Whiteouts) {
    EXPECT_EQ(cls("etc/passwd").kind, EntryKind::kNormal);
    EXPECT_EQ(cls("etc/.wh.passwd").kind, EntryKind::kWhiteout);
    EXPECT_EQ(cls("etc/.wh.passwd").path, "etc/passwd");
    EXPECT_EQ(cls(".wh.top").path, "top");
    EXPECT_EQ(cls("var/cache/.wh..wh..opq").kind, EntryKind::kOpaque);
    EXPECT_EQ(cls("var/cache/.wh..wh..opq").path, "var/cache");
    EXPECT_EQ(cls(".wh..wh..opq").path, "");
    EXPECT_EQ(cls(".wh..wh.plnk/12.34").kind, EntryKind::kNormal);  // inside, not the name
    EXPECT_EQ(cls(".wh..wh.plnk").kind, EntryKind::kAufsMeta);
    EXPECT_EQ(cls("x/.wh..wh.aufs").kind, EntryKind::kAufsMeta);
    EXPECT_FALSE(classify_entry("x/.wh."));
    EXPECT_FALSE(classify_entry("x/.wh..."));
    EXPECT_EQ(cls("x/a.wh.b").kind, EntryKind::kNormal);
}

}  // namespace
}  // namespace berth::images
