#pragma once
// DynamicsModel: what a learned one-step model offers to rollouts, planners and analyses,
// whatever it is inside (an ensemble of networks today; a Gaussian process, a Bayesian network
// or a local linear model later).
//
// A model predicts, per MEMBER, the target y = [s' - s, (r), (P(terminated))] of an input
// (s, a): a member is one network of an ensemble, one posterior sample of a Bayesian model, or
// the model itself (members() == 1). Probabilistic members also give the aleatoric spread of
// each target column. All numbers are in real units (any normalisation is the model's own).
//
// Two ways to predict:
//  - predict(): every member, whole batch, mean and variance; simple and allocating (analyses).
//  - predict_member(): one member on a gathered subset of a batch's rows into a caller-owned
//    Workspace, mean and standard deviation; this is the rollout hot path (ModelStepper), so it
//    allocates nothing once the workspace has grown and lets a model keep its fused kernels.
//    (The standard deviation rather than the variance: sampling needs sigma, and a model may
//    compute it directly, as Ensemble does from its log-variance, more exactly than sqrt(var).)
// Optional: input_jacobian() (d mean / d [s, a]) for gradient-based optimisers (iLQR, policy
// backprop); models that cannot differentiate their inputs return false.
//
// The uncertainty views read predict_moments(): the predictive mean and its split into an
// epistemic part (what more data would shrink) and an aleatoric part (noise). Its default takes
// them from the members (variance of the member means, mean of the member variances: the
// ensemble's and the BNN's weight draws' reading); a Gaussian process overrides it with its
// latent and noise variances, which it has in closed form.

#include <Eigen/Core>
#include <memory>
#include <vector>

namespace dynalab {

using RowMatrixXf = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// Per-member predictions of a batch (row i = sample i), in real (not normalised) units.
struct MemberPredictions {
  std::vector<RowMatrixXf> mean;  ///< members x (n x D): predicted [delta s, (r), (P(term))]
  std::vector<RowMatrixXf> var;   ///< members x (n x D): aleatoric variance (0 if deterministic)
};

/// Predictive moments of a batch (row i = sample i), per target column, in real units.
struct PredictiveMoments {
  Eigen::MatrixXd mean;       ///< n x D: the predictive mean of [delta s, (r), (P(term))]
  Eigen::MatrixXd epistemic;  ///< n x D: variance of the mean function (model uncertainty)
  Eigen::MatrixXd aleatoric;  ///< n x D: expected noise variance (0 if deterministic)
};

class Rng;

class DynamicsModel {
 public:
  /// Per-caller buffers of predict_member(); one per thread (a model is shared read-only).
  class Workspace {
   public:
    virtual ~Workspace() = default;
  };

  virtual ~DynamicsModel() = default;

  /// Observation and action dimensions; the input is [s, a].
  virtual int obs_dim() const = 0;
  virtual int action_dim() const = 0;
  /// Members (1 for a single model).
  virtual int members() const = 0;
  /// The members rollouts use, best first (an ensemble's elites; all members by default).
  virtual const std::vector<int>& rollout_members() const = 0;
  /// rollout_members() if `rollout_only` (and not empty), else every member 0..members()-1: the
  /// members an analysis reads ("elites only" or all).
  std::vector<int> member_set(bool rollout_only) const;
  /// True if members give a spread (mean and variance) rather than a point prediction.
  virtual bool probabilistic() const = 0;
  /// True if the reward is predicted, in column obs_dim().
  virtual bool learns_reward() const = 0;
  /// True if P(terminated) is predicted, in column termination_column().
  virtual bool learns_termination() const = 0;

  /// D: predicted columns per member: obs_dim, then 1 if the reward and 1 if termination is
  /// learned, in that order.
  int target_dim() const {
    return obs_dim() + (learns_reward() ? 1 : 0) + (learns_termination() ? 1 : 0);
  }
  /// Column of P(terminated) in the target (meaningful when learns_termination()).
  int termination_column() const { return obs_dim() + (learns_reward() ? 1 : 0); }

  /// Every member's mean and variance for obs (n x obs_dim) and actions (n x action_dim).
  virtual void predict(const RowMatrixXf& obs, const RowMatrixXf& actions,
                       MemberPredictions& out) const = 0;

  /// Moments over `members` (indices into 0..members()-1, not empty) for obs (n x obs_dim) and
  /// actions (n x action_dim). Default: from predict(), the members' mean, the variance of
  /// their means (epistemic) and the mean of their variances (aleatoric).
  virtual void predict_moments(const RowMatrixXf& obs, const RowMatrixXf& actions,
                               const std::vector<int>& members, PredictiveMoments& out) const;
  /// `count` joint draws of the mean function of target column `column` at the rows of obs and
  /// actions: samples (count x n). Models whose members are already function draws (ensembles,
  /// BNN weight draws) return false (the default): their members are the samples to show.
  virtual bool sample_functions(const RowMatrixXf& obs, const RowMatrixXf& actions, int column,
                                int count, Rng& rng, Eigen::MatrixXd& samples) const {
    (void)obs, (void)actions, (void)column, (void)count, (void)rng, (void)samples;
    return false;
  }

  /// A fresh workspace for predict_member().
  virtual std::unique_ptr<Workspace> make_workspace() const = 0;
  /// Member `member` on rows rows[0..n) of obs (N x obs_dim) and actions (N x action_dim), or on
  /// rows 0..n-1 if `rows` is null. Returns a column-major view into `ws` (valid until its next
  /// use): columns 0..D-1 the mean target in real units; if `with_std` and probabilistic(),
  /// columns D..2D-1 its standard deviation (otherwise those columns, if any, are unspecified).
  /// No allocation once `ws` has seen n rows.
  virtual Eigen::Map<const Eigen::MatrixXf> predict_member(int member, const RowMatrixXf& obs,
                                                           const RowMatrixXf& actions,
                                                           const int* rows, long n, bool with_std,
                                                           Workspace& ws) const = 0;

  /// Jacobian of member `member`'s mean target at one input: jacobian (D x (obs_dim +
  /// action_dim), real units) = d y / d [s, a]. Returns false, leaving `jacobian` untouched, if
  /// the model cannot differentiate its inputs (the default).
  virtual bool input_jacobian(int member, const Eigen::VectorXf& obs,
                              const Eigen::VectorXf& action, Eigen::MatrixXf& jacobian) const {
    (void)member, (void)obs, (void)action, (void)jacobian;
    return false;
  }
  /// input_jacobian at each row of obs (n x obs_dim) and actions (n x action_dim):
  /// jacobians[i] (D x (obs_dim + action_dim)) at row i. A model overrides it with one batched
  /// pass (the pathwise gradient differentiates a whole batch of rollouts a step at a time); the
  /// default loops input_jacobian. Returns false as input_jacobian does.
  virtual bool input_jacobians(int member, const RowMatrixXf& obs, const RowMatrixXf& actions,
                               std::vector<Eigen::MatrixXf>& jacobians) const {
    jacobians.resize(size_t(obs.rows()));
    for (Eigen::Index i = 0; i < obs.rows(); ++i)
      if (!input_jacobian(member, obs.row(i).transpose(), actions.row(i).transpose(), jacobians[size_t(i)]))
        return false;
    return true;
  }
};

}  // namespace dynalab
