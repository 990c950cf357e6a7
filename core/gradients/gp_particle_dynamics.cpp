#include "core/gradients/gp_particle_dynamics.h"

#include <cmath>
#include <stdexcept>

#include "core/models/gp/gp_dynamics.h"

namespace dynalab {

GpParticleDynamics::GpParticleDynamics(const GpDynamics& model, bool mean_only)
    : obs_dim_(model.obs_dim()),
      action_dim_(model.action_dim()),
      mean_only_(mean_only),
      in_mean_(model.input_mean()),
      in_std_(model.input_std()) {
  const int D = model.input_dim();
  for (int j = 0; j < obs_dim_; ++j) {
    const gp::GaussianProcess& g = model.column(j);
    if (g.size() == 0) throw std::invalid_argument("GpParticleDynamics: the GP holds no data yet");
    Column c;
    c.X = g.inputs();
    c.alpha = g.alpha();
    if (!mean_only)
      c.K_inv = g.cholesky().solve(Eigen::MatrixXd::Identity(g.size(), g.size()));
    c.inv_ell2.resize(D);
    for (int d = 0; d < D; ++d) c.inv_ell2[d] = 1.0 / (g.kernel().lengthscale(d) * g.kernel().lengthscale(d));
    c.sf2 = g.kernel().signal_variance();
    c.sn2 = g.kernel().noise_variance() + g.jitter();
    c.y_mean = model.target_mean()[j];
    c.y_std = model.target_std()[j];
    columns_.push_back(std::move(c));
  }
}

void GpParticleDynamics::evaluate(const std::vector<Vec>& x, const std::vector<Vec>& u,
                                  const std::vector<Vec>* eps, std::vector<Vec>* next,
                                  std::vector<Eigen::MatrixXd>* A,
                                  std::vector<Eigen::MatrixXd>* B) const {
  const Eigen::Index P = Eigen::Index(x.size());
  const int S = obs_dim_, D = obs_dim_ + action_dim_;
  RowMat Z(P, D);  // normalised inputs
  for (Eigen::Index p = 0; p < P; ++p) {
    Z.row(p).head(S) = x[size_t(p)].transpose();
    Z.row(p).tail(action_dim_) = u[size_t(p)].transpose();
  }
  Z = ((Z.rowwise() - in_mean_).array().rowwise() / in_std_.array()).matrix();
  const bool spread = eps && !mean_only_;
  const bool grads = A && B;
  if (next) {
    next->resize(size_t(P));
    for (Eigen::Index p = 0; p < P; ++p) (*next)[size_t(p)] = x[size_t(p)];
  }
  if (grads) {
    A->assign(size_t(P), Eigen::MatrixXd::Identity(S, S));
    B->assign(size_t(P), Eigen::MatrixXd::Zero(S, action_dim_));
  }
  for (int j = 0; j < S; ++j) {
    const Column& c = columns_[size_t(j)];
    // k_i(z) for every particle and training point: sf^2 exp(-1/2 |(z - X_i) / ell|^2).
    const RowMat Zs = (Z.array().rowwise() * c.inv_ell2.array().sqrt()).matrix();
    const RowMat Xs = (c.X.array().rowwise() * c.inv_ell2.array().sqrt()).matrix();
    Eigen::MatrixXd Ks = -2.0 * Zs * Xs.transpose();
    Ks.colwise() += Zs.rowwise().squaredNorm();
    Ks.rowwise() += Xs.rowwise().squaredNorm().transpose();
    Ks = c.sf2 * (-0.5 * Ks.array().max(0.0)).exp();
    const Eigen::VectorXd mean = Ks * c.alpha;
    Eigen::MatrixXd KinvK;  // rows: (K^-1 k(z_p))^T
    Eigen::VectorXd sd = Eigen::VectorXd::Zero(P);
    if (spread) {
      KinvK.noalias() = Ks * c.K_inv;
      const Eigen::VectorXd latent = (c.sf2 - (KinvK.array() * Ks.array()).rowwise().sum()).max(0.0);
      sd = (latent.array() + c.sn2).sqrt();
    }
    if (next)
      for (Eigen::Index p = 0; p < P; ++p) {
        const double e = spread ? (*eps)[size_t(p)][j] : 0.0;
        (*next)[size_t(p)][j] += c.y_mean + c.y_std * (mean[p] + sd[p] * e);
      }
    if (!grads) continue;
    // d mean / dz_d = (sum_i alpha_i k_i X_id - z_d mean) / ell_d^2, batched as matrix products.
    const Eigen::MatrixXd Wa = Ks.array().rowwise() * c.alpha.transpose().array();
    const Eigen::MatrixXd dmean =
        ((Wa * c.X).array() - Z.array().colwise() * mean.array()).rowwise() * c.inv_ell2.array();
    Eigen::MatrixXd dsd = Eigen::MatrixXd::Zero(P, D);
    if (spread) {  // d sd / dz = d var / dz / (2 sd), d var / dz_d = -2 (W X - z sum W) / ell^2
      const Eigen::MatrixXd W = KinvK.array() * Ks.array();
      const Eigen::VectorXd w = W.rowwise().sum();
      const Eigen::MatrixXd dvar =
          -2.0 * (((W * c.X).array() - Z.array().colwise() * w.array()).rowwise() * c.inv_ell2.array());
      dsd = dvar.array().colwise() / (2.0 * sd.array());
    }
    for (Eigen::Index p = 0; p < P; ++p) {
      const double e = spread ? (*eps)[size_t(p)][j] : 0.0;
      for (int d = 0; d < D; ++d) {
        const double g = c.y_std * (dmean(p, d) + e * dsd(p, d)) / in_std_[d];
        if (d < S)
          (*A)[size_t(p)](j, d) += g;
        else
          (*B)[size_t(p)](j, d - S) = g;
      }
    }
  }
}

Vec GpParticleDynamics::step(const Vec& x, const Vec& u) const {
  std::vector<Vec> next;
  evaluate({x}, {u}, nullptr, &next, nullptr, nullptr);
  return next[0];
}

void GpParticleDynamics::jacobians(const Vec& x, const Vec& u, Eigen::MatrixXd& A,
                                   Eigen::MatrixXd& B) const {
  std::vector<Eigen::MatrixXd> As, Bs;
  evaluate({x}, {u}, nullptr, nullptr, &As, &Bs);
  A = As[0];
  B = Bs[0];
}

void GpParticleDynamics::step_batch(const std::vector<Vec>& x, const std::vector<Vec>& u,
                                    std::vector<Vec>& next) const {
  evaluate(x, u, nullptr, &next, nullptr, nullptr);
}

void GpParticleDynamics::jacobians_batch(const std::vector<Vec>& x, const std::vector<Vec>& u,
                                         std::vector<Eigen::MatrixXd>& A,
                                         std::vector<Eigen::MatrixXd>& B) const {
  evaluate(x, u, nullptr, nullptr, &A, &B);
}

void GpParticleDynamics::sample_batch(const std::vector<Vec>& x, const std::vector<Vec>& u,
                                      const std::vector<Vec>& eps, std::vector<Vec>& next,
                                      std::vector<Eigen::MatrixXd>* A,
                                      std::vector<Eigen::MatrixXd>* B) const {
  evaluate(x, u, &eps, &next, A, B);
}

Vec GpParticleDynamics::predictive_std(const Vec& x, const Vec& u) const {
  // The spread is the difference a unit draw makes (the map is affine in eps).
  const std::vector<Vec> ones = {Vec::Ones(obs_dim_)};
  std::vector<Vec> lo, hi;
  evaluate({x}, {u}, nullptr, &lo, nullptr, nullptr);
  evaluate({x}, {u}, &ones, &hi, nullptr, nullptr);
  return hi[0] - lo[0];
}

}  // namespace dynalab
