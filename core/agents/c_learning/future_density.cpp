#include "core/agents/c_learning/future_density.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "core/agents/c_learning/future_replay.h"

namespace dynalab {

int DensityGrid::cell(double x, double y) const {
  const int ix = std::clamp(int(std::floor((x - x_lo) / (x_hi - x_lo) * nx)), 0, nx - 1);
  const int iy = std::clamp(int(std::floor((y - y_lo) / (y_hi - y_lo) * ny)), 0, ny - 1);
  return iy * nx + ix;
}

std::array<double, 2> DensityGrid::centre(int c) const {
  const int ix = c % nx, iy = c / nx;
  return {x_lo + (ix + 0.5) * (x_hi - x_lo) / nx, y_lo + (iy + 0.5) * (y_hi - y_lo) / ny};
}

std::vector<double> cell_histogram(const DensityGrid& grid, const std::vector<double>& xs,
                                   const std::vector<double>& ys, double pseudo_count) {
  if (xs.size() != ys.size()) throw std::invalid_argument("cell_histogram: xs and ys differ in size");
  std::vector<double> h(size_t(grid.cells()), pseudo_count);
  for (size_t i = 0; i < xs.size(); ++i)
    if (std::isfinite(xs[i]) && std::isfinite(ys[i])) h[size_t(grid.cell(xs[i], ys[i]))] += 1;
  double total = 0;
  for (double v : h) total += v;
  if (total > 0)
    for (double& v : h) v /= total;
  return h;
}

double kl_divergence(const std::vector<double>& p, const std::vector<double>& q) {
  if (p.size() != q.size()) throw std::invalid_argument("kl_divergence: sizes differ");
  double kl = 0;
  for (size_t c = 0; c < p.size(); ++c) {
    if (!(p[c] > 0)) continue;
    if (!(q[c] > 0)) return std::numeric_limits<double>::infinity();
    kl += p[c] * std::log(p[c] / q[c]);
  }
  return kl;
}

void monte_carlo_futures(const Env& env, const std::vector<double>& state, const Vec& action,
                         const BehaviourPolicy& policy, double gamma, int rollouts,
                         std::array<int, 2> dims, Rng& rng, std::vector<double>& xs,
                         std::vector<double>& ys) {
  const std::unique_ptr<Env> sim = env.clone();
  for (int r = 0; r < rollouts; ++r) {
    sim->set_state(state);
    const int delta = geometric_offset(rng, gamma);
    StepResult s = sim->step(action);
    Vec previous = action;
    for (int k = 1; k < delta && !s.terminated && !s.truncated; ++k) {
      previous = policy(s.obs, previous, rng);
      s = sim->step(previous);
    }
    xs.push_back(s.obs[dims[0]]);
    ys.push_back(s.obs[dims[1]]);
  }
}

}  // namespace dynalab
