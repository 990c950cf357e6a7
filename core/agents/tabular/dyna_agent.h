#pragma once
// The tabular family on the agent seam (family "tabular"): Q-learning, Dyna-Q, Dyna-Q+
// and prioritized sweeping (TabularAgent, core/agents/tabular/tabular_agent.h) on an env with discrete
// observations and actions (grid worlds, discretised physics worlds). Every tick is one real
// env step with its direct update and its planning updates. It publishes a QTableView.
//
// metrics.csv columns: steps, env_steps, return, terminated (the experiment's), then per episode
//   real_updates      direct Q updates from real transitions in the episode (0 when strict)
//   planning_updates  Q updates from the model in the episode (n per real step for Dyna-Q)
//   policy_states     states whose Q values are not all equal at the episode's end: the cells
//                     that show a policy arrow (the spread of what the agent knows)
//   aliased_fraction  share of the model's tried pairs whose next state has changed (0 in a
//                     deterministic world; stochastic or aliased pairs in truth)
// Figures: q_updates, the Q updates so far (direct + planning) at the end of each episode of the
// run and in the episode in progress, log scale (Dyna-Q's first blind episode alone costs n x its length); model_aliasing, the
// aliased_fraction in percent at each episode's end (only once it is above 0: a deterministic
// world would show a flat line at 0); terminated_episodes, how many episodes of the run the MDP
// has ended so far (the goal, the flag; a fall on the cart-pole), shown once an episode has been
// cut off by the time limit (in a maze every episode terminates and the line would say nothing).
//
// Outputs (write_outputs):
//   model.csv  state,action,visits,outcome_changes,next_state,reward  the learned model of the
//              last run: how often each (s, a) led to a different next state than the stored
//              one (0 in a deterministic world; aliasing on a discretised physics world).

#include <deque>

#include "core/agent.h"
#include "core/agents/registry.h"
#include "core/agents/tabular/tabular_agent.h"
#include "core/snapshot.h"

namespace dynalab {

/// The family's fields: the "agent" section of the experiment file.
struct TabularSettingsConfig {
  TabularConfig agent;

  template <class V>
  void visit(V& v) {
    v.section("agent", agent);
  }
};

class DynaAgent : public Agent {
 public:
  DynaAgent(const TabularSettingsConfig& cfg, const Env& env, const RunSeed& seed);

  Vec act(const Vec& obs) override;
  void observe(const Transition& t, bool truncated) override;
  std::vector<std::string> metric_columns() const override {
    return {"steps",        "env_steps",        "return",        "terminated",
            "real_updates", "planning_updates", "policy_states", "aliased_fraction"};
  }
  std::vector<double> episode_metrics() const override;
  void begin_episode(int episode, const Vec& obs) override;
  void end_episode(const Trajectory& episode) override;
  void add_figures(std::vector<Figure>& figures, const AgentClock& clock) const override;
  EpisodeCurve episode_curve() const override { return EpisodeCurve::steps_per_episode; }
  void publish(Snapshot& s) const override;
  void write_outputs(const std::filesystem::path& dir) const override;
  void apply_live(const AgentSettings& settings, const LiveEdit& edit) override;
  void visit_state(StateVisitor& v, const Env& real, const Vec& obs) override;

  const TabularAgent& learner() const { return agent_; }

 private:
  struct Recent {
    int64_t time;  ///< agent time (real steps of the run) of the step that made it
    QUpdate update;
    bool planning;
  };
  TabularAgent agent_;
  int64_t episode_start_real_ = 0, episode_start_planning_ = 0;  // the counters when the episode began
  std::vector<double> updates_at_end_;  // real + planning updates so far at each finished episode's end
  std::vector<double> aliased_at_end_;  // the model's aliased_fraction at each finished episode's end
  std::vector<double> terminated_at_end_;  // episodes the MDP ended so far, at each finished episode's end
  std::deque<Recent> recent_;  // decoration for the GUI; not saved in sessions
};

/// The "tabular" family for core/agents/registry.cpp.
AgentFamily tabular_family();

}  // namespace dynalab
