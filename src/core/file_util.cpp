#include "core/file_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace inhouse {

namespace {

Error errno_error(std::string_view what, const std::string& path) {
    return make_error(ErrorCode::Io, "{}: {}: {}", path, what, std::strerror(errno));
}

Status fsync_path(const std::string& path, int flags) {
    const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
    if (fd < 0) return errno_error("cannot open for fsync", path);
    const int rc = ::fsync(fd);
    const int saved = errno;
    ::close(fd);
    if (rc != 0) {
        errno = saved;
        return errno_error("fsync failed", path);
    }
    return {};
}

std::string parent_of(const std::string& path) {
    const auto parent = std::filesystem::path(path).parent_path();
    return parent.empty() ? std::string(".") : parent.string();
}

}  // namespace

Status sync_directory(const std::string& directory) {
    return fsync_path(directory, O_RDONLY | O_DIRECTORY);
}

Status commit_file(const std::string& temp_path, const std::string& final_path) {
    INHOUSE_RETURN_IF_ERROR(fsync_path(temp_path, O_RDONLY));
    if (::rename(temp_path.c_str(), final_path.c_str()) != 0) {
        return errno_error("cannot rename into place", final_path);
    }
    return sync_directory(parent_of(final_path));
}

Status write_file_atomic(const std::string& path, std::string_view contents) {
    const std::string temp_path = path + ".tmp." + std::to_string(::getpid());
    const int fd = ::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return errno_error("cannot create", temp_path);
    std::size_t written = 0;
    while (written < contents.size()) {
        const ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
        if (n < 0) {
            if (errno == EINTR) continue;
            const int saved = errno;
            ::close(fd);
            ::unlink(temp_path.c_str());
            errno = saved;
            return errno_error("write failed", temp_path);
        }
        written += static_cast<std::size_t>(n);
    }
    ::close(fd);
    auto status = commit_file(temp_path, path);
    if (!status.ok()) ::unlink(temp_path.c_str());
    return status;
}

Result<std::string> read_file(const std::string& path) {
    std::ifstream stream(path, std::ios::binary);
    if (!stream) {
        return make_error(errno == ENOENT ? ErrorCode::NotFound : ErrorCode::Io,
                          "{}: cannot open: {}", path, std::strerror(errno));
    }
    std::ostringstream contents;
    contents << stream.rdbuf();
    if (stream.bad()) return make_error(ErrorCode::Io, "{}: read error", path);
    return contents.str();
}

Status make_directories(const std::string& path) {
    std::error_code error;
    std::filesystem::create_directories(path, error);
    if (error) {
        return make_error(ErrorCode::Io, "{}: cannot create directory: {}", path,
                          error.message());
    }
    return {};
}

}  // namespace inhouse
