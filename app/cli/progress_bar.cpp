#include "app/cli/progress_bar.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace dynalab::cli {

std::string clock_text(double seconds) {
  const long s = std::lround(std::max(0.0, seconds));
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  return buf;
}

ProgressBar::ProgressBar(std::string label, double total, std::string unit)
    : label_(std::move(label)), unit_(std::move(unit)), total_(total), start_(std::chrono::steady_clock::now()) {
  const char* term = std::getenv("TERM");
  enabled_ = isatty(STDERR_FILENO) && !(term && std::strcmp(term, "dumb") == 0);
}

void ProgressBar::update(double done) {
  if (!enabled_ || !(total_ > 0)) return;
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && done < total_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  drawn_ = true;
  const double f = std::clamp(done / total_, 0.0, 1.0);
  constexpr int kWidth = 24;
  const int filled = int(f * kWidth);
  std::string bar = std::string(filled, '#') + std::string(kWidth - filled, '.');
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  char count[64];
  if (unit_.empty())
    std::snprintf(count, sizeof count, "%3.0f%%", 100 * f);
  else
    std::snprintf(count, sizeof count, "%.0f/%.0f %s", done, total_, unit_.c_str());
  // The ETA assumes the rest goes at the pace so far; none before the first unit is done.
  const std::string eta = f > 0 && f < 1 ? ", about " + clock_text(elapsed * (1 - f) / f) + " left" : "";
  std::fprintf(stderr, "\r%s [%s] %s  %s elapsed%s\033[K", label_.c_str(), bar.c_str(), count,
               clock_text(elapsed).c_str(), eta.c_str());
  std::fflush(stderr);
}

void ProgressBar::finish() {
  if (!drawn_) return;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace dynalab::cli
