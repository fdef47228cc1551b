// Pinned network namespaces, as root, in a child that has network and mount namespaces of its
// own (mount propagation private, so no bind mount reaches the host): created and removed
// without a trace, entered by in_netns, which sees the namespace's own links and writes its own
// /proc/sys/net.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <string>

#include "netns_child.hpp"
#include "network/netlink.hpp"
#include "network/netns.hpp"
#include "network/sysctl.hpp"

using namespace berth::network;
using test_support::failed;

namespace {

// Every body here removes what it pins: its folder must be left empty.
void in_private_namespaces(const std::function<int(const std::string& dir)>& body) {
    test_support::in_private_namespaces(body, true);
}

bool mounted(const std::string& path) {
    std::ifstream in("/proc/self/mountinfo");
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string id, parent, dev, root, mount_point;
        fields >> id >> parent >> dev >> root >> mount_point;
        if (mount_point == path) return true;
    }
    return false;
}

bool exists(const std::string& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::string v;
    std::getline(in, v);
    return v;
}

// A TCP connection over 127.0.0.1 in the calling thread's namespace: it works only with lo up.
berth::Result<void> loopback_works() {
    int l = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int c = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof sa;
    bool ok = ::bind(l, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0 && ::listen(l, 1) == 0 &&
              ::getsockname(l, reinterpret_cast<sockaddr*>(&sa), &len) == 0 &&
              ::connect(c, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0;
    int err = errno;
    ::close(c);
    ::close(l);
    if (!ok) return berth::errno_error("connect over lo", err);
    return {};
}

TEST(Netns, CreateAndRemoveLeaveNoFileAndNoMount) {
    in_private_namespaces([](const std::string& dir) {
        const std::string path = dir + "/ns1";
        CHECK(!mounted(path), "nothing mounted before");
        STEP(create_netns(path), "create");
        struct stat st {};
        CHECK(::stat(path.c_str(), &st) == 0, "the pin exists");
        CHECK(mounted(path), "the pin is a mount");
        CHECK(!loopback_works(), "lo is down in the caller's fresh namespace");
        STEP(in_netns(path, loopback_works), "lo is up inside");

        auto again = create_netns(path);
        CHECK(!again, "a second create of the same path fails");
        CHECK(again.error().message().find(path) != std::string::npos, "the error names it");
        CHECK(mounted(path), "the failed second create left the first pin alone");

        STEP(remove_netns(path), "remove");
        CHECK(!exists(path), "no file after remove");
        CHECK(!mounted(path), "no mount after remove");
        STEP(remove_netns(path), "remove again");

        // A file left unmounted (a crash between create and mount) is removed too.
        std::ofstream(path).put('x');
        STEP(remove_netns(path), "remove an unmounted file");
        CHECK(!exists(path), "the unmounted file is gone");

        auto no_dir = create_netns(dir + "/missing/ns");
        CHECK(!no_dir, "a missing folder is an error");
        CHECK(!exists(dir + "/missing"), "nothing made for it");
        return 0;
    });
}

TEST(Netns, PinFileHasMode0444) {
    in_private_namespaces([](const std::string& dir) {
        const std::string path = dir + "/ns1";
        STEP(create_netns(path), "create");
        // The mount shows the namespace's inode; the file's own mode is under it.
        CHECK(::umount2(path.c_str(), MNT_DETACH) == 0, "unmount to look at the file");
        struct stat st {};
        CHECK(::stat(path.c_str(), &st) == 0, "the file is there");
        CHECK(S_ISREG(st.st_mode) && (st.st_mode & 07777) == 0444, "a regular file of mode 0444");
        STEP(remove_netns(path), "remove the unmounted pin");
        CHECK(!exists(path), "gone");
        return 0;
    });
}

TEST(Netns, InNetnsSeesTheNamespacesOwnLinks) {
    in_private_namespaces([](const std::string& dir) {
        const std::string path = dir + "/ns1";
        STEP(create_netns(path), "create");
        auto here = Netlink::open();
        if (!here) return failed("open", here.error().message());
        int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        CHECK(fd >= 0, "open the pin");
        STEP(here->add_veth("vethns", "eth0", fd, 0), "veth into the namespace");
        ::close(fd);
        CHECK(!here->exists("eth0"), "eth0 is absent here");
        CHECK(here->exists("vethns"), "the host end is here");
        STEP(in_netns(path,
                      []() -> berth::Result<void> {
                          auto nl = Netlink::open();
                          if (!nl) return nl.error();
                          if (!nl->exists("eth0")) return berth::Error("no eth0 inside");
                          if (nl->exists("vethns")) return berth::Error("vethns inside");
                          return {};
                      }),
             "eth0 is present inside");

        auto err = in_netns(path, [] { return berth::Result<void>(berth::Error("from fn")); });
        CHECK(!err && err.error().message() == "from fn", "fn's error comes back as is");
        auto thrown =
            in_netns(path, []() -> berth::Result<void> { throw std::runtime_error("x"); });
        CHECK(!thrown, "a throw comes back as an error");
        auto missing = in_netns(dir + "/nope", [] { return berth::Result<void>(); });
        CHECK(!missing && missing.error().message().find(dir + "/nope") != std::string::npos,
              "a missing namespace is an error naming it");
        auto not_ns = in_netns(dir, [] { return berth::Result<void>(); });
        CHECK(!not_ns, "a folder is no namespace");

        STEP(here->delete_link("vethns"), "delete veth");
        STEP(remove_netns(path), "remove");
        return 0;
    });
}

TEST(Netns, SysctlThroughInNetnsChangesThatNamespaceOnly) {
    in_private_namespaces([](const std::string& dir) {
        const std::string path = dir + "/ns1";
        const std::string key = conf_key("ipv4", "lo", "arp_notify");
        const std::string file = "/proc/sys/" + key;
        STEP(create_netns(path), "create");
        CHECK(read_file(file) == "0", "the caller's value starts at 0");
        std::string inside;
        STEP(in_netns(path,
                      [&]() -> berth::Result<void> {
                          inside = read_file(file);
                          return {};
                      }),
             "read inside");
        CHECK(inside == "0", "the namespace's value starts at 0");
        bool wrote = false;
        STEP(in_netns(path,
                      [&]() -> berth::Result<void> {
                          auto r = set_sysctl(key, "1");
                          if (!r) return r.error();
                          wrote = *r;
                          inside = read_file(file);
                          return {};
                      }),
             "set inside");
        CHECK(wrote, "set_sysctl wrote");
        CHECK(inside == "1", "the namespace's value is 1");
        CHECK(read_file(file) == "0", "the caller's value is still 0");
        STEP(in_netns(path,
                      [&]() -> berth::Result<void> {
                          inside = read_file(file);
                          return {};
                      }),
             "read inside again");
        CHECK(inside == "1", "a later thread in the namespace reads 1 too");
        STEP(remove_netns(path), "remove");
        return 0;
    });
}

}  // namespace
