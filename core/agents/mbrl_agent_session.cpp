// Session save/load of MbrlAgent: dataset, ensemble weights + training state, planner warm start
// and latest trace, the current plan, RNG and counters (format in core/session.h).
#include <cmath>

#include "core/agents/mbrl_agent.h"
#include "core/io/atomic_file.h"
#include "core/session.h"

namespace dynalab {

namespace {

Json epoch_json(const EpochStats& e) {
  return {{"epoch", e.epoch},
          {"train_loss", session_number(e.train_loss)},
          {"train_mse", session_number(e.train_mse)},
          {"val_mse", session_number(e.val_mse)},
          {"val_nll", session_number(e.val_nll)},
          {"member_score", session_numbers(e.member_score.data(), e.member_score.size())},
          {"improved", e.improved},
          {"done", e.done},
          {"diverged", e.diverged}};
}

EpochStats epoch_from(const SessionReader& r) {
  EpochStats e;
  e.epoch = r.integer<int>("epoch");
  e.train_loss = r.number("train_loss");
  e.train_mse = r.number("train_mse");
  e.val_mse = r.number("val_mse");
  e.val_nll = r.number("val_nll");
  e.member_score = r.doubles("member_score");
  e.improved = r.boolean("improved");
  e.done = r.boolean("done");
  e.diverged = r.boolean("diverged");
  return e;
}

Json trace_json(const PlanTrace& t) {
  auto f = [](const std::vector<float>& v) { return session_numbers(v.data(), v.size()); };
  return {{"horizon", t.horizon},
          {"action_dim", t.action_dim},
          {"obs_dim", t.obs_dim},
          {"candidates", t.candidates},
          {"particles", t.particles},
          {"iteration", t.iteration},
          {"iterations", t.iterations},
          {"actions", f(t.actions)},
          {"returns", f(t.returns)},
          {"paths", f(t.paths)},
          {"elites", t.elites},
          {"plan", f(t.plan)},
          {"mean", f(t.mean)},
          {"stddev", f(t.stddev)},
          {"objective_per_iteration", f(t.objective_per_iteration)}};
}

PlanTrace trace_from(const SessionReader& r) {
  PlanTrace t;
  t.horizon = r.integer<int>("horizon");
  t.action_dim = r.integer<int>("action_dim");
  t.obs_dim = r.integer<int>("obs_dim");
  t.candidates = r.integer<int>("candidates");
  t.particles = r.integer<int>("particles");
  t.iteration = r.integer<int>("iteration");
  t.iterations = r.integer<int>("iterations");
  t.actions = r.floats("actions");
  t.returns = r.floats("returns");
  t.paths = r.floats("paths");
  t.elites = r.integers<int>("elites");
  t.plan = r.floats("plan");
  t.mean = r.floats("mean");
  t.stddev = r.floats("stddev");
  t.objective_per_iteration = r.floats("objective_per_iteration");
  return t;
}

}  // namespace

void MbrlAgent::save_state(const std::filesystem::path& dir, Json& state) const {
  write_file_atomic(dir / "dataset.npy", dataset_.to_npy());
  if (model_) {
    ensure_directory(dir / "model");
    model_->save(dir / "model" / "ensemble.bin");
    model_->save_training_state(dir / "model" / "training_state.bin");
  }
  auto f = [](const std::vector<float>& v) { return session_numbers(v.data(), v.size()); };
  const Json trace = {{"trace", trace_json(trace_)},
                      {"planner_mean", f(planner_->mean())},
                      {"planner_std", f(planner_->stddev())},
                      {"replan_mean", f(replan_mean_)},
                      {"replan_std", f(replan_std_)}};
  write_file_atomic(dir / "plan_trace.json", trace.dump() + "\n");
  Json epochs = Json::array();
  for (const auto& e : epochs_) epochs.push_back(epoch_json(e));
  state = {{"plan", f(plan_)},
           {"plan_index", next_},
           {"plan_steps", plan_steps_},
           {"plan_valid", plan_valid_},
           {"predicted_return", session_number(predicted_return_)},
           {"rng", session_rng(rng_.state())},
           {"episode", episode_},
           {"replans", replans_},
           {"collecting", collecting_},
           {"training", training_},
           {"fits", fits_},
           {"last_fit", epoch_json(last_fit_)},
           {"epochs", epochs},
           {"planning", planner_->in_progress()},
           {"planner_iterations_done", planner_->in_progress() ? planner_->iterations_done() : 0},
           {"dataset_size", dataset_.size()}};
}

void MbrlAgent::load_state(const std::filesystem::path& dir, const SessionReader& r,
                           const Env& real, const Vec& obs) {
  const size_t HA = size_t(cfg_.planner.horizon) * action_dim_;
  // Dataset: same logical order (oldest first) in a buffer of the configured capacity.
  const std::filesystem::path npy = dir / "dataset.npy";
  const Dataset loaded = Dataset::from_npy(read_session_file(npy), npy.string(), dataset_.obs_dim(),
                                           dataset_.action_dim());
  const int64_t n = r.integer("dataset_size");
  if (int64_t(loaded.size()) != n)
    throw InputError(npy.string() + ": expected " + std::to_string(n) +
                     " transitions (session.json: state.agent.dataset_size), got " +
                     std::to_string(loaded.size()));
  if (dataset_.capacity() > 0 && loaded.size() > dataset_.capacity())
    throw InputError(npy.string() + ": expected at most dataset_capacity = " +
                     std::to_string(dataset_.capacity()) + " transitions, got " +
                     std::to_string(loaded.size()));
  dataset_.clear();
  for (size_t i = 0; i < loaded.size(); ++i) dataset_.add(loaded.at(i));
  const bool planning = r.boolean("planning");
  if (model_) {
    model_->load(dir / "model" / "ensemble.bin");
    model_->load_training_state(dir / "model" / "training_state.bin", dataset_);
  }
  const std::filesystem::path trace_file = dir / "plan_trace.json";
  Json tj;
  try {
    tj = Json::parse(read_session_file(trace_file));
  } catch (const Json::parse_error& e) {
    throw InputError(trace_file.string() + ": not valid JSON (" + e.what() + ")");
  }
  const SessionReader tr(tj, trace_file.string(), "");
  trace_ = trace_from(tr.child("trace"));
  planner_->set_distribution(tr.floats("planner_mean", HA), tr.floats("planner_std", HA));
  replan_mean_ = tr.floats("replan_mean");
  replan_std_ = tr.floats("replan_std");
  plan_ = r.floats("plan", HA);
  next_ = r.integer<int>("plan_index");
  plan_steps_ = r.integer<int>("plan_steps");
  if (next_ < 0 || plan_steps_ < 0 || plan_steps_ > cfg_.planner.horizon || next_ > plan_steps_)
    r.fail("plan_index", "0 <= plan_index <= plan_steps <= horizon");
  plan_valid_ = r.boolean("plan_valid");
  predicted_return_ = r.number("predicted_return");
  rng_.set_state(r.rng("rng"));
  episode_ = r.integer<int>("episode");
  replans_ = r.integer("replans");
  collecting_ = r.boolean("collecting");
  training_ = r.boolean("training");
  if (training_ && (!model_ || model_->training_done()))
    r.fail("training", "false: the model file holds no fit in progress");
  fits_ = r.integer<int>("fits");
  last_fit_ = epoch_from(r.child("last_fit"));
  epochs_.clear();
  const Json& epochs = r.array("epochs");
  for (size_t i = 0; i < epochs.size(); ++i) {
    const std::string key = "epochs[" + std::to_string(i) + "]";
    if (!epochs[i].is_object()) r.fail(key, "an object");
    epochs_.push_back(epoch_from(SessionReader(epochs[i], r.file(), "state.agent." + key)));
  }
  // A replan in progress: start it again from the distribution it began with and re-run the
  // iterations already done (seed and env state are those of the original).
  planner_->cancel();
  if (planning) {
    const int64_t k = r.integer("planner_iterations_done");
    if (k < 1 || k >= planner_->iterations() || replan_mean_.size() != HA ||
        replan_std_.size() != HA)
      r.fail("planner_iterations_done",
             "1.." + std::to_string(planner_->iterations() - 1) +
                 " with the replan's start distribution in plan_trace.json");
    const std::vector<float> warm_mean = planner_->mean(), warm_std = planner_->stddev();
    planner_->set_distribution(replan_mean_, replan_std_);
    for (int64_t i = 0; i < k; ++i) plan_iteration(real, obs);
    if (planner_->mean() != warm_mean || planner_->stddev() != warm_std)
      throw InputError(trace_file.string() +
                       ": the replan in progress does not reproduce its saved distribution "
                       "(planner_mean/planner_std)");
  }
}

}  // namespace dynalab
