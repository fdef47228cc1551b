// daemon.json as dockerd spells it, plus berth's own keys, then berthd's flags on top.
#include "daemon/config.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cerrno>
#include <functional>
#include <nlohmann/json.hpp>

#include "common/fs.hpp"
#include "common/strings.hpp"
#include "config_values.hpp"

namespace berth::daemon {
namespace {

using nlohmann::json;

const char* const kDefaultConfigFile = "/etc/berth/daemon.json";

std::string quote(const std::string& s) {
    return "\"" + s + "\"";
}

Error bad_type(const std::string& key, const json& value, const std::string& expected) {
    return Error("key " + quote(key) + ": expected " + expected + ", got " + value.dump());
}

Result<std::string> as_string(const std::string& key, const json& v) {
    if (!v.is_string()) return bad_type(key, v, "a string");
    return v.get<std::string>();
}

Result<bool> as_bool(const std::string& key, const json& v) {
    if (!v.is_boolean()) return bad_type(key, v, "true or false");
    return v.get<bool>();
}

Result<std::vector<std::string>> as_strings(const std::string& key, const json& v) {
    if (!v.is_array()) return bad_type(key, v, "an array of strings");
    std::vector<std::string> out;
    for (const json& item : v) {
        if (!item.is_string()) return bad_type(key, v, "an array of strings");
        out.push_back(item.get<std::string>());
    }
    return out;
}

Result<int> as_positive_int(const std::string& key, const json& v) {
    if (!v.is_number_integer() || v.get<long long>() < 1 || v.get<long long>() > 1000000)
        return bad_type(key, v, "a positive integer");
    return static_cast<int>(v.get<long long>());
}

Result<std::map<std::string, std::string>> as_string_map(const std::string& key, const json& v) {
    if (!v.is_object()) return bad_type(key, v, "an object of strings");
    std::map<std::string, std::string> out;
    for (const auto& [k, item] : v.items()) {
        if (!item.is_string()) return bad_type(key + "." + k, item, "a string");
        out[k] = item.get<std::string>();
    }
    return out;
}

Result<AddressPool> as_pool(const json& v) {
    const std::string key = "default-address-pools";
    if (!v.is_object() || !v.contains("base") || !v.contains("size"))
        return bad_type(key, v, "{\"base\": CIDR, \"size\": prefix length}");
    for (const auto& [k, item] : v.items())
        if (k != "base" && k != "size")
            return Error("key " + quote(key) + ": unknown field " + quote(k));
    if (!v["base"].is_string()) return bad_type(key + ".base", v["base"], "a CIDR string");
    if (!v["size"].is_number_integer()) return bad_type(key + ".size", v["size"], "an integer");
    AddressPool pool{v["base"].get<std::string>(), static_cast<int>(v["size"].get<long long>())};
    if (auto ok = check_pool(pool); !ok) return ok.error().context("key " + quote(key));
    return pool;
}

Result<std::vector<AddressPool>> as_pools(const std::string& key, const json& v) {
    if (!v.is_array()) return bad_type(key, v, "an array of {\"base\", \"size\"} objects");
    std::vector<AddressPool> out;
    for (const json& item : v) {
        auto pool = as_pool(item);
        if (!pool) return pool.error();
        out.push_back(*pool);
    }
    return out;
}

// Every key a daemon.json may hold, and where its value goes.
using Setter = std::function<Result<void>(const json&, DaemonConfig&)>;

template <typename T, typename Parse, typename Check>
Setter field(const std::string& key, T DaemonConfig::*member, Parse parse, Check check) {
    return [key, member, parse, check](const json& v, DaemonConfig& cfg) -> Result<void> {
        auto value = parse(key, v);
        if (!value) return value.error();
        if (auto ok = check(*value); !ok) return ok.error().context("key " + quote(key));
        cfg.*member = std::move(*value);
        return {};
    };
}

template <typename T>
Result<void> any(const T&) {
    return {};
}

const std::map<std::string, Setter>& setters() {
    using C = DaemonConfig;
    static const std::map<std::string, Setter> table = {
        {"data-root", field("data-root", &C::data_root, as_string, check_absolute)},
        {"exec-root", field("exec-root", &C::exec_root, as_string, check_absolute)},
        {"log-level", field("log-level", &C::log_level, as_string, check_log_level)},
        {"log-opts",
         field("log-opts", &C::log_opts, as_string_map, any<std::map<std::string, std::string>>)},
        {"hosts", field("hosts", &C::hosts, as_strings, check_hosts)},
        {"default-address-pools", field("default-address-pools", &C::default_address_pools,
                                        as_pools, any<std::vector<AddressPool>>)},
        {"dns", field("dns", &C::dns, as_strings, check_dns)},
        {"storage-driver",
         field("storage-driver", &C::storage_driver, as_string, check_storage_driver)},
        {"tls", field("tls", &C::tls, as_bool, any<bool>)},
        {"tlsverify", field("tlsverify", &C::tls_verify, as_bool, any<bool>)},
        {"tlscacert", field("tlscacert", &C::tls_ca_cert, as_string, check_absolute)},
        {"tlscert", field("tlscert", &C::tls_cert, as_string, check_absolute)},
        {"tlskey", field("tlskey", &C::tls_key, as_string, check_absolute)},
        {"debug", field("debug", &C::debug, as_bool, any<bool>)},
        {"parallel", field("parallel", &C::parallel, as_positive_int, any<int>)},
        {"request-timeout",
         field("request-timeout", &C::request_timeout, as_positive_int, any<int>)},
    };
    return table;
}

std::vector<std::string> known_keys() {
    std::vector<std::string> keys;
    for (const auto& [k, setter] : setters()) keys.push_back(k);
    return keys;
}

Error unknown_key(const std::string& key) {
    std::string msg = "unknown key " + quote(key);
    if (auto near = closest_match(key, known_keys()))
        msg += " (did you mean " + quote(*near) + "?)";
    return Error(msg);
}

// nlohmann reports a byte offset; a line and column is what an editor jumps to.
std::string position_of(const std::string& text, std::size_t byte) {
    std::size_t line = 1, col = 1;
    for (std::size_t i = 0; i + 1 < byte && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            col = 1;
        } else {
            ++col;
        }
    }
    return std::to_string(line) + ":" + std::to_string(col);
}

Result<json> parse_json(const std::string& text, const std::string& file_name) {
    try {
        return json::parse(text);
    } catch (const json::parse_error& e) {
        std::string what = e.what();
        auto colon = what.rfind(": ");
        return Error(file_name + ":" + position_of(text, e.byte) + ": invalid JSON: " +
                     (colon == std::string::npos ? what : what.substr(colon + 2)));
    }
}

Result<void> apply_flags(const DaemonFlags& flags, DaemonConfig& cfg) {
    if (flags.data_root) cfg.data_root = *flags.data_root;
    if (flags.exec_root) cfg.exec_root = *flags.exec_root;
    if (flags.log_level) {
        if (auto ok = check_log_level(*flags.log_level); !ok)
            return ok.error().context("--log-level");
        cfg.log_level = *flags.log_level;
    }
    if (flags.storage_driver) {
        if (auto ok = check_storage_driver(*flags.storage_driver); !ok)
            return ok.error().context("--storage-driver");
        cfg.storage_driver = *flags.storage_driver;
    }
    for (const std::string& kv : flags.log_opts) {
        auto eq = kv.find('=');
        if (eq == std::string::npos || eq == 0)
            return Error("--log-opt " + quote(kv) + ": expected key=value");
        cfg.log_opts[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    if (!flags.hosts.empty()) cfg.hosts = flags.hosts;
    if (!flags.dns.empty()) cfg.dns = flags.dns;
    if (!flags.default_address_pools.empty()) {
        cfg.default_address_pools.clear();
        for (const std::string& spec : flags.default_address_pools) {
            auto pool = parse_pool_flag(spec);
            if (!pool) return pool.error().context("--default-address-pool");
            cfg.default_address_pools.push_back(*pool);
        }
    }
    cfg.allow_insecure_tcp = cfg.allow_insecure_tcp || flags.allow_insecure_tcp;
    cfg.debug = cfg.debug || flags.debug;
    return {};
}

// Checks that span several keys, and flag values that skipped the per-key checks.
Result<void> check_whole(DaemonConfig& cfg) {
    if (auto ok = check_absolute(cfg.data_root); !ok) return ok.error().context("data-root");
    if (auto ok = check_absolute(cfg.exec_root); !ok) return ok.error().context("exec-root");
    if (auto ok = check_hosts(cfg.hosts); !ok) return ok.error().context("hosts");
    if (auto ok = check_dns(cfg.dns); !ok) return ok.error().context("dns");
    if (cfg.debug) cfg.log_level = "debug";
    bool has_tcp = std::any_of(cfg.hosts.begin(), cfg.hosts.end(),
                               [](const std::string& h) { return h.rfind("tcp://", 0) == 0; });
    if (!has_tcp) return {};
    bool certs = !cfg.tls_ca_cert.empty() && !cfg.tls_cert.empty() && !cfg.tls_key.empty();
    if (cfg.tls_verify && !certs) return Error("tlsverify needs tlscacert, tlscert and tlskey");
    if (!cfg.tls_verify && !cfg.allow_insecure_tcp)
        return Error(
            "a TCP host needs \"tlsverify\": true with tlscacert, tlscert and tlskey (anyone who "
            "reaches an unauthenticated socket is root on this machine); pass "
            "--allow-insecure-tcp to listen without TLS anyway");
    return {};
}

}  // namespace

std::string DaemonConfig::unix_socket() const {
    if (hosts.empty()) return exec_root + "/berth.sock";
    for (const std::string& h : hosts)
        if (h.rfind("unix://", 0) == 0) return h.substr(7);
    return "";
}

Result<DaemonConfig> parse_daemon_json(const std::string& text, const std::string& file_name) {
    auto doc = parse_json(text, file_name);
    if (!doc) return doc.error();
    if (!doc->is_object()) return Error(file_name + ": expected a JSON object, got " + doc->dump());
    DaemonConfig cfg;
    for (const auto& [key, value] : doc->items()) {
        auto it = setters().find(key);
        if (it == setters().end()) return unknown_key(key).context(file_name);
        if (auto ok = it->second(value, cfg); !ok) return ok.error().context(file_name);
    }
    return cfg;
}

Result<DaemonConfig> load_daemon_config(const DaemonFlags& flags) {
    const std::string file = flags.config_file.value_or(kDefaultConfigFile);
    DaemonConfig cfg;
    auto text = read_file(file);
    if (text) {
        auto parsed = parse_daemon_json(*text, file);
        if (!parsed) return parsed.error();
        cfg = std::move(*parsed);
    } else if (flags.config_file || text.error().errnum() != ENOENT) {
        return text.error();
    }
    if (auto ok = apply_flags(flags, cfg); !ok) return ok.error();
    if (auto ok = check_whole(cfg); !ok) return ok.error();
    return cfg;
}

}  // namespace berth::daemon
