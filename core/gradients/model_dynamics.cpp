#include "core/gradients/model_dynamics.h"

#include <stdexcept>
#include <string>

namespace dynalab {

ModelDynamics::ModelDynamics(const DynamicsModel& model, int member)
    : model_(model), ws_(model.make_workspace()) {
  if (member >= model.members())
    throw std::invalid_argument("ModelDynamics: member " + std::to_string(member) + " of " +
                                std::to_string(model.members()));
  if (member >= 0) single_ = {member};
  Eigen::MatrixXf J;
  if (!model.input_jacobian(members().front(), Eigen::VectorXf::Zero(model.obs_dim()),
                            Eigen::VectorXf::Zero(model.action_dim()), J))
    throw std::invalid_argument("ModelDynamics: the model has no input Jacobians");
  obs_.resize(1, model.obs_dim());
  act_.resize(1, model.action_dim());
}

const std::vector<int>& ModelDynamics::members() const {
  return single_.empty() ? model_.rollout_members() : single_;
}

Vec ModelDynamics::step(const Vec& x, const Vec& u) const {
  obs_.row(0) = x.cast<float>().transpose();
  act_.row(0) = u.cast<float>().transpose();
  Vec delta = Vec::Zero(x.size());
  for (int m : members()) {
    const auto y = model_.predict_member(m, obs_, act_, nullptr, 1, false, *ws_);
    delta += y.row(0).head(x.size()).transpose().cast<double>();
  }
  return x + delta / double(members().size());
}

void ModelDynamics::jacobians(const Vec& x, const Vec& u, Eigen::MatrixXd& A,
                              Eigen::MatrixXd& B) const {
  const int O = model_.obs_dim();
  Eigen::MatrixXd J = Eigen::MatrixXd::Zero(O, O + model_.action_dim());
  Eigen::MatrixXf Jm;
  for (int m : members()) {
    model_.input_jacobian(m, x.cast<float>(), u.cast<float>(), Jm);
    J += Jm.topRows(O).cast<double>();
  }
  J /= double(members().size());
  A = Eigen::MatrixXd::Identity(O, O) + J.leftCols(O);
  B = J.rightCols(model_.action_dim());
}

void ModelDynamics::load_batch(const std::vector<Vec>& x, const std::vector<Vec>& u) const {
  obs_.resize(Eigen::Index(x.size()), model_.obs_dim());
  act_.resize(Eigen::Index(x.size()), model_.action_dim());
  for (size_t i = 0; i < x.size(); ++i) {
    obs_.row(Eigen::Index(i)) = x[i].cast<float>().transpose();
    act_.row(Eigen::Index(i)) = u[i].cast<float>().transpose();
  }
}

void ModelDynamics::step_batch(const std::vector<Vec>& x, const std::vector<Vec>& u,
                               std::vector<Vec>& next) const {
  load_batch(x, u);
  const long n = long(x.size());
  const int O = model_.obs_dim();
  Eigen::MatrixXd delta = Eigen::MatrixXd::Zero(n, O);
  for (int m : members())
    delta += model_.predict_member(m, obs_, act_, nullptr, n, false, *ws_).leftCols(O).cast<double>();
  delta /= double(members().size());
  next.resize(x.size());
  for (size_t i = 0; i < x.size(); ++i) next[i] = x[i] + delta.row(Eigen::Index(i)).transpose();
}

void ModelDynamics::jacobians_batch(const std::vector<Vec>& x, const std::vector<Vec>& u,
                                    std::vector<Eigen::MatrixXd>& A,
                                    std::vector<Eigen::MatrixXd>& B) const {
  load_batch(x, u);
  const int O = model_.obs_dim(), U = model_.action_dim();
  std::vector<Eigen::MatrixXd> J(x.size(), Eigen::MatrixXd::Zero(O, O + U));
  std::vector<Eigen::MatrixXf> Jm;
  for (int m : members()) {
    model_.input_jacobians(m, obs_, act_, Jm);
    for (size_t i = 0; i < x.size(); ++i) J[i] += Jm[i].topRows(O).cast<double>();
  }
  A.resize(x.size());
  B.resize(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    J[i] /= double(members().size());
    A[i] = Eigen::MatrixXd::Identity(O, O) + J[i].leftCols(O);
    B[i] = J[i].rightCols(U);
  }
}

}  // namespace dynalab
