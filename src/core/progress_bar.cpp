#include "core/progress_bar.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include <fmt/format.h>

namespace inhouse {

namespace {
constexpr int kBarWidth = 30;
constexpr auto kRedrawInterval = std::chrono::milliseconds(100);
}  // namespace

ProgressBar::ProgressBar(std::string label, std::uint64_t total_bytes)
    : label_(std::move(label)),
      total_bytes_(total_bytes),
      enabled_(::isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::advance(std::uint64_t n_bytes) {
    done_bytes_ += n_bytes;
    draw(false);
}

void ProgressBar::finish() {
    if (finished_) return;
    finished_ = true;
    draw(true);
    if (enabled_) std::fputc('\n', stderr);
}

void ProgressBar::draw(bool force) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (!force && now - last_draw_ < kRedrawInterval) return;
    last_draw_ = now;
    const double fraction =
        total_bytes_ == 0 ? 1.0 : std::min(1.0, static_cast<double>(done_bytes_) / total_bytes_);
    const int filled = static_cast<int>(fraction * kBarWidth);
    const double seconds = std::chrono::duration<double>(now - start_).count();
    const double mib_per_second = seconds > 0 ? done_bytes_ / seconds / (1 << 20) : 0.0;
    const std::string bar = std::string(static_cast<std::size_t>(filled), '#') +
                            std::string(static_cast<std::size_t>(kBarWidth - filled), '.');
    fmt::print(stderr, "\r{} [{}] {:5.1f}% {:.0f}/{:.0f} MiB {:.0f} MiB/s", label_, bar,
               fraction * 100, done_bytes_ / double(1 << 20), total_bytes_ / double(1 << 20),
               mib_per_second);
    std::fflush(stderr);
}

}  // namespace inhouse
