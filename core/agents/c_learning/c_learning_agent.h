#pragma once
// The "c_learning" family: C-learning (Eysenbach, Salakhutdinov & Levine 2020, "C-Learning:
// Learning to Achieve Goals via Recursive Classification"; lecture deck 001, "Continuous
// successor representations" and "The C-Learning algorithm") on a continuous env, here the 2-D
// point mass of the obstacles task. The successor representation of a continuous state is
// "always zero for any sampled state", so a classifier C(s, a, s_f) learns instead whether s_f
// is a discounted future state of (s, a) or a draw from the marginal; its odds times the
// marginal's density are the future-state density (future_classifier.h).
//
// The run:
//   1. Data: `data_episodes` warm-up episodes of a FIXED behaviour policy: a random force that
//      is kept from one step to the next with probability `action_hold` and otherwise drawn anew,
//      uniformly in the action box (so the puck coasts and wanders over the arena instead of
//      jittering in place; the policy is Markov in (s, a), which is what C(s, a, s_f) conditions
//      on). The deck: "This is an on policy algorithm": the density is the behaviour policy's.
//      Each real episode afterwards adds another such episode. During the warm-up the agent
//      keeps, for each point of `query_points`, the visited real state (Env::get_state) whose
//      future dims lie nearest to it, with the action taken there: the query pairs (s, a), real
//      states of the data placed where the lecture wants to look.
//   2. Before each real episode: `train_steps` Adam steps of the classifier on batches of
//      `batch_size` positives (s_f = s_{t+Delta}, Delta ~ Geom(1 - gamma), future_replay.h) and
//      as many negatives (s_f from the replay marginal); with method "td" the off-policy
//      version instead (next-state positives weighted 1 - gamma, bootstrapped marginal draws
//      weighted gamma w(s', a', s_f), w = C/(1 - C) under stop-gradient, clipped at w_max).
//   3. Then an evaluation: for each query, the predicted density over (x, y) on a grid,
//      p(s_f | s, a) ~ exp(z(s, a, cell centre)) * p(s_f)(cell), against a Monte Carlo
//      histogram of the discounted future states of `mc_rollouts` real rollouts from (s, a)
//      (Env::clone + set_state, the same geometric Delta, the behaviour policy after a, stepping
//      past the episode's step limit; computed once per run: monte_carlo_futures.h);
//      KL(MC || predicted) and the baseline's KL(MC || p(s_f)) (histogram_kl), p(s_f) the replay
//      marginal as a histogram with `marginal_pseudo_count` per cell (grid_histogram).
//
// Own metric columns per episode: gradient_steps, loss (mean cross-entropy of the last training
// chunk), kl_c_learning and kl_marginal (means over the queries, nats), kl_ratio
// (kl_marginal / kl_c_learning: the bar is >= 2).
// Outputs: c_learning_kl.csv     run,gradient_steps,query,kl_c_learning,kl_marginal   (query -1: mean)
//          future_density.csv    run,query,cell,x,y,monte_carlo,predicted,marginal     (last evaluation,
//                                probability per cell)
//          figures/future_density_query<k>.svg  (k = 1, 2, ...: the last evaluation's three maps
//                                of query k, density per m^2 with colour bars; this run's agent)

#include <array>
#include <memory>

#include "core/agent.h"
#include "core/agents/c_learning/future_classifier.h"
#include "core/agents/c_learning/future_replay.h"
#include "core/agents/c_learning/monte_carlo_futures.h"
#include "core/agents/registry.h"
#include "core/heatmap.h"

namespace dynalab {

/// The family's fields (section "c_learning").
struct CLearningConfig {
  double gamma = 0.9;                  ///< discount of the future-state distribution
  double action_hold = 0.9;            ///< behaviour: probability of keeping the previous action
  std::string method = "monte_carlo";  ///< monte_carlo (on-policy) | td (off-policy, bootstrapped)
  std::vector<int> hidden = {128, 128};
  std::string activation = "silu";
  double learning_rate = 1e-3;
  int batch_size = 256;       ///< anchors per step: as many positives and negatives
  double w_max = 20;          ///< td: clip of the bootstrapped odds w
  int data_episodes = 40;     ///< behaviour-policy episodes collected before training
  int train_steps = 400;      ///< gradient steps before each real episode (then an evaluation)
  int steps_per_tick = 20;    ///< gradient steps per tick (the GUI stays responsive)
  /// Where the queries are taken: per query (x, y) in the future dims, flattened.
  std::vector<double> query_points = {5.3, 3.5, 2.0, 6.0, 5.0, 8.0};
  int mc_rollouts = 2000;     ///< real rollouts per query for the Monte Carlo histogram
  int grid_cells = 20;        ///< cells per axis of the density grid
  double marginal_pseudo_count = 0.5;  ///< added to every cell's count of the marginal histogram
  std::vector<int> future_dims = {0, 1};  ///< observation dims of s_f (the point mass's x, y)
  int view_query = 0;         ///< the query the view shows

  template <class V>
  void visit(V& v) {
    v.field("gamma", gamma, Range{0, 1, false, true}, Apply::on_reset,
            "discount: P(Delta = k) = (1 - gamma) gamma^(k-1)");
    v.field("action_hold", action_hold, Range{0, 1, false, true}, Apply::on_reset,
            "behaviour policy: probability of keeping the previous action (0: i.i.d. uniform)");
    v.choice("method", method, {"monte_carlo", "td"}, Apply::on_reset,
             "monte_carlo: positives s_{t+Delta} (on-policy); td: bootstrapped (off-policy)");
    v.field("hidden", hidden, Range::closed(1, 4096), Apply::on_reset, "hidden widths of the classifier");
    v.choice("activation", activation, activation_names(), Apply::on_reset, "hidden activation");
    v.field("learning_rate", learning_rate, Range{0, 1, true, false}, Apply::live, "Adam step size");
    v.field("batch_size", batch_size, Range::closed(1, 65536), Apply::on_reset,
            "anchors per step (as many positives and negatives)");
    v.field("w_max", w_max, Range::positive(), Apply::on_reset, "td: clip of the bootstrapped odds");
    v.field("data_episodes", data_episodes, Range::closed(1, 1e6), Apply::on_reset,
            "behaviour-policy episodes before training");
    v.field("train_steps", train_steps, Range::closed(0, 1e7), Apply::on_reset,
            "gradient steps before each real episode");
    v.field("steps_per_tick", steps_per_tick, Range::closed(1, 1e6), Apply::live, "gradient steps per tick");
    v.field("query_points", query_points, Range{}, Apply::on_reset,
            "x, y per query: each query is the visited state nearest to its point");
    v.field("mc_rollouts", mc_rollouts, Range::closed(1, 1e7), Apply::on_reset,
            "real rollouts per query (Monte Carlo histogram)");
    v.field("grid_cells", grid_cells, Range::closed(2, 200), Apply::on_reset, "density grid cells per axis");
    v.field("marginal_pseudo_count", marginal_pseudo_count, Range::positive(), Apply::on_reset,
            "added to every cell's count of the marginal histogram");
    v.field("future_dims", future_dims, Range::closed(0, 1000), Apply::on_reset,
            "the two observation dims of s_f");
    v.field("view_query", view_query, Range::closed(0, 99), Apply::live, "the query the view shows");
    if constexpr (requires { v.fail(std::string(), std::string()); }) {  // reading a file: name it
      if (query_points.empty() || query_points.size() % 2 != 0)
        v.fail("query_points", "x, y pairs (got " + std::to_string(query_points.size()) + " numbers)");
      if (future_dims.size() != 2)
        v.fail("future_dims", "two observation dims (got " + std::to_string(future_dims.size()) + ")");
    }
  }
};

struct CLearningAgentConfig {
  CLearningConfig c_learning;
  template <class V>
  void visit(V& v) {
    v.section("c_learning", c_learning);
  }
};

/// What every run's agent appends for the output files.
struct CLearningRows {
  struct Kl {
    int run = 0;
    int64_t gradient_steps = 0;
    int query = -1;
    double kl_c_learning = 0, kl_marginal = 0;
  };
  std::vector<Kl> kl;
  /// The last evaluation's densities per run: run -> rows of (query, cell, mc, predicted, marginal).
  struct Density {
    int run = 0, query = 0, cell = 0;
    double x = 0, y = 0, monte_carlo = 0, predicted = 0, marginal = 0;
  };
  std::vector<Density> density;
};

class CLearningAgent : public Agent {
 public:
  CLearningAgent(const CLearningAgentConfig& cfg, const Env& env, const RunSeed& seed,
                 std::shared_ptr<CLearningRows> rows);
  bool thinking() const override { return train_remaining_ > 0; }
  void think(const Env& real, const Vec& obs, const AgentClock& clock) override;
  Vec act(const Vec& obs) override;
  void before_step(const Env& real, const Vec& obs) override;
  bool warming_up() const override { return warmup_episodes_ < cfg_.c_learning.data_episodes; }
  void observe(const Transition& t, bool truncated) override;
  void begin_episode(int episode, const Vec& obs) override;
  std::vector<std::string> metric_columns() const override;
  std::vector<double> episode_metrics() const override;
  void add_figures(std::vector<Figure>& figures, const AgentClock& clock) const override;
  void publish(Snapshot& s) const override;
  void apply_live(const AgentSettings& settings, const LiveEdit& edit) override;
  void write_outputs(const std::filesystem::path& dir) const override;
  void visit_state(StateVisitor& v, const Env& real, const Vec& obs) override;

  /// One query pair: the real env's state, its observation and the action taken.
  struct Query {
    std::vector<double> state;
    Vec obs, action;
  };
  const std::vector<Query>& queries() const { return queries_; }
  const FutureReplay& replay() const { return replay_; }
  const FutureClassifier& classifier() const { return classifier_; }
  /// The density grid over the future dims (nx x ny cells; its values unused).
  const Heatmap& grid() const { return grid_; }
  /// The behaviour policy: `previous` kept with probability action_hold (always redrawn when
  /// empty, at an episode's start), else a uniform draw in the action box.
  Vec behaviour(const Vec& previous, Rng& rng) const;
  /// Evaluates now (the Monte Carlo histograms first if not yet computed) against `real`.
  void evaluate(const Env& real);
  /// Mean KLs over the queries at the latest evaluation (NaN before).
  double kl_c_learning() const { return kl_pred_mean_; }
  double kl_marginal() const { return kl_marg_mean_; }

 private:
  void gradient_step();
  /// Fills row r of X with [s, a, s_f] (s_f: the future dims of observation row `f`).
  void fill_row(Eigen::MatrixXd& X, int r, const double* s, const double* a, const double* f) const;
  void fit_normalisation();
  /// Query q's three densities as heat maps (density per m^2, one colour range): the
  /// prediction, the Monte Carlo histogram and the marginal, for the view and the SVG figure.
  std::array<Heatmap, 3> density_maps(int q) const;

  CLearningAgentConfig cfg_;
  const CLearningConfig& c() const { return cfg_.c_learning; }
  RunSeed seed_;
  int obs_dim_ = 0, action_dim_ = 0;
  Vec action_lo_, action_hi_;
  std::array<int, 2> dims_{0, 1};
  std::array<int, 2> velocity_dims_{-1, -1};  // observation dims named vx, vy (-1: none)
  Heatmap grid_;
  Rng act_rng_, train_rng_, mc_rng_;
  FutureReplay replay_;
  FutureClassifier classifier_;
  std::shared_ptr<CLearningRows> rows_;

  int warmup_episodes_ = 0;   // finished warm-up episodes
  int episode_step_ = 0;      // steps of the episode in progress
  Vec previous_action_;       // the behaviour policy's last action this episode (empty: none)
  int capture_ = -1;          // the query the next act() completes (-1: none)
  std::vector<double> query_distance_;  // per query: distance of its state to its point
  std::vector<Query> queries_;
  int train_remaining_ = 0;
  int64_t gradient_steps_ = 0;
  bool normalised_ = false;
  double loss_sum_ = 0;
  int loss_count_ = 0;
  double last_loss_ = std::numeric_limits<double>::quiet_NaN();

  // Evaluation.
  std::vector<std::vector<double>> mc_;         // per query: probability per cell
  std::vector<double> marginal_;                // probability per cell
  std::vector<std::vector<double>> predicted_;  // per query
  std::vector<double> kl_pred_, kl_marg_;       // per query
  double kl_pred_mean_ = std::numeric_limits<double>::quiet_NaN();
  double kl_marg_mean_ = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> curve_steps_, curve_pred_, curve_marg_;  // over evaluations
};

/// The "c_learning" family for core/agents/registry.cpp.
AgentFamily c_learning_family();

}  // namespace dynalab
