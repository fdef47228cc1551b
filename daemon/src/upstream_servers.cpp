#include "upstream_servers.hpp"

#include <sys/stat.h>

#include <sstream>

#include "engine/container_state.hpp"

namespace berth::daemon {

std::vector<dns::Upstream> parse_servers(const std::vector<std::string>& servers) {
    std::vector<dns::Upstream> out;
    for (std::string s : servers) {
        if (auto zone = s.find('%'); zone != std::string::npos) s.resize(zone);
        if (auto a = network::parse_address(s)) out.push_back({*a, 53});
    }
    return out;
}

std::vector<dns::Upstream> parse_nameservers(const std::string& resolv_conf) {
    std::istringstream in(resolv_conf);
    std::string line;
    std::vector<std::string> servers;
    while (std::getline(in, line)) {
        std::istringstream words(line);
        std::string word, addr;
        words >> word >> addr;
        if (word == "nameserver" && !addr.empty()) servers.push_back(addr);
    }
    return parse_servers(servers);
}

UpstreamServers::UpstreamServers(std::string resolv_conf, std::vector<std::string> configured)
    : path_(std::move(resolv_conf)), configured_(parse_servers(configured)) {}

std::vector<dns::Upstream> UpstreamServers::current() {
    if (!configured_.empty()) return configured_;
    std::lock_guard lock(mu_);
    const auto now = std::chrono::steady_clock::now();
    if (checked_ != std::chrono::steady_clock::time_point{} &&
        now - checked_ < std::chrono::seconds(1)) {
        return host_;
    }
    checked_ = now;
    struct stat st {};
    FileStamp stamp;
    if (::stat(path_.c_str(), &st) == 0) {
        stamp = {static_cast<long long>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec,
                 static_cast<long long>(st.st_size), static_cast<long long>(st.st_ino)};
    }
    if (stamp == stamp_) return host_;
    stamp_ = stamp;
    auto text = engine::read_text_file(path_);
    host_ = text ? parse_nameservers(*text) : std::vector<dns::Upstream>{};
    return host_;
}

}  // namespace berth::daemon
