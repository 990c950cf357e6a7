#include "core/agents/policy_learning/policy_evaluation.h"

#include "core/io/csv.h"
#include "core/io/table.h"
#include "core/snapshot.h"
#include "core/state_visitor.h"

namespace dynalab {

Vec ActionScale::to_env(const Vec& a) const {
  return (space.low.array() + (a.array() + 1.0) * 0.5 * (space.high - space.low).array()).matrix();
}

Vec ActionScale::to_unit(const Vec& a) const {
  return (2.0 * (a - space.low).array() / (space.high - space.low).array() - 1.0).matrix();
}

void check_bounded_box(const std::string& family, const Env& env, ConfigNode& env_node) {
  const Space a = env.action_space();
  if (a.is_discrete() || !a.low.allFinite() || !a.high.allFinite())
    env_node.fail("name", "an env with a bounded box action space for " + family + " (got '" +
                              env.name() + "')");
}

PolicyEvaluation::PolicyEvaluation(const Env& env, const RunSeed& seed,
                                   std::shared_ptr<std::vector<LearningCurveRow>> curve)
    : scale_{env.action_space()},
      env_(env.clone()),
      seed_(seed),
      curve_(std::move(curve)),
      start_(std::chrono::steady_clock::now()) {}

double PolicyEvaluation::evaluate(const DeterministicPolicy& policy, int episodes) {
  double total = 0;
  for (int k = 0; k < episodes; ++k) {
    Vec obs = env_->reset(seed_.stream(3, uint64_t(k)).next_u64());
    for (int t = 0; t < env_->max_episode_steps(); ++t) {
      const StepResult r = env_->step(scale_.to_env(policy(obs)));
      total += r.reward;
      obs = r.obs;
      if (r.terminated || r.truncated) break;
    }
  }
  return total / episodes;
}

void PolicyEvaluation::record(const DeterministicPolicy& policy, int episodes,
                              int64_t env_steps) {
  const double ret = evaluate(policy, episodes);
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  curve_->push_back({seed_.run, env_steps, wall, ret});
}

void PolicyEvaluation::add_figure(std::vector<Figure>& figures) const {
  Figure f{"learning_curve",
           "Evaluation return (deterministic policy)",
           "env steps",
           "mean eval return",
           {},
           false};
  for (const LearningCurveRow& r : *curve_) {
    Series& s = f.series_named("run " + std::to_string(r.run));
    s.x.push_back(double(r.env_steps));
    s.y.push_back(r.eval_return);
  }
  figures.push_back(std::move(f));
}

void PolicyEvaluation::publish(Snapshot& s) const {
  if (!curve_->empty() && curve_->back().run == seed_.run)
    s.stats.push_back({"last eval return", short_number(curve_->back().eval_return)});
}

void PolicyEvaluation::write(const std::filesystem::path& dir) const {
  Table t({"run", "env_steps", "wall_s", "eval_return"});
  for (const LearningCurveRow& r : *curve_)
    t.add_row({r.run, r.env_steps, r.wall_s, r.eval_return});
  t.write_csv(dir / "learning_curve.csv");
}

void PolicyEvaluation::visit_state(StateVisitor& v) {
  // The run's wall clock continues from its saved reading (wall_s is not deterministic anyway).
  double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  v.field("wall_s", wall_s);
  if (v.loading())
    start_ = std::chrono::steady_clock::now() -
             std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                 std::chrono::duration<double>(wall_s));
  visit_records(v, "learning_curve", *curve_, [](LearningCurveRow& r, StateVisitor& rv) {
    rv.field("run", r.run);
    rv.field("env_steps", r.env_steps);
    rv.field("wall_s", r.wall_s);
    rv.field("eval_return", r.eval_return);
  });
}

}  // namespace dynalab
