#include "compose/volume_spec.hpp"

#include <gtest/gtest.h>

using namespace berth::compose;

namespace {

VolumeSpec parse(const std::string& spec) {
    auto r = parse_volume_spec(spec);
    EXPECT_TRUE(r.ok()) << spec << ": " << (r.ok() ? "" : r.error().message());
    return r.ok() ? *r : VolumeSpec{};
}

std::string error_of(const std::string& spec) {
    auto r = parse_volume_spec(spec);
    return r.ok() ? "" : r.error().message();
}

VolumeSpec bind(std::string source, std::string target, bool ro = false) {
    VolumeSpec v;
    v.type = "bind";
    v.source = std::move(source);
    v.target = std::move(target);
    v.read_only = ro;
    v.has_bind = true;
    v.create_host_path = true;
    return v;
}

VolumeSpec volume(std::string source, std::string target) {
    VolumeSpec v;
    v.type = "volume";
    v.source = std::move(source);
    v.target = std::move(target);
    v.has_volume = true;
    return v;
}

}  // namespace

TEST(VolumeSpec, AnonymousVolume) {
    for (const char* path : {"/path", "/path/foo", "/var/lib/anonymous"}) {
        EXPECT_EQ(parse(path), volume("", path));
    }
    for (const char* path : {"C:\\path", "Z:\\path\\foo"}) EXPECT_EQ(parse(path), volume("", path));
}

TEST(VolumeSpec, ShortVolumes) {
    for (const char* path : {".", "/a"}) {
        VolumeSpec v;
        v.type = "volume";
        v.target = path;
        EXPECT_EQ(parse(path), v);
    }
}

TEST(VolumeSpec, BindMounts) {
    for (const char* path : {"./foo", "~/thing", "../other", "/foo", "/home/user", "."}) {
        EXPECT_EQ(parse(std::string(path) + ":/target"), bind(path, "/target"));
    }
    EXPECT_EQ(parse("D:\\path:d:\\target"), bind("D:\\path", "d:\\target"));
    EXPECT_EQ(parse("\\\\.\\pipe\\docker_engine:\\\\.\\pipe\\inside"),
              bind("\\\\.\\pipe\\docker_engine", "\\\\.\\pipe\\inside"));
}

TEST(VolumeSpec, NamedVolume) {
    EXPECT_EQ(parse("datavolume:/var/lib/volume"), volume("datavolume", "/var/lib/volume"));
}

TEST(VolumeSpec, Options) {
    VolumeSpec slave = bind("/source", "/target");
    slave.propagation = "slave";
    EXPECT_EQ(parse("/source:/target:slave"), slave);

    VolumeSpec shared = bind("/source", "/target", true);
    shared.selinux = "z";
    EXPECT_EQ(parse("/source:/target:ro,z"), shared);
    shared.selinux = "Z";
    EXPECT_EQ(parse("/source:/target:ro,Z"), shared);

    VolumeSpec win = bind("C:\\source\\foo", "D:\\target", true);
    win.propagation = "rprivate";
    EXPECT_EQ(parse("C:\\source\\foo:D:\\target:ro,rprivate"), win);

    VolumeSpec nocopy = volume("name", "/target");
    nocopy.nocopy = true;
    EXPECT_EQ(parse("name:/target:nocopy"), nocopy);

    EXPECT_EQ(parse("name:/target:bogus"), volume("name", "/target"));
    EXPECT_EQ(parse("./foo:/target:ro"), bind("./foo", "/target", true));
    EXPECT_EQ(parse("./foo:/target:rw"), bind("./foo", "/target", false));
    EXPECT_EQ(parse("~/configs:/etc/configs:ro"), bind("~/configs", "/etc/configs", true));
}

TEST(VolumeSpec, VariablesKeepTheirColons) {
    EXPECT_EQ(parse("/tmp:/tmp/${BUG_HERE:-DEFAULT}/path"),
              bind("/tmp", "/tmp/${BUG_HERE:-DEFAULT}/path"));
    EXPECT_EQ(parse("/tmp/${VAR:-default}:/target"), bind("/tmp/${VAR:-default}", "/target"));
    EXPECT_EQ(parse("/src/${SRC:-default}:/dst/${DST:-value}"),
              bind("/src/${SRC:-default}", "/dst/${DST:-value}"));
    EXPECT_EQ(parse("/tmp:/tmp/${VAR:-default}/path:ro"),
              bind("/tmp", "/tmp/${VAR:-default}/path", true));
    EXPECT_EQ(parse("/tmp:/tmp/${TIME:-12:30:45}/path"),
              bind("/tmp", "/tmp/${TIME:-12:30:45}/path"));
    EXPECT_EQ(parse("/tmp:/tmp/${VAR1:-val1}/${VAR2:-val2}/path"),
              bind("/tmp", "/tmp/${VAR1:-val1}/${VAR2:-val2}/path"));
}

TEST(VolumeSpec, Errors) {
    EXPECT_EQ(error_of(""), "invalid empty volume spec");
    EXPECT_EQ(error_of("/foo:/foo:ro:foo"), "invalid spec: /foo:/foo:ro:foo: too many colons");
    EXPECT_EQ(error_of(":foo"), "invalid spec: :foo: empty section between colons");
    EXPECT_EQ(error_of("/foo::ro"), "invalid spec: /foo::ro: empty section between colons");
}
