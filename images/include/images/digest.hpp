// sha256 content digests ("sha256:<64 hex>") and the chain ids that name unpacked layers.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace berth::images {

// Incremental sha256; OpenSSL stays inside digest.cpp.
class Sha256 {
  public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;
    void update(const void* data, size_t n);
    void update(std::string_view s) { update(s.data(), s.size()); }
    // "sha256:<hex>"; the object must not be updated afterwards.
    std::string digest();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

std::string sha256_digest(std::string_view data);

// A well-formed "sha256:<64 lowercase hex>".
bool valid_digest(std::string_view d);
// The 64 hex characters of a valid digest.
std::string digest_hex(std::string_view d);

// ChainID(L0) = DiffID(L0); ChainID(Ln) = sha256(ChainID(Ln-1) + " " + DiffID(Ln)), as in the
// OCI image spec (config.md, "Layer ChainID"). One entry per layer, bottom first.
std::vector<std::string> chain_ids(const std::vector<std::string>& diff_ids);

// The digest of a file's bytes.
Result<std::string> file_digest(const std::string& path);

}  // namespace berth::images
