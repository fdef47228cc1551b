// The last steps before the container runs: fds, cwd, and the PATH lookup and execve.
#include <errno.h>
#include <limits.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include "process_setup.hpp"
#include "sync.hpp"
#include "sys.hpp"

namespace berth::engine::detail {

bool close_fds_except(int keep_fd) {
    // CVE-2024-21626: no fd of ours may reach the container (a leaked directory fd is a way out
    // through /proc/self/fd/N).
    const unsigned int keep = keep_fd < 0 ? 0 : static_cast<unsigned int>(keep_fd);
    if (keep_fd > 3 && close_range(3, keep - 1, 0) < 0) return fail(Step::CloseFds);
    const unsigned int from = keep_fd >= 3 ? keep + 1 : 3;
    if (close_range(from, ~0U, 0) < 0) return fail(Step::CloseFds);
    return true;
}

bool enter_cwd(const ChildPlan& p) {
    if (sys().chdir(p.cwd.c_str()) < 0) return fail(Step::Chdir, p.cwd.c_str());
    // getcwd reports "(unreachable)/..." or ENOENT when the cwd is outside our root.
    char buf[PATH_MAX];
    if (sys().getcwd(buf, sizeof buf) == nullptr) return fail(Step::VerifyCwd, p.cwd.c_str());
    if (buf[0] != '/') return fail(Step::VerifyCwd, p.cwd.c_str(), EPERM);
    return true;
}

void exec_command(const ChildPlan& p) {
    const char* file = p.argv[0];
    char* const* argv = const_cast<char* const*>(p.argv.data());
    char* const* envp = const_cast<char* const*>(p.envp.data());
    if (std::strchr(file, '/')) {
        execve(file, argv, envp);
        fail(Step::Exec, file);
        return;
    }
    int first_err = ENOENT;
    const char* dir = p.path_env.c_str();
    char buf[PATH_MAX];
    while (true) {
        const char* end = std::strchr(dir, ':');
        std::size_t len = end ? static_cast<std::size_t>(end - dir) : std::strlen(dir);
        int n = len == 0 ? snprintf(buf, sizeof buf, "%s", file)
                         : snprintf(buf, sizeof buf, "%.*s/%s", static_cast<int>(len), dir, file);
        if (n > 0 && static_cast<std::size_t>(n) < sizeof buf) {
            execve(buf, argv, envp);
            // Keep looking after ENOENT/ENOTDIR, as execvp does; remember a permission problem.
            if (errno == EACCES)
                first_err = EACCES;
            else if (errno != ENOENT && errno != ENOTDIR)
                first_err = errno;
        }
        if (!end) break;
        dir = end + 1;
    }
    fail(Step::Exec, file, first_err);
}

}  // namespace berth::engine::detail
