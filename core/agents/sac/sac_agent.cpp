#include "core/agents/sac/sac_agent.h"

#include <cmath>

#include "core/io/csv.h"
#include "core/io/table.h"
#include "core/snapshot.h"
#include "core/state_visitor.h"

namespace dynalab {

SacAgent::SacAgent(const SacAgentConfig& cfg, const Env& env, const RunSeed& seed,
                   std::shared_ptr<std::vector<LearningCurveRow>> curve)
    : cfg_(cfg),
      actions_(env.action_space()),
      eval_env_(env.clone()),
      seed_(seed),
      learner_(cfg.sac, env.observation_space().dim(), env.action_space().dim(), seed.rng()),
      curve_(std::move(curve)),
      start_(std::chrono::steady_clock::now()) {}

Vec SacAgent::to_env(const Vec& a) const {
  return (actions_.low.array() + (a.array() + 1.0) * 0.5 * (actions_.high - actions_.low).array())
      .matrix();
}

Vec SacAgent::to_unit(const Vec& a) const {
  return (2.0 * (a - actions_.low).array() / (actions_.high - actions_.low).array() - 1.0).matrix();
}

void SacAgent::think(const Env&, const Vec&, const AgentClock&) {
  const SacLosses l = learner_.update();
  --pending_updates_;
  ++episode_updates_;
  episode_critic_loss_ += l.critic;
  episode_actor_loss_ += l.actor;
}

Vec SacAgent::act(const Vec& obs) {
  // SB3: uniformly random actions until learning_starts env steps, then the stochastic policy.
  return to_env(env_steps_ < cfg_.sac.learning_starts ? learner_.random_action()
                                                      : learner_.sample_action(obs));
}

void SacAgent::observe(const Transition& t, bool) {
  ++env_steps_;
  learner_.add(t.obs, to_unit(t.action), t.reward, t.next_obs, t.terminated);
  // SB3 trains after a rollout of train_freq steps once num_timesteps > learning_starts.
  if (env_steps_ > cfg_.sac.learning_starts && env_steps_ % cfg_.sac.train_freq == 0)
    pending_updates_ += cfg_.sac.gradient_steps;
  if (env_steps_ % cfg_.eval_every == 0) {
    const double ret = evaluate();
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    curve_->push_back({seed_.run, env_steps_, wall, ret});
  }
}

double SacAgent::evaluate() {
  double total = 0;
  for (int k = 0; k < cfg_.eval_episodes; ++k) {
    Vec obs = eval_env_->reset(seed_.stream(3, uint64_t(k)).next_u64());
    for (int t = 0; t < eval_env_->max_episode_steps(); ++t) {
      const StepResult r = eval_env_->step(to_env(learner_.deterministic_action(obs)));
      total += r.reward;
      obs = r.obs;
      if (r.terminated || r.truncated) break;
    }
  }
  return total / cfg_.eval_episodes;
}

void SacAgent::end_episode(const Trajectory&) {
  episode_updates_ = 0;
  episode_critic_loss_ = episode_actor_loss_ = 0;
}

std::vector<std::string> SacAgent::metric_columns() const {
  return {"steps", "env_steps", "return", "terminated", "alpha", "critic_loss", "actor_loss"};
}

std::vector<double> SacAgent::episode_metrics() const {
  const double n = double(std::max<int64_t>(episode_updates_, 1));
  return {learner_.alpha(), episode_critic_loss_ / n, episode_actor_loss_ / n};
}

void SacAgent::add_figures(std::vector<Figure>& figures, const AgentClock&) const {
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

void SacAgent::publish(Snapshot& s) const {
  s.stats.push_back({"policy", env_steps_ < cfg_.sac.learning_starts
                                   ? "random (before learning_starts)"
                                   : "SAC, squashed Gaussian"});
  s.stats.push_back({"replay buffer", std::to_string(learner_.buffer().size()) + " transitions"});
  s.stats.push_back({"updates", std::to_string(learner_.updates())});
  s.stats.push_back({"alpha", short_number(learner_.alpha())});
  if (!curve_->empty() && curve_->back().run == seed_.run)
    s.stats.push_back({"last eval return", short_number(curve_->back().eval_return)});
}

void SacAgent::apply_live(const AgentSettings& settings, const LiveEdit&) {
  const SacAgentConfig& c = static_cast<const ConfigSettings<SacAgentConfig>&>(settings).cfg;
  learner_.set_config(c.sac);
  cfg_ = c;
  cfg_.sac = learner_.config();
}

void SacAgent::write_outputs(const std::filesystem::path& dir) const {
  Table t({"run", "env_steps", "wall_s", "eval_return"});
  for (const LearningCurveRow& r : *curve_)
    t.add_row({r.run, r.env_steps, r.wall_s, r.eval_return});
  t.write_csv(dir / "learning_curve.csv");
}

void SacAgent::visit_state(StateVisitor& v, const Env&, const Vec&) {
  v.section("learner", [&](StateVisitor& lv) { learner_.visit_state(lv); });
  v.field("env_steps", env_steps_);
  v.field("pending_updates", pending_updates_);
  v.field("episode_updates", episode_updates_);
  v.field("episode_critic_loss", episode_critic_loss_);
  v.field("episode_actor_loss", episode_actor_loss_);
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
    const Space a = env.action_space();
    if (a.is_discrete() || !a.low.allFinite() || !a.high.allFinite())
      env_node.fail("name",
                    "an env with a bounded box action space for sac (got '" + env.name() + "')");
  };
  return f;
}

}  // namespace dynalab
