#include "core/agents/successor_features/gpi_agent.h"

#include <cmath>

#include "core/io/csv.h"
#include "core/snapshot.h"
#include "core/state_visitor.h"

namespace dynalab {

const std::vector<std::string>& GpiConfig::improvements() {
  static const std::vector<std::string> v = {"gpi", "idea1"};
  return v;
}

const std::vector<std::string>& GpiConfig::sf_sources() {
  static const std::vector<std::string> v = {"td", "exact"};
  return v;
}

namespace {
FeatureMdp probe_or_fail(const Env& env) {
  try {
    return feature_mdp(probe_grid(env));
  } catch (const std::invalid_argument& e) {
    throw InputError(std::string("gpi: ") + e.what());
  }
}

std::vector<SfTable> exact_all(const FeatureMdp& m, const std::vector<Policy>& base, double gamma) {
  std::vector<SfTable> out;
  for (const Policy& pi : base) out.push_back(exact_successor_features(m, pi, gamma));
  return out;
}
}  // namespace

GpiAgent::GpiAgent(const GpiSettingsConfig& cfg, const Env& env, const RunSeed& seed)
    : cfg_(cfg.agent),
      mdp_(probe_or_fail(env)),
      base_(object_policies(mdp_, cfg_.gamma)),
      exact_(exact_all(mdp_, base_, cfg_.gamma)),
      td_(mdp_, base_, cfg_.gamma),
      regression_(mdp_.n_features),
      rng_(seed.rng()),
      true_w_(Eigen::VectorXd::Zero(mdp_.n_features)),
      pair_seen_(mdp_.next.size(), 0) {}

GpiAgent::Phase GpiAgent::phase_for() const {
  if (steps_ < cfg_.explore_steps) return exploring;
  for (int k = 0; k < mdp_.n_features; ++k)
    if (!regression_.known(k)) return sampling;
  return acting;
}

ComposedPolicy GpiAgent::composed() const {
  const Eigen::VectorXd w = regression_.weights();
  return cfg_.improvement == "idea1" ? idea1_policy(mdp_, acting_sf(), w) : gpi_policy(mdp_, acting_sf(), w);
}

double GpiAgent::sf_error() const {
  double e = 0;
  for (int s = 0; s < mdp_.n_states; ++s) {
    if (!mdp_.live[size_t(s)]) continue;
    for (int a = 0; a < mdp_.n_actions; ++a)
      for (size_t k = 0; k < exact_.size(); ++k)
        e = std::max(e, (td_.psi()[k].row(mdp_.pair(s, a)) - exact_[k].row(mdp_.pair(s, a))).cwiseAbs().maxCoeff());
  }
  return e;
}

void GpiAgent::begin_episode(int episode, const Vec&) {
  episode_ = episode;
  phase_ = phase_for();
  sample_k_ = -1;
  if (phase_ == sampling)
    for (int k = 0; k < mdp_.n_features && sample_k_ < 0; ++k)
      if (!regression_.known(k)) sample_k_ = k;
  t_ = 0;
  discounted_ = 0;
  start_seen_ = false;
  sf_updates_at_start_ = td_.updates();
}

void GpiAgent::before_step(const Env& real, const Vec& obs) {
  if (start_seen_) return;
  start_seen_ = true;
  // The true task at the episode's start, for the regret metric only (never acted on).
  const Vec s = obs, a = Vec::Zero(1);
  for (int k = 0; k < mdp_.n_features; ++k) {
    int object = -1;
    for (int st = 0; st < mdp_.n_states && object < 0; ++st)
      if (mdp_.feature_of[size_t(st)] == k) object = st;
    true_w_[k] = real.reward(s, a, Vec::Constant(1, object)).value_or(0.0);
  }
  Eigen::VectorXd v;
  optimal_policy(mdp_, true_w_, cfg_.gamma, &v);
  const int s0 = int(obs[0]);
  optimal_ = s0 >= 0 && s0 < mdp_.n_states ? v[s0] : 0.0;
}

Vec GpiAgent::act(const Vec& obs) {
  const int s = int(obs[0]);
  const bool known_state = s >= 0 && s < mdp_.n_states && mdp_.live[size_t(s)];
  int a = -1;
  if (known_state) {
    if (phase_ == exploring) {
      // An action not yet tried here first (every pair's SF needs its one outcome), else pi_k
      // with explore_epsilon random actions.
      std::vector<int> untried;
      for (int b = 0; b < mdp_.n_actions; ++b)
        if (!pair_seen_[size_t(mdp_.pair(s, b))]) untried.push_back(b);
      const int k = episode_ % mdp_.n_features;
      a = !untried.empty() ? untried[rng_.below(untried.size())]
          : rng_.uniform() < cfg_.explore_epsilon ? -1 : base_[size_t(k)][size_t(s)];
    } else if (phase_ == sampling) {
      a = base_[size_t(sample_k_)][size_t(s)];
    } else {
      // The composed policy's action: argmax_a max_k psi_k(s, a)^T w (or idea 1's single k), the
      // same composition the view draws (a few hundred state-actions: recomputed per step).
      const Eigen::VectorXd w = regression_.weights();
      const auto& psi = acting_sf();
      a = (cfg_.improvement == "idea1" ? idea1_policy(mdp_, psi, w) : gpi_policy(mdp_, psi, w)).action[size_t(s)];
    }
  }
  if (a < 0) a = int(rng_.below(uint64_t(mdp_.n_actions)));
  return Vec::Constant(1, a);
}

void GpiAgent::observe(const Transition& t, bool) {
  const int s = int(t.obs[0]), a = int(t.action[0]), s2 = int(t.next_obs[0]);
  ++steps_;
  if (phase_ == exploring && s >= 0 && s < mdp_.n_states) {
    td_.update(s, a, s2, t.terminated, cfg_.alpha);
    if (!pair_seen_[size_t(mdp_.pair(s, a))]) {  // deterministic: one outcome per pair
      pair_seen_[size_t(mdp_.pair(s, a))] = 1;
      seen_.push_back({s, a, s2, t.terminated});
    }
  }
  const Eigen::VectorXd phi = transition_features(mdp_, s2);
  if (phi.any()) {
    // A reward that contradicts the fit where it has data: the task changed; start w afresh.
    bool seen = false;
    for (int k = 0; k < mdp_.n_features; ++k) seen = seen || (phi[k] != 0 && regression_.known(k));
    if (seen && std::abs(t.reward - phi.dot(regression_.weights())) > 1e-6) {
      regression_.clear();
      ++contradictions_;
    }
  }
  regression_.add(phi, t.reward);
  discounted_ += std::pow(cfg_.gamma, t_) * t.reward;
  ++t_;
}

std::vector<double> GpiAgent::episode_metrics() const {
  return {discounted_,
          optimal_,
          optimal_ - discounted_,
          double(phase_),
          double(td_.updates() - sf_updates_at_start_),
          sf_error(),
          (regression_.weights() - true_w_).cwiseAbs().maxCoeff(),
          double(contradictions_)};
}

void GpiAgent::end_episode(const Trajectory&) {
  if (phase_ == exploring)  // replay what was seen: TD sweeps in a fresh random order each
    for (int sweep = 0; sweep < cfg_.replay_sweeps; ++sweep) {
      for (size_t i = seen_.size(); i > 1; --i) std::swap(seen_[i - 1], seen_[rng_.below(i)]);
      for (const Seen& x : seen_) td_.update(x.s, x.a, x.s2, x.terminal, cfg_.alpha);
    }
  regret_.push_back(optimal_ - discounted_);
  discounted_at_end_.push_back(discounted_);
  sf_error_at_end_.push_back(sf_error());
}

void GpiAgent::add_figures(std::vector<Figure>& figures, const AgentClock&) const {
  // The objective GPI maximises (gamma^t weighs a near object above a far better one).
  Figure d{"discounted_return", "Discounted return per episode", "episode", "sum gamma^t r", {}, false};
  auto& ds = d.series_named(cfg_.improvement == "idea1" ? "idea 1" : "GPI");
  for (size_t k = 0; k < discounted_at_end_.size(); ++k) {
    ds.x.push_back(double(k + 1));
    ds.y.push_back(discounted_at_end_[k]);
  }
  figures.push_back(std::move(d));
  Figure r{"regret", "Regret per episode", "episode", "V*(s0) - discounted return", {}, false};
  auto& rs = r.series_named(cfg_.improvement == "idea1" ? "idea 1" : "GPI");
  for (size_t k = 0; k < regret_.size(); ++k) {
    rs.x.push_back(double(k + 1));
    rs.y.push_back(regret_[k]);
  }
  figures.push_back(std::move(r));
  Figure e{"sf_error", "SF error (TD vs exact)", "episode", "max |psi_TD - psi|", {}, true};
  auto& es = e.series_named("max error");
  for (size_t k = 0; k < sf_error_at_end_.size(); ++k) {
    es.x.push_back(double(k + 1));
    es.y.push_back(std::max(sf_error_at_end_[k], 1e-8));  // rounding error sits at the floor
  }
  figures.push_back(std::move(e));
}

void GpiAgent::publish(Snapshot& s) const {
  auto v = std::make_shared<GpiView>();
  v->n_states = mdp_.n_states;
  v->n_actions = mdp_.n_actions;
  v->n_policies = mdp_.n_features;
  const ComposedPolicy c = composed();
  v->action = c.action;
  v->source = c.source;
  v->value = c.value;
  const Eigen::VectorXd w = regression_.weights();
  for (int k = 0; k < mdp_.n_features; ++k) {
    v->policy_names.push_back(std::string("collect ") + char('a' + k));
    v->weights.push_back(w[k]);
    v->weight_known.push_back(regression_.known(k));
  }
  v->improvement = cfg_.improvement;
  if (cfg_.improvement == "idea1") v->single_policy = best_single_policy(mdp_, acting_sf(), w);
  v->phase = phase_ == exploring ? "exploring" : phase_ == sampling ? "sampling rewards" : "acting";
  for (double st : s.trajectory.obs) v->path.push_back(int(st));
  std::string ws;
  for (int k = 0; k < mdp_.n_features; ++k)
    ws += (k ? ", " : "") + std::string(1, char('a' + k)) + " " +
          (regression_.known(k) ? format_number(std::round(w[k] * 1000) / 1000) : std::string("?"));
  add_phase(s, v->phase + (phase_ == sampling ? std::string(" (object ") + char('a' + sample_k_) + ")" : ""));
  s.stats.push_back({"policy", cfg_.improvement == "idea1"
                                   ? std::string("idea 1: one step of policy iteration on pi_") + char('a' + v->single_policy)
                                   : "GPI: argmax_a max_k psi_k^T w"});
  s.stats.push_back({"w (regressed)", ws});
  s.stats.push_back({"SF updates (TD)", std::to_string(td_.updates()) + (phase_ != exploring ? " (frozen)" : "")});
  s.stats.push_back({"pairs seen", std::to_string(seen_.size()) + " of " + std::to_string(mdp_.live_states() * mdp_.n_actions)});
  s.stats.push_back({"max |psi_TD - psi|", format_number(std::round(sf_error() * 1e4) / 1e4)});
  s.stats.push_back({"SFs acted on", cfg_.sf == "exact" ? "exact (linear solve)" : "TD-learned"});
  s.stats.push_back({"task changes seen", std::to_string(contradictions_)});
  s.gpi = std::move(v);
}

void GpiAgent::apply_live(const AgentSettings& settings, const LiveEdit&) {
  const GpiConfig& c = static_cast<const ConfigSettings<GpiSettingsConfig>&>(settings).cfg.agent;
  cfg_.alpha = c.alpha;
  cfg_.explore_epsilon = c.explore_epsilon;
  cfg_.replay_sweeps = c.replay_sweeps;
  cfg_.improvement = c.improvement;
  cfg_.sf = c.sf;
}

void GpiAgent::visit_state(StateVisitor& v, const Env&, const Vec&) {
  // The probed model, base policies and exact SFs are rebuilt from the env at construction.
  for (size_t k = 0; k < td_.psi().size(); ++k) {
    SfTable& p = td_.psi()[k];
    std::vector<double> flat(p.data(), p.data() + p.size());
    v.field("psi_" + std::to_string(k), flat);
    if (v.loading()) {
      if (flat.size() != size_t(p.size())) throw InputError("gpi session: psi_" + std::to_string(k) + " has the wrong size");
      std::copy(flat.begin(), flat.end(), p.data());
    }
  }
  int64_t updates = td_.updates();
  v.field("sf_updates", updates);
  if (v.loading()) td_.set_updates(updates);
  std::vector<double> a(regression_.a().data(), regression_.a().data() + regression_.a().size());
  std::vector<double> b(regression_.b().data(), regression_.b().data() + regression_.b().size());
  v.field("regression_a", a);
  v.field("regression_b", b);
  v.field("regression_samples", regression_.samples_ref());
  if (v.loading()) {
    if (a.size() != size_t(regression_.a().size()) || b.size() != size_t(regression_.b().size()))
      throw InputError("gpi session: the regression has the wrong size");
    std::copy(a.begin(), a.end(), regression_.a().data());
    std::copy(b.begin(), b.end(), regression_.b().data());
  }
  v.field("rng", rng_);
  int phase = phase_;
  v.field("phase", phase);
  phase_ = Phase(phase);
  v.field("episode", episode_);
  v.field("sample_k", sample_k_);
  v.field("t", t_);
  v.field("discounted_return", discounted_);
  v.field("optimal_return", optimal_);
  v.field("start_seen", start_seen_);
  v.field("sf_updates_at_episode_start", sf_updates_at_start_);
  std::vector<double> tw(true_w_.data(), true_w_.data() + true_w_.size());
  v.field("true_w", tw);
  if (v.loading()) true_w_ = Eigen::Map<Eigen::VectorXd>(tw.data(), Eigen::Index(tw.size()));
  v.field("task_changes", contradictions_);
  v.field("steps", steps_);
  std::vector<int> seen_flat;
  for (const Seen& x : seen_) seen_flat.insert(seen_flat.end(), {x.s, x.a, x.s2, int(x.terminal)});
  v.field("seen_transitions", seen_flat);
  if (v.loading()) {
    seen_.clear();
    std::fill(pair_seen_.begin(), pair_seen_.end(), 0);
    for (size_t i = 0; i + 3 < seen_flat.size(); i += 4) {
      seen_.push_back({seen_flat[i], seen_flat[i + 1], seen_flat[i + 2], seen_flat[i + 3] != 0});
      pair_seen_.at(size_t(mdp_.pair(seen_flat[i], seen_flat[i + 1]))) = 1;
    }
  }
  v.field("regret_at_episode_end", regret_);
  v.field("discounted_return_at_episode_end", discounted_at_end_);
  v.field("sf_error_at_episode_end", sf_error_at_end_);
}

AgentFamily gpi_family() {
  AgentFamily f;
  f.name = "gpi";
  f.description = "successor features of one policy per object and generalised policy improvement (Barreto et al. 2017)";
  f.category = "successor features";
  f.default_episodes = 60;
  f.default_env = "grid_world";
  f.agents = {{"successor features", "gpi", "successor features + GPI: argmax_a max_k psi_k(s,a)^T w, w by regression", "gpi"}};
  f.read = read_settings<SettingsFor<GpiSettingsConfig, GpiAgent>, GpiSettingsConfig>;
  f.visit_fields = visit_config_json<GpiSettingsConfig>;
  f.check_env = [](const Env& env, ConfigNode& env_node) {
    if (!env.deterministic())
      env_node.fail("slip", "0 for the gpi family (its exact successor features are read from one outcome per move), "
                            "got a stochastic '" + env.name() + "'");
    const auto grid = env.grid_layout();
    if (!grid || grid->objects.empty() || !probeable_grid(env))
      env_node.fail("maze", "a grid world whose maze has objects (letters a, b, ...) for the gpi family (got '" +
                                env.name() + "')");
  };
  return f;
}

}  // namespace dynalab
