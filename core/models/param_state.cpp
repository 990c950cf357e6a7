#include "core/models/param_state.h"

#include <vector>

#include "core/state_visitor.h"

namespace dynalab {

void visit_floats(StateVisitor& v, const std::string& key, Eigen::VectorXf& x, long n) {
  std::vector<float> values(x.data(), x.data() + x.size());
  v.sized(key, values, size_t(n));
  if (v.loading()) x = Eigen::Map<const Eigen::VectorXf>(values.data(), n);
}

void visit_adam(StateVisitor& v, const std::string& key, Adam& adam, long n) {
  v.section(key, [&](StateVisitor& av) {
    if (adam.m.size() != n) adam.reset(n);  // never stepped: zero moments, as a fresh Adam
    av.field("t", adam.t);
    visit_floats(av, "m", adam.m, n);
    visit_floats(av, "v", adam.v, n);
  });
}

void visit_rmsprop(StateVisitor& v, const std::string& key, RmsProp& opt, long n) {
  v.section(key, [&](StateVisitor& rv) {
    if (opt.square_avg.size() != n) opt.reset(n);
    visit_floats(rv, "square_avg", opt.square_avg, n);
  });
}

}  // namespace dynalab
