#pragma once
// Value iteration networks on the agent seam (family "vin"; Tamar, Wu, Thomas, Levine & Abbeel,
// "Value Iteration Networks", NIPS 2016; hyperparameters and data as
// kentsommer/pytorch-value-iteration-networks). On the obstacle_map env (envs/obstacle_map_env.h).
//
// Ticks: first the agent thinks. Tick 1 builds the datasets: train_maps training and test_maps
// held-out maps of the env (a copy reset with the agent's own seeds), `trajectories` expert
// shortest paths per map. Every later thinking tick trains `batches_per_tick` batches (about
// batch_size samples each, whole maps: the VI module runs once per map) of the VIN and, with
// `compare`, of the reactive baseline on the same batches; each epoch ends with the held-out
// action accuracy and rollout success of each network. After `epochs` epochs the agent acts: each
// env episode is a new held-out map (from the experiment's reset seeds), and the acting network
// (`network`) moves greedily on it.
//
// metrics.csv columns after the experiment's (steps, env_steps, return, terminated; terminated
// is the success of test.py: the env cuts an episode after rollout_budget(n) = 2 n + 1 moves, n
// the expert's moves, so it terminates only if the goal was reached within that budget):
//   length_ratio         the path's length over the expert's (1 = optimal; 0 when it failed)
//   expert_steps         n
//   test_accuracy        the acting network's held-out action accuracy, % (the reference's
//                        "test accuracy": argmax = the expert's action on held-out maps' samples)
//   rollout_success      the acting network's success on the held-out maps, %, one rollout per
//                        map from its first trajectory's start (test.py's "success rate")
//   baseline_test_accuracy, baseline_rollout_success   the same for the other network (compare)
// Figures: test_accuracy (per epoch, each network), training_error (per epoch, each network).
// The VinView (core/views.h) shows the VI module on the map on screen.

#include <memory>
#include <vector>

#include "core/agent.h"
#include "core/agents/registry.h"
#include "core/agents/vin/grid_policy.h"
#include "core/agents/vin/vin_dataset.h"

namespace dynalab {

struct VinConfig {
  std::string network = "vin";  ///< the network that acts: vin | reactive
  bool compare = true;          ///< also train the other one on the same batches
  int k = 10;                   ///< value iterations (kentsommer: 10 for 8x8, 20 for 16x16)
  int l_h = 150, l_q = 10;      ///< channels of h and q
  double lr = 0.005;            ///< VIN RMSprop step (0.005 for 8x8, 0.002 larger)
  int epochs = 30;
  int batch_size = 128;         ///< samples per batch (whole maps: a batch has at least this many)
  int train_maps = 5000, test_maps = 833;  ///< kentsommer: n_domains 5000, and a sixth of it to test
  int trajectories = 7;         ///< expert trajectories per map
  std::vector<int> reactive_hidden = {256, 256};
  double reactive_lr = 0.001;   ///< the reactive MLP's RMSprop step
  int batches_per_tick = 10;    ///< training batches per thinking tick (GUI granularity)

  template <class V>
  void visit(V& v) {
    v.choice("network", network, {"vin", "reactive"}, Apply::on_reset,
             "the network that acts: the VIN or the reactive MLP baseline");
    v.field("compare", compare, Apply::on_reset, "also train the other network on the same batches (its path is drawn too)");
    v.field("k", k, Range::closed(1, 200), Apply::on_reset, "value iterations K of the VI module");
    v.field("l_h", l_h, Range::closed(1, 1024), Apply::on_reset, "channels of the first conv layer h");
    v.field("l_q", l_q, Range::closed(1, 64), Apply::on_reset, "channels of q (~actions) in the VI module");
    v.field("lr", lr, Range::positive(), Apply::live, "the VIN's RMSprop step size");
    v.field("epochs", epochs, Range::closed(0, 1000), Apply::on_reset, "passes over the training maps");
    v.field("batch_size", batch_size, Range::closed(1, 1e6), Apply::on_reset,
            "samples per batch, made of whole maps (at least this many)");
    v.field("train_maps", train_maps, Range::closed(1, 1e6), Apply::on_reset, "training maps");
    v.field("test_maps", test_maps, Range::closed(1, 1e6), Apply::on_reset, "held-out maps for the accuracy and rollouts");
    v.field("trajectories", trajectories, Range::closed(1, 1000), Apply::on_reset,
            "expert trajectories per map (random start cells)");
    v.field("reactive_hidden", reactive_hidden, Range::closed(1, 4096), Apply::on_reset,
            "hidden widths of the reactive MLP baseline");
    v.field("reactive_lr", reactive_lr, Range::positive(), Apply::live, "the reactive MLP's RMSprop step size");
    v.field("batches_per_tick", batches_per_tick, Range::closed(1, 1e6), Apply::live,
            "training batches per thinking tick");
  }
};

/// The family's fields: the "vin" section of the experiment file.
struct VinSettingsConfig {
  VinConfig vin;
  template <class V>
  void visit(V& v) {
    v.section("vin", vin);
  }
};

class VinAgent : public Agent {
 public:
  VinAgent(const VinSettingsConfig& cfg, const Env& env, const RunSeed& seed);

  bool thinking() const override { return !trained_; }
  void think(const Env& real, const Vec& obs, const AgentClock& clock) override;
  void before_step(const Env& real, const Vec& obs) override;
  Vec act(const Vec& obs) override;
  void observe(const Transition& t, bool truncated) override;
  void begin_episode(int episode, const Vec& obs) override;
  std::vector<std::string> metric_columns() const override;
  std::vector<double> episode_metrics() const override;
  void add_figures(std::vector<Figure>& figures, const AgentClock& clock) const override;
  void publish(Snapshot& s) const override;
  void apply_live(const AgentSettings& settings, const LiveEdit& edit) override;
  void visit_state(StateVisitor& v, const Env& real, const Vec& obs) override;

  /// The acting network and the baseline (null without compare).
  const GridPolicy& acting() const { return *nets_[0]; }
  const GridPolicy* baseline() const { return nets_.size() > 1 ? nets_[1].get() : nullptr; }
  /// Held-out action accuracy and rollout success (%) of net i after the latest epoch.
  double test_accuracy(size_t i) const { return accuracy_.empty() ? -1 : accuracy_[i].empty() ? -1 : accuracy_[i].back(); }
  double rollout_success(size_t i) const { return success_[i]; }

 private:
  void build_data(const Env& real);
  void train_batch();
  void evaluate();
  const VinPolicy* vin_policy() const;

  VinConfig cfg_;
  std::unique_ptr<Env> prototype_;  // a copy of the env for the datasets' maps
  Rng rng_, data_rng_;
  std::vector<std::unique_ptr<GridPolicy>> nets_;  // [acting, baseline]
  std::vector<MapSamples> train_, test_;
  bool have_data_ = false, trained_ = false;
  int epoch_ = 0;
  std::vector<int> order_, batch_ends_;  // this epoch's training maps in order; where each batch ends
  size_t next_batch_ = 0;
  std::vector<double> loss_sum_, correct_;  // this epoch, per net
  double seen_ = 0;
  std::vector<std::vector<double>> accuracy_, train_error_;  // per net, per epoch
  std::vector<double> success_;  // per net: held-out rollout success after the latest epoch
  // The episode on screen.
  GridLayout map_;
  std::vector<int> actions_;  // the acting network's greedy action per cell
  bool new_episode_ = true;
  int ep_steps_ = 0, ep_start_ = 0, expert_moves_ = 0;
  double ep_length_ = 0, expert_length_ = 0;
  bool ep_reached_ = false;
};

/// The "vin" family for core/agents/registry.cpp.
AgentFamily vin_family();

}  // namespace dynalab
