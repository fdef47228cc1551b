#include "common/result.hpp"

#include <cstring>

namespace berth {

Error errno_error(const std::string& what, int errnum) {
    return Error(what + ": " + std::strerror(errnum), errnum);
}

}  // namespace berth
