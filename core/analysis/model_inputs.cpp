#include "core/analysis/model_inputs.h"

#include <cmath>

#include "core/analysis/knn.h"
#include "core/config.h"
#include "core/rng.h"

namespace dynalab {

std::shared_ptr<const TrainingSummary> training_summary(const Dataset& d) {
  auto s = std::make_shared<TrainingSummary>();
  const Eigen::MatrixXd states = d.observations();
  s->lo = states.colwise().minCoeff();
  s->hi = states.colwise().maxCoeff();
  // Deterministic subsample: the same data gives the same dots every time.
  Rng rng(0x1ab);
  s->dots = subsample_rows(states, kMaxTrainingDots, rng);
  return s;
}

bool has_model_inputs(const Snapshot& snap) { return snap.model && snap.model->model; }

ModelInputs model_inputs(const Snapshot& snap, const ModelInputs* reuse) {
  const ModelView* m = snap.model.get();
  if (!m) throw InputError(snap.experiment + ": the analysis needs a planning experiment with a learned model, got family '" + snap.family + "'");
  if (!m->model)
    throw InputError(snap.experiment + ": no learned model to analyse (" +
                     (m->prediction == "oracle"      ? std::string("agent.dynamics = oracle")
                      : m->prediction == "system_id" ? std::string("model.prediction = system_id: the "
                                                                   "ensemble analyses need networks")
                                                     : "still collecting random data; run more ticks") +
                     ")");
  const int obs_dim = m->obs_dim, action_dim = m->action_dim;
  ModelInputs in;
  in.model = m->model;
  in.training_data = m->training_data && !m->training_data->empty() ? m->training_data : nullptr;
  if (in.training_data)
    in.summary = reuse && reuse->training_data == in.training_data && reuse->summary
                     ? reuse->summary
                     : training_summary(*in.training_data);
  in.seed = snap.seed;
  in.state = snap.obs.size() == obs_dim ? snap.obs : Vec(Vec::Zero(obs_dim));
  in.plan_action = Vec::Zero(action_dim);
  if (snap.plan && int(snap.plan->plan.size()) >= action_dim)
    for (int d = 0; d < action_dim; ++d) in.plan_action[d] = snap.plan->plan[size_t(d)];
  if (snap.world) {
    in.obs_space = snap.world->observation_space();
    in.action_space = snap.world->action_space();
    in.obs_names = snap.world->observation_names();
    in.deterministic_world = snap.world->deterministic();
  }
  if (int(in.obs_names.size()) != obs_dim) {
    in.obs_names.clear();
    for (int d = 0; d < obs_dim; ++d) in.obs_names.push_back("obs " + std::to_string(d));
  }
  return in;
}

void axis_range(const ModelInputs& in, int d, double widen, double& lo, double& hi) {
  lo = INFINITY, hi = -INFINITY;
  if (in.summary && d < in.summary->lo.size()) lo = in.summary->lo[d], hi = in.summary->hi[d];
  if (in.state.size() > d && std::isfinite(in.state[d]))
    lo = std::min(lo, in.state[d]), hi = std::max(hi, in.state[d]);
  const Space& sp = in.obs_space;
  const bool bounded = sp.low.size() > d && std::isfinite(sp.low[d]) && std::isfinite(sp.high[d]) &&
                       sp.high[d] > sp.low[d];
  if (bounded) {
    // The whole world along a bounded dim (the cliff hill's x from the wall to the pit): the
    // question is usually about where the data is NOT (the cliff), which widening the data's
    // span may not reach.
    lo = std::min(lo, double(sp.low[d])), hi = std::max(hi, double(sp.high[d]));
    return;
  }
  if (!(hi > lo)) {
    const double c = in.state.size() > d ? in.state[d] : 0.0;
    lo = c - 1, hi = c + 1;
    return;
  }
  const double span = hi - lo;
  lo -= widen * span, hi += widen * span;
}

}  // namespace dynalab
