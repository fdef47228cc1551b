#include "etc_files.hpp"

#include <sstream>
#include <vector>

namespace berth::daemon {

namespace {

std::vector<std::string> strings(const compose::Node& service, const char* key) {
    std::vector<std::string> out;
    const compose::Node* n = service.find(key);
    if (n && n->is_seq()) {
        for (const auto& item : n->items) {
            if (item.is_scalar()) out.push_back(item.text);
        }
    } else if (n && n->is_scalar() && !n->text.empty()) {
        out.push_back(n->text);
    }
    return out;
}

// "name=ip" (the normalized form) or "name:ip"; an IPv6 address keeps its colons.
std::string host_line(const std::string& entry) {
    std::size_t sep = entry.find('=');
    if (sep == std::string::npos) sep = entry.find(':');
    if (sep == std::string::npos) return "";
    std::string ip = entry.substr(sep + 1);
    if (ip.size() > 2 && ip.front() == '[' && ip.back() == ']') ip = ip.substr(1, ip.size() - 2);
    return ip + "\t" + entry.substr(0, sep) + "\n";
}

bool loopback_nameserver(const std::string& line) {
    std::istringstream in(line);
    std::string word, addr;
    in >> word >> addr;
    return word == "nameserver" && (addr.rfind("127.", 0) == 0 || addr == "::1");
}

std::string without_loopback(const std::string& resolv) {
    std::istringstream in(resolv);
    std::string line, out;
    while (std::getline(in, line)) {
        if (!loopback_nameserver(line)) out += line + "\n";
    }
    return out;
}

std::string joined(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : " ") + x;
    return s;
}

}  // namespace

EtcFiles etc_files(const compose::Node& service, const std::string& hostname, bool host_network,
                   const HostEtc& host) {
    EtcFiles f;
    f.hostname = hostname + "\n";
    f.hosts = host_network ? host.hosts
                           : "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n";
    if (!f.hosts.empty() && f.hosts.back() != '\n') f.hosts += "\n";
    for (const auto& e : strings(service, "extra_hosts")) f.hosts += host_line(e);

    auto dns = strings(service, "dns");
    auto search = strings(service, "dns_search");
    auto opts = strings(service, "dns_opt");
    if (dns.empty() && search.empty() && opts.empty()) {
        f.resolv_conf = host_network ? host.resolv_conf : without_loopback(host.resolv_conf);
        return f;
    }
    for (const auto& d : dns) f.resolv_conf += "nameserver " + d + "\n";
    if (!search.empty()) f.resolv_conf += "search " + joined(search) + "\n";
    if (!opts.empty()) f.resolv_conf += "options " + joined(opts) + "\n";
    return f;
}

}  // namespace berth::daemon
