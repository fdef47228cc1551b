// SHA-256 (FIPS 180-4) of a string in memory. The config hashes, chain ids and digests of small
// documents are computed here rather than through OpenSSL's EVP layer, whose first use loads its
// default provider and touches about 2 MiB of libcrypto that a resident berthd would then carry.
// Large streams (image layers) still go through OpenSSL, whose code is faster on big inputs.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace berth {

std::array<std::uint8_t, 32> sha256(std::string_view data);
// 64 lowercase hex digits.
std::string sha256_hex(std::string_view data);

}  // namespace berth
