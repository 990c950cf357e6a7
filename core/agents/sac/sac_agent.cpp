#include "core/agents/sac/sac_agent.h"

#include <cmath>

#include "core/io/csv.h"
#include "core/snapshot.h"
#include "core/state_visitor.h"

namespace dynalab {

SacAgent::SacAgent(const SacAgentConfig& cfg, const Env& env, const RunSeed& seed,
                   std::shared_ptr<std::vector<LearningCurveRow>> curve)
    : cfg_(cfg),
      scale_{env.action_space()},
      learner_(cfg.sac, env.observation_space().dim(), env.action_space().dim(), seed.rng()),
      eval_(env, seed, std::move(curve)),
      value_map_(env) {}

void SacAgent::think(const Env&, const Vec&, const AgentClock&) {
  const SacLosses l = learner_.update();
  --pending_updates_;
  episode_.add(l);
}

Vec SacAgent::act(const Vec& obs) {
  // SB3: uniformly random actions until learning_starts env steps, then the stochastic policy.
  return scale_.to_env(env_steps_ < cfg_.sac.learning_starts ? learner_.random_action()
                                                             : learner_.sample_action(obs));
}

void SacAgent::observe(const Transition& t, bool) {
  ++env_steps_;
  learner_.add(t.obs, scale_.to_unit(t.action), t.reward, t.next_obs, t.terminated);
  // SB3 trains after a rollout of train_freq steps once num_timesteps > learning_starts.
  if (env_steps_ > cfg_.sac.learning_starts && env_steps_ % cfg_.sac.train_freq == 0)
    pending_updates_ += cfg_.sac.gradient_steps;
  if (env_steps_ % cfg_.evaluation.eval_every == 0)
    eval_.record(learner_.deterministic_policy(), cfg_.evaluation.eval_episodes, env_steps_);
}

void SacAgent::end_episode(const Trajectory&) { episode_.reset(); }

std::vector<std::string> SacAgent::metric_columns() const {
  return {"steps", "env_steps", "return", "terminated", "alpha", "critic_loss", "actor_loss"};
}

std::vector<double> SacAgent::episode_metrics() const { return episode_.metrics(learner_.alpha()); }

void SacAgent::add_figures(std::vector<Figure>& figures, const AgentClock&) const {
  eval_.add_figure(figures);
}

void SacAgent::publish(Snapshot& s) const {
  s.stats.push_back({"policy", env_steps_ < cfg_.sac.learning_starts
                                   ? "random (before learning_starts)"
                                   : "SAC, squashed Gaussian"});
  s.stats.push_back({"replay buffer", std::to_string(learner_.buffer().size()) + " transitions"});
  s.stats.push_back({"updates", std::to_string(learner_.updates())});
  s.stats.push_back({"alpha", short_number(learner_.alpha())});
  eval_.publish(s);
  s.policy_value = value_map_.current(learner_);
}

void SacAgent::apply_live(const AgentSettings& settings, const LiveEdit&) {
  const SacAgentConfig& c = static_cast<const ConfigSettings<SacAgentConfig>&>(settings).cfg;
  learner_.set_config(c.sac);
  cfg_ = c;
  cfg_.sac = learner_.config();
}

void SacAgent::write_outputs(const std::filesystem::path& dir) const { eval_.write(dir); }

void SacAgent::visit_state(StateVisitor& v, const Env&, const Vec&) {
  v.section("learner", [&](StateVisitor& lv) { learner_.visit_state(lv); });
  v.field("env_steps", env_steps_);
  v.field("pending_updates", pending_updates_);
  episode_.visit_state(v);
  eval_.visit_state(v);
}

AgentFamily sac_family() {
  AgentFamily f;
  f.name = "sac";
  f.description =
      "Soft Actor-Critic: model-free off-policy learner (squashed Gaussian, twin critics, auto "
      "temperature)";
  f.category = "policy learning";
  f.default_episodes = 100;
  f.agents = {
      {"policy learning", "sac", "Soft Actor-Critic (Haarnoja et al. 2018; SB3 defaults)", "sac"}};
  // The learning curve collects every run's evaluations.
  f.read = read_shared_settings<SacAgentConfig, SacAgent, std::vector<LearningCurveRow>>;
  f.visit_fields = visit_config_json<SacAgentConfig>;
  f.check_env = [](const Env& env, ConfigNode& env_node) {
    check_bounded_box("sac", env, env_node);
  };
  return f;
}

}  // namespace dynalab
