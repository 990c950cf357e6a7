#pragma once
// How far the states a policy visits are from the states the model was trained on: a k-NN
// estimate of KL(P || Q), P = visited states, Q = training-data states (Wang, Kulkarni & Verdu,
// "Divergence estimation for multidimensional densities via k-nearest-neighbor distances",
// IEEE Trans. Inf. Theory 2009):
//
//   D(P||Q) ~= (d / n) * sum_i log(nu_k(i) / rho_k(i)) + log(m / (n - 1))
//
// with n visited samples X_i, m training samples Y_j, rho_k(i) the distance from X_i to its k-th
// nearest neighbour among the other X's, nu_k(i) the distance from X_i to its k-th nearest Y.
// Where P puts mass that Q lacks, nu >> rho and the estimate grows; for two samples of the same
// distribution it is ~0 (the estimator is asymptotically unbiased; at finite n it fluctuates
// around 0 and can be slightly negative).
//
// Conventions (so every input gives a finite, deterministic number):
//   - distances are taken after dividing each column by the std of the TRAINING set (Q);
//   - d counts only the dimensions that vary in P or Q (a constant coordinate carries no volume);
//   - distances are floored at min_distance (normalised units) so exact duplicates (e.g. the same
//     reset state in both sets, or P == Q) give a finite log;
//   - `kl` is the estimate clamped at 0 (KL is never negative; below 0 is estimator noise);
//     `raw` is the unclamped value;
//   - each set is subsampled to at most max_points rows with Rng::derive(seed, {0 or 1});
//   - fewer than k+1 visited samples or fewer than k training samples: kl = raw = NaN.

#include <Eigen/Core>
#include <cstdint>
#include <vector>

namespace dynalab {

struct KnnKlOptions {
  int k = 1;              ///< neighbour order (1 = nearest; larger k: lower variance, more bias)
  int max_points = 2000;  ///< subsample bound per set (brute force is n x m)
  double min_distance = 1e-6;  ///< floor on every k-NN distance, in training-std units
  uint64_t seed = 0;           ///< subsampling stream
};

struct KnnKlResult {
  double kl = 0;     ///< max(raw, 0), in nats
  double raw = 0;    ///< the unclamped estimate, in nats
  int n = 0, m = 0;  ///< samples of P and Q actually used (after subsampling)
  int d = 0;         ///< dimensions counted (those that vary)
};

/// k-NN estimate of KL(P || Q) in nats from samples of P (rows of p) and Q (rows of q, the
/// training data whose std normalises the space). Columns must match.
KnnKlResult knn_kl_divergence(const Eigen::MatrixXd& p, const Eigen::MatrixXd& q,
                              const KnnKlOptions& options = {});

/// KL(p || q) = sum_c p_c log(p_c / q_c) in nats between two histograms on the same cells
/// (e.g. grid_histogram's), over cells with p_c > 0; +inf if q_c = 0 there. p and q sum to 1
/// (not checked); std::invalid_argument if their sizes differ.
double histogram_kl(const std::vector<double>& p, const std::vector<double>& q);

}  // namespace dynalab
