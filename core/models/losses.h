#pragma once
// Training losses and their gradients with respect to the network output: the dynamics models'
// MSE and Gaussian NLL, means over all n*D entries (the scale of ../shared/bench/mlp_grad_ref.py),
// and a classifier's weighted binary cross-entropy on logits, a mean over rows.

#include <Eigen/Core>
#include <vector>

namespace dynalab {

/// MSE: mean over n*D entries of (out - y)^2. Writes dL/dout into dout if not null.
template <class T>
T mse_loss(const Eigen::Ref<const Eigen::Matrix<T, -1, -1>>& out,
           const Eigen::Ref<const Eigen::Matrix<T, -1, -1>>& y, Eigen::Matrix<T, -1, -1>* dout);

/// Learned soft bounds of a Gaussian head's log-variance (PETS): one max and one min per output.
template <class T>
struct LogVarBounds {
  Eigen::Matrix<T, -1, 1> max_lv, min_lv;
  /// Bounds used by PETS at initialisation: max 0.5, min -10 (in normalised target units).
  static LogVarBounds initial(int dims) {
    return {Eigen::Matrix<T, -1, 1>::Constant(dims, T(0.5)),
            Eigen::Matrix<T, -1, 1>::Constant(dims, T(-10))};
  }
};

/// softplus(x) = log(1 + exp(x)), without overflow.
template <class T>
inline T softplus(T x) {
  using std::exp, std::log1p;
  return (x > T(0) ? x : T(0)) + log1p(exp(-(x > T(0) ? x : -x)));
}

/// The soft bound of PETS applied to one raw log-variance of output dimension j:
/// lv = max - softplus(max - raw); lv = min + softplus(lv - min).
template <class T>
inline T bound_logvar(T raw, T max_lv, T min_lv) {
  const T lv = max_lv - softplus(max_lv - raw);
  return min_lv + softplus(lv - min_lv);
}

/// Gaussian NLL without constants: out = [mu | raw logvar] (n x 2D), y (n x D); the loss is the
/// mean over n*D entries of (mu - y)^2 exp(-lv) + lv. If `bounds` is not null, lv is the soft-
/// bounded raw log-variance and the loss adds 0.01 * (sum max_lv - sum min_lv); its gradients
/// go to dbounds (sized like bounds, overwritten). With bounds null, lv = raw (the reference).
template <class T>
T gauss_nll_loss(const Eigen::Ref<const Eigen::Matrix<T, -1, -1>>& out,
                 const Eigen::Ref<const Eigen::Matrix<T, -1, -1>>& y, const LogVarBounds<T>* bounds,
                 Eigen::Matrix<T, -1, -1>* dout, LogVarBounds<T>* dbounds);

/// Weighted binary cross-entropy with soft labels on logits z (n), labels y in [0, 1] and
/// weights w >= 0 (n each), mean over the n rows:
///     L = (1/n) sum_i w_i [softplus(z_i) - y_i z_i] = -(1/n) sum_i w_i [y_i log C_i + (1 - y_i) log(1 - C_i)],
///     dL/dz_i = w_i (sigmoid(z_i) - y_i) / n,   C = sigmoid(z).
/// Soft labels and weights hold C-learning's TD target (core/agents/c_learning/future_classifier.h).
/// Writes dL/dz into dz if not null; std::invalid_argument if the sizes differ. Double precision
/// (its gradient test); 0 for n = 0.
double weighted_bce_with_logits(const Eigen::VectorXd& z, const Eigen::VectorXd& y,
                                const Eigen::VectorXd& w, Eigen::VectorXd* dz);

}  // namespace dynalab

// ---- Classification: softmax cross-entropy (the VIN family's imitation loss) ----

namespace dynalab {

/// Mean softmax cross-entropy of `logits` (N x C, one row per sample) against the class labels
/// `labels` (N values in 0..C-1): mean over rows of log sum_c exp(logit_c) - logit_label (the
/// max subtracted first, so no overflow); 0 for N = 0. If dlogits is not null it receives
/// dL/dlogits (N x C: (softmax - one-hot) / N). If correct is not null it receives the number of
/// rows whose argmax (the first on ties) is the label.
template <class T>
T softmax_cross_entropy_loss(const Eigen::Ref<const Eigen::Matrix<T, -1, -1>>& logits, const std::vector<int>& labels,
                             Eigen::Matrix<T, -1, -1>* dlogits, int* correct = nullptr);

}  // namespace dynalab
