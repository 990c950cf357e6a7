#include "core/agents/successor/closed_form_sr.h"

#include <Eigen/LU>

namespace dynalab {

Eigen::MatrixXd closed_form_sr(const GridTransitions& t, const std::vector<double>& pi, double gamma) {
  const int n = t.n_states, A = t.n_actions;
  Eigen::MatrixXd P = Eigen::MatrixXd::Zero(n, n);
  // A cell that some transition enters terminally is never left (the episode ends there):
  // absorbing, as the learned M has it.
  const std::vector<bool> terminal_cell = t.terminal_cells();
  for (int s = 0; s < n; ++s) {
    if (!t.free(s) || terminal_cell[size_t(s)]) {
      P(s, s) = 1;
      continue;
    }
    for (int a = 0; a < A; ++a) P(s, t.next[size_t(t.pair(s, a))]) += pi[size_t(t.pair(s, a))];
  }
  const Eigen::MatrixXd I = Eigen::MatrixXd::Identity(n, n);
  return (1 - gamma) * (I - gamma * P).partialPivLu().inverse();
}

}  // namespace dynalab
