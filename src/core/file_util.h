// Files written so that a crash never leaves a half-written one under its final name:
// write a temporary file beside it, fsync, rename over, fsync the directory.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace inhouse {

// Atomically replaces `path` with `contents`.
Status write_file_atomic(const std::string& path, std::string_view contents);

// Makes a completed temporary file durable and moves it to `final_path` atomically.
Status commit_file(const std::string& temp_path, const std::string& final_path);

// fsyncs a directory so a rename inside it survives a crash.
Status sync_directory(const std::string& directory);

Result<std::string> read_file(const std::string& path);

// Creates a directory and its parents (mode 0700 for new ones: the store is private).
Status make_directories(const std::string& path);

}  // namespace inhouse
