#include "core/agents/mpc/mbrl_agent.h"

#include <stdexcept>

namespace dynalab {

MbrlAgent::MbrlAgent(const MbrlAgentConfig& cfg, const Env& env, uint64_t seed)
    : cfg_(cfg),
      action_dim_(env.action_space().dim()),
      action_space_(env.action_space()),
      dataset_(env.observation_space().dim(), env.action_space().dim(), cfg.dataset_capacity),
      seed_(seed),
      rng_(Rng::derive(seed, {0x5EED})) {
  if (action_space_.is_discrete()) throw std::invalid_argument("MbrlAgent: needs a box action space");
  collecting_ = cfg_.random_steps > 0;
  evaluator_ = make_evaluator(env);
  // With the evaluator: an optimizer that needs derivatives it lacks fails here, naming the key.
  planner_ = make_planner(cfg_.planner, action_space_.low, action_space_.high, evaluator_.get());
  plan_.assign(size_t(cfg_.planner.horizon) * action_dim_, 0.0f);
}

std::unique_ptr<SequenceEvaluator> MbrlAgent::make_evaluator(const Env& env) {
  if (cfg_.dynamics == "oracle") {
    auto oracle = std::make_unique<OracleEvaluator>(env, std::min(cfg_.rollout.threads, 2));
    oracle_ = oracle.get();
    return oracle;
  }
  std::shared_ptr<const DynamicsModel> dynamics;
  const bool sysid = cfg_.model.prediction == "system_id";
  if (sysid) {
    auto form = env.parametric_dynamics();
    if (!form)
      throw InputError("model.prediction: \"system_id\" needs an env that writes its physics with "
                       "a few parameters (cliff_hill); env '" + env.name() + "' has none");
    if (cfg_.model.learn_reward || cfg_.model.learn_termination)
      throw InputError(std::string("model.") +
                       (cfg_.model.learn_reward ? "learn_reward" : "learn_termination") +
                       ": expected false with prediction = system_id (its equations give the "
                       "state only; the reward and termination come from the env)");
    sysid_ = std::make_shared<SystemIdModel>(std::move(*form));
    dynamics = sysid_;
  } else {
    model_ = make_learned_model(cfg_.model, env.observation_space().dim(), action_dim_,
                                Rng::derive(seed_, {0x30DE1}).next_u64());
    dynamics = model_;
  }
  // The env's closed forms, from a copy the rollouts own (the real env keeps stepping).
  reward_env_ = env.clone();
  const Vec probe = Vec::Zero(env.observation_space().dim()), no_action = Vec::Zero(action_dim_);
  ModelEnv::RewardFn reward;
  if (!cfg_.model.learn_reward) {
    if (!env.reward(probe, no_action, probe))
      throw InputError("model.learn_reward: expected true: env '" + env.name() +
                       "' has no closed-form reward for planning");
    reward = env_reward(*reward_env_);
  }
  ModelEnv::TerminationFn termination;
  if (env.terminated(probe, no_action, probe)) termination = env_termination(*reward_env_);
  auto model_env = std::make_unique<ModelEnv>(dynamics, cfg_.rollout, reward, termination);
  // The same closed-form reward with its derivatives, for a gradient-based optimizer (iLQR).
  if (reward) model_env->set_differentiable_reward(std::make_shared<EnvReward>(*reward_env_));
  model_env_ = model_env.get();
  return model_env;
}

void MbrlAgent::set_live_config(const MbrlAgentConfig& c, bool planner_changed) {
  if (model_) model_->set_training_config(c.model);
  if (model_env_) model_env_->set_config(c.rollout);
  cfg_ = c;
  rebuild_planner_ = rebuild_planner_ || planner_changed;
}

MbrlPhase MbrlAgent::phase() const {
  if (collecting_) return MbrlPhase::collect;
  if (training_) return MbrlPhase::train;
  return next_ >= plan_steps_ ? MbrlPhase::plan : MbrlPhase::act;
}

void MbrlAgent::begin_episode(int episode) {
  episode_ = episode;
  planner_->cancel();
  planner_->reset();
  next_ = plan_steps_ = 0;
}

Vec MbrlAgent::random_action() { return action_space_.sample(rng_); }

void MbrlAgent::observe(const Transition& t) {
  dataset_.add(t);
  if (collecting_ && static_cast<int64_t>(dataset_.size()) >= cfg_.random_steps) {
    collecting_ = false;
    if (model_) model_->begin_training(dataset_, rng_);
    training_ = model_ || sysid_;
  }
}

EpochStats MbrlAgent::train_epoch() {
  if (!training_) return last_fit_;
  EpochStats st;
  if (sysid_) {  // one least-squares solve: the whole fit in one unit of work
    const SystemIdFit& f = sysid_->fit(dataset_);
    st.epoch = 1;
    st.train_loss = st.train_mse = f.residual_mse;
    st.done = true;
  } else {
    st = model_->train_epoch(rng_);
  }
  epochs_.push_back(st);
  if (st.done) {
    training_ = false;
    last_fit_ = st;
    ++fits_;
    fit_rows_ = int64_t(dataset_.size());
    support_.reset();  // rebuilt from the new data at the next replan
  }
  return st;
}

void MbrlAgent::update_support() {
  const double radius = cfg_.rollout.support_radius;
  if (radius <= 0 || fit_rows_ == 0) {
    support_.reset();
  } else if (!support_ || support_->radius() != radius) {
    // Both ends of every transition the model was fit on are states the data has been in.
    const long n = std::min<long>(long(fit_rows_), long(dataset_.size()));
    const Eigen::MatrixXd s = dataset_.observations(), s2 = dataset_.next_observations();
    Eigen::MatrixXd states(2 * n, s.cols());
    states << s.topRows(n), s2.topRows(n);
    support_ = std::make_shared<const DataSupport>(states, radius);
  }
  model_env_->set_support(support_);
}

void MbrlAgent::end_episode() {
  if (model_ && cfg_.refits() && !collecting_ && dataset_.size() >= 2 && !model_->diverged()) {
    model_->begin_training(dataset_, rng_);  // warm start from the current weights
    training_ = true;
  }
  if (sysid_ && cfg_.refits() && !collecting_ && !dataset_.empty()) training_ = true;
}

bool MbrlAgent::plan_iteration(const Env& real, const Vec& obs) {
  if (!planner_->in_progress()) {
    if (rebuild_planner_) {  // a live edit: the new settings, the same warm start
      auto fresh = make_planner(cfg_.planner, action_space_.low, action_space_.high, evaluator_.get());
      fresh->set_distribution(planner_->mean(), planner_->stddev());
      planner_ = std::move(fresh);
      rebuild_planner_ = false;
    }
    if (oracle_) oracle_->sync(real);
    if (model_env_) update_support();
    replan_mean_ = planner_->mean();
    replan_std_ = planner_->stddev();
    // One seed per replan: the plan depends on (seed, episode, replan index) only.
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
  plan_steps_ = cfg_.open_loop() ? cfg_.planner.horizon : cfg_.replan_every;
  ++replans_;
  return true;
}

Vec MbrlAgent::act() {
  if (phase() != MbrlPhase::act) throw std::logic_error("MbrlAgent::act without a plan");
  Vec a(action_dim_);
  for (int d = 0; d < action_dim_; ++d) a[d] = plan_[size_t(next_) * action_dim_ + d];
  if (++next_ >= plan_steps_) planner_->shift(plan_steps_);  // warm start for the next replan
  return a;
}

}  // namespace dynalab
