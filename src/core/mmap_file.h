// A read-only memory map of a whole file. Tensor views point straight into it (zero copy),
// so it must outlive every view taken from it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "core/result.h"

namespace inhouse {

// Drops the pages covering `bytes` (part of a read-only file mapping; whole pages, so a
// neighbour's bytes on the same page too) from this process's resident set; touching them
// again reads them back from the file. For data copied elsewhere, so that the copy is not
// counted twice.
void drop_resident_pages(std::span<const std::uint8_t> bytes) noexcept;

class MappedFile {
public:
    static Result<MappedFile> open(const std::string& path);

    MappedFile() = default;
    MappedFile(MappedFile&& other) noexcept;
    MappedFile& operator=(MappedFile&& other) noexcept;
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;
    ~MappedFile();

    std::span<const std::uint8_t> bytes() const { return {data_, size_bytes_}; }
    std::size_t size_bytes() const { return size_bytes_; }
    const std::string& path() const { return path_; }

private:
    void release();

    const std::uint8_t* data_ = nullptr;
    std::size_t size_bytes_ = 0;
    std::string path_;
};

}  // namespace inhouse
