#pragma once
// Inference of one network that maps the normalised input [s, a] to the normalised target
// (Ensemble's members, BnnDynamics's weight draws): the normalisation around Mlp::predict on a
// gathered subset of rows (the rollout hot path, DynamicsModel::predict_member), the soft
// log-variance bounds of a Gaussian head (PETS, Chua et al. 2018, appendix A.1), the whole-batch
// version for predict(), and the input Jacobian of the mean by one backward pass.

#include <Eigen/Core>
#include <vector>

#include "core/models/dynamics_model.h"
#include "core/models/losses.h"
#include "core/models/mlp.h"
#include "core/models/training_rows.h"

namespace dynalab {

/// predict_normalised's buffers: the gathered, normalised input and the output, column-major,
/// and the normalisers copied once per call. Grows, then allocates nothing.
struct NormalisedNetWorkspace : DynamicsModel::Workspace {
  std::vector<float, Eigen::aligned_allocator<float>> xbuf, obuf;
  Mlp::Scratch scratch;
  Eigen::RowVectorXf in_mean, in_inv, y_mean, y_sd;
  Eigen::ArrayXf tmp;  // the argument of softplus in the log-variance bounds
};

/// `net` on rows rows[0..n) (or 0..n-1 if `rows` is null) of obs (N x O) and actions
/// (N x A): returns an n x out_cols column-major view into ws.obuf (out_cols >= the net's
/// outputs), columns 0..D-1 (D = out.mean.size()) the mean target in real units, the net's
/// further outputs (a Gaussian head's raw log-variances) after them as the net wrote them.
Eigen::Map<Eigen::MatrixXf> predict_normalised(const Mlp& net, const Normalizer& in,
                                               const Normalizer& out, const RowMatrixXf& obs,
                                               const RowMatrixXf& actions, const int* rows,
                                               long n, int out_cols, NormalisedNetWorkspace& ws);

/// Turns the raw log-variance columns D..2D-1 of `y` (normalised units) into standard
/// deviations in real units: exp(lv / 2) * target std with lv softly bounded by `b`
/// (bound_logvar: max - softplus(max - lv), then min + softplus(. - min)).
void bounded_std_columns(Eigen::Map<Eigen::MatrixXf>& y, const LogVarBounds<float>& b,
                         const Eigen::RowVectorXf& y_sd, Eigen::ArrayXf& tmp);

/// [obs, actions] (n x (O + A)) normalised by `in`, for predict() of a whole batch.
Eigen::MatrixXf normalised_inputs(const RowMatrixXf& obs, const RowMatrixXf& actions,
                                  const Normalizer& in);
/// The first D (= out.mean.size()) columns of a network output o (n x >= D) in real units.
RowMatrixXf denormalised_mean(const Eigen::MatrixXf& o, const Normalizer& out);

/// d mean / d [s, a] of `net` at each row of obs (n x O) and actions (n x A), real units:
/// jacobians[i] is D x (O + A). One backward pass over D copies of each normalised input (rows
/// i D .. i D + D - 1), output j backpropagated from row i D + j; the normalisers scale the rows
/// (target std) and columns (1 / input std) of the chain rule.
void normalised_input_jacobians(const Mlp& net, const Normalizer& in, const Normalizer& out,
                                const RowMatrixXf& obs, const RowMatrixXf& actions,
                                std::vector<Eigen::MatrixXf>& jacobians);

}  // namespace dynalab
