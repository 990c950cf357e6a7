#pragma once
// GpDynamics: the Gaussian-process dynamics model of PILCO (Deisenroth & Rasmussen 2011;
// pilco-matlab gp/train.m): one exact GP with an SE-ARD kernel per target column [s' - s, (r)],
// all on the input [s, a]. Inputs and targets are normalised (mean 0, std 1, fit on the GP's
// points); each column's hyperparameters are fit by maximising its log marginal likelihood
// (hyperparameter_fit.h). A single "member" (members() == 1) whose predictive variance is the
// latent (epistemic) variance plus the noise (aleatoric) variance; predict_latent() gives the
// two parts separately.
//
// Training, cut into ticks: begin_training() picks the points (all transitions, or a random
// subset of model.gp.max_points of them: subset of data) and refactorises with the current
// hyperparameters (the data's initial guess on the first fit); each train_epoch() then runs up
// to iterations_per_epoch L-BFGS iterations per column. liblbfgs keeps no state between calls,
// so each unit restarts L-BFGS from the current hyperparameters (its curvature memory is lost;
// the line search stays monotone, so the objective never rises between units). The fit is done
// when every column converged or used optimizer_iterations. Columns train in parallel on up to
// model.threads threads; each column's numbers do not depend on the others or on the threads.

#include <Eigen/Core>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/models/gp/gaussian_process.h"
#include "core/models/learned_model.h"
#include "core/models/model_config.h"

namespace dynalab {

/// predict_latent's result, in real units: the posterior of the latent mean function and the
/// noise, per target column.
struct GpLatentPrediction {
  RowMatrixXf mean;        ///< n x D posterior mean
  RowMatrixXf latent_var;  ///< n x D epistemic variance (of the latent function)
  Eigen::RowVectorXf noise_var;  ///< D: the noise variance sn^2 of each column
};

/// The normaliser a GpDynamics fits on its inputs and targets: per column of x (n x k) the mean
/// and the population standard deviation (k values each; an sd below 1e-6 becomes 1: a constant
/// column, as Ensemble's Normalizer does).
void gp_fit_normaliser(const Eigen::MatrixXd& x, Eigen::RowVectorXd& mean, Eigen::RowVectorXd& sd);

class GpDynamics : public LearnedModel {
 public:
  /// The prior (no data yet) for obs_dim x action_dim inputs. `seed` is not used: a GP has no
  /// random initial weights (the subset is drawn from begin_training's rng). Throws InputError
  /// naming the key if the config is invalid (type = gp rejects learn_termination).
  GpDynamics(const ModelConfig& config, int obs_dim, int action_dim, uint64_t seed);

  int obs_dim() const override { return obs_dim_; }
  int action_dim() const override { return action_dim_; }
  int input_dim() const { return obs_dim_ + action_dim_; }
  int members() const override { return 1; }
  const std::vector<int>& rollout_members() const override { return members_list_; }
  bool probabilistic() const override { return true; }
  bool learns_reward() const override { return cfg_.learn_reward; }
  bool learns_termination() const override { return false; }

  const ModelConfig& config() const override { return cfg_; }
  std::shared_ptr<LearnedModel> clone() const override { return std::make_shared<GpDynamics>(*this); }
  void set_training_config(const ModelConfig& c) override;
  void begin_training(const Dataset& data, Rng& rng) override;
  /// Up to iterations_per_epoch L-BFGS iterations per unconverged column. train_loss is
  /// -log p(y) / n summed over columns (normalised units), train_mse the mean squared error of
  /// the posterior mean at the GP's points; no validation data (val_* NaN). `rng` is not used.
  EpochStats train_epoch(Rng& rng) override;
  bool training_done() const override { return done_; }
  bool diverged() const override { return diverged_; }
  /// "GP per column (3 columns), 300 of 812 points, SE-ARD on 4 inputs".
  std::string describe_shape() const override;
  /// Hyperparameters, normalisers, subset indices and counters; the GPs are rebuilt from `data`
  /// (the dataset the fit began on) on load.
  void visit_state(StateVisitor& v, const Dataset& data) override;
  /// gp_model_file.cpp: the normalisers, and per column the hyperparameters and the GP's
  /// (normalised) points, as JSON: a GP's data is part of the model.
  std::string to_bytes() const override;
  std::string file_name() const override { return "gp.json"; }
  void load_bytes(const std::string& bytes, const std::string& source) override;

  /// Mean and predictive variance (latent + noise) of the single member, real units.
  void predict(const RowMatrixXf& obs, const RowMatrixXf& actions,
               MemberPredictions& out) const override;
  std::unique_ptr<Workspace> make_workspace() const override;
  Eigen::Map<const Eigen::MatrixXf> predict_member(int member, const RowMatrixXf& obs,
                                                   const RowMatrixXf& actions, const int* rows,
                                                   long n, bool with_std,
                                                   Workspace& ws) const override;
  /// Analytic d mean / d [s, a] (GaussianProcess::mean_gradient through the normalisers).
  bool input_jacobian(int member, const Eigen::VectorXf& obs, const Eigen::VectorXf& action,
                      Eigen::MatrixXf& jacobian) const override;

  /// The GP's own split: epistemic = the latent variance, aleatoric = the noise variance (the
  /// member set is {0}, the only member).
  void predict_moments(const RowMatrixXf& obs, const RowMatrixXf& actions,
                       const std::vector<int>& members, PredictiveMoments& out) const override;
  /// posterior_samples() of the latent function (double, count x n).
  bool sample_functions(const RowMatrixXf& obs, const RowMatrixXf& actions, int column, int count,
                        Rng& rng, Eigen::MatrixXd& samples) const override;

  /// The latent posterior and the noise per column at obs (n x obs_dim), actions (n x action_dim).
  void predict_latent(const RowMatrixXf& obs, const RowMatrixXf& actions,
                      GpLatentPrediction& out) const;
  /// `count` joint posterior samples of column j's latent function at the rows of obs
  /// (m x obs_dim), actions (m x action_dim), e.g. m points along a 1-D slice of the input:
  /// count x m, real units (GaussianProcess::sample_posterior; m normal draws per sample).
  Eigen::MatrixXf posterior_samples(int column, const RowMatrixXf& obs, const RowMatrixXf& actions,
                                    int count, Rng& rng) const;
  /// Wall time of the last fit (begin_training's factorisation plus every train_epoch since), s.
  double fit_seconds() const { return fit_seconds_; }
  /// The GP of target column j (normalised inputs and targets).
  const gp::GaussianProcess& column(int j) const { return gps_[size_t(j)]; }
  /// The normalisers: a GP sees the input (x - input_mean) / input_std ([s, a], input_dim) and
  /// predicts (y - target_mean) / target_std per target column.
  const Eigen::RowVectorXd& input_mean() const { return in_mean_; }
  const Eigen::RowVectorXd& input_std() const { return in_std_; }
  const Eigen::RowVectorXd& target_mean() const { return y_mean_; }
  const Eigen::RowVectorXd& target_std() const { return y_std_; }
  /// Rows of the fit's dataset that the GPs hold (ascending), and that dataset's size.
  const std::vector<int>& subset() const { return subset_; }
  long dataset_rows() const { return data_rows_; }
  /// L-BFGS iterations column j used in the current fit.
  int iterations(int j) const { return iterations_[size_t(j)]; }
  const EpochStats& last_stats() const { return last_; }

 private:
  /// What predict_member reads per column, rebuilt after every change of the GPs.
  struct ColumnCache {
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> z;  // X / ell
    Eigen::VectorXd inv_ell;
    double sf2 = 1, sn2 = 0;
  };
  void rebuild(const Dataset& data);  // the GPs from data's subset rows, normalisers, theta
  void refresh_cache();
  Eigen::RowVectorXd normalise_input(const float* obs, const float* action) const;

  ModelConfig cfg_;
  int obs_dim_, action_dim_;
  std::vector<int> members_list_ = {0};
  std::vector<gp::GaussianProcess> gps_;
  std::vector<ColumnCache> cache_;
  Eigen::RowVectorXd in_mean_, in_std_, y_mean_, y_std_;
  // Training state.
  bool fitted_ = false;  // hyperparameters came from data (else the next fit initialises them)
  std::vector<int> subset_;
  long data_rows_ = 0;
  std::vector<int> iterations_, finished_;
  int epoch_ = 0;
  bool done_ = true, diverged_ = false;
  double fit_seconds_ = 0;
  EpochStats last_;
};

}  // namespace dynalab
