// Session state of MbrlAgent, listed once for save and load (core/state_visitor.h): dataset,
// ensemble weights + training state, planner warm start and latest trace, the current plan, RNG
// and counters. A replan in progress is rebuilt by re-running its iterations.
#include <cmath>

#include "core/agents/mpc/mbrl_agent.h"
#include "core/dataset_state.h"
#include "core/io/input_error.h"
#include "core/state_visitor.h"

namespace dynalab {

namespace {

void visit_epoch(EpochStats& e, StateVisitor& v) {
  v.field("epoch", e.epoch);
  v.field("train_loss", e.train_loss);
  v.field("train_mse", e.train_mse);
  v.field("val_mse", e.val_mse);
  v.field("val_nll", e.val_nll);
  v.field("member_score", e.member_score);
  v.field("improved", e.improved);
  v.field("done", e.done);
  v.field("diverged", e.diverged);
}

void visit_trace(PlanTrace& t, StateVisitor& v) {
  v.field("horizon", t.horizon);
  v.field("action_dim", t.action_dim);
  v.field("obs_dim", t.obs_dim);
  v.field("candidates", t.candidates);
  v.field("particles", t.particles);
  v.field("iteration", t.iteration);
  v.field("iterations", t.iterations);
  v.field("actions", t.actions);
  v.field("returns", t.returns);
  v.field("paths", t.paths);
  v.field("elites", t.elites);
  v.field("plan", t.plan);
  v.field("mean", t.mean);
  v.field("stddev", t.stddev);
  v.field("objective_per_iteration", t.objective_per_iteration);
}

}  // namespace

void MbrlAgent::visit_state(StateVisitor& v, const Env& real, const Vec& obs) {
  const size_t HA = size_t(cfg_.planner.horizon) * action_dim_;
  visit_dataset(v, dataset_);
  if (model_) model_->visit_state(v, dataset_);  // none with the oracle: the config decides
  if (sysid_) {  // system identification: its few coefficients (the fit is one solve)
    std::vector<double> theta(sysid_->theta().data(), sysid_->theta().data() + sysid_->theta().size());
    v.sized("system_id_theta", theta, theta.size());
    if (v.loading()) sysid_->set_theta(Eigen::Map<const Eigen::VectorXd>(theta.data(), long(theta.size())));
  }
  std::vector<float> warm_mean = planner_->mean(), warm_std = planner_->stddev();
  v.document("plan_trace.json", [&](StateVisitor& tv) {
    tv.section("trace", [&](StateVisitor& s) { visit_trace(trace_, s); });
    tv.sized("planner_mean", warm_mean, HA);
    // An optimizer without spread (iLQR) has an empty stddev().
    tv.sized("planner_std", warm_std, planner_->stddev().empty() ? 0 : HA);
    tv.field("replan_mean", replan_mean_);
    tv.field("replan_std", replan_std_);
  });
  v.sized("plan", plan_, HA);
  v.field("plan_index", next_);
  v.field("plan_steps", plan_steps_);
  if (v.loading() && (next_ < 0 || plan_steps_ < 0 || plan_steps_ > cfg_.planner.horizon || next_ > plan_steps_))
    v.fail("plan_index", "0 <= plan_index <= plan_steps <= horizon");
  v.field("plan_valid", plan_valid_);
  v.field("predicted_return", predicted_return_);
  v.field("rng", rng_);
  v.field("episode", episode_);
  v.field("replans", replans_);
  v.field("collecting", collecting_);
  v.field("training", training_);
  if (v.loading() && training_ && !sysid_ && (!model_ || model_->training_done()))
    v.fail("training", "false: the model file holds no fit in progress");
  v.field("fits", fits_);
  v.field("fit_rows", fit_rows_);
  if (v.loading()) support_.reset();  // rebuilt from the dataset at the next replan
  v.section("last_fit", [&](StateVisitor& ev) { visit_epoch(last_fit_, ev); });
  visit_records(v, "epochs", epochs_, visit_epoch);
  bool planning = planner_->in_progress();
  int64_t iterations_done = planning ? planner_->iterations_done() : 0;
  v.field("planning", planning);
  v.field("planner_iterations_done", iterations_done);
  if (!v.loading()) return;
  // A replan in progress: start it again from the distribution it began with and re-run the
  // iterations already done (seed and env state are those of the original).
  planner_->cancel();
  planner_->set_distribution(warm_mean, warm_std);
  if (!planning) return;
  if (iterations_done < 1 || iterations_done >= planner_->iterations() || replan_mean_.size() != HA ||
      replan_std_.size() != (planner_->stddev().empty() ? 0 : HA))
    v.fail("planner_iterations_done", "1.." + std::to_string(planner_->iterations() - 1) +
                                          " with the replan's start distribution in plan_trace.json");
  planner_->set_distribution(replan_mean_, replan_std_);
  for (int64_t i = 0; i < iterations_done; ++i) plan_iteration(real, obs);
  if (planner_->mean() != warm_mean || planner_->stddev() != warm_std)
    throw InputError((v.dir() / "plan_trace.json").string() +
                     ": the replan in progress does not reproduce its saved distribution (planner_mean/planner_std)");
}

}  // namespace dynalab
