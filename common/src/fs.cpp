#include "common/fs.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <fstream>
#include <sstream>

namespace berth {

Result<std::string> read_file(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return errno_error("open " + path, errno);
    if (S_ISDIR(st.st_mode)) return Error("read " + path + ": is a directory", EISDIR);
    std::ifstream in(path, std::ios::binary);
    if (!in) return errno_error("open " + path, errno);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace berth
