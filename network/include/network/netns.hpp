// Network namespaces pinned by bind mounts (under berthd's run root), so a container's namespace
// outlives its processes, and work done inside one. berthd is multi-threaded: none of its own
// threads ever changes namespace; each operation here runs on a short-lived thread of its own
// that enters the namespace and ends with it.
#pragma once

#include <functional>
#include <string>

#include "common/result.hpp"

namespace berth::network {

// A new network namespace, pinned by a bind mount at `path` (created as a file of mode 0444; its
// folder must exist), with `lo` up inside. A path that exists already is an error naming it. On
// any failure nothing is left behind: no mount, no file.
Result<void> create_netns(const std::string& path);

// Unpins and removes the namespace file (umount2 MNT_DETACH, then unlink). A path that is gone,
// or a file that is not mounted, is no error, so teardown can always be retried. The namespace
// itself ends when nothing else (a process, an open fd) holds it.
Result<void> remove_netns(const std::string& path);

// Runs fn on a short-lived thread that has entered the network namespace at `path` (a pinned
// file or /proc/PID/ns/net) and returns its result; an exception fn throws comes back as an
// error. Inside fn, sockets and netlink are the namespace's, and so is /proc/sys/net: its entries
// follow the namespace of the thread that opens them, so set_sysctl(conf_key(...)) called in fn
// changes the namespace's value only (/proc/net, a link to /proc/self/net, would follow the
// process's main thread instead, and is not to be used in fn).
Result<void> in_netns(const std::string& path, const std::function<Result<void>()>& fn);

}  // namespace berth::network
