// A one-line progress bar on stderr, drawn only when stderr is a terminal.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace inhouse {

class ProgressBar {
public:
    ProgressBar(std::string label, std::uint64_t total_bytes);
    ~ProgressBar();

    void advance(std::uint64_t n_bytes);
    void finish();

private:
    void draw(bool force);

    std::string label_;
    std::uint64_t total_bytes_;
    std::uint64_t done_bytes_ = 0;
    bool enabled_;
    bool finished_ = false;
    std::chrono::steady_clock::time_point start_;
    std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace inhouse
