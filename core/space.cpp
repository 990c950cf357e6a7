#include "core/space.h"

#include <cmath>
#include <sstream>
#include <stdexcept>

#include "core/rng.h"

namespace dynalab {

Space Space::discrete(int n) {
  if (n <= 0) throw std::invalid_argument("Space::discrete: n must be positive");
  Space s;
  s.kind = Kind::discrete;
  s.n = n;
  s.low = Vec::Zero(1);
  s.high = Vec::Constant(1, n - 1);
  return s;
}

Space Space::box(Vec low, Vec high) {
  if (low.size() != high.size()) throw std::invalid_argument("Space::box: bound sizes differ");
  for (int i = 0; i < low.size(); ++i)
    if (!(low[i] <= high[i])) throw std::invalid_argument("Space::box: low > high");
  Space s;
  s.kind = Kind::box;
  s.low = std::move(low);
  s.high = std::move(high);
  return s;
}

Space Space::box(int dim, double lo, double hi) { return box(Vec::Constant(dim, lo), Vec::Constant(dim, hi)); }

bool Space::contains(const Vec& x) const {
  if (x.size() != dim()) return false;
  if (is_discrete()) return std::isfinite(x[0]) && x[0] == std::floor(x[0]) && x[0] >= 0 && x[0] < n;
  for (int i = 0; i < x.size(); ++i)
    if (!std::isfinite(x[i]) || x[i] < low[i] || x[i] > high[i]) return false;
  return true;
}

Vec Space::clip(const Vec& x) const {
  if (is_discrete()) {
    double v = std::isfinite(x[0]) ? std::round(x[0]) : 0.0;
    return Vec::Constant(1, std::min<double>(std::max(v, 0.0), n - 1));
  }
  Vec y = x;
  for (int i = 0; i < y.size(); ++i) y[i] = std::isfinite(y[i]) ? std::min(std::max(y[i], low[i]), high[i]) : 0.0;
  return y;
}

Vec Space::sample(Rng& rng) const {
  if (is_discrete()) return Vec::Constant(1, static_cast<double>(rng.below(n)));
  Vec y(low.size());
  for (int i = 0; i < y.size(); ++i) {
    if (std::isfinite(low[i]) && std::isfinite(high[i]))
      y[i] = rng.uniform(low[i], high[i]);
    else
      y[i] = rng.normal();
  }
  return y;
}

std::string Space::describe() const {
  std::ostringstream os;
  if (is_discrete()) {
    os << "Discrete(" << n << ")";
    return os.str();
  }
  os << "Box(" << low.size() << ",";
  for (int i = 0; i < low.size(); ++i) os << (i ? " x " : " ") << "[" << low[i] << "," << high[i] << "]";
  os << ")";
  return os.str();
}

}  // namespace dynalab
