#include "config_values.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>

#include "common/strings.hpp"

namespace berth::daemon {
namespace {

std::string quote(const std::string& s) {
    return "\"" + s + "\"";
}

bool parse_int(const std::string& s, int& out) {
    if (s.empty()) return false;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && end == s.data() + s.size();
}

// 4 or 6 for an address literal, 0 for anything else.
int ip_family(const std::string& s) {
    unsigned char buf[16];
    if (inet_pton(AF_INET, s.c_str(), buf) == 1) return 4;
    if (inet_pton(AF_INET6, s.c_str(), buf) == 1) return 6;
    return 0;
}

Result<void> check_tcp_host(const std::string& host) {
    std::string rest = host.substr(6);
    auto colon = rest.rfind(':');
    int port = 0;
    if (colon == std::string::npos || colon == 0 || !parse_int(rest.substr(colon + 1), port) ||
        port < 1 || port > 65535)
        return Error(quote(host) + " is not tcp://HOST:PORT");
    return {};
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diag = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diag = up;
        }
    }
    return row[b.size()];
}

}  // namespace

Result<void> check_absolute(const std::string& path) {
    if (path.empty() || path[0] != '/') return Error(quote(path) + " is not an absolute path");
    return {};
}

Result<void> check_log_level(const std::string& level) {
    static const std::vector<std::string> levels = {"debug", "info", "warn", "error"};
    if (std::find(levels.begin(), levels.end(), level) == levels.end())
        return Error(quote(level) + " is not one of debug, info, warn, error");
    return {};
}

Result<void> check_storage_driver(const std::string& driver) {
    if (driver != "overlay2" && driver != "vfs")
        return Error(quote(driver) + " is not one of overlay2, vfs");
    return {};
}

Result<void> check_hosts(const std::vector<std::string>& hosts) {
    int unix_sockets = 0;
    for (const std::string& h : hosts) {
        if (h.rfind("unix://", 0) == 0) {
            if (auto ok = check_absolute(h.substr(7)); !ok) return ok.error().context(quote(h));
            if (++unix_sockets > 1) return Error("only one unix:// host is supported");
        } else if (h.rfind("tcp://", 0) == 0) {
            if (auto ok = check_tcp_host(h); !ok) return ok;
        } else {
            return Error(quote(h) + " is neither unix:///PATH nor tcp://HOST:PORT");
        }
    }
    return {};
}

Result<void> check_dns(const std::vector<std::string>& servers) {
    for (const std::string& s : servers)
        if (ip_family(s) == 0) return Error(quote(s) + " is not an IP address");
    return {};
}

Result<void> check_pool(const AddressPool& pool) {
    auto slash = pool.base.find('/');
    int prefix = -1;
    int family = slash == std::string::npos ? 0 : ip_family(pool.base.substr(0, slash));
    int bits = family == 4 ? 32 : 128;
    if (family == 0 || !parse_int(pool.base.substr(slash + 1), prefix) || prefix < 0 ||
        prefix > bits)
        return Error("base " + quote(pool.base) + " is not a CIDR such as 172.80.0.0/16");
    if (pool.size < prefix || pool.size > bits)
        return Error("size " + std::to_string(pool.size) + " must lie between " +
                     std::to_string(prefix) + " (the base's prefix) and " + std::to_string(bits));
    return {};
}

Result<AddressPool> parse_pool_flag(const std::string& spec) {
    AddressPool pool;
    bool has_base = false, has_size = false;
    for (const std::string& part : split(spec, ",")) {
        auto eq = part.find('=');
        std::string key = part.substr(0, eq),
                    value = eq == std::string::npos ? "" : part.substr(eq + 1);
        if (key == "base" && eq != std::string::npos) {
            pool.base = value;
            has_base = true;
        } else if (key == "size" && parse_int(value, pool.size)) {
            has_size = true;
        } else {
            return Error(quote(spec) + ": expected base=CIDR,size=PREFIX");
        }
    }
    if (!has_base || !has_size) return Error(quote(spec) + ": expected base=CIDR,size=PREFIX");
    if (auto ok = check_pool(pool); !ok) return ok.error().context(quote(spec));
    return pool;
}

std::optional<std::string> closest_match(const std::string& word,
                                         const std::vector<std::string>& candidates) {
    // A third of the word's length lets "data_rot" find "data-root" but keeps "foo" from
    // suggesting "dns".
    std::size_t best = std::max<std::size_t>(2, word.size() / 3) + 1;
    std::optional<std::string> match;
    for (const std::string& c : candidates) {
        std::size_t d = edit_distance(word, c);
        if (d < best) {
            best = d;
            match = c;
        }
    }
    return match;
}

}  // namespace berth::daemon
