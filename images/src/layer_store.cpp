#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "fs_util.hpp"
#include "images/digest.hpp"
#include "images/layer.hpp"

namespace berth::images {

Result<bool> ensure_layer(const Store& store, const std::string& blob,
                          const std::string& chain_id) {
    std::string hex = digest_hex(chain_id);
    std::string root = store.options().data_root + "/overlay";
    // One unpacker per chain id; the others wait here and then find it done.
    auto lock = fsx::Lock::take(root + "/.locks/" + hex + ".lock", true);
    if (!lock) return lock.error();
    if (store.has_layer(chain_id)) return false;
    auto tmp = fsx::make_temp_dir(root + "/.tmp-" + hex);
    if (!tmp) return tmp.error();
    auto fail = [&](Error e) -> Result<bool> {
        (void)fsx::remove_tree(*tmp);
        return e.context("unpack layer " + chain_id);
    };
    if (::mkdir((*tmp + "/diff").c_str(), 0755) != 0) return fail(errno_error("mkdir diff", errno));
    auto bytes = unpack_layer(blob, *tmp + "/diff");
    if (!bytes) return fail(bytes.error());
    // The size file is written last: overlay/<hex> without it is never taken as complete.
    if (auto ok = fsx::write_atomic(*tmp + "/size", std::to_string(*bytes) + "\n"); !ok) {
        return fail(ok.error());
    }
    // Unpacked files must be on disk before the rename publishes them as complete.
    if (int fd = ::open(tmp->c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); fd >= 0) {
        ::syncfs(fd);
        ::close(fd);
    }
    std::string final_dir = store.layer_dir(chain_id);
    (void)fsx::remove_tree(final_dir);  // an incomplete leftover, never a complete layer
    if (::rename(tmp->c_str(), final_dir.c_str()) != 0) {
        return fail(errno_error("rename to " + final_dir, errno));
    }
    return true;
}

}  // namespace berth::images
