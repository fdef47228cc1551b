// The firewall's I/O: nft scripts run through libnftables in the caller's network namespace, as
// one transaction each (a script that fails changes nothing). berth's own table only: see
// firewall.hpp for what goes in it.
#pragma once

#include <string>

#include "common/result.hpp"

namespace berth::network {

// Runs the script; nft's own error text when it fails.
Result<void> nft_apply(const std::string& script);
// Runs one command and returns what nft printed ("list table inet berth").
Result<std::string> nft_query(const std::string& command);
// Removes berth's table, and with it every berth rule; a missing table is not an error.
Result<void> nft_remove_berth_table();

}  // namespace berth::network
