// The value checks of daemon.json and berthd's flags, shared by both paths so a bad value reads
// the same whichever way it came in.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "daemon/config.hpp"

namespace berth::daemon {

Result<void> check_absolute(const std::string& path);
Result<void> check_log_level(const std::string& level);
Result<void> check_storage_driver(const std::string& driver);
// unix:///abs/path or tcp://host:port; at most one Unix socket.
Result<void> check_hosts(const std::vector<std::string>& hosts);
Result<void> check_dns(const std::vector<std::string>& servers);
// base is an IPv4 or IPv6 CIDR, size a prefix length no shorter than base's.
Result<void> check_pool(const AddressPool& pool);
// --default-address-pool base=172.80.0.0/16,size=24
Result<AddressPool> parse_pool_flag(const std::string& spec);
// The candidate a typo most likely meant, if any is close enough to suggest.
std::optional<std::string> closest_match(const std::string& word,
                                         const std::vector<std::string>& candidates);

}  // namespace berth::daemon
