#include "core/agents/mbrl_agent.h"

#include <stdexcept>

#include "core/rng.h"

namespace dynalab {

MbrlAgent::MbrlAgent(const MbrlAgentConfig& cfg, const Env& env, uint64_t seed)
    : cfg_(cfg),
      action_dim_(env.action_space().dim()),
      dataset_(env.observation_space().dim(), env.action_space().dim()),
      seed_(seed) {
  const Space as = env.action_space();
  if (as.is_discrete()) throw std::invalid_argument("MbrlAgent: needs a box action space");
  evaluator_ = make_evaluator(env);
  planner_ = make_planner(cfg_.planner, as.low, as.high);
  plan_.assign(size_t(cfg_.planner.horizon) * action_dim_, 0.0f);
}

std::unique_ptr<SequenceEvaluator> MbrlAgent::make_evaluator(const Env& env) {
  // model.kind == "oracle" (the only kind so far; the config rejects others).
  auto oracle = std::make_unique<OracleEvaluator>(env, cfg_.model.threads);
  oracle_ = oracle.get();
  return oracle;
}

void MbrlAgent::begin_episode(int episode) {
  episode_ = episode;
  planner_->cancel();
  planner_->reset();
  next_ = plan_steps_ = 0;
}

bool MbrlAgent::plan_iteration(const Env& real, const Vec& obs) {
  if (!planner_->in_progress()) {
    if (oracle_) oracle_->sync(real);
    // One seed per replan: the plan depends on (seed, replan index) only.
    const uint64_t s = Rng::derive(seed_, {uint64_t(episode_), uint64_t(replans_)}).next_u64();
    planner_->begin(*evaluator_, obs, s);
  }
  planner_->iterate_once(&trace_);
  if (!planner_->done()) return false;
  const PlanResult& r = planner_->finish();
  plan_.assign(r.plan.begin(), r.plan.end());
  plan_valid_ = r.valid;
  predicted_return_ = r.predicted_return;
  next_ = 0;
  plan_steps_ = cfg_.replan_every;
  ++replans_;
  return true;
}

Vec MbrlAgent::act() {
  if (needs_plan()) throw std::logic_error("MbrlAgent::act without a plan");
  Vec a(action_dim_);
  for (int d = 0; d < action_dim_; ++d) a[d] = plan_[size_t(next_) * action_dim_ + d];
  if (++next_ >= plan_steps_) planner_->shift(plan_steps_);  // warm start for the next replan
  return a;
}

}  // namespace dynalab
