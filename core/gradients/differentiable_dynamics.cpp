#include "core/gradients/differentiable_dynamics.h"

#include <stdexcept>
#include <utility>

namespace dynalab {

void finite_difference_jacobians(const DifferentiableDynamics& f, const Vec& x, const Vec& u,
                                 double h, Eigen::MatrixXd& A, Eigen::MatrixXd& B) {
  // One column of J per coordinate i of v (x or u): (f(v + h e_i) - f(v - h e_i)) / 2h.
  auto differences = [&](Vec& v, const Vec& v0, const auto& step, Eigen::MatrixXd& J) {
    J.resize(f.state_dim(), v0.size());
    for (Eigen::Index i = 0; i < v0.size(); ++i) {
      v[i] = v0[i] + h;
      const Vec hi = step();
      v[i] = v0[i] - h;
      J.col(i) = (hi - step()) / (2 * h);
      v[i] = v0[i];
    }
  };
  Vec xp = x, up = u;
  differences(xp, x, [&] { return f.step(xp, u); }, A);
  differences(up, u, [&] { return f.step(x, up); }, B);
}

void DifferentiableDynamics::jacobians(const Vec& x, const Vec& u, Eigen::MatrixXd& A,
                                       Eigen::MatrixXd& B) const {
  finite_difference_jacobians(*this, x, u, fd_step, A, B);
}

LinearDynamics::LinearDynamics(Eigen::MatrixXd A, Eigen::MatrixXd B, Vec c)
    : A_(std::move(A)), B_(std::move(B)), c_(std::move(c)) {
  if (A_.rows() != A_.cols() || B_.rows() != A_.rows() || c_.size() != A_.rows())
    throw std::invalid_argument("LinearDynamics: A must be n x n, B n x m and c of size n");
}

void DifferentiableDynamics::step_batch(const std::vector<Vec>& x, const std::vector<Vec>& u,
                                        std::vector<Vec>& next) const {
  next.resize(x.size());
  for (size_t i = 0; i < x.size(); ++i) next[i] = step(x[i], u[i]);
}

void DifferentiableDynamics::jacobians_batch(const std::vector<Vec>& x, const std::vector<Vec>& u,
                                             std::vector<Eigen::MatrixXd>& A,
                                             std::vector<Eigen::MatrixXd>& B) const {
  A.resize(x.size());
  B.resize(x.size());
  for (size_t i = 0; i < x.size(); ++i) jacobians(x[i], u[i], A[i], B[i]);
}

void DifferentiableDynamics::sample_batch(const std::vector<Vec>& x, const std::vector<Vec>& u,
                                          const std::vector<Vec>&, std::vector<Vec>& next,
                                          std::vector<Eigen::MatrixXd>* A,
                                          std::vector<Eigen::MatrixXd>* B) const {
  step_batch(x, u, next);
  if (A && B) jacobians_batch(x, u, *A, *B);
}

Vec LinearDynamics::step(const Vec& x, const Vec& u) const { return A_ * x + B_ * u + c_; }

void LinearDynamics::jacobians(const Vec&, const Vec&, Eigen::MatrixXd& A,
                               Eigen::MatrixXd& B) const {
  A = A_;
  B = B_;
}

namespace {

// z = [s, a, s'] split back into its three parts.
struct RewardArgs {
  Vec s, a, n;
  RewardArgs(const Vec& s, const Vec& a, const Vec& n) : s(s), a(a), n(n) {}
  double& at(Eigen::Index i) {
    if (i < s.size()) return s[i];
    i -= s.size();
    if (i < a.size()) return a[i];
    return n[i - a.size()];
  }
  Eigen::Index size() const { return s.size() + a.size() + n.size(); }
};

}  // namespace

RewardGradient DifferentiableReward::gradient(const Vec& s, const Vec& a, const Vec& s_next) const {
  RewardArgs z(s, a, s_next);
  Vec g(z.size());
  for (Eigen::Index i = 0; i < z.size(); ++i) {
    const double z0 = z.at(i);
    z.at(i) = z0 + fd_step;
    const double hi = reward(z.s, z.a, z.n);
    z.at(i) = z0 - fd_step;
    g[i] = (hi - reward(z.s, z.a, z.n)) / (2 * fd_step);
    z.at(i) = z0;
  }
  RewardGradient out;
  out.r = reward(s, a, s_next);
  out.rs = g.head(s.size());
  out.ra = g.segment(s.size(), a.size());
  out.rn = g.tail(s_next.size());
  return out;
}

Eigen::MatrixXd DifferentiableReward::hessian(const Vec& s, const Vec& a, const Vec& s_next) const {
  RewardArgs z(s, a, s_next);
  auto flat = [](const RewardGradient& g) {
    Vec v(g.rs.size() + g.ra.size() + g.rn.size());
    v << g.rs, g.ra, g.rn;
    return v;
  };
  Eigen::MatrixXd H(z.size(), z.size());
  for (Eigen::Index i = 0; i < z.size(); ++i) {
    const double z0 = z.at(i);
    z.at(i) = z0 + fd_step;
    const Vec hi = flat(gradient(z.s, z.a, z.n));
    z.at(i) = z0 - fd_step;
    H.col(i) = (hi - flat(gradient(z.s, z.a, z.n))) / (2 * fd_step);
    z.at(i) = z0;
  }
  return 0.5 * (H + H.transpose());
}

}  // namespace dynalab
