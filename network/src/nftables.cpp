#include "network/nftables.hpp"

#include <nftables/libnftables.h>

namespace berth::network {

namespace {

// One context per call: libnftables contexts are not shared between threads, and a call is rare
// (a network or a published port changes).
Result<std::string> run(const std::string& script, bool want_output) {
    nft_ctx* ctx = nft_ctx_new(NFT_CTX_DEFAULT);
    if (!ctx) return Error("nftables: cannot make a context");
    nft_ctx_buffer_output(ctx);
    nft_ctx_buffer_error(ctx);
    int rc = nft_run_cmd_from_buffer(ctx, script.c_str());
    std::string out = want_output ? nft_ctx_get_output_buffer(ctx) : "";
    std::string err = nft_ctx_get_error_buffer(ctx);
    nft_ctx_free(ctx);
    if (rc != 0) {
        while (!err.empty() && err.back() == '\n') err.pop_back();
        return Error("nftables: " + (err.empty() ? std::string("the rules were refused") : err));
    }
    return out;
}

}  // namespace

Result<void> nft_apply(const std::string& script) {
    auto r = run(script, false);
    if (!r) return r.error();
    return {};
}

Result<std::string> nft_query(const std::string& command) {
    return run(command, true);
}

Result<void> nft_remove_berth_table() {
    // Made first, so that the delete has something to delete on a host without it.
    return nft_apply("table inet berth {}\ndelete table inet berth\n");
}

}  // namespace berth::network
