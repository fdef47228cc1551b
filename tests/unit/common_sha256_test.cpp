#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <random>

#include "common/sha256.hpp"

namespace {

// FIPS 180-4 example vectors (NIST CSRC "SHA256.pdf" and "SHA2_Additional.pdf").
TEST(Sha256, KnownVectors) {
    EXPECT_EQ(berth::sha256_hex(""),
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(berth::sha256_hex("abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(berth::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    EXPECT_EQ(berth::sha256_hex(std::string(1000000, 'a')),
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

std::string openssl_hex(const std::string& data) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned i = 0; i < len; ++i) {
        out += hex[md[i] >> 4];
        out += hex[md[i] & 15];
    }
    return out;
}

// Every length around the one- and two-block padding boundaries (55, 56, 63, 64, ...), and a
// few larger ones, agree with OpenSSL.
TEST(Sha256, AgreesWithOpenSslAcrossPaddingBoundaries) {
    std::mt19937 rng(7);
    for (std::size_t n = 0; n < 300; ++n) {
        std::string data(n, '\0');
        for (auto& c : data) c = static_cast<char>(rng());
        ASSERT_EQ(berth::sha256_hex(data), openssl_hex(data)) << "length " << n;
    }
    for (std::size_t n : {1023u, 4096u, 65537u}) {
        std::string data(n, 'x');
        EXPECT_EQ(berth::sha256_hex(data), openssl_hex(data)) << "length " << n;
    }
}

}  // namespace
