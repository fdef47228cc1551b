#include "images/digest.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <cerrno>

#include "common/sha256.hpp"

namespace berth::images {

struct Sha256::Impl {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~Impl() { EVP_MD_CTX_free(ctx); }
};

Sha256::Sha256() : impl_(std::make_unique<Impl>()) {
    EVP_DigestInit_ex(impl_->ctx, EVP_sha256(), nullptr);
}
Sha256::~Sha256() = default;

void Sha256::update(const void* data, size_t n) {
    EVP_DigestUpdate(impl_->ctx, data, n);
}

std::string Sha256::digest() {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(impl_->ctx, md, &len);
    static const char* hex = "0123456789abcdef";
    std::string out = "sha256:";
    for (unsigned i = 0; i < len; ++i) {
        out += hex[md[i] >> 4];
        out += hex[md[i] & 15];
    }
    return out;
}

// In-memory documents (configs, manifests, chain ids) are small: common's SHA-256 spares the
// daemon OpenSSL's provider, which only the layer streams above need.
std::string sha256_digest(std::string_view data) {
    return "sha256:" + sha256_hex(data);
}

bool valid_digest(std::string_view d) {
    if (d.size() != 71 || d.substr(0, 7) != "sha256:") return false;
    for (char c : d.substr(7)) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    }
    return true;
}

std::string digest_hex(std::string_view d) {
    return std::string(d.substr(d.find(':') + 1));
}

std::vector<std::string> chain_ids(const std::vector<std::string>& diff_ids) {
    std::vector<std::string> out;
    for (const auto& id : diff_ids) {
        out.push_back(out.empty() ? id : sha256_digest(out.back() + " " + id));
    }
    return out;
}

Result<std::string> file_digest(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return errno_error("open " + path, errno);
    Sha256 h;
    char buf[1 << 16];
    ssize_t n;
    while ((n = ::read(fd, buf, sizeof buf)) > 0) h.update(buf, size_t(n));
    int err = errno;
    ::close(fd);
    if (n < 0) return errno_error("read " + path, err);
    return h.digest();
}

}  // namespace berth::images
