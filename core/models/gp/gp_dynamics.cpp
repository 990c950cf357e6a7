#include "core/models/gp/gp_dynamics.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "core/dataset.h"
#include "core/io/input_error.h"
#include "core/models/gp/hyperparameter_fit.h"
#include "core/rng.h"
#include "core/state_visitor.h"

namespace dynalab {

namespace {

using GpClock = std::chrono::steady_clock;

double gp_seconds_since(GpClock::time_point t0) {
  return std::chrono::duration<double>(GpClock::now() - t0).count();
}

void gp_check_config(const ModelConfig& c) {
  if (c.type != "gp") throw InputError("model.type: expected \"gp\" for GpDynamics, got \"" + c.type + "\"");
  if (c.learn_termination)
    throw InputError("model.learn_termination: expected false with type = gp (a GP regressor "
                     "predicts a real value, not a probability of termination), got true");
  const GpConfig& g = c.gp;
  auto in = [](const std::string& key, double x, double lo, double hi) {
    if (!(x >= lo && x <= hi))
      throw InputError("model.gp." + key + ": expected a number in [" + std::to_string(lo) + ", " +
                       std::to_string(hi) + "], got " + std::to_string(x));
  };
  in("max_points", g.max_points, 2, 2000);
  in("optimizer_iterations", g.optimizer_iterations, 1, 100000);
  in("iterations_per_epoch", g.iterations_per_epoch, 1, 1000);
  in("max_signal_to_noise", g.max_signal_to_noise, 2, 1e12);
  if (c.threads < 1) throw InputError("model.threads: expected an integer >= 1");
}

std::vector<double> gp_vector_of(const Eigen::RowVectorXd& v) { return {v.data(), v.data() + v.size()}; }
Eigen::RowVectorXd gp_row_of(const std::vector<double>& v) {
  return Eigen::Map<const Eigen::RowVectorXd>(v.data(), Eigen::Index(v.size()));
}

/// predict_member's buffers.
struct GpWorkspace : DynamicsModel::Workspace {
  std::vector<float> out;   // ng x 2D, column-major
  Eigen::VectorXd x, zx, k;  // normalised input, scaled input, k* (then L^-1 k*)
};

}  // namespace

void gp_fit_normaliser(const Eigen::MatrixXd& x, Eigen::RowVectorXd& mean, Eigen::RowVectorXd& sd) {
  mean = x.colwise().mean();
  sd = (x.rowwise() - mean).array().square().colwise().mean().sqrt().matrix();
  for (Eigen::Index j = 0; j < sd.size(); ++j)
    if (!(sd[j] >= 1e-6)) sd[j] = 1;
}

GpDynamics::GpDynamics(const ModelConfig& config, int obs_dim, int action_dim, uint64_t seed)
    : cfg_(config), obs_dim_(obs_dim), action_dim_(action_dim) {
  (void)seed;
  gp_check_config(cfg_);
  if (obs_dim < 1 || action_dim < 0)
    throw InputError("model: expected obs_dim >= 1 and action_dim >= 0, got " +
                     std::to_string(obs_dim) + " and " + std::to_string(action_dim));
  const int D = target_dim();
  gps_.assign(size_t(D), gp::GaussianProcess(input_dim()));
  in_mean_ = Eigen::RowVectorXd::Zero(input_dim());
  in_std_ = Eigen::RowVectorXd::Ones(input_dim());
  y_mean_ = Eigen::RowVectorXd::Zero(D);
  y_std_ = Eigen::RowVectorXd::Ones(D);
  iterations_.assign(size_t(D), 0);
  finished_.assign(size_t(D), 1);
  refresh_cache();
}

void GpDynamics::set_training_config(const ModelConfig& c) {
  gp_check_config(c);
  if (c.learn_reward != cfg_.learn_reward)
    throw InputError("model: learn_reward changes the GP's columns; expected it unchanged (reset to apply)");
  cfg_ = c;
}

void GpDynamics::begin_training(const Dataset& data, Rng& rng) {
  const auto t0 = GpClock::now();
  const long n = long(data.size());
  if (data.obs_dim() != obs_dim_ || data.action_dim() != action_dim_)
    throw InputError("model: expected a dataset with obs_dim " + std::to_string(obs_dim_) +
                     " and action_dim " + std::to_string(action_dim_) + ", got " +
                     std::to_string(data.obs_dim()) + " and " + std::to_string(data.action_dim()));
  if (n < 2)
    throw InputError("model: training needs at least 2 transitions, got " + std::to_string(n));
  data_rows_ = n;
  const long m = std::min<long>(n, cfg_.gp.max_points);
  std::vector<int> perm(static_cast<size_t>(n));
  for (long i = 0; i < n; ++i) perm[size_t(i)] = int(i);
  if (m < n)  // the first m draws of a Fisher-Yates shuffle: a uniform subset of size m
    for (long i = 0; i < m; ++i) std::swap(perm[size_t(i)], perm[size_t(i + long(rng.below(uint64_t(n - i))))]);
  subset_.assign(perm.begin(), perm.begin() + m);
  std::sort(subset_.begin(), subset_.end());

  const Eigen::MatrixXd obs = data.observations(), act = data.actions(),
                        next = data.next_observations();
  const Eigen::VectorXd rew = data.rewards();
  Eigen::MatrixXd X(m, input_dim()), Y(m, target_dim());
  for (long i = 0; i < m; ++i) {
    const int r = subset_[size_t(i)];
    X.row(i) << obs.row(r), act.row(r);
    Y.row(i).head(obs_dim_) = next.row(r) - obs.row(r);
    if (cfg_.learn_reward) Y(i, obs_dim_) = rew[r];
  }
  gp_fit_normaliser(X, in_mean_, in_std_);
  gp_fit_normaliser(Y, y_mean_, y_std_);
  const Eigen::MatrixXd Xn = (X.rowwise() - in_mean_).array().rowwise() / in_std_.array();
  const Eigen::MatrixXd Yn = (Y.rowwise() - y_mean_).array().rowwise() / y_std_.array();
  diverged_ = false;
  for (int j = 0; j < target_dim(); ++j) {
    // Warm start from the current hyperparameters; the data's guess (pilco-matlab train.m) on
    // the first fit.
    const Eigen::VectorXd theta =
        fitted_ ? gps_[size_t(j)].params() : gp::initial_hyperparameters(Xn, Yn.col(j));
    gp::GaussianProcess g(input_dim());
    try {
      g.set_params(theta);
      g.set_data(Xn, Yn.col(j));
    } catch (const std::runtime_error&) {
      g.set_params(gp::initial_hyperparameters(Xn, Yn.col(j)));
      g.set_data(Xn, Yn.col(j));
    }
    gps_[size_t(j)] = std::move(g);
  }
  fitted_ = true;
  iterations_.assign(size_t(target_dim()), 0);
  finished_.assign(size_t(target_dim()), 0);
  epoch_ = 0;
  done_ = false;
  last_ = EpochStats{};
  refresh_cache();
  fit_seconds_ = gp_seconds_since(t0);
}

EpochStats GpDynamics::train_epoch(Rng& rng) {
  (void)rng;
  if (done_) return last_;
  const auto t0 = GpClock::now();
  const int D = target_dim();
  std::vector<char> bad(size_t(D), 0);
  auto step = [&](int j) {
    if (finished_[size_t(j)]) return;
    gp::GaussianProcess& g = gps_[size_t(j)];
    const Eigen::VectorXd before = g.params();
    gp::FitOptions opt;
    opt.max_signal_to_noise = cfg_.gp.max_signal_to_noise;
    opt.max_iterations = std::min(cfg_.gp.iterations_per_epoch,
                                  cfg_.gp.optimizer_iterations - iterations_[size_t(j)]);
    try {
      const gp::FitResult r = gp::fit_hyperparameters(g, opt);
      if (!std::isfinite(r.log_likelihood)) throw std::runtime_error("non-finite likelihood");
      iterations_[size_t(j)] += r.iterations;
      if (r.converged || r.iterations == 0 || iterations_[size_t(j)] >= cfg_.gp.optimizer_iterations)
        finished_[size_t(j)] = 1;
    } catch (const std::runtime_error&) {
      bad[size_t(j)] = 1;
      try {
        g.set_params(before);
      } catch (const std::runtime_error&) {
      }
    }
  };
  const int T = std::max(1, std::min(cfg_.threads, D));
  auto work = [&](int t) {
    for (int j = t; j < D; j += T) step(j);
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < T; ++t) pool.emplace_back(work, t);
  work(0);
  for (auto& th : pool) th.join();
  refresh_cache();

  EpochStats s;
  s.epoch = ++epoch_;
  if (std::find(bad.begin(), bad.end(), 1) != bad.end()) {
    diverged_ = done_ = true;
    s.diverged = s.done = true;
    last_ = s;
    fit_seconds_ += gp_seconds_since(t0);
    return s;
  }
  s.train_loss = s.train_mse = 0;
  for (int j = 0; j < D; ++j) {
    const gp::GaussianProcess& g = gps_[size_t(j)];
    const double n = double(g.size());
    s.train_loss += -g.log_marginal_likelihood() / n;
    // At the training inputs K alpha = y - (sn^2 + jitter) alpha: the residual without a solve.
    const double c = g.kernel().noise_variance() + g.jitter();
    s.train_mse += (c * g.alpha()).squaredNorm() / n / D;
  }
  s.member_score = {s.train_loss};
  s.improved = !(last_.train_loss <= s.train_loss);
  done_ = std::all_of(finished_.begin(), finished_.end(), [](int f) { return f != 0; });
  s.done = done_;
  last_ = s;
  fit_seconds_ += gp_seconds_since(t0);
  return s;
}

void GpDynamics::refresh_cache() {
  cache_.resize(gps_.size());
  for (size_t j = 0; j < gps_.size(); ++j) {
    const gp::GaussianProcess& g = gps_[j];
    ColumnCache& c = cache_[j];
    c.inv_ell = (-g.params().head(input_dim())).array().exp();
    c.z = g.inputs() * c.inv_ell.asDiagonal();
    c.sf2 = g.kernel().signal_variance();
    c.sn2 = g.kernel().noise_variance();
  }
}

Eigen::RowVectorXd GpDynamics::normalise_input(const float* obs, const float* action) const {
  Eigen::RowVectorXd x(input_dim());
  for (int k = 0; k < input_dim(); ++k)
    x[k] = (double(k < obs_dim_ ? obs[k] : action[k - obs_dim_]) - in_mean_[k]) / in_std_[k];
  return x;
}

void GpDynamics::predict_latent(const RowMatrixXf& obs, const RowMatrixXf& actions,
                                GpLatentPrediction& out) const {
  const long n = obs.rows();
  const int D = target_dim();
  Eigen::MatrixXd X(n, input_dim());
  for (long i = 0; i < n; ++i) X.row(i) = normalise_input(obs.row(i).data(), actions.row(i).data());
  out.mean.resize(n, D);
  out.latent_var.resize(n, D);
  out.noise_var.resize(D);
  Eigen::VectorXd mu, var;
  for (int j = 0; j < D; ++j) {
    const gp::GaussianProcess& g = gps_[size_t(j)];
    g.predict(X, mu, var);
    const double s = y_std_[j];
    out.mean.col(j) = (mu.array() * s + y_mean_[j]).cast<float>().matrix();
    out.latent_var.col(j) = (var.array() * s * s).cast<float>().matrix();
    out.noise_var[j] = float(g.kernel().noise_variance() * s * s);
  }
}

void GpDynamics::predict_moments(const RowMatrixXf& obs, const RowMatrixXf& actions,
                                 const std::vector<int>& members, PredictiveMoments& out) const {
  (void)members;  // one member
  GpLatentPrediction p;
  predict_latent(obs, actions, p);
  out.mean = p.mean.cast<double>();
  out.epistemic = p.latent_var.cast<double>();
  out.aleatoric = Eigen::MatrixXd::Ones(obs.rows(), target_dim()) * p.noise_var.cast<double>().asDiagonal();
}

bool GpDynamics::sample_functions(const RowMatrixXf& obs, const RowMatrixXf& actions, int column,
                                  int count, Rng& rng, Eigen::MatrixXd& samples) const {
  samples = posterior_samples(column, obs, actions, count, rng).cast<double>();
  return true;
}

Eigen::MatrixXf GpDynamics::posterior_samples(int column, const RowMatrixXf& obs,
                                              const RowMatrixXf& actions, int count,
                                              Rng& rng) const {
  if (column < 0 || column >= target_dim())
    throw std::invalid_argument("GpDynamics::posterior_samples: expected a column in [0, " +
                                std::to_string(target_dim()) + "), got " + std::to_string(column));
  Eigen::MatrixXd X(obs.rows(), input_dim());
  for (Eigen::Index i = 0; i < obs.rows(); ++i)
    X.row(i) = normalise_input(obs.row(i).data(), actions.row(i).data());
  const Eigen::MatrixXd s = gps_[size_t(column)].sample_posterior(X, count, rng);
  return (s.array() * y_std_[column] + y_mean_[column]).cast<float>().matrix();
}

void GpDynamics::predict(const RowMatrixXf& obs, const RowMatrixXf& actions,
                         MemberPredictions& out) const {
  GpLatentPrediction p;
  predict_latent(obs, actions, p);
  out.mean.assign(1, p.mean);
  out.var.assign(1, (p.latent_var.rowwise() + p.noise_var).eval());
}

std::unique_ptr<DynamicsModel::Workspace> GpDynamics::make_workspace() const {
  return std::make_unique<GpWorkspace>();
}

Eigen::Map<const Eigen::MatrixXf> GpDynamics::predict_member(int member, const RowMatrixXf& obs,
                                                             const RowMatrixXf& actions,
                                                             const int* rows, long ng,
                                                             bool with_std, Workspace& base) const {
  (void)member;
  auto& ws = static_cast<GpWorkspace&>(base);
  const int O = obs_dim_, in = input_dim(), D = target_dim();
  if (ws.out.size() < size_t(ng * 2 * D)) ws.out.resize(size_t(ng * 2 * D));
  Eigen::Map<Eigen::MatrixXf> Out(ws.out.data(), ng, 2 * D);
  ws.x.resize(in);
  ws.zx.resize(in);
  for (long r = 0; r < ng; ++r) {
    const long row = rows ? rows[r] : r;
    for (int k = 0; k < in; ++k)
      ws.x[k] = (double(k < O ? obs(row, k) : actions(row, k - O)) - in_mean_[k]) / in_std_[k];
    for (int j = 0; j < D; ++j) {
      const gp::GaussianProcess& g = gps_[size_t(j)];
      const ColumnCache& c = cache_[size_t(j)];
      const Eigen::Index n = g.size();
      ws.zx = ws.x.cwiseProduct(c.inv_ell);
      ws.k.resize(n);
      for (Eigen::Index i = 0; i < n; ++i) {
        double r2 = 0;
        for (int k = 0; k < in; ++k) {
          const double u = c.z(i, k) - ws.zx[k];
          r2 += u * u;
        }
        ws.k[i] = c.sf2 * std::exp(-0.5 * r2);
      }
      const double mu = n > 0 ? ws.k.dot(g.alpha()) : 0.0;
      Out(r, j) = float(mu * y_std_[j] + y_mean_[j]);
      if (with_std) {
        double latent = c.sf2;
        if (n > 0) {
          g.cholesky().matrixL().solveInPlace(ws.k);
          latent = std::max(0.0, c.sf2 - ws.k.squaredNorm());
        }
        Out(r, D + j) = float(std::sqrt(latent + c.sn2) * y_std_[j]);
      }
    }
  }
  return Eigen::Map<const Eigen::MatrixXf>(ws.out.data(), ng, 2 * D);
}

bool GpDynamics::input_jacobian(int member, const Eigen::VectorXf& obs,
                                const Eigen::VectorXf& action, Eigen::MatrixXf& jacobian) const {
  (void)member;
  const int D = target_dim(), in = input_dim();
  const Eigen::VectorXd x = normalise_input(obs.data(), action.data()).transpose();
  jacobian.resize(D, in);
  for (int j = 0; j < D; ++j) {
    const Eigen::VectorXd g = gps_[size_t(j)].mean_gradient(x);
    for (int k = 0; k < in; ++k) jacobian(j, k) = float(y_std_[j] * g[k] / in_std_[k]);
  }
  return true;
}

std::string GpDynamics::describe_shape() const {
  std::ostringstream os;
  const int D = target_dim();
  os << "GP per column (" << D << " column" << (D == 1 ? "" : "s") << "), ";
  if (fitted_)
    os << subset_.size() << " of " << data_rows_ << " points";
  else
    os << "no data yet";
  os << ", SE-ARD on " << input_dim() << " inputs" << (cfg_.learn_reward ? " (reward learned)" : "");
  double jitter = 0;
  for (const auto& g : gps_) jitter = std::max(jitter, g.jitter());
  if (jitter > 0) os << ", jitter " << jitter << " added to K";
  return os.str();
}

void GpDynamics::visit_state(StateVisitor& v, const Dataset& data) {
  const int D = target_dim(), in = input_dim();
  v.field("fitted", fitted_);
  v.field("epoch", epoch_);
  v.field("done", done_);
  v.field("diverged", diverged_);
  int64_t rows = data_rows_;
  v.field("data_rows", rows);
  v.field("subset", subset_);
  std::vector<double> im = gp_vector_of(in_mean_), is = gp_vector_of(in_std_), ym = gp_vector_of(y_mean_),
                      ys = gp_vector_of(y_std_);
  v.sized("input_mean", im, size_t(in));
  v.sized("input_std", is, size_t(in));
  v.sized("target_mean", ym, size_t(D));
  v.sized("target_std", ys, size_t(D));
  std::vector<std::vector<double>> thetas(static_cast<size_t>(D));
  for (int j = 0; j < D; ++j) {
    const Eigen::VectorXd& t = gps_[size_t(j)].params();
    thetas[size_t(j)].assign(t.data(), t.data() + t.size());
  }
  v.records(
      "columns", size_t(D),
      [&](size_t count) {
        if (count != size_t(D))
          v.fail("columns", std::to_string(D) + " records, got " + std::to_string(count));
      },
      [&](size_t j, StateVisitor& r) {
        r.sized("theta", thetas[j], size_t(in + 2));
        r.field("iterations", iterations_[j]);
        r.field("finished", finished_[j]);
      });
  v.field("train_loss", last_.train_loss);
  v.field("train_mse", last_.train_mse);
  if (!v.loading()) return;

  last_.epoch = epoch_;
  last_.done = done_;
  last_.diverged = diverged_;
  last_.member_score = {last_.train_loss};
  data_rows_ = long(rows);
  in_mean_ = gp_row_of(im);
  in_std_ = gp_row_of(is);
  y_mean_ = gp_row_of(ym);
  y_std_ = gp_row_of(ys);
  if (!fitted_) {
    if (!subset_.empty()) v.fail("subset", "[] before the first fit");
    for (int j = 0; j < D; ++j) {
      gp::GaussianProcess g(in);
      try {
        g.set_params(Eigen::Map<const Eigen::VectorXd>(thetas[size_t(j)].data(), in + 2));
      } catch (const std::exception&) {
        v.fail("columns", "finite hyperparameters");
      }
      gps_[size_t(j)] = std::move(g);
    }
    refresh_cache();
    return;
  }
  if (data.obs_dim() != obs_dim_ || data.action_dim() != action_dim_)
    v.fail("subset", "a dataset with obs_dim " + std::to_string(obs_dim_) + " and action_dim " +
                         std::to_string(action_dim_));
  for (size_t i = 0; i < subset_.size(); ++i)
    if (subset_[i] < 0 || size_t(subset_[i]) >= data.size() || (i > 0 && subset_[i] <= subset_[i - 1]))
      v.fail("subset", "ascending row indices below the dataset's size (" +
                           std::to_string(data.size()) + ")");
  if (subset_.empty()) v.fail("subset", "at least one row index after a fit");
  for (double s : is) if (!(s > 0) || !std::isfinite(s)) v.fail("input_std", "positive numbers");
  for (double s : ys) if (!(s > 0) || !std::isfinite(s)) v.fail("target_std", "positive numbers");
  const long m = long(subset_.size());
  const Eigen::MatrixXd obs = data.observations(), act = data.actions(),
                        next = data.next_observations();
  const Eigen::VectorXd rew = data.rewards();
  Eigen::MatrixXd X(m, in), Y(m, D);
  for (long i = 0; i < m; ++i) {
    const int r = subset_[size_t(i)];
    X.row(i) << obs.row(r), act.row(r);
    Y.row(i).head(obs_dim_) = next.row(r) - obs.row(r);
    if (cfg_.learn_reward) Y(i, obs_dim_) = rew[r];
  }
  const Eigen::MatrixXd Xn = (X.rowwise() - in_mean_).array().rowwise() / in_std_.array();
  const Eigen::MatrixXd Yn = (Y.rowwise() - y_mean_).array().rowwise() / y_std_.array();
  for (int j = 0; j < D; ++j) {
    gp::GaussianProcess g(in);
    try {
      g.set_params(Eigen::Map<const Eigen::VectorXd>(thetas[size_t(j)].data(), in + 2));
      g.set_data(Xn, Yn.col(j));
    } catch (const std::exception&) {
      v.fail("columns", "finite hyperparameters that give a positive definite K");
    }
    gps_[size_t(j)] = std::move(g);
  }
  refresh_cache();
}

}  // namespace dynalab
