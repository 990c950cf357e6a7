#pragma once
// The "gps" family: mirror-descent guided policy search (mdgps.h) on the agent seam. Every rollout
// is a real episode of the experiment; one iteration is conditions x (samples + 1) episodes:
//   episodes 0 .. M N - 1:   N rollouts of each local controller (condition m = slot / N),
//                            u ~ N(K_t x + k_t, C_t) with noise from Rng::derive(seed, {run, 10, episode})
//                            (with gps.sample_on_policy, from the second iteration on, the global
//                            policy's mean plus its noise);
//   then think ticks:        fit, C-step, S-step (Mdgps::work);
//   episodes M N .. M N + M - 1: one noise-free rollout of the global policy's mean per condition.
// So `episodes` = iterations x conditions x (samples + 1); a run that stops inside an iteration
// leaves it unprocessed. Condition m starts every episode from the same reset seed
// Rng::derive(seed, {run, 14, m}).next_u64() (Agent::episode_reset_seed), so its start state is
// fixed; episodes must last T = the env's max_episode_steps (an episode that terminates earlier is
// an InputError: the local models are per time step).
//
// Costs are -reward (the env's closed-form reward, Env::reward: the family needs one, and a
// bounded box action space). Commanded actions (before the env clips them) are what the local
// models and the controllers see.
//
// Outputs (write_outputs; metrics.csv and trajectories.csv are the experiment's):
//   gps_iterations.csv   run,iteration,condition,local_cost,global_cost,kl,kl_target,eta,step_mult,
//                        predicted_improvement,actual_improvement,final_distance,global_final_distance
//     local_cost: mean cost (-return) of the condition's N rollouts of the iteration; global_cost:
//     the global policy's rollout after the iteration's S-step; kl and kl_target: the C-step's
//     KL(p_new || pi_theta's linearisation) and its bound kl_step * step_mult * T, nats; eta: its
//     Lagrange multiplier; predicted/actual_improvement: the step adjustment's Laplace estimates
//     (NaN at iteration 0); final_distance: mean over the N rollouts of |obs[distance_dims]| at
//     the last step (reacher: the tip's distance to the target, m); global_final_distance: the
//     same for the global policy's rollout. Empty cells are NaN ("nan").
// Own metric columns per episode: iteration, condition, policy_rollout (1 for the global
// policy's), final_distance. The snapshot's LocalControllerView (core/views.h) holds the same per
// iteration with the rollouts' and nominal trajectories.

#include <map>
#include <memory>

#include "core/agent.h"
#include "core/agents/gps/mdgps.h"
#include "core/agents/registry.h"

namespace dynalab {

struct GpsAgentConfig {
  MdgpsConfig gps;

  template <class V>
  void visit(V& v) {
    v.section("gps", gps);
  }
};

/// Every run's iteration records, for gps_iterations.csv (shared by the runs' agents).
struct GpsRunRecords {
  std::map<int, std::vector<std::shared_ptr<const LocalControllerView::Iteration>>> runs;
};

class GpsAgent : public Agent {
 public:
  /// Throws InputError if gps.distance_dims names a dim the env does not have.
  GpsAgent(const GpsAgentConfig& cfg, const Env& env, const RunSeed& seed, std::shared_ptr<GpsRunRecords> records);
  bool thinking() const override { return algo_.busy(); }
  void think(const Env& real, const Vec& obs, const AgentClock& clock) override;
  std::optional<uint64_t> episode_reset_seed(int episode) const override;
  void begin_episode(int episode, const Vec& obs) override;
  Vec act(const Vec& obs) override;
  void observe(const Transition& t, bool truncated) override;
  void end_episode(const Trajectory& episode) override;
  std::vector<std::string> metric_columns() const override;
  std::vector<double> episode_metrics() const override;
  void add_figures(std::vector<Figure>& figures, const AgentClock& clock) const override;
  void publish(Snapshot& s) const override;
  void write_outputs(const std::filesystem::path& dir) const override;
  /// gps.kl_step (the only live field): the next C-step's KL bound.
  void apply_live(const AgentSettings& settings, const LiveEdit& edit) override;
  void visit_state(StateVisitor& v, const Env& real, const Vec& obs) override;

  const Mdgps& algorithm() const { return algo_; }
  /// Where episode `episode` falls: its iteration, condition and whether it is the global
  /// policy's rollout.
  struct Slot {
    int iteration = 0, condition = 0;
    bool policy = false;
  };
  Slot slot(int episode) const;

 private:
  void share_records();
  /// gps_improvement (predicted vs actual cost decrease) and gps_kl (the C-step's KL and bound).
  void add_step_figures(std::vector<Figure>& figures) const;

  GpsAgentConfig cfg_;
  RunSeed seed_;
  std::string env_name_;
  Mdgps algo_;
  std::shared_ptr<GpsRunRecords> shared_;
  // The episode in progress.
  int episode_ = 0;
  Slot slot_;
  GpsRollout current_;
  Rng noise_;
};

/// The "gps" family for core/agents/registry.cpp.
AgentFamily gps_family();

}  // namespace dynalab
