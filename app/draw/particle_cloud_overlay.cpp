#include "app/draw/particle_cloud_overlay.h"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

namespace dynalab {

namespace {

constexpr Color kParticle{0.00f, 0.45f, 0.70f, 1};  // the plots' "particles" blue

// The 95 % ellipse of 2-D points: mean +- sqrt(chi2_2(0.95) = 5.991) along the covariance's axes.
std::vector<Vec2> ellipse_95(const std::vector<Vec2>& pts) {
  Eigen::Vector2d mean = Eigen::Vector2d::Zero();
  for (const Vec2& p : pts) mean += Eigen::Vector2d(p.x, p.y);
  mean /= double(pts.size());
  Eigen::Matrix2d cov = Eigen::Matrix2d::Zero();
  for (const Vec2& p : pts) {
    const Eigen::Vector2d d = Eigen::Vector2d(p.x, p.y) - mean;
    cov += d * d.transpose();
  }
  cov /= double(pts.size() - 1);
  const Eigen::SelfAdjointEigenSolver<Eigen::Matrix2d> eig(cov);
  const Eigen::Vector2d radii = eig.eigenvalues().cwiseMax(0).cwiseSqrt() * std::sqrt(5.991);
  std::vector<Vec2> ring;
  for (int k = 0; k <= 48; ++k) {
    const double a = 2 * std::numbers::pi * k / 48;
    const Eigen::Vector2d q = mean + eig.eigenvectors() * Eigen::Vector2d(radii[0] * std::cos(a),
                                                                          radii[1] * std::sin(a));
    ring.push_back({q.x(), q.y()});
  }
  return ring;
}

}  // namespace

void draw_particle_cloud(Canvas& canvas, const Env& env, const ParticleCloudView& v) {
  if (v.particles.empty() || v.real_path.empty()) return;
  const int H = int(v.particles.front().size()) - 1;
  const int t = std::clamp(int(v.real_path.size()) - 1, 0, H);
  const Bounds b = env.world_bounds();
  const double r = 0.008 * std::max(b.hi.x - b.lo.x, b.hi.y - b.lo.y);
  std::vector<Vec2> now;
  for (const std::vector<Vec>& path : v.particles) {
    std::vector<Vec2> trail;
    for (int k = std::max(0, t - kParticleTrailSteps); k <= t && k < int(path.size()); ++k)
      if (const auto p = env.obs_position(path[size_t(k)])) trail.push_back(*p);
    if (trail.empty()) continue;
    if (trail.size() > 1) canvas.polyline(trail, kParticle.with_alpha(0.35f), 2.0f);
    now.push_back(trail.back());
  }
  if (now.size() > 2) canvas.polyline(ellipse_95(now), kParticle.with_alpha(0.8f), 2.0f);
  for (const Vec2& p : now) canvas.circle(p, r, kParticle.with_alpha(0.85f), palette::none);
}

}  // namespace dynalab
