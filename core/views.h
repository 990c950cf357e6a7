#pragma once
// Views: what a snapshot (core/snapshot.h) shows besides its common part, named by what they
// show, not by the family that publishes them. An agent publishes the views it has; the GUI and
// the CLI read whichever are there, so a new family needs no new drawing code for them.
// Plain data, immutable once published (the snapshot holds them as shared_ptr<const ...>).

#include <Eigen/Core>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "core/dataset.h"
#include "core/heatmap.h"
#include "core/models/learned_model.h"
#include "core/planning/plan_trace.h"
#include "core/space.h"

namespace dynalab {


/// A table of action values over discrete states, the tabular model behind it and what changed
/// it lately (tabular Dyna: the heat map, policy arrows, planning flashes, the path).
struct QTableView {
  int n_states = 0, n_actions = 0;
  std::vector<double> q;  ///< n_states * n_actions, Q(s, a) at q[s * n_actions + a]
  /// One (s, a) pair of the learned tabular model.
  struct ModelPair {
    int state = -1, action = -1, next_state = -1;
    double reward = 0;
    int64_t visits = 0;           ///< real transitions observed from (s, a)
    int64_t outcome_changes = 0;  ///< times the observed next state differed from the stored one
  };
  std::vector<ModelPair> model;  ///< the learned model's entries
  /// One change of Q(s, a).
  struct Update {
    int64_t tick = 0;  ///< the tick in which it happened (fade by age)
    int state = 0, action = 0;
    double delta = 0;  ///< change of Q(s, a)
    bool planning = false;
  };
  std::vector<Update> recent_updates;  ///< updates of the last few ticks, newest last
  std::vector<int> path;               ///< states visited this episode, in order
  int64_t real_updates = 0, planning_updates = 0;
  double aliased_fraction = 0;  ///< model pairs whose outcome changed (stochastic in truth)
  std::string algorithm;        ///< q_learning, dyna_q, ...
  int planning_steps = 0;       ///< n: planning updates per real step
};

/// A successor representation over the cells of a grid world (deck 001; core/agents/successor/):
/// the learned M and its closed form under the same policy, both n_states square (the goal
/// absorbing), every row summing to 1. M(s, i): the discounted share of the future spent in cell i
/// starting from s ("where will I be?").
struct SuccessorView {
  int n_states = 0;
  Eigen::MatrixXd learned;  ///< M_pi as learned by TD
  /// (1 - gamma)(I - gamma P_pi)^-1 from the world's true transitions now (empty: not probed).
  Eigen::MatrixXd exact;
  int row = -1;                 ///< the state whose row the GUI shows (the agent's cell)
  std::vector<double> reward;   ///< the learned reward for entering each cell (n_states)
  std::string policy;           ///< whose SR M is ("uniform random policy", "own epsilon-greedy policy")
  double gamma = 0;
};

/// What a planner is doing: its latest trace, the iterations of the current replan, the plan it
/// executes (MPC: the fan of imagined futures, the CEM scrubber).
struct PlanView {
  PlanTrace trace;  ///< the latest planner iteration
  /// Every iteration of the latest (or in-progress) replan, oldest first (the CEM scrubber).
  std::vector<std::shared_ptr<const PlanTrace>> replan_traces;
  bool planning = false;        ///< a replan is in progress (trace shows an unfinished one)
  std::vector<float> plan;      ///< H x action_dim, the plan being executed
  int plan_index = 0;           ///< index of the plan's next action
  int replan_every = 1;
  double predicted_return = 0;  ///< the planner's predicted return of `plan`
  std::string optimizer;        ///< the planner's name (cem, mppi, random_shooting, ...)
  /// What trace.elites are in the planner's own words ("elites (CEM refits to them)", "best 10
  /// guesses"), and what one iteration is called ("CEM iteration"; empty when the
  /// planner does not iterate, as random shooting): views never name CEM's internals for
  /// another planner.
  std::string elites_name = "best candidates", iteration_name;
  /// The fan's colour scale, predicted return from `return_lo` (palest) to `return_hi` (darkest):
  /// the lowest and highest finite predicted return of any candidate that does not reach a
  /// failure (Env::failure) in any iteration of any replan of this episode so far. Fixed per
  /// episode (it only widens) rather than re-normalised per replan, so one colour means one
  /// return across replans and across the scrubber's iterations. Not the env's reward range:
  /// that is unknown for a learned reward and spans returns no candidate reaches (cliff hill:
  /// -4..2 per step, so a fan of plans between 30 and 50 would be a single colour).
  /// return_lo > return_hi: no replan yet (the trace's own range is used).
  double return_lo = 1, return_hi = 0;
  std::string phase;            ///< collect | train | plan | act
  int obs_dim = 0, action_dim = 0;
};

/// The states behind one planned episode's divergence estimate (immutable once published).
struct VisitationSample {
  int run = 0, episode = 0;
  /// Training states of the model that planned the episode (its latest fit; the dataset for the
  /// oracle), subsampled to at most kMaxVisitationRows rows. One row per state (obs_dim columns).
  Eigen::MatrixXd dataset_states;
  /// Observations visited by the planned episode (at most kMaxVisitationRows, subsampled).
  Eigen::MatrixXd visited_states;
  double kl = 0;  ///< KL(visited || dataset) in nats, as in divergence (NaN if too few samples)
};
inline constexpr int kMaxVisitationRows = 2000;

/// A learned dynamics model and the data it was fit on (the uncertainty lab, the shift views).
struct ModelView {
  std::shared_ptr<const LearnedModel> model;  ///< a frozen copy of the learned model (null: oracle or not fit yet)
  /// The transitions `model` was fit on (null: oracle or before the first fit).
  std::shared_ptr<const Dataset> training_data;
  std::string prediction;  ///< probabilistic | deterministic, or "oracle" (plans through the true env)
  bool diverged = false;   ///< the model's training diverged (its last good weights are kept)
  size_t dataset_size = 0; ///< transitions collected so far
  int obs_dim = 0, action_dim = 0;
  /// KL(visited || training states) per finished planned episode of this run, nats.
  std::vector<double> divergence;
  /// The latest finished planned episode's visited and training states (null before the first).
  std::shared_ptr<const VisitationSample> visitation;
};

/// A policy learner's critic and policy over the env's 2-D state plane (Env::state_plane), e.g.
/// the pendulum's angle x angular velocity: the value heat map V(s) = min(Q1, Q2)(s, pi(s)) of
/// the twin critics at the deterministic action (the pessimistic estimate SAC's targets use) and
/// that action per cell (policy_value_map.h). Computed on the worker thread from the learner's
/// networks, never by the GUI.
struct PolicyValueView {
  Heatmap value;               ///< V at the cell centres (value.values: ny x nx, row-major)
  std::vector<double> action;  ///< the deterministic action's first dim per cell, in (-1, 1)
  std::string action_label;    ///< what the action is ("torque", "engine force")
  int64_t updates = 0;         ///< the learner's gradient updates when the map was computed
};

/// MBPO's latest branched rollouts (a sample of them, drawn over the world) and the mix of its
/// last SAC batch (core/agents/mbpo/). The model-based policy gradient (core/agents/mbpg/) shows
/// its imagined trajectories with the same view: then `label` names them, `real_path` is the
/// latest real episode drawn beside them, and there is no SAC batch, schedule or model error.
struct BranchedRolloutView {
  /// One imagined rollout: it starts at a REAL observation (states[0]) and runs at most k steps.
  struct Rollout {
    std::vector<Vec> states;   ///< s_0 (real) .. s_T, T <= k (fewer: it terminated)
    std::vector<int> members;  ///< T: the ensemble member that predicted step t
    bool terminated = false;   ///< its last transition ended the episode
  };
  std::vector<Rollout> rollouts;
  int horizon = 0;                  ///< k of these rollouts
  bool horizon_overridden = false;  ///< k is the live edit rollout_horizon, not the schedule
  int ensemble_size = 0;            ///< members (the colour scale of `members`)
  int batch_rows = 0, real_rows = 0;  ///< the last SAC batch: its rows and how many were real
  double real_data_ratio = 0;         ///< the configured share of real rows
  /// Model error vs k under the current policy at the latest refit
  /// (core/analysis/closed_loop_error.h): element h-1 is the mean ||s_hat_h - s_h|| over real
  /// starts, in observation units, h = 1..K (NaN where no start reached h). Empty before the
  /// first refit or with model_error_starts = 0.
  std::vector<double> model_error;
  /// The same starts with the real env's actions replayed into the model (open loop).
  std::vector<double> model_error_open_loop;
  int64_t model_error_env_steps = 0;  ///< the env step of the refit they were measured at
  /// What the rollouts are, for the caption: "branched rollouts" (MBPO) or "imagined episodes".
  std::string label = "branched rollouts";
  /// Whether the starts are real states from the replay data (true) or real episode starts.
  bool replay_starts = true;
  /// k follows MBPO's rollout_schedule unless overridden; false: the horizon is a plain knob
  /// (rollout_horizon >= 1, the model-based policy gradient).
  bool has_schedule = true;
  /// The latest real episode's observations (mbpg: the real one beside the imagined fan);
  /// empty: none drawn.
  std::vector<Vec> real_path;
};

/// v2.0's current imagined rollout through the model and where its gradient comes from
/// (core/agents/backprop/): the policy's H-step rollout from a real start, each step coloured by
/// the return's sensitivity to that step's action, |dJ_t / da_t| (pathwise_gradient.h).
struct PathwiseRolloutView {
  std::vector<Vec> states;         ///< s_0 (real) .. s_H, imagined
  std::vector<double> sensitivity;  ///< H: |dJ_t / da_t|
  int horizon = 0;
};

/// PILCO's predicted particles for the trial that runs (core/agents/pilco/) and the real trial so
/// far: the world draws, at the real trial's current step t, each particle's position at step t
/// (Env::obs_position: the pendulum's tip) with their 95 % ellipse and short trails, so the
/// predicted cloud travels beside the real pole (issue 19: "the predicted particle cloud or 95 %
/// ellipse of the pendulum tip per step against the real trial").
struct ParticleCloudView {
  std::vector<std::vector<Vec>> particles;  ///< P paths of observations s_0 .. s_H through the model
  std::vector<Vec> real_path;               ///< the real trial's observations s_0 .. s_t so far
};

/// Local linear-Gaussian controllers improved iteration by iteration under a KL bound, and one
/// global policy trained to follow them (guided policy search, core/agents/gps/): per iteration
/// and start condition what was sampled, what the update planned next, what the global policy
/// then did, and the cost change the fitted local models predicted against the one measured.
/// Observations are the env's (draw them where Env::obs_position puts them). Costs are -return.
struct LocalControllerView {
  static constexpr double kNone = std::numeric_limits<double>::quiet_NaN();
  struct Condition {
    /// The iteration's rollouts of the local controller (samples of them), T + 1 observations each.
    std::vector<std::vector<Vec>> samples;
    /// The updated controller's mean observations under the fitted local dynamics (T + 1): where
    /// the next iteration's samples are expected to go. Empty before the iteration's C-step.
    std::vector<Vec> nominal;
    /// The global policy's (noise-free) rollout after the iteration's S-step (T + 1; empty until run).
    std::vector<Vec> policy_rollout;
    double sample_cost = kNone;            ///< mean cost of `samples`
    double policy_cost = kNone;            ///< cost of policy_rollout
    double final_distance = kNone;         ///< mean over samples of |distance dims| at their last observation
    double policy_final_distance = kNone;  ///< the same for policy_rollout
    double kl = kNone, kl_target = kNone;  ///< the C-step's KL to the global policy's linearisation and its bound, nats
    double eta = kNone;                    ///< the C-step's Lagrange multiplier
    double step_mult = kNone;              ///< the KL step's multiplier (step adjustment)
    /// Cost decrease (Laplace estimates under the fitted dynamics) that the previous iteration's
    /// update predicted, and the one measured at this iteration (NaN at the first iteration).
    double predicted_improvement = kNone, actual_improvement = kNone;
  };
  struct Iteration {
    int iteration = 0;
    std::vector<Condition> conditions;
  };
  std::vector<std::shared_ptr<const Iteration>> iterations;  ///< oldest first; the last may be in progress
  int conditions = 0, samples = 0, horizon = 0, obs_dim = 0, action_dim = 0;
  std::vector<int> distance_dims;  ///< observation dims whose norm is the distance to the goal
  /// sample | fit | s-step (initial controllers) | c-step | s-step | policy rollouts
  std::string phase;
};

/// A reversible planner's imagined tree (core/agents/tree_search/): graph search over a maze or
/// UCT over a physics world, grown through a copy of the env whose state is saved and restored
/// (deck 004, "Why Planning is Reversible"). Draw each node where Env::obs_position puts its
/// observation (the maze cell, the pendulum's tip).
struct SearchTreeView {
  struct Node {
    Vec obs;                 ///< the node's observation
    int parent = -1;         ///< parent node index (-1: the root, the real state)
    int depth = 0;           ///< imagined steps from the root
    int64_t visits = 0;      ///< UCT: simulations through it; graph search: 1 once expanded
    bool expanded = false;   ///< graph search: its actions have been tried
    bool goal = false;       ///< reached a goal (terminated, not a failure)
  };
  std::vector<Node> nodes;
  std::vector<int> expansion_order;  ///< graph search: nodes in the order expanded (empty for UCT)
  /// Graph search: root to goal (empty until found). UCT: the most visited path from the root.
  std::vector<int> path;
  int backtracks = 0;                ///< expansions that jumped elsewhere in the tree (the undo)
  int64_t imagined_steps = 0;        ///< imagined env steps of this tree
  int64_t imagined_steps_run = 0;    ///< imagined env steps of every search of the run so far
  int64_t real_steps_run = 0;        ///< real env steps of the run so far
  /// UCT: each simulation's observations, root first (tree walk, then random rollout), and its
  /// discounted return: the what-if futures (at most UctSearch::kMaxKeptPaths).
  std::vector<std::vector<Vec>> simulations;
  std::vector<double> simulation_returns;
  int horizon = 0;                   ///< UCT: imagined steps per simulation (where the futures are placed)
  std::string algorithm;             ///< breadth_first, uniform_cost, depth_first, uct
  bool searching = false;            ///< the tree is still growing (no real step until it is done)
};

/// Successor features and generalised policy improvement over a grid world's objects
/// (core/agents/successor_features/): the policy the agent acts with in each cell and which base
/// policy pi_k chose it (GPI's max over k, or idea 1's single k), the value it promises, and the
/// regressed reward weights. Per state vectors have n_states entries (-1 / 0 where the agent
/// never acts: walls, objects).
struct GpiView {
  int n_states = 0, n_actions = 0, n_policies = 0;
  std::vector<int> action;    ///< the composed policy's action per state
  std::vector<int> source;    ///< the base policy k that chose it
  std::vector<double> value;  ///< max_a psi_source(s, a)^T w, the value it promises
  std::vector<std::string> policy_names;  ///< K names ("collect a")
  std::vector<double> weights;            ///< the regressed w (K)
  std::vector<char> weight_known;         ///< K: a reward sample has switched feature k on
  std::string improvement;                ///< gpi | idea1
  int single_policy = -1;                 ///< idea 1's k (-1 under GPI)
  std::string phase;                      ///< exploring | sampling rewards | acting
  std::vector<int> path;                  ///< states visited this episode, in order
};

/// A value iteration network on the map on screen (core/agents/vin/): the learned reward map r
/// and the value maps v_0 .. v_K of its VI module (deck 004, "value iteration = repeated
/// convolution + max-pooling": the wavefront spreading from the goal, one cell per iteration),
/// and the greedy paths of the VIN, the reactive baseline and the expert from the map's start.
struct VinView {
  int size = 0;                   ///< cells per side; cell index = row * size + col, row 0 at the top
  std::vector<uint8_t> obstacle;  ///< size * size: 1 = obstacle
  int goal = 0, start = 0;        ///< cell indices
  std::vector<float> reward;      ///< size * size: r
  std::vector<std::vector<float>> values;  ///< K + 1 maps of size * size: v_0 .. v_K
  /// Greedy paths from `start` (cells, start first) under the map's move budget; empty: no such
  /// network.
  std::vector<int> vin_path, reactive_path, expert_path;
  std::string acting;    ///< the network that acts in the env: "vin" or "reactive"
  int epoch = 0, epochs = 0;  ///< training epochs done / planned
  double vin_test_accuracy = -1, reactive_test_accuracy = -1;  ///< held-out action accuracy, % (-1: none yet)
};

/// C-learning's predicted discounted future-state density of one query (s, a) next to the
/// Monte Carlo histogram of real futures from the same (s, a) (core/agents/c_learning/): both
/// over two observation dims (the point mass's x, y), on the same grid and colour range, in
/// probability per unit area. predicted = C/(1 - C) * p(s_f), normalised on the grid; the
/// marginal p(s_f) alone is the baseline the KLs compare against.
struct FutureDensityView {
  Heatmap predicted, monte_carlo;  ///< marker: the query's (x, y)
  Heatmap marginal;                ///< the baseline p(s_f) alone (the replay's histogram), same scale
  Vec query_obs, query_action;     ///< the query (s, a) shown
  bool has_query_velocity = false;  ///< the env names a velocity (observation dims vx, vy)
  Vec2 query_velocity;              ///< the query state's velocity, m/s (world units per s)
  int query = 0, queries = 0;      ///< which query is shown, of how many
  double kl_predicted = std::numeric_limits<double>::quiet_NaN();  ///< KL(MC || predicted), nats, this query
  double kl_marginal = std::numeric_limits<double>::quiet_NaN();   ///< KL(MC || marginal), nats, this query
  double mean_kl_predicted = std::numeric_limits<double>::quiet_NaN();  ///< over all queries
  double mean_kl_marginal = std::numeric_limits<double>::quiet_NaN();
  int mc_rollouts = 0;         ///< real rollouts behind the Monte Carlo histogram
  int64_t gradient_steps = 0;  ///< the classifier's updates when the density was computed
  double gamma = 0;
  std::string method;          ///< monte_carlo | td
};

/// The latent agent from pixels (core/agents/latent): the visual-foresight filmstrip and the
/// latent map. Frames are frame_size x frame_size grayscale values in [0, 1], row 0 at the top.
struct LatentView {
  int frame_size = 0;
  /// The filmstrip: the decoded predicted frames t0+1..t0+n of the plan chosen at env step t0,
  /// and below them the real frames as they arrive (real.size() <= predicted.size()).
  std::vector<std::vector<float>> predicted, real;
  int64_t strip_start = 0;  ///< t0, the run's env step at which the strip's plan was chosen
  std::vector<float> current, reconstruction;  ///< the newest real frame and d(g(o_t))
  /// model.keypoints > 0: the newest frame's keypoints, one (u, v) per channel, broadest
  /// first; u, v in [-1, 1] across the frame, u to the right, v upward (latent/keypoints.h)
  std::vector<Vec2> keypoints;
  /// The latent map: held-out frames' z on its first two principal components, coloured by a
  /// true state value (colour_name: the pendulum's angle in rad, or a position's x).
  std::vector<Vec2> latent_points;
  std::vector<double> latent_colour;
  std::string colour_name;
  double probe_r2 = std::numeric_limits<double>::quiet_NaN();  ///< linear probe z -> true state, held out
  std::vector<double> k_error_model, k_error_repeat;  ///< per-pixel MSE at k = 1..K open loop
  int fits = 0;
  std::string objective;  ///< full | reconstruction
};

}  // namespace dynalab
