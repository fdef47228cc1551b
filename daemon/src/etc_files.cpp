#include "etc_files.hpp"

#include <sstream>

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
Result<std::string> host_line(const std::string& entry, const std::string& host_gateway) {
    std::size_t sep = entry.find('=');
    if (sep == std::string::npos) sep = entry.find(':');
    if (sep == std::string::npos) return std::string();
    std::string ip = entry.substr(sep + 1);
    if (ip.size() > 2 && ip.front() == '[' && ip.back() == ']') ip = ip.substr(1, ip.size() - 2);
    if (ip == "host-gateway") {
        if (host_gateway.empty()) {
            return Error("extra_hosts \"" + entry +
                         "\": host-gateway needs a bridge network (or the host's network); "
                         "give the host's address instead");
        }
        ip = host_gateway;
    }
    return ip + "\t" + entry.substr(0, sep) + "\n";
}

// The first word of a resolv.conf line ("" for blank lines and comments).
std::string keyword(const std::string& line) {
    std::istringstream in(line);
    std::string word;
    in >> word;
    return word.empty() || word[0] == '#' || word[0] == ';' ? "" : word;
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

// The host's lines that start with `word` ("search", "options").
std::string host_lines(const std::string& resolv, const std::string& word) {
    std::istringstream in(resolv);
    std::string line, out;
    while (std::getline(in, line)) {
        if (keyword(line) == word) out += line + "\n";
    }
    return out;
}

std::string joined(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : " ") + x;
    return s;
}

std::string embedded_resolv(const compose::Node& service, const HostEtc& host,
                            const std::vector<std::string>& resolvers) {
    std::string out;
    for (const auto& r : resolvers) out += "nameserver " + r + "\n";
    auto search = strings(service, "dns_search");
    out +=
        search.empty() ? host_lines(host.resolv_conf, "search") : "search " + joined(search) + "\n";
    auto opts = strings(service, "dns_opt");
    std::string options =
        opts.empty() ? host_lines(host.resolv_conf, "options") : "options " + joined(opts) + "\n";
    if (options.find("ndots:") == std::string::npos) options += "options ndots:0\n";
    return out + options;
}

}  // namespace

std::vector<std::string> dns_servers(const compose::Node& service) {
    return strings(service, "dns");
}

Result<EtcFiles> etc_files(const compose::Node& service, const std::string& hostname,
                           bool host_network, const HostEtc& host, const EtcNetwork& net) {
    EtcFiles f;
    f.hostname = hostname + "\n";
    f.hosts = host_network ? host.hosts
                           : "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n";
    if (!f.hosts.empty() && f.hosts.back() != '\n') f.hosts += "\n";
    f.hosts += net.own_hosts;
    const std::string host_gateway = host_network ? "127.0.0.1" : net.host_gateway;
    for (const auto& e : strings(service, "extra_hosts")) {
        auto line = host_line(e, host_gateway);
        if (!line) return line.error();
        f.hosts += *line;
    }

    if (!net.resolvers.empty()) {
        f.resolv_conf = embedded_resolv(service, host, net.resolvers);
        return f;
    }
    auto dns = dns_servers(service);
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

std::string with_nameservers(const std::string& resolv_conf,
                             const std::vector<std::string>& resolvers) {
    std::string out;
    for (const auto& r : resolvers) out += "nameserver " + r + "\n";
    std::istringstream in(resolv_conf);
    std::string line;
    while (std::getline(in, line)) {
        if (keyword(line) != "nameserver") out += line + "\n";
    }
    return out;
}

}  // namespace berth::daemon
