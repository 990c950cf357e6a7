#include "core/agents/tabular/dyna_agent.h"

#include <algorithm>
#include <cmath>

#include "core/io/atomic_file.h"
#include "core/io/csv.h"
#include "core/io/table.h"
#include "core/state_visitor.h"

namespace dynalab {

namespace {
constexpr size_t kRecentUpdates = 4000;  // enough for n = 50 over the ~60 ticks a flash lasts

/// States whose action values are not all equal: the cells the policy arrows mark.
int policy_states(const TabularAgent& agent) {
  const auto& q = agent.q_table();
  const int n_actions = agent.model().n_actions();
  int n = 0;
  for (size_t s = 0; s + n_actions <= q.size(); s += n_actions) {
    const auto [lo, hi] = std::minmax_element(q.begin() + s, q.begin() + s + n_actions);
    n += *lo != *hi;
  }
  return n;
}

/// "1 : 50", the real : model update ratio so far ("-" before any update; "0 : N" when strict).
std::string update_ratio(int64_t real, int64_t planning) {
  if (real == 0 && planning == 0) return "-";
  if (real == 0) return "0 : " + std::to_string(planning);
  return "1 : " + format_number(std::round(10.0 * double(planning) / double(real)) / 10);
}
}  // namespace

DynaAgent::DynaAgent(const TabularSettingsConfig& cfg, const Env& env, const RunSeed& seed)
    : agent_(env.observation_space().n, env.action_space().n, cfg.agent, seed.rng()) {}

Vec DynaAgent::act(const Vec& obs) { return Vec::Constant(1, agent_.act(int(obs[0]))); }

void DynaAgent::observe(const Transition& t, bool) {
  const auto& updates =
      agent_.learn(int(t.obs[0]), int(t.action[0]), t.reward, int(t.next_obs[0]), t.terminated);
  for (const QUpdate& u : updates) recent_.push_back({agent_.time(), u, u.planning});
  while (recent_.size() > kRecentUpdates) recent_.pop_front();
}

void DynaAgent::begin_episode(int, const Vec&) {
  episode_start_real_ = agent_.real_updates();
  episode_start_planning_ = agent_.planning_updates();
}

std::vector<double> DynaAgent::episode_metrics() const {
  return {double(agent_.real_updates() - episode_start_real_),
          double(agent_.planning_updates() - episode_start_planning_), double(policy_states(agent_)),
          agent_.model().aliased_fraction()};
}

void DynaAgent::end_episode(const Trajectory& episode) {
  terminated_at_end_.push_back((terminated_at_end_.empty() ? 0.0 : terminated_at_end_.back()) +
                               (episode.terminated ? 1 : 0));
  updates_at_end_.push_back(double(agent_.real_updates() + agent_.planning_updates()));
  aliased_at_end_.push_back(agent_.model().aliased_fraction());
}

void DynaAgent::add_figures(std::vector<Figure>& figures, const AgentClock&) const {
  Figure f{"q_updates", "Q updates so far (real + planning)", "episode", "updates", {}, true};
  auto& s = f.series_named("updates");
  for (size_t k = 0; k < updates_at_end_.size(); ++k) {
    s.x.push_back(double(k + 1));
    s.y.push_back(updates_at_end_[k]);
  }
  // The episode in progress, so far (none between an episode's end and the next one's first step).
  const double now = double(agent_.real_updates() + agent_.planning_updates());
  if (now > (updates_at_end_.empty() ? 0.0 : updates_at_end_.back())) {
    s.x.push_back(double(updates_at_end_.size() + 1));
    s.y.push_back(now);
  }
  figures.push_back(std::move(f));
  if (!terminated_at_end_.empty() && terminated_at_end_.back() < double(terminated_at_end_.size())) {
    Figure t{"terminated_episodes", "Episodes ended by the MDP (not timed out), so far", "episode",
             "terminated episodes", {}, false};
    auto& ts = t.series_named("terminated");
    for (size_t k = 0; k < terminated_at_end_.size(); ++k) {
      ts.x.push_back(double(k + 1));
      ts.y.push_back(terminated_at_end_[k]);
    }
    figures.push_back(std::move(t));
  }
  if (std::none_of(aliased_at_end_.begin(), aliased_at_end_.end(), [](double a) { return a > 0; })) return;
  Figure a{"model_aliasing", "Model pairs whose next state changed", "episode", "% of tried pairs", {}, false};
  auto& as = a.series_named("aliased pairs");
  for (size_t k = 0; k < aliased_at_end_.size(); ++k) {
    as.x.push_back(double(k + 1));
    as.y.push_back(100 * aliased_at_end_[k]);
  }
  figures.push_back(std::move(a));
}

void DynaAgent::publish(Snapshot& s) const {
  auto v = std::make_shared<QTableView>();
  v->n_states = s.world->observation_space().n;
  v->n_actions = s.world->action_space().n;
  v->q = agent_.q_table();
  for (const auto& e : agent_.model().entries())
    v->model.push_back({e.state, e.action, e.next_state, e.reward, e.visits, e.outcome_changes});
  // Every tick of this family is one real step: an update made k steps ago is k ticks old.
  for (const auto& r : recent_)
    v->recent_updates.push_back({s.tick - (agent_.time() - r.time), r.update.state, r.update.action, r.update.delta, r.planning});
  for (double state : s.trajectory.obs) v->path.push_back(int(state));  // obs_dim 1: the state index
  v->real_updates = agent_.real_updates();
  v->planning_updates = agent_.planning_updates();
  v->aliased_fraction = agent_.model().aliased_fraction();
  v->algorithm = agent_.config().algorithm;
  v->planning_steps = agent_.config().planning_steps;
  s.stats.push_back({"real updates", std::to_string(v->real_updates)});
  s.stats.push_back({"planning updates", std::to_string(v->planning_updates)});
  s.stats.push_back({"real : model updates", update_ratio(v->real_updates, v->planning_updates)});
  s.stats.push_back({"learning", agent_.config().strict || v->algorithm == "prioritized_sweeping"
                                     ? "strict (Q from the model only)"
                                     : v->algorithm == "q_learning" ? "model-free" : "hybrid (real + model)"});
  s.stats.push_back({"model pairs known", std::to_string(v->model.size())});
  s.stats.push_back({"aliased pairs", format_number(std::round(1000 * v->aliased_fraction) / 10) + "%"});
  s.q_table = std::move(v);
}

void DynaAgent::write_outputs(const std::filesystem::path& dir) const {
  Table model({"state", "action", "visits", "outcome_changes", "next_state", "reward"});
  for (const auto& e : agent_.model().entries())
    model.add_row({e.state, e.action, e.visits, e.outcome_changes, e.next_state, e.reward});
  model.write_csv(dir / "model.csv");
}

void DynaAgent::apply_live(const AgentSettings& settings, const LiveEdit&) {
  agent_.set_config(static_cast<const ConfigSettings<TabularSettingsConfig>&>(settings).cfg.agent);
}

void DynaAgent::visit_state(StateVisitor& v, const Env&, const Vec&) {
  v.section("learner", [&](StateVisitor& lv) { agent_.visit_state(lv); });
  v.field("episode_start_real_updates", episode_start_real_);
  v.field("episode_start_planning_updates", episode_start_planning_);
  v.field("updates_at_episode_end", updates_at_end_);
  v.field("aliased_fraction_at_episode_end", aliased_at_end_);
  v.field("terminated_at_episode_end", terminated_at_end_);
  if (v.loading()) recent_.clear();
}

AgentFamily tabular_family() {
  AgentFamily f;
  f.name = "tabular";
  f.description = "tabular agents (Q-learning, Dyna-Q, Dyna-Q+, prioritized sweeping) on a discrete env";
  f.category = "tabular";
  f.default_episodes = 50;
  f.default_env = "grid_world";
  f.agents = {
      {"tabular", "q_learning", "one-step tabular Q-learning (Dyna-Q with n = 0, no model)", "tabular"},
      {"tabular", "dyna_q", "Dyna-Q: n uniform planning updates from the learned model per real step", "tabular"},
      {"tabular", "dyna_q_plus", "Dyna-Q+: planning reward r + kappa sqrt(tau) rewards trying old actions", "tabular"},
      {"tabular", "prioritized_sweeping", "planning updates ordered by priority |TD error|, swept backwards", "tabular"},
  };
  f.read = read_settings<SettingsFor<TabularSettingsConfig, DynaAgent>, TabularSettingsConfig>;
  f.visit_fields = visit_config_json<TabularSettingsConfig>;
  f.check_env = [](const Env& env, ConfigNode& env_node) {
    if (!env.observation_space().is_discrete() || !env.action_space().is_discrete())
      env_node.fail("name", "an env with discrete observations and actions for a tabular agent (got '" + env.name() +
                                "'; wrap a physics env with the discretiser)");
  };
  return f;
}

}  // namespace dynalab
