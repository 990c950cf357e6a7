#pragma once
// Brute-force k-nearest-neighbour distances in a normalised space, shared by the divergence
// estimator and the error-vs-distance analysis. Each column is divided by a scale (normally the
// training data's standard deviation) so that dimensions in metres and in radians weigh alike.
// Brute force is O(queries x references x dims): callers bound both sets with subsample_rows()
// (a few thousand rows keep it in the tens of milliseconds).

#include <Eigen/Core>

namespace dynalab {

class Rng;

/// Per-column population standard deviation of x (one row per sample); a column whose std is
/// below 1e-9 (or an empty x) gets scale 1, so constant dimensions do not divide by zero.
Eigen::RowVectorXd column_scale(const Eigen::MatrixXd& x);

/// At most max_rows rows of x: all of them, in order, if x has no more; otherwise max_rows rows
/// drawn without replacement with rng (partial Fisher-Yates) and kept in their original order.
Eigen::MatrixXd subsample_rows(const Eigen::MatrixXd& x, int max_rows, Rng& rng);

/// For each row of `query`, the Euclidean distance to its k-th nearest row of `reference`
/// (k >= 1) after dividing every column of both by `scale` (units: scale units, e.g. "training
/// standard deviations"). With exclude_self, query and reference must be the same matrix and row i
/// is not its own neighbour. If fewer than k candidates exist the distance is +inf.
Eigen::VectorXd knn_distance(const Eigen::MatrixXd& query, const Eigen::MatrixXd& reference, int k,
                             const Eigen::RowVectorXd& scale, bool exclude_self = false);

}  // namespace dynalab
