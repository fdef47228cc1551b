// berthd's configuration: /etc/berth/daemon.json (or --config-file) with command-line flags on top.
// Pure: parsing and validation only, so every message is unit tested.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace berth::daemon {

struct AddressPool {
    std::string base;  // "172.80.0.0/16"
    int size = 24;     // prefix length of each network carved from base
};

struct DaemonConfig {
    std::string data_root = "/var/lib/berth";
    std::string exec_root = "/run/berth";
    std::string log_level = "info";                 // debug, info, warn, error
    std::map<std::string, std::string> log_opts;    // max-size, max-file
    std::vector<std::string> hosts;                 // unix:///path, tcp://host:port
    std::vector<AddressPool> default_address_pools;
    std::vector<std::string> dns;                   // upstream servers for containers
    std::string storage_driver;                     // "" = overlay2, falling back to vfs
    bool tls = false;
    bool tls_verify = false;
    std::string tls_ca_cert, tls_cert, tls_key;     // tlscacert, tlscert, tlskey
    bool allow_insecure_tcp = false;                // only with --allow-insecure-tcp
    int parallel = 0;                               // default bound for plan steps; 0 = 4 x CPUs
    int request_timeout = 30;                       // seconds for a whole request to arrive
    bool debug = false;

    // unix:///run/berth/berth.sock when `hosts` names none.
    std::string unix_socket() const;
};

// The flags of berthd, as given (unset ones leave the file's value).
struct DaemonFlags {
    std::optional<std::string> config_file;  // default /etc/berth/daemon.json (missing = defaults)
    std::optional<std::string> data_root, exec_root, log_level, storage_driver;
    std::vector<std::string> log_opts;  // k=v
    std::vector<std::string> hosts;
    std::vector<std::string> default_address_pools;  // base=172.80.0.0/16,size=24
    std::vector<std::string> dns;
    bool allow_insecure_tcp = false;
    bool debug = false;
};

// Unknown keys and bad values fail, naming the key and the file:
//   "/etc/berth/daemon.json: unknown key \"data_rot\" (did you mean \"data-root\"?)".
Result<DaemonConfig> parse_daemon_json(const std::string& text, const std::string& file_name);
// Reads the file (a missing default file means defaults), then applies the flags, then checks
// the whole: absolute roots, a TCP host only with tlsverify+certs unless allow_insecure_tcp.
Result<DaemonConfig> load_daemon_config(const DaemonFlags& flags);

}  // namespace berth::daemon
