#include "core/analysis/gp_fit_time.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "core/analysis/median.h"
#include "core/config.h"
#include "core/io/table.h"
#include "core/models/gp/gaussian_process.h"
#include "core/models/gp/gp_dynamics.h"
#include "core/models/gp/hyperparameter_fit.h"
#include "core/rng.h"

namespace dynalab {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// The Rng::derive path of the row shuffle under the recipe's seed.
constexpr uint64_t kShuffle = 0x9f;

}  // namespace

std::vector<int> doubling_ladder(int first, int largest) {
  if (first < 1) throw InputError("gp_fit_time: first_points: expected an integer >= 1, got " + std::to_string(first));
  std::vector<int> out;
  for (long n = first; n <= largest; n *= 2) out.push_back(int(n));
  return out;
}

double log_log_slope(const std::vector<double>& n, const std::vector<double>& seconds, int last_k) {
  if (n.size() != seconds.size()) throw std::invalid_argument("log_log_slope: n and seconds differ in size");
  std::vector<double> lx, ly;
  for (size_t i = 0; i < n.size(); ++i)
    if (std::isfinite(n[i]) && n[i] > 0 && std::isfinite(seconds[i]) && seconds[i] > 0)
      lx.push_back(std::log10(n[i])), ly.push_back(std::log10(seconds[i]));
  const size_t k = std::min(lx.size(), size_t(std::max(0, last_k)));
  if (k < 2) return std::nan("");
  const size_t b = lx.size() - k;
  double mx = 0, my = 0;
  for (size_t i = b; i < lx.size(); ++i) mx += lx[i], my += ly[i];
  mx /= double(k), my /= double(k);
  double sxy = 0, sxx = 0;
  for (size_t i = b; i < lx.size(); ++i) sxy += (lx[i] - mx) * (ly[i] - my), sxx += (lx[i] - mx) * (lx[i] - mx);
  return sxx > 0 ? sxy / sxx : std::nan("");
}

GpFitTimeStudy::GpFitTimeStudy(const Dataset& data, const GpConfig& gp, const GpFitTimeRecipe& r)
    : gp_(gp), recipe_(r), rows_(data.size()) {
  auto fail = [](const std::string& key, const std::string& expected, const std::string& got) {
    throw InputError("gp_fit_time: " + key + ": expected " + expected + ", got " + got);
  };
  if (r.column < 0 || r.column >= data.obs_dim())
    fail("column", "an obs dim in [0, " + std::to_string(data.obs_dim() - 1) + "]", std::to_string(r.column));
  if (r.repetitions < 1) fail("repetitions", "an integer >= 1", std::to_string(r.repetitions));
  if (r.first_points < 2) fail("first_points", "an integer >= 2", std::to_string(r.first_points));
  if (!(r.max_seconds > 0)) fail("max_seconds", "a number > 0", std::to_string(r.max_seconds));
  if (r.slope_points < 2) fail("slope_points", "an integer >= 2", std::to_string(r.slope_points));
  if (data.size() < size_t(r.first_points))
    fail("data", "at least " + std::to_string(r.first_points) + " transitions",
         std::to_string(data.size()) + "; run more ticks");
  ladder_ = doubling_ladder(r.first_points, int(std::min<size_t>(size_t(std::max(r.max_points, 0)), data.size())));
  if (ladder_.empty()) fail("max_points", "at least first_points (" + std::to_string(r.first_points) + ")", std::to_string(r.max_points));
  // The first `largest` draws of a Fisher-Yates shuffle: each N takes the first N rows.
  const long n = long(data.size()), m = ladder_.back();
  std::vector<int> perm(size_t(n), 0);
  for (long i = 0; i < n; ++i) perm[size_t(i)] = int(i);
  Rng rng = Rng::derive(r.seed, {kShuffle});
  for (long i = 0; i < m; ++i) std::swap(perm[size_t(i)], perm[size_t(i + long(rng.below(uint64_t(n - i))))]);
  const Eigen::MatrixXd obs = data.observations(), act = data.actions(), next = data.next_observations();
  X_.resize(m, data.obs_dim() + data.action_dim());
  y_.resize(m);
  for (long i = 0; i < m; ++i) {
    const int row = perm[size_t(i)];
    X_.row(i) << obs.row(row), act.row(row);
    y_[i] = next(row, r.column) - obs(row, r.column);
  }
}

namespace {

// The first n rows, normalised as GpDynamics normalises its points, and the data's initial
// hyperparameters (pilco-matlab train.m).
void normalised(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, int n, Eigen::MatrixXd& Xn,
                Eigen::VectorXd& yn, Eigen::VectorXd& theta0) {
  Eigen::RowVectorXd m, s;
  gp_fit_normaliser(X.topRows(n), m, s);
  Xn = (X.topRows(n).rowwise() - m).array().rowwise() / s.array();
  Eigen::MatrixXd Y = y.head(n);
  gp_fit_normaliser(Y, m, s);
  yn = ((Y.array() - m[0]) / s[0]).matrix().col(0);
  theta0 = gp::initial_hyperparameters(Xn, yn);
}

}  // namespace

double GpFitTimeStudy::time_evaluation(int n) {
  Eigen::MatrixXd Xn;
  Eigen::VectorXd yn, theta0;
  normalised(X_, y_, n, Xn, yn, theta0);
  gp::GaussianProcess g(int(Xn.cols()));
  g.set_data(Xn, yn);  // factorised at the default hyperparameters: not timed
  const auto t0 = Clock::now();
  g.set_params(theta0);  // the kernel matrix, its Cholesky factor and alpha at theta0
  const double lml = g.log_marginal_likelihood();
  const Eigen::VectorXd grad = g.log_marginal_likelihood_gradient();
  const double s = seconds_since(t0);
  sink_ = sink_ + lml + grad.sum();
  return s;
}

double GpFitTimeStudy::time_fit(int n, GpFitTimePoint& p) {
  Eigen::MatrixXd Xn;
  Eigen::VectorXd yn, theta0;
  normalised(X_, y_, n, Xn, yn, theta0);
  gp::FitOptions opt;
  opt.max_iterations = gp_.optimizer_iterations;
  opt.max_signal_to_noise = gp_.max_signal_to_noise;
  const auto t0 = Clock::now();
  gp::GaussianProcess g(int(Xn.cols()));
  g.set_params(theta0);
  g.set_data(Xn, yn);
  const gp::FitResult r = gp::fit_hyperparameters(g, opt);
  const double s = seconds_since(t0);
  sink_ = sink_ + r.log_likelihood;
  p.fit_iterations = r.iterations, p.fit_evaluations = r.evaluations;
  return s;
}

void GpFitTimeStudy::next_series() {
  runs_.clear();
  if (series_ == 0 && recipe_.time_fit && !stop_fit_) {
    series_ = 1;
    return;
  }
  series_ = 0;
  ++index_;
  if (done()) return;
  // The cubic law from each series' last measured point: skip what would take too long.
  const GpFitTimePoint& last = points_.back();
  const double grow = std::pow(double(ladder_[index_]) / last.n, 3);
  if (!stop_evaluation_ && !(last.evaluation_s * grow <= recipe_.max_seconds)) stop_evaluation_ = true;
  if (recipe_.time_fit && !stop_fit_ && !(last.fit_s * grow <= recipe_.max_seconds)) stop_fit_ = true;
  if (stop_evaluation_ && (stop_fit_ || !recipe_.time_fit)) index_ = ladder_.size();
  else if (stop_evaluation_) series_ = 1;
}

bool GpFitTimeStudy::step() {
  if (done()) return false;
  const int n = ladder_[index_];
  if (points_.size() <= index_) {
    GpFitTimePoint p;
    p.n = n;
    points_.push_back(p);
  }
  GpFitTimePoint& p = points_.back();
  runs_.push_back(series_ == 0 ? time_evaluation(n) : time_fit(n, p));
  if (int(runs_.size()) == recipe_.repetitions) {
    (series_ == 0 ? p.evaluation_s : p.fit_s) = median(runs_);
    next_series();
  }
  return !done();
}

std::string GpFitTimeStudy::stage() const {
  if (done()) return "done";
  char b[128];
  std::snprintf(b, sizeof b, "N = %d: %s, run %zu of %d", ladder_[index_],
                series_ == 0 ? "log-likelihood evaluation" : "whole fit", runs_.size() + 1,
                recipe_.repetitions);
  return b;
}

double GpFitTimeStudy::progress() const {
  return ladder_.empty() ? 1.0 : std::min(1.0, double(index_) / double(ladder_.size()));
}

namespace {

double series_slope(const std::vector<GpFitTimePoint>& pts, double GpFitTimePoint::*field, int k) {
  std::vector<double> n, s;
  for (const GpFitTimePoint& p : pts) n.push_back(p.n), s.push_back(p.*field);
  return log_log_slope(n, s, k);
}

}  // namespace

double evaluation_slope(const std::vector<GpFitTimePoint>& pts, int k) {
  return series_slope(pts, &GpFitTimePoint::evaluation_s, k);
}

double fit_slope(const std::vector<GpFitTimePoint>& pts, int k) {
  return series_slope(pts, &GpFitTimePoint::fit_s, k);
}

Figure gp_fit_time_figure(const std::vector<GpFitTimePoint>& pts, int repetitions,
                          int optimizer_iterations) {
  Figure f;
  f.id = "gp_fit_time";
  f.title = "GP training cost vs number of points";
  f.x_label = "training points N";
  f.y_label = "seconds (median of " + std::to_string(repetitions) + ")";
  f.log_x = f.log_y = true;
  Series eval{"one log-likelihood + gradient evaluation", {}, {}, false, 0};
  Series fit{"whole fit (L-BFGS, <= " + std::to_string(optimizer_iterations) + " iterations)", {}, {}, false, 1};
  for (const GpFitTimePoint& p : pts) {
    if (std::isfinite(p.evaluation_s)) eval.x.push_back(p.n), eval.y.push_back(p.evaluation_s);
    if (std::isfinite(p.fit_s)) fit.x.push_back(p.n), fit.y.push_back(p.fit_s);
  }
  // The guide: seconds ~ N^3 through the largest evaluation point, over the measured Ns.
  Series guide{"slope 3: O(N^3)", {}, {}, false, 7};
  if (eval.x.size() >= 1) {
    const double n1 = eval.x.back(), s1 = eval.y.back();
    for (const GpFitTimePoint& p : pts)
      guide.x.push_back(p.n), guide.y.push_back(s1 * std::pow(p.n / n1, 3));
  }
  // The guide first: drawn under the measured lines where they meet.
  f.series.push_back(std::move(guide));
  f.series.push_back(std::move(eval));
  if (!fit.x.empty()) f.series.push_back(std::move(fit));
  return f;
}

std::string gp_fit_time_csv(const std::vector<GpFitTimePoint>& pts) {
  Table t({"n", "evaluation_s", "fit_s", "fit_iterations", "fit_evaluations"});
  for (const GpFitTimePoint& p : pts)
    t.add_row({p.n, p.evaluation_s, p.fit_s, p.fit_iterations, p.fit_evaluations});
  return t.to_csv();
}

std::string gp_fit_time_text(const std::vector<GpFitTimePoint>& pts, int slope_points) {
  std::string s = "       N   evaluation_s        fit_s  fit_iterations\n";
  char b[160];
  for (const GpFitTimePoint& p : pts) {
    std::snprintf(b, sizeof b, "%8d %14.6g %12.6g %15d\n", p.n, p.evaluation_s, p.fit_s, p.fit_iterations);
    s += b;
  }
  std::snprintf(b, sizeof b,
                "log-log slope over the %d largest N: evaluation %.2f, whole fit %.2f (O(N^3): 3)\n",
                slope_points, evaluation_slope(pts, slope_points), fit_slope(pts, slope_points));
  return s + b;
}

}  // namespace dynalab
