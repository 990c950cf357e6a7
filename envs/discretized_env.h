#pragma once
// Turns a continuous env into a tabular one: uniform bins over chosen observation dimensions
// (the cell index is row-major over `dims`), and a finite list of actions. Tabular Dyna-Q then
// runs on a physics world, where its deterministic model is wrong in an instructive way: one
// cell holds many true states, so (cell, action) leads to different next cells (aliasing; the
// tabular model counts it in ModelEntry::outcome_changes).
// Config: "inner" (an env section, default mountain_car), "dims", "bins", optional "low"/"high"
// per chosen dimension (default: the inner observation bounds, which must then be finite), and
// "actions": the action vectors flattened, in groups of the inner action dimension (empty: all
// actions of a discrete inner env), "repeat": inner steps per action (the cell changes rarely in
// one physics step, so repeating an action makes the tabular transitions informative). Dynamics,
// rewards, termination: the inner env's. No closed-form reward() or terminated(): one cell holds
// terminal and non-terminal states alike, so the answer is not a function of the cell.
// Drawing: with one or two binned dims the world shows its bins: a panel beside the inner world
// (envs/bin_panel.h) holds the cells as a lattice, the table's states are placed at their cells'
// centres there (so the Q heat map and the agent's path through the cells land on it), the true
// state is a dot inside its cell, and the first dim's bin edges are ticked along the inner world
// when that dim moves the inner world's positions (the mountain car's position).

#include <optional>

#include "core/config.h"
#include "core/env.h"
#include "envs/bin_panel.h"

namespace dynalab {

struct DiscretizedConfig {
  std::vector<int> dims{0, 1};            ///< observation dimensions to bin
  std::vector<int> bins{12, 12};          ///< bins per chosen dimension
  std::vector<double> low, high;          ///< bin ranges per chosen dimension (empty: obs bounds)
  std::vector<double> actions{-1, 0, 1};  ///< action vectors, flattened
  int repeat = 1;                         ///< inner steps per action (rewards summed)

  template <class V>
  void visit(V& v) {
    v.field("dims", dims, Range::at_least(0), Apply::on_reset, "observation dimensions to bin");
    v.field("bins", bins, Range::closed(1, 1000), Apply::on_reset, "bins per chosen dimension");
    v.field("low", low, {}, Apply::on_reset,
            "lower bin edges per dimension (empty: observation bounds)");
    v.field("high", high, {}, Apply::on_reset,
            "upper bin edges per dimension (empty: observation bounds)");
    v.field("actions", actions, {}, Apply::on_reset,
            "action vectors, flattened (empty: a discrete inner env's)");
    v.field("repeat", repeat, Range::closed(1, 1000), Apply::on_reset,
            "inner steps per action, rewards summed");
  }
};

class DiscretizedEnv : public Env {
 public:
  /// `low`/`high`: bin ranges per chosen dim; `actions`: the action vectors of the inner env.
  DiscretizedEnv(std::unique_ptr<Env> inner, std::vector<int> dims, std::vector<int> bins, Vec low,
                 Vec high, std::vector<Vec> actions, int repeat = 1);
  DiscretizedEnv(const DiscretizedEnv& other);

  std::string name() const override { return "discretized"; }
  Vec reset(uint64_t seed) override;
  StepResult step(const Vec& action) override;
  Space observation_space() const override { return Space::discrete(n_cells_); }
  Space action_space() const override { return Space::discrete(int(actions_.size())); }
  std::unique_ptr<Env> clone() const override { return std::make_unique<DiscretizedEnv>(*this); }
  std::vector<double> get_state() const override { return inner_->get_state(); }
  /// The inner state; the true-state dot is not drawn until the next step (the inner
  /// observation of a restored state is unknown here).
  void set_state(const std::vector<double>& state) override {
    inner_->set_state(state);
    inner_obs_.resize(0);
  }
  void draw(Canvas& canvas) const override;
  /// The true state as a dot in its cell, over the views' overlays (the path ends in that cell).
  void draw_over(Canvas& canvas) const override;
  /// The inner world's bounds and the bin panel's.
  Bounds world_bounds() const override;
  int max_episode_steps() const override {
    return (inner_->max_episode_steps() + repeat_ - 1) / repeat_;
  }
  int episode_step() const override { return (inner_->episode_step() + repeat_ - 1) / repeat_; }
  std::vector<std::string> observation_names() const override { return {"cell"}; }
  /// The mouse perturbation goes to the inner (physics) env.
  bool perturb(Vec2 at, Vec2 target) override { return inner_->perturb(at, target); }
  void clear_perturbation() override { inner_->clear_perturbation(); }
  bool grabbable() const override { return inner_->grabbable(); }
  std::optional<Vec2> perturbation_anchor() const override { return inner_->perturbation_anchor(); }
  /// One cell holds many true states, so (cell, action) has several outcomes (aliasing).
  bool deterministic() const override { return false; }
  /// The cell's centre in the bin panel; without a panel (three or more binned dims), the
  /// inner env's position of the cell's centre (other dims at 0).
  std::optional<Vec2> obs_position(const Vec& obs) const override;

  /// The cell of an inner observation.
  int cell_of(const Vec& inner_obs) const;
  /// The centre of a cell, in the chosen dimensions.
  Vec cell_centre(int cell) const;
  const Env& inner() const { return *inner_; }
  const std::vector<Vec>& actions() const { return actions_; }

 private:
  std::unique_ptr<Env> inner_;
  std::vector<int> dims_, bins_;
  Vec low_, high_;
  std::vector<Vec> actions_;
  int repeat_ = 1;
  int n_cells_ = 1;
  std::optional<BinPanel> panel_;  // with one or two binned dims
  Vec inner_obs_;                  // the inner observation now (empty: unknown)
};

/// Builds a discretised env; its "inner" section is read with the env registry.
std::unique_ptr<Env> make_discretized(ConfigNode& node);

}  // namespace dynalab
