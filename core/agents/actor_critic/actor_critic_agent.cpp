#include "core/agents/actor_critic/actor_critic_agent.h"

#include "core/io/csv.h"
#include "core/snapshot.h"
#include "core/state_visitor.h"

namespace dynalab {

ActorCriticAgent::ActorCriticAgent(const ActorCriticConfig& algorithm,
                                   const EvaluationConfig& evaluation, const Env& env,
                                   const RunSeed& seed,
                                   std::shared_ptr<std::vector<LearningCurveRow>> curve)
    : evaluation_(evaluation),
      scale_{env.action_space()},
      learner_(algorithm, env.observation_space(), env.action_space(), seed.rng()),
      eval_(env, seed, std::move(curve)),
      last_obs_(Vec::Zero(env.observation_space().dim())) {}

DeterministicPolicy ActorCriticAgent::deterministic_policy() const {
  return [this](const Vec& obs) {
    const Vec a = learner_.deterministic_action(obs)
                      .cwiseMax(scale_.space.low)
                      .cwiseMin(scale_.space.high);
    return scale_.to_unit(a);
  };
}

void ActorCriticAgent::think(const Env&, const Vec&, const AgentClock&) {
  const ActorCriticLosses l = learner_.update();
  ++episode_updates_;
  episode_policy_loss_ += l.policy;
  episode_value_loss_ += l.value;
  episode_entropy_ += l.entropy;
}

Vec ActorCriticAgent::act(const Vec& obs) { return learner_.act(obs); }

void ActorCriticAgent::begin_episode(int, const Vec& obs) {
  learner_.begin_episode(obs);
  last_obs_ = obs;
}

void ActorCriticAgent::observe(const Transition& t, bool truncated) {
  ++env_steps_;
  last_obs_ = t.next_obs;
  learner_.observe(t.reward, t.next_obs, t.terminated, truncated, env_steps_);
  if (env_steps_ % evaluation_.eval_every == 0)
    eval_.record(deterministic_policy(), evaluation_.eval_episodes, env_steps_);
}

void ActorCriticAgent::end_episode(const Trajectory&) {
  episode_updates_ = 0;
  episode_policy_loss_ = episode_value_loss_ = episode_entropy_ = 0;
}

std::vector<std::string> ActorCriticAgent::metric_columns() const {
  return {"steps",       "env_steps",  "return",  "terminated",
          "policy_loss", "value_loss", "entropy", "policy_std"};
}

std::vector<double> ActorCriticAgent::episode_metrics() const {
  const double n = double(std::max<int64_t>(episode_updates_, 1));
  return {episode_policy_loss_ / n, episode_value_loss_ / n, episode_entropy_ / n,
          learner_.policy_std(last_obs_)};
}

void ActorCriticAgent::add_figures(std::vector<Figure>& figures, const AgentClock&) const {
  eval_.add_figure(figures);
}

void ActorCriticAgent::publish(Snapshot& s) const {
  const ActorCriticConfig& c = learner_.config();
  s.stats.push_back({"policy", c.loss == PolicyGradientLoss::ppo_clip ? "PPO, Gaussian"
                                                                       : "A2C, Gaussian"});
  s.stats.push_back({"rollout", learner_.updating()
                                    ? "training on " + std::to_string(learner_.rollout_size()) +
                                          " steps"
                                    : std::to_string(learner_.rollout_size()) + " / " +
                                          std::to_string(c.n_steps) + " steps"});
  s.stats.push_back({"updates", std::to_string(learner_.updates())});
  s.stats.push_back({"learning rate", short_number(learner_.current_learning_rate())});
  s.stats.push_back({"policy std", short_number(learner_.policy_std(last_obs_))});
  eval_.publish(s);
}

void ActorCriticAgent::apply(const ActorCriticConfig& algorithm,
                             const EvaluationConfig& evaluation) {
  learner_.set_config(algorithm);
  evaluation_ = evaluation;
}

void ActorCriticAgent::write_outputs(const std::filesystem::path& dir) const { eval_.write(dir); }

void ActorCriticAgent::visit_state(StateVisitor& v, const Env&, const Vec&) {
  v.section("learner", [&](StateVisitor& lv) { learner_.visit_state(lv); });
  v.field("env_steps", env_steps_);
  v.field("last_obs", last_obs_);
  v.field("episode_updates", episode_updates_);
  v.field("episode_policy_loss", episode_policy_loss_);
  v.field("episode_value_loss", episode_value_loss_);
  v.field("episode_entropy", episode_entropy_);
  eval_.visit_state(v);
}

namespace {

template <class C>
AgentFamily actor_critic_family(const std::string& name, const std::string& description,
                                const std::string& entry) {
  AgentFamily f;
  f.name = name;
  f.description = description;
  f.category = "policy learning";
  f.default_episodes = 100;
  f.agents = {{"policy learning", name, entry, name}};
  using Cfg = ActorCriticAgentConfig<C>;
  // The learning curve collects every run's evaluations.
  f.read = read_shared_settings<Cfg, ActorCriticAgentFor<C>, std::vector<LearningCurveRow>>;
  f.visit_fields = visit_config_json<Cfg>;
  f.check_env = [name](const Env& env, ConfigNode& env_node) {
    check_bounded_box(name, env, env_node);
  };
  return f;
}

}  // namespace

AgentFamily ppo_family() {
  return actor_critic_family<PpoConfig>(
      "ppo", "Proximal Policy Optimization: on-policy, clipped surrogate, GAE",
      "PPO (Schulman et al. 2017; SB3 defaults)");
}

AgentFamily a2c_family() {
  return actor_critic_family<A2cConfig>(
      "a2c", "Advantage Actor-Critic: on-policy, n-step returns, one step per rollout",
      "A2C (Mnih et al. 2016, synchronous; SB3 defaults)");
}

}  // namespace dynalab
