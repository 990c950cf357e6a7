#include "app/gui/frame_stats.h"

#include <algorithm>
#include <cmath>

#include "core/config.h"
#include "core/io/atomic_file.h"

namespace dynalab {

namespace {
/// The q-quantile by the nearest-rank method (q = 0.5: median, 0.99: p99), of a copy.
double quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t rank = size_t(std::ceil(q * double(v.size())));
  return v[std::clamp<size_t>(rank, 1, v.size()) - 1];
}

Json summary(const std::vector<double>& v) {
  return Json{{"median", quantile(v, 0.5)},
              {"p99", quantile(v, 0.99)},
              {"max", v.empty() ? 0.0 : *std::max_element(v.begin(), v.end())}};
}
}  // namespace

void FrameStats::add(double build_ms, double build_cpu_ms, double start_ms) {
  build_ms_.push_back(build_ms);
  build_cpu_ms_.push_back(build_cpu_ms);
  start_ms_.push_back(start_ms);
}

std::string FrameStats::write(const std::string& path, const std::string& experiment,
                              long long ticks) const {
  std::vector<double> interval;
  for (size_t i = 1; i < start_ms_.size(); ++i) interval.push_back(start_ms_[i] - start_ms_[i - 1]);
  const auto over = [&](double ms) {
    return std::count_if(build_ms_.begin(), build_ms_.end(), [&](double b) { return b > ms; });
  };
  Json j = {{"experiment", experiment},
            {"frames", build_ms_.size()},
            {"worker_ticks", ticks},
            {"build_ms", summary(build_ms_)},
            {"build_cpu_ms", summary(build_cpu_ms_)},
            {"frame_interval_ms", summary(interval)},
            {"frames_build_over_8ms", over(8)},
            {"frames_build_over_33ms", over(33)},
            {"build_ms_per_frame", build_ms_},
            {"build_cpu_ms_per_frame", build_cpu_ms_}};
  try {
    write_file_atomic(path, j.dump(2) + "\n");
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

}  // namespace dynalab
