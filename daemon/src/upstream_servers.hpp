// The servers berth's resolver forwards to when the asking container has no `dns:` of its own:
// daemon.json's `dns`, else the host's resolv.conf nameservers. The host's file is read again
// when it changes (a laptop moving between networks, a VPN coming up), looked at no more than
// once a second so that a burst of forwarded queries does not stat it each time.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include "dns/server.hpp"

namespace berth::daemon {

// The nameserver lines of a resolv.conf, in order. An IPv6 zone ("%eth0") is dropped; lines that
// are not addresses are skipped.
std::vector<dns::Upstream> parse_nameservers(const std::string& resolv_conf);

// `dns:`-style server texts ("1.1.1.1", "fd00::1"); ones that are not addresses are skipped.
std::vector<dns::Upstream> parse_servers(const std::vector<std::string>& servers);

class UpstreamServers {
  public:
    UpstreamServers(std::string resolv_conf, std::vector<std::string> configured);

    // Thread-safe; the host's file is read at most once a second, and only when it changed.
    std::vector<dns::Upstream> current();

  private:
    struct FileStamp {
        long long mtime_ns = -1, size = -1, inode = -1;
        bool operator==(const FileStamp&) const = default;
    };

    std::string path_;
    std::vector<dns::Upstream> configured_;
    std::mutex mu_;
    std::chrono::steady_clock::time_point checked_{};
    FileStamp stamp_;
    std::vector<dns::Upstream> host_;
};

}  // namespace berth::daemon
