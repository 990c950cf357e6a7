#include "core/agents/tree_search/tree_search_agent.h"

#include <algorithm>

#include "core/snapshot.h"
#include "core/state_visitor.h"

namespace dynalab {

const std::vector<std::string>& TreeSearchConfig::algorithms() {
  static const std::vector<std::string> names = {"breadth_first", "uniform_cost", "depth_first", "uct"};
  return names;
}

TreeSearchAgent::TreeSearchAgent(const TreeSearchSettingsConfig& cfg, const Env& env, const RunSeed& seed)
    : cfg_(cfg.agent), rng_(seed.rng()), rng_at_search_(rng_.state()) {
  // Replaying a saved state must give the same step again: search needs a deterministic simulator.
  if (!env.deterministic())
    throw InputError("agent.algorithm: \"" + cfg_.algorithm + "\" searches through a copy of the env and needs a "
                     "deterministic env, got a stochastic '" + env.name() + "' (set env.slip to 0)");
  const Space as = env.action_space();
  if (cfg_.graph()) {
    if (!as.is_discrete() || !env.observation_space().is_discrete())
      throw InputError("agent.algorithm: \"" + cfg_.algorithm + "\" needs discrete observations and actions "
                       "(a grid world), got '" + env.name() + "'; use \"uct\" for a physics env");
    n_actions_ = as.n;
  } else if (as.is_discrete()) {
    for (int a = 0; a < as.n; ++a) actions_.push_back(Vec::Constant(1, double(a)));
    n_actions_ = as.n;
  } else {
    // A few evenly spaced actions along the box's diagonal (one action dim: the pendulum's torques).
    for (int k = 0; k < cfg_.torques; ++k)
      actions_.push_back(as.low + (as.high - as.low) * (double(k) / double(cfg_.torques - 1)));
    n_actions_ = cfg_.torques;
  }
}

bool TreeSearchAgent::thinking() const { return cfg_.graph() ? !plan_ready_ : !uct_ready_; }

void TreeSearchAgent::start_search(const Env& real, const Vec& obs) {
  searching_ = true;
  ++episode_searches_;
  if (cfg_.graph()) {
    graph_ = std::make_unique<GraphSearch>(real, obs, search_order_from_name(cfg_.algorithm), cfg_.step_cost,
                                           cfg_.max_nodes);
    graph_expansions_ = 0;
  } else {
    rng_at_search_ = rng_.state();
    uct_ = std::make_unique<UctSearch>(real, obs, actions_,
                                       UctSettings{cfg_.exploration, cfg_.horizon, cfg_.gamma, cfg_.max_nodes});
  }
}

void TreeSearchAgent::grow(int n) {
  if (cfg_.graph()) {
    const int64_t before = graph_->imagined_steps();
    graph_->expand(n);
    graph_expansions_ += n;
    imagined_run_ += graph_->imagined_steps() - before;
    if (!graph_->done()) return;
    searching_ = false;
    plan_ready_ = true;
    episode_backtracks_ += graph_->backtracks();
    plan_ = graph_->plan();
    plan_obs_.clear();
    for (int node : graph_->path())
      if (graph_->nodes()[size_t(node)].parent >= 0) plan_obs_.push_back(graph_->nodes()[size_t(node)].obs);
    plan_index_ = 0;
    message_ = graph_->found() ? "" : "no path to a goal within the search budget: random actions until the episode ends";
  } else {
    const int64_t before = uct_->imagined_steps();
    uct_->simulate(std::min(n, cfg_.simulations - uct_->simulations()), rng_);
    imagined_run_ += uct_->imagined_steps() - before;
    if (uct_->simulations() < cfg_.simulations) return;
    searching_ = false;
    uct_ready_ = true;
  }
}

void TreeSearchAgent::think(const Env& real, const Vec& obs, const AgentClock&) {
  if (!searching_) start_search(real, obs);
  grow(cfg_.graph() ? cfg_.expansions_per_tick : cfg_.simulations_per_tick);
}

Vec TreeSearchAgent::act(const Vec&) {
  if (!cfg_.graph()) {
    uct_ready_ = false;  // the next step searches again from where the real env then is
    return actions_[size_t(uct_->best_action())];
  }
  if (plan_index_ < int(plan_.size())) return Vec::Constant(1, double(plan_[size_t(plan_index_++)]));
  return Vec::Constant(1, double(rng_.below(uint64_t(n_actions_))));  // no path was found
}

void TreeSearchAgent::observe(const Transition& t, bool truncated) {
  ++real_steps_;
  if (!cfg_.graph() || t.terminated || truncated) return;
  // No path was found: a random step, then search again from there (the world may have changed:
  // a wall removed by the lecturer, the maze's scheduled change).
  if (plan_.empty()) {
    plan_ready_ = false;
    return;
  }
  // The real world did not do what imagination said (a wall appeared, the goal moved): search
  // again from where the agent really is.
  const bool off_plan = plan_index_ > int(plan_obs_.size()) || t.next_obs != plan_obs_[size_t(plan_index_ - 1)];
  if (off_plan || plan_index_ >= int(plan_.size())) plan_ready_ = false;
}

void TreeSearchAgent::begin_episode(int, const Vec&) {
  plan_ready_ = uct_ready_ = searching_ = false;
  plan_.clear();
  plan_obs_.clear();
  plan_index_ = 0;
  episode_imagined_start_ = imagined_run_;
  episode_searches_ = episode_backtracks_ = 0;
  message_.clear();
}

std::vector<double> TreeSearchAgent::episode_metrics() const {
  return {double(imagined_run_ - episode_imagined_start_), double(episode_searches_), double(episode_backtracks_),
          cfg_.graph() ? double(graph_ && graph_->found()) : 1.0};
}

void TreeSearchAgent::end_episode(const Trajectory&) {
  imagined_at_end_.push_back(double(imagined_run_));
  real_at_end_.push_back(double(real_steps_));
}

void TreeSearchAgent::add_figures(std::vector<Figure>& figures, const AgentClock&) const {
  Figure f{"imagined_vs_real", "Imagined and real env steps so far", "episode", "env steps", {}, true};
  // The episode in progress counts too: the counters move long before the first episode ends.
  const bool in_progress = double(imagined_run_) > (imagined_at_end_.empty() ? 0.0 : imagined_at_end_.back());
  // Cumulative counts at each episode's end, then the episode in progress; a log axis cannot
  // show 0 (no real step yet), so such points are left out.
  auto add = [&](const std::string& label, const std::vector<double>& at_end, double now) {
    Series& series = f.series_named(label);  // filled before the next series_named may move it
    for (size_t k = 0; k < at_end.size(); ++k)
      if (at_end[k] > 0) series.x.push_back(double(k + 1)), series.y.push_back(at_end[k]);
    if (in_progress && now > 0) series.x.push_back(double(at_end.size() + 1)), series.y.push_back(now);
  };
  add("imagined (the tree, undo)", imagined_at_end_, double(imagined_run_));
  add("real (the path, no undo)", real_at_end_, double(real_steps_));
  figures.push_back(std::move(f));
}

void TreeSearchAgent::publish(Snapshot& s) const {
  auto v = std::make_shared<SearchTreeView>();
  v->algorithm = cfg_.algorithm;
  v->searching = searching_;
  v->imagined_steps_run = imagined_run_;
  v->real_steps_run = real_steps_;
  const std::vector<SearchNode>* nodes = graph_ ? &graph_->nodes() : uct_ ? &uct_->nodes() : nullptr;
  if (nodes) {
    v->nodes.reserve(nodes->size());
    for (const SearchNode& n : *nodes)
      v->nodes.push_back({n.obs, n.parent, n.depth, n.visits, n.visits > 0, n.goal});
  }
  if (graph_) {
    v->expansion_order = graph_->expansion_order();
    v->path = graph_->path();
    v->backtracks = graph_->backtracks();
    v->imagined_steps = graph_->imagined_steps();
  } else if (uct_) {
    v->path = uct_->principal_path();
    v->simulations = uct_->simulation_paths();
    v->simulation_returns = uct_->simulation_returns();
    v->horizon = cfg_.horizon;
    v->imagined_steps = uct_->imagined_steps();
  }
  s.stats.push_back({"imagined steps", std::to_string(imagined_run_)});
  s.stats.push_back({"real steps", std::to_string(real_steps_)});
  s.stats.push_back({"tree nodes", std::to_string(v->nodes.size())});
  if (graph_) s.stats.push_back({"backtracks (undo)", std::to_string(v->backtracks)});
  if (uct_) s.stats.push_back({"simulations", std::to_string(uct_->simulations()) + " / " + std::to_string(cfg_.simulations)});
  add_phase(s, searching_ ? "searching (imagined)" : "acting (real)");
  if (!message_.empty()) s.message = message_;
  s.search_tree = std::move(v);
}

void TreeSearchAgent::apply_live(const AgentSettings& settings, const LiveEdit&) {
  const TreeSearchConfig& c = static_cast<const ConfigSettings<TreeSearchSettingsConfig>&>(settings).cfg.agent;
  cfg_.expansions_per_tick = c.expansions_per_tick;
  cfg_.max_nodes = c.max_nodes;
  cfg_.simulations = c.simulations;
  cfg_.simulations_per_tick = c.simulations_per_tick;
  cfg_.exploration = c.exploration;
  cfg_.horizon = c.horizon;
  cfg_.gamma = c.gamma;
}

void TreeSearchAgent::visit_state(StateVisitor& v, const Env& real, const Vec& obs) {
  v.field("rng", rng_);
  Rng at_search;
  at_search.set_state(rng_at_search_);
  v.field("rng_at_search", at_search);
  v.field("searching", searching_);
  v.field("plan_ready", plan_ready_);
  v.field("uct_ready", uct_ready_);
  v.field("plan", plan_);
  v.records(
      "plan_obs", plan_obs_.size(), [&](size_t n) { plan_obs_.resize(n); },
      [&](size_t i, StateVisitor& rv) { rv.field("obs", plan_obs_[i]); });
  v.bounded("plan_index", plan_index_, 0, int(plan_.size()));
  v.field("graph_expansions", graph_expansions_);
  int simulations_done = uct_ ? uct_->simulations() : 0;
  v.field("simulations_done", simulations_done);
  v.field("imagined_steps", imagined_run_);
  v.field("real_steps", real_steps_);
  v.field("episode_imagined_start", episode_imagined_start_);
  v.field("episode_searches", episode_searches_);
  v.field("episode_backtracks", episode_backtracks_);
  v.field("imagined_at_episode_end", imagined_at_end_);
  v.field("real_at_episode_end", real_at_end_);
  v.field("message", message_);
  if (!v.loading()) return;
  rng_at_search_ = at_search.state();
  graph_.reset();
  uct_.reset();
  // A search in progress (or one whose action is still to be taken) is replayed from the restored
  // real state: the same expansions, or the same simulations from the same random stream.
  if (cfg_.graph() && searching_) {
    graph_ = std::make_unique<GraphSearch>(real, obs, search_order_from_name(cfg_.algorithm), cfg_.step_cost,
                                           cfg_.max_nodes);
    graph_->expand(int(graph_expansions_));
  } else if (!cfg_.graph() && (searching_ || uct_ready_)) {
    uct_ = std::make_unique<UctSearch>(real, obs, actions_,
                                       UctSettings{cfg_.exploration, cfg_.horizon, cfg_.gamma, cfg_.max_nodes});
    Rng replay = at_search;
    uct_->simulate(simulations_done, replay);
  }
}

AgentFamily tree_search_family() {
  AgentFamily f;
  f.name = "tree_search";
  f.description = "reversible planning: graph search or UCT through a copy of the env (save, try, undo), no real step while it thinks";
  f.category = "tree search";
  f.default_episodes = 10;
  f.default_env = "grid_world";
  f.agents = {
      {"tree search", "breadth_first", "breadth-first search to the goal in imagination, then the path", "tree_search"},
      {"tree search", "uniform_cost", "uniform-cost (Dijkstra) search, edge cost max(0, step_cost - reward)", "tree_search"},
      {"tree search", "depth_first", "depth-first search: deep first, backtrack by restoring a saved state", "tree_search"},
      {"tree search", "uct", "UCT Monte-Carlo tree search before every real step (a few torques on a box action)", "tree_search"},
  };
  f.read = read_settings<SettingsFor<TreeSearchSettingsConfig, TreeSearchAgent>, TreeSearchSettingsConfig>;
  f.visit_fields = visit_config_json<TreeSearchSettingsConfig>;
  return f;
}

}  // namespace dynalab
