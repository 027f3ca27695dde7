#include "core/subprocess.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

extern char** environ;

namespace inhouse {

namespace {

Result<int> wait_for(pid_t pid, const std::string& program) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            return make_error(ErrorCode::Io, "waiting for {}: {}", program, std::strerror(errno));
        }
    }
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    return 128 + WTERMSIG(status);
}

}  // namespace

Result<SubprocessResult> run_subprocess(
    const std::vector<std::string>& argv,
    const std::function<Status(std::span<const char>)>& on_stdout) {
    if (argv.empty()) return make_error(ErrorCode::InvalidArgument, "empty command");
    std::vector<char*> args;
    for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);

    int pipe_fds[2] = {-1, -1};
    if (on_stdout && ::pipe2(pipe_fds, O_CLOEXEC) != 0) {
        return make_error(ErrorCode::Io, "cannot create pipe: {}", std::strerror(errno));
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    if (on_stdout) posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);

    pid_t pid = 0;
    const int rc = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (on_stdout) ::close(pipe_fds[1]);
    if (rc != 0) {
        if (on_stdout) ::close(pipe_fds[0]);
        return make_error(ErrorCode::NotFound, "cannot run '{}': {}", argv[0], std::strerror(rc));
    }

    Status stream_status;
    if (on_stdout) {
        std::array<char, 1 << 16> buffer{};
        for (;;) {
            const ssize_t n = ::read(pipe_fds[0], buffer.data(), buffer.size());
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            if (stream_status.ok()) {
                stream_status = on_stdout({buffer.data(), static_cast<std::size_t>(n)});
            }
        }
        ::close(pipe_fds[0]);
    }
    INHOUSE_ASSIGN_OR_RETURN(const int exit_code, wait_for(pid, argv[0]));
    if (!stream_status.ok()) return std::move(stream_status).error();
    return SubprocessResult{.exit_code = exit_code};
}

}  // namespace inhouse
