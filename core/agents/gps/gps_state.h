#pragma once
// Session state of the gps family's Eigen-valued pieces (vectors and matrices of any size,
// rollouts, controllers, local dynamics), each saved exactly (doubles round-trip) so that a run
// continues bit-identically after a load. Vectors go through std::vector<double> (the visitor's
// Vec keeps a pre-set size); a matrix is {rows, cols, data row-major}.

#include <Eigen/Core>
#include <string>
#include <vector>

#include "core/agents/gps/linear_gaussian_controller.h"
#include "core/planning/local_linear_fit.h"
#include "core/space.h"

namespace dynalab {

class StateVisitor;

/// A vector of any size.
void visit_gps_vec(StateVisitor& v, const std::string& key, Vec& x);
/// A matrix of any shape (at most 100000 rows and columns after loading).
void visit_gps_matrix(StateVisitor& v, const std::string& key, Eigen::MatrixXd& m);
void visit_gps_vectors(StateVisitor& v, const std::string& key, std::vector<Vec>& xs);
void visit_gps_matrices(StateVisitor& v, const std::string& key, std::vector<Eigen::MatrixXd>& ms);
/// Rollouts: a list of lists of vectors.
void visit_gps_rollouts(StateVisitor& v, const std::string& key, std::vector<std::vector<Vec>>& rollouts);
/// All five fields of a controller (K, k, the covariance, its factor and inverse as they are).
void visit_gps_controller(StateVisitor& v, const std::string& key, LinearGaussianController& c);
/// A local linear model's A, B, c and noise covariances.
void visit_gps_dynamics(StateVisitor& v, const std::string& key, LocalLinearModel& m);

}  // namespace dynalab
