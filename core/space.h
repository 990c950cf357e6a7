#pragma once
// Observation and action spaces, as in Gymnasium: a discrete set {0..n-1} or a box with bounds.
// Values travel as Eigen vectors; a discrete value is a vector of size 1 holding the index.

#include <Eigen/Core>
#include <string>

namespace dynalab {

class Rng;
using Vec = Eigen::VectorXd;

struct Space {
  enum class Kind { discrete, box };
  Kind kind = Kind::box;
  int n = 0;     ///< number of values of a discrete space
  Vec low, high; ///< bounds of a box space (may be +-infinity for observations)

  /// A discrete space {0, ..., n-1}.
  static Space discrete(int n);
  /// A box space with the given per-dimension bounds.
  static Space box(Vec low, Vec high);
  /// A box of `dim` dimensions, all bounded by [lo, hi].
  static Space box(int dim, double lo, double hi);

  bool is_discrete() const { return kind == Kind::discrete; }
  /// Length of the value vectors: 1 for discrete spaces, the box dimension otherwise.
  int dim() const { return is_discrete() ? 1 : static_cast<int>(low.size()); }
  /// True if x has the right size, is finite and lies within the space.
  bool contains(const Vec& x) const;
  /// x clipped to the bounds (a discrete value is rounded and clamped to [0, n-1]).
  Vec clip(const Vec& x) const;
  /// A uniform sample (boxes with infinite bounds sample a unit normal in those dimensions).
  Vec sample(Rng& rng) const;
  /// Human-readable form, e.g. "Discrete(4)" or "Box(2, [-1,1] x [-1,1])".
  std::string describe() const;
};

}  // namespace dynalab
