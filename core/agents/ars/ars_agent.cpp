#include "core/agents/ars/ars_agent.h"

#include "core/io/csv.h"
#include "core/snapshot.h"
#include "core/state_visitor.h"

namespace dynalab {

ArsAgent::ArsAgent(const ArsAgentConfig& cfg, const Env& env, const RunSeed& seed,
                   std::shared_ptr<std::vector<LearningCurveRow>> curve)
    : cfg_(cfg),
      scale_{env.action_space()},
      learner_(cfg.ars, env.observation_space().dim(), env.action_space().dim(), seed.rng()),
      eval_(env, seed, std::move(curve)) {}

Vec ArsAgent::act(const Vec& obs) { return scale_.to_env(learner_.candidate_action(obs)); }

void ArsAgent::observe(const Transition& t, bool) {
  ++env_steps_;
  learner_.observe_state(t.obs);
  candidate_return_ += t.reward + learner_.config().alive_bonus_offset;
  if (env_steps_ % cfg_.evaluation.eval_every == 0)
    eval_.record(deterministic_policy(), cfg_.evaluation.eval_episodes, env_steps_);
}

void ArsAgent::end_episode(const Trajectory&) {
  if (++candidate_episodes_ < learner_.config().n_eval_episodes) return;
  learner_.end_candidate(candidate_return_);
  candidate_return_ = 0;
  candidate_episodes_ = 0;
}

std::vector<std::string> ArsAgent::metric_columns() const {
  return {"steps", "env_steps", "return", "terminated", "iteration", "candidate", "step_size"};
}

std::vector<double> ArsAgent::episode_metrics() const {
  const int n = learner_.config().n_delta, c = learner_.candidate();
  return {double(learner_.iterations()), double(c < n ? c + 1 : -(c - n + 1)),
          learner_.last_step_size()};
}

void ArsAgent::add_figures(std::vector<Figure>& figures, const AgentClock&) const {
  eval_.add_figure(figures);
}

void ArsAgent::publish(Snapshot& s) const {
  const int n = learner_.config().n_delta, c = learner_.candidate();
  s.stats.push_back({"iteration", std::to_string(learner_.iterations())});
  s.stats.push_back({"candidate", std::string(c < n ? "theta + nu delta_" : "theta - nu delta_") +
                                      std::to_string(c % n + 1) + " (" + std::to_string(c + 1) +
                                      " of " + std::to_string(2 * n) + ")"});
  s.stats.push_back({"parameters", std::to_string(learner_.params().size())});
  s.stats.push_back({"step size", short_number(learner_.last_step_size())});
  eval_.publish(s);
}

void ArsAgent::apply_live(const AgentSettings& settings, const LiveEdit&) {
  const ArsAgentConfig& c = static_cast<const ConfigSettings<ArsAgentConfig>&>(settings).cfg;
  learner_.set_config(c.ars);
  cfg_ = c;
  cfg_.ars = learner_.config();
}

void ArsAgent::write_outputs(const std::filesystem::path& dir) const { eval_.write(dir); }

void ArsAgent::visit_state(StateVisitor& v, const Env&, const Vec&) {
  v.section("learner", [&](StateVisitor& lv) { learner_.visit_state(lv); });
  v.field("env_steps", env_steps_);
  v.field("candidate_return", candidate_return_);
  v.field("candidate_episodes", candidate_episodes_);
  eval_.visit_state(v);
}

AgentFamily ars_family() {
  AgentFamily f;
  f.name = "ars";
  f.description = "Augmented Random Search V2-t: gradient-free search in policy parameter space";
  f.category = "policy learning";
  f.default_episodes = 100;
  f.agents = {{"policy learning", "ars",
               "Augmented Random Search V2-t (Mania et al. 2018; SB3-contrib's names)", "ars"}};
  // The learning curve collects every run's evaluations.
  f.read = read_shared_settings<ArsAgentConfig, ArsAgent, std::vector<LearningCurveRow>>;
  f.visit_fields = visit_config_json<ArsAgentConfig>;
  f.check_env = [](const Env& env, ConfigNode& env_node) { check_bounded_box("ars", env, env_node); };
  return f;
}

}  // namespace dynalab
