#include "core/agents/successor/successor_agent.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/io/csv.h"
#include "core/state_visitor.h"

namespace dynalab {

namespace {
constexpr double kNoValue = std::numeric_limits<double>::quiet_NaN();
constexpr int kRaceEvery = 50;  // real steps between two points of the revaluation_race figure
constexpr size_t kRevaluationVisits = 30;  // the revaluation figure's visits (the first ones matter)
// The exact M is a dense n x n inverse (23 ms at 625 cells, closed_form_sr.h), computed when the
// world or the policy changes; beyond 25 x 25 cells the view shows the learned M only and
// sr_error is NaN.
constexpr int kMaxExactStates = 625;

/// Mean over the visited free cells of the total variation between the rows of `learned` and `exact`.
double mean_row_tv(const Eigen::MatrixXd& learned, const Eigen::MatrixXd& exact, const GridTransitions& truth,
                   const std::vector<int>& visited) {
  double sum = 0;
  int rows = 0;
  for (int s = 0; s < truth.n_states; ++s)
    if (visited[size_t(s)] && truth.free(s)) {
      sum += 0.5 * (learned.row(s) - exact.row(s)).cwiseAbs().sum();
      ++rows;
    }
  return rows ? sum / rows : kNoValue;
}

/// True if the two layouts differ in walls, start or goal (the agent's cell does not count).
bool world_changed(const GridLayout& a, const GridLayout& b) {
  return a.walls != b.walls || !(a.goal == b.goal) || !(a.start == b.start);
}
}  // namespace

const std::vector<std::string>& SuccessorAgentConfig::algorithms() {
  static const std::vector<std::string> k = {"sr", "q_learning", "dyna_q"};
  return k;
}

TabularConfig SuccessorAgentConfig::tabular() const {
  TabularConfig t;
  t.algorithm = algorithm == "sr" ? "dyna_q" : algorithm;
  t.alpha = sr.alpha;
  t.epsilon = sr.epsilon;
  t.gamma = sr.gamma;
  t.planning_steps = planning_steps;
  return t;
}

namespace {
constexpr int kMaxSuccessorStates = 1600;  // 40 x 40: M is 4 x 1600^2 doubles, 80 MB
}  // namespace

SuccessorAgent::SuccessorAgent(const SuccessorSettingsConfig& cfg, const Env& env, const RunSeed& seed)
    : cfg_(cfg.agent), visited_(size_t(env.observation_space().n), 0) {
  const int n = env.observation_space().n, A = env.action_space().n;
  if (cfg_.algorithm == "sr")
    sr_.emplace(n, A, cfg_.sr, seed.rng());
  else
    tab_.emplace(n, A, cfg_.tabular(), seed.rng());
}

const std::vector<double>& SuccessorAgent::q() const { return sr_ ? sr_->q() : tab_->q_table(); }

void SuccessorAgent::before_step(const Env& real, const Vec&) {
  const std::optional<GridLayout> layout = real.grid_layout();
  if (!layout || (truth_ && !world_changed(*layout, truth_->layout))) return;
  const bool changed = truth_.has_value();
  set_truth(real);
  if (changed) {  // the world changed under the agent: the revaluation race starts again
    ++changes_;
    regret_.clear();
    since_change_ = 0;
    race_x_ = {0};
    race_y_ = {shortest_ > 0 ? double(greedy_path_steps(*truth_, q()) - shortest_) : kNoValue};
  }
}

Vec SuccessorAgent::act(const Vec& obs) {
  const int s = int(obs[0]);
  return Vec::Constant(1, sr_ ? sr_->act(s) : tab_->act(s));
}

void SuccessorAgent::observe(const Transition& t, bool) {
  const int s = int(t.obs[0]), a = int(t.action[0]), s2 = int(t.next_obs[0]);
  if (sr_)
    sr_->learn(s, a, t.reward, s2, t.terminated);
  else
    tab_->learn(s, a, t.reward, s2, t.terminated);
  visited_[size_t(s)] = visited_[size_t(s2)] = 1;
  if (changes_ == 0 || !truth_ || shortest_ <= 0) return;
  if (t.terminated) regret_.push_back(double(greedy_path_steps(*truth_, q()) - shortest_));
  if (++since_change_ % kRaceEvery == 0) {
    race_x_.push_back(double(since_change_));
    race_y_.push_back(double(greedy_path_steps(*truth_, q()) - shortest_));
  }
}

std::vector<std::string> SuccessorAgent::metric_columns() const {
  std::vector<std::string> c = {"steps", "env_steps", "return", "terminated", "greedy_steps", "shortest_steps"};
  if (sr_) c.push_back("sr_error");
  return c;
}

std::vector<double> SuccessorAgent::episode_metrics() const {
  std::vector<double> m = {truth_ ? double(greedy_path_steps(*truth_, q())) : kNoValue, double(shortest_)};
  if (sr_) m.push_back(sr_error());
  return m;
}

double SuccessorAgent::sr_error() const {
  const Eigen::MatrixXd& exact = exact_sr();
  if (exact.size() == 0) return kNoValue;
  // Each row is a distribution over future cells: their total variation distance, averaged over
  // the cells the agent has been in.
  return mean_row_tv(sr_->state_sr(), exact, *truth_, visited_);
}

void SuccessorAgent::add_figures(std::vector<Figure>& figures, const AgentClock&) const {
  if (changes_ == 0) return;
  Figure f{"revaluation", "Greedy path after each goal visit since the world changed", "visits to the goal",
           "steps over the shortest", {}, false};
  const std::string label = cfg_.algorithm == "sr" ? "SR (" + cfg_.sr.sr_policy + ")" : cfg_.algorithm;
  auto& s = f.series_named(label);
  for (size_t k = 0; k < std::min(regret_.size(), kRevaluationVisits); ++k) {
    s.x.push_back(double(k + 1));
    s.y.push_back(regret_[k]);
  }
  s.markers = s.x.size() == 1;
  figures.push_back(std::move(f));
  Figure r{"revaluation_race", "Greedy path since the world changed", "real steps since the change",
           "steps over the shortest", {}, false};
  auto& rs = r.series_named(label);
  rs.x = race_x_;
  rs.y = race_y_;
  figures.push_back(std::move(r));
}

void SuccessorAgent::publish(Snapshot& s) const {
  auto v = std::make_shared<QTableView>();
  const int n = s.world->observation_space().n;
  v->n_states = n;
  v->n_actions = s.world->action_space().n;
  v->q = q();
  const TabularModel& model = sr_ ? sr_->model() : tab_->model();
  for (const auto& e : model.entries())
    v->model.push_back({e.state, e.action, e.next_state, e.reward, e.visits, e.outcome_changes});
  for (double state : s.trajectory.obs) v->path.push_back(int(state));
  v->algorithm = cfg_.algorithm;
  if (tab_) {
    v->real_updates = tab_->real_updates();
    v->planning_updates = tab_->planning_updates();
    v->planning_steps = cfg_.planning_steps;
  } else {
    v->real_updates = sr_->td_updates();
  }
  s.stats.push_back({"agent", cfg_.algorithm == "sr" ? "SR (M of the " + cfg_.sr.sr_policy + " policy)" : cfg_.algorithm});
  if (shortest_ > 0) {
    s.stats.push_back({"shortest path", std::to_string(shortest_) + " steps"});
    s.stats.push_back({"greedy path", truth_ ? std::to_string(greedy_path_steps(*truth_, v->q)) + " steps" : "-"});
  }
  s.stats.push_back({"world changes seen", std::to_string(changes_)});
  if (changes_ > 0) s.stats.push_back({"goal visits since the change", std::to_string(regret_.size())});
  s.q_table = std::move(v);
  if (!sr_) return;
  auto m = std::make_shared<SuccessorView>();
  m->n_states = n;
  m->learned = sr_->state_sr();
  m->exact = exact_sr();
  m->row = s.obs.size() > 0 ? int(s.obs[0]) : -1;
  // In the goal the episode is over and its row is e_g: show the start's, where the next begins.
  if (truth_ && m->row == truth_->layout.state_of(truth_->layout.goal))
    m->row = truth_->layout.state_of(truth_->layout.start);
  m->reward.assign(sr_->reward().data(), sr_->reward().data() + n);
  m->policy = cfg_.sr.sr_policy == "uniform" ? "uniform random policy" : "own epsilon-greedy policy";
  m->gamma = sr_->config().gamma;
  if (m->exact.rows() == n) {
    double worst = 0;
    for (int st = 0; st < n; ++st)
      if (visited_[size_t(st)] && truth_->free(st))
        worst = std::max(worst, (m->learned.row(st) - m->exact.row(st)).cwiseAbs().maxCoeff());
    s.stats.push_back({"max |M - M exact|", format_number(std::round(1e4 * worst) / 1e4)});
    const double tv = mean_row_tv(m->learned, m->exact, *truth_, visited_);
    s.stats.push_back({"mean TV(M, M exact)", format_number(std::round(1e4 * tv) / 1e4)});
  }
  s.stats.push_back({"SR TD updates", std::to_string(sr_->td_updates())});
  s.successor = std::move(m);
}

void SuccessorAgent::apply_live(const AgentSettings& settings, const LiveEdit&) {
  const auto& c = static_cast<const ConfigSettings<SuccessorSettingsConfig>&>(settings).cfg.agent;
  const std::string algorithm = cfg_.algorithm, policy = cfg_.sr.sr_policy;
  cfg_ = c;
  cfg_.algorithm = algorithm;
  cfg_.sr.sr_policy = policy;
  if (sr_) sr_->set_config(cfg_.sr);
  if (tab_) tab_->set_config(cfg_.tabular());
}

void SuccessorAgent::visit_state(StateVisitor& v, const Env& real, const Vec&) {
  if (sr_) v.section("sr", [&](StateVisitor& lv) { sr_->visit_state(lv); });
  if (tab_) v.section("learner", [&](StateVisitor& lv) { tab_->visit_state(lv); });
  v.field("changes", changes_);
  v.field("revaluation", regret_);
  v.field("steps_since_change", since_change_);
  v.field("race_steps", race_x_);
  v.field("race_extra_steps", race_y_);
  v.sized("visited", visited_, visited_.size());
  if (!v.loading()) return;
  truth_.reset();
  if (real.grid_layout()) set_truth(real);
}

void SuccessorAgent::set_truth(const Env& real) {
  truth_ = probe_grid(real);
  shortest_ = shortest_path_steps(*truth_);
  ++truth_version_;
}

const Eigen::MatrixXd& SuccessorAgent::exact_sr() const {
  static const Eigen::MatrixXd none;
  if (!sr_ || !truth_ || sr_->n_states() > kMaxExactStates) return none;
  const int64_t updates = cfg_.sr.sr_policy == "uniform" ? 0 : sr_->td_updates();
  const double gamma = sr_->config().gamma;
  if (exact_truth_ != truth_version_ || exact_updates_ != updates || exact_gamma_ != gamma) {
    exact_ = closed_form_sr(*truth_, sr_->policy(), gamma);
    exact_truth_ = truth_version_, exact_updates_ = updates, exact_gamma_ = gamma;
  }
  return exact_;
}

AgentFamily successor_family() {
  AgentFamily f;
  f.name = "successor";
  f.description = "tabular successor representation (Dayan 1993) and the Q-learning / Dyna-Q it races on a grid world";
  f.category = "successor representations";
  f.default_episodes = 50;
  f.default_env = "grid_world";
  // One entry (agent.algorithm sr | q_learning | dyna_q picks within it): the tabular family
  // already lists q_learning and dyna_q by those names.
  f.agents = {
      {"successor representations", "successor",
       "tabular SR (M by TD, r by regression, Q from one model step); agent.algorithm q_learning or dyna_q "
       "runs the agents it races, measured the same way",
       "successor"},
  };
  f.read = read_settings<SettingsFor<SuccessorSettingsConfig, SuccessorAgent>, SuccessorSettingsConfig>;
  f.visit_fields = visit_config_json<SuccessorSettingsConfig>;
  f.check_env = [](const Env& env, ConfigNode& env_node) {
    if (!env.deterministic())
      env_node.fail("slip", "0 for the successor agent (its exact M and paths are read from one outcome per move), got a "
                            "stochastic '" + env.name() + "'");
    if (!probeable_grid(env))
      env_node.fail("name", "a grid world whose observation is the agent's cell (grid_world) for the successor agent, got '" +
                                env.name() + "'");
    // M is n x n per action, and the closed form inverts an n x n matrix: a few thousand cells.
    if (env.observation_space().n > kMaxSuccessorStates)
      env_node.fail("maze", "a maze of at most " + std::to_string(kMaxSuccessorStates) +
                                " cells for the successor agent (M holds n x n values per action), got " +
                                std::to_string(env.observation_space().n));
  };
  return f;
}

}  // namespace dynalab
