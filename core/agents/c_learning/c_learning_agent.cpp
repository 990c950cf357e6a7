#include "core/agents/c_learning/c_learning_agent.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/analysis/divergence.h"
#include "core/analysis/grid_histogram.h"
#include "core/export/heatmap_svg.h"
#include "core/io/atomic_file.h"
#include "core/io/table.h"
#include "core/models/training_rows.h"
#include "core/snapshot.h"

namespace dynalab {

namespace {

/// The grid over the future dims: the observation box where it is finite, else the world's
/// bounds (the dims are the drawn position).
Heatmap future_grid(const Env& env, std::array<int, 2> dims, int cells) {
  Heatmap g;
  g.nx = g.ny = cells;
  const Space s = env.observation_space();
  const Bounds b = env.world_bounds();
  g.x_lo = std::isfinite(s.low[dims[0]]) ? s.low[dims[0]] : b.lo.x;
  g.x_hi = std::isfinite(s.high[dims[0]]) ? s.high[dims[0]] : b.hi.x;
  g.y_lo = std::isfinite(s.low[dims[1]]) ? s.low[dims[1]] : b.lo.y;
  g.y_hi = std::isfinite(s.high[dims[1]]) ? s.high[dims[1]] : b.hi.y;
  return g;
}

/// The observation dims named `x_name` and `y_name` (-1, -1 unless both exist).
std::array<int, 2> named_dims(const Env& env, const std::string& x_name, const std::string& y_name) {
  const std::vector<std::string> names = env.observation_names();
  const auto at = [&](const std::string& n) {
    const auto it = std::find(names.begin(), names.end(), n);
    return it == names.end() ? -1 : int(it - names.begin());
  };
  const int x = at(x_name), y = at(y_name);
  return x >= 0 && y >= 0 ? std::array<int, 2>{x, y} : std::array<int, 2>{-1, -1};
}

double mean_of(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return v.empty() ? std::numeric_limits<double>::quiet_NaN() : s / double(v.size());
}

}  // namespace

CLearningAgent::CLearningAgent(const CLearningAgentConfig& cfg, const Env& env, const RunSeed& seed,
                               std::shared_ptr<CLearningRows> rows)
    : cfg_(cfg), seed_(seed), rows_(std::move(rows)) {
  const Space os = env.observation_space(), as = env.action_space();
  obs_dim_ = os.dim();
  action_dim_ = as.dim();
  action_lo_ = as.low, action_hi_ = as.high;
  if (c().query_points.empty() || c().query_points.size() % 2 != 0)
    throw InputError("c_learning.query_points: expected x, y pairs (got " +
                     std::to_string(c().query_points.size()) + " numbers)");
  if (c().future_dims.size() != 2)
    throw InputError("c_learning.future_dims: expected two observation dims (got " +
                     std::to_string(c().future_dims.size()) + ")");
  for (int d : c().future_dims)
    if (d >= obs_dim_)
      throw InputError("c_learning.future_dims: dim " + std::to_string(d) + " is past the observation's " +
                       std::to_string(obs_dim_) + " dims");
  dims_ = {c().future_dims[0], c().future_dims[1]};
  grid_ = future_grid(env, dims_, c().grid_cells);
  velocity_dims_ = named_dims(env, "vx", "vy");
  const std::vector<std::string> names = env.observation_names();
  grid_.x_label = names[size_t(dims_[0])], grid_.y_label = names[size_t(dims_[1])];
  act_rng_ = seed.rng();
  train_rng_ = seed.stream(3);
  mc_rng_ = seed.stream(4);
  Rng init = seed.stream(5);
  replay_ = FutureReplay(obs_dim_, action_dim_);
  classifier_ = FutureClassifier(obs_dim_, action_dim_, 2, c().hidden, c().activation, init);
}

Vec CLearningAgent::behaviour(const Vec& previous, Rng& rng) const {
  // One uniform draw decides whether to keep the action, so the stream's use does not depend on it.
  const bool keep = rng.bernoulli(c().action_hold);
  if (keep && previous.size() == action_dim_) return previous;
  Vec a(action_dim_);
  for (int d = 0; d < action_dim_; ++d) a[d] = rng.uniform(action_lo_[d], action_hi_[d]);
  return a;
}

void CLearningAgent::before_step(const Env& real, const Vec& obs) {
  capture_ = -1;
  if (!warming_up()) return;
  const int Q = int(c().query_points.size()) / 2;
  if (int(queries_.size()) != Q) queries_.assign(size_t(Q), {}), query_distance_.assign(size_t(Q), 1e300);
  for (int q = 0; q < Q; ++q) {
    const double d = std::hypot(obs[dims_[0]] - c().query_points[size_t(2 * q)],
                                obs[dims_[1]] - c().query_points[size_t(2 * q + 1)]);
    if (d < query_distance_[size_t(q)] && capture_ < 0) {  // one query per step: distinct states
      query_distance_[size_t(q)] = d;
      queries_[size_t(q)] = {real.get_state(), obs, Vec()};
      capture_ = q;
    }
  }
}

Vec CLearningAgent::act(const Vec&) {
  Vec a = behaviour(previous_action_, act_rng_);
  previous_action_ = a;
  if (capture_ >= 0) queries_[size_t(capture_)].action = a, capture_ = -1;
  return a;
}

void CLearningAgent::observe(const Transition& t, bool truncated) {
  if (!replay_.open()) replay_.begin(t.obs);
  replay_.push(t.action, t.next_obs);
  ++episode_step_;
  if (t.terminated || truncated) {
    replay_.end(t.terminated);
    if (t.episode < 0) ++warmup_episodes_;
  }
}

void CLearningAgent::begin_episode(int, const Vec&) {
  episode_step_ = 0;
  previous_action_ = Vec();
  if (!warming_up()) {
    if (queries_.empty() || queries_.back().action.size() == 0)
      throw InputError("c_learning: no query was taken during the warm-up");
    train_remaining_ = c().train_steps;
    loss_sum_ = 0, loss_count_ = 0;
  }
}

void CLearningAgent::fit_normalisation() {
  // The stored observations' mean and standard deviation (Normalizer: a constant column gets
  // scale 1); actions by their box, so a rarely taken corner of it is not magnified.
  const int64_t n = replay_.observations();
  using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  Normalizer obs;
  obs.fit(Eigen::Map<const RowMajor>(replay_.obs_row(0), long(n), obs_dim_).cast<float>());
  const Eigen::VectorXd mean = obs.mean.transpose().cast<double>(), sd = obs.std.transpose().cast<double>();
  const int in = classifier_.input_dim();
  Eigen::VectorXd shift(in), scale(in);
  shift.head(obs_dim_) = mean, scale.head(obs_dim_) = sd;
  for (int d = 0; d < action_dim_; ++d) {
    const bool bounded = std::isfinite(action_lo_[d]) && std::isfinite(action_hi_[d]);
    shift[obs_dim_ + d] = bounded ? 0.5 * (action_lo_[d] + action_hi_[d]) : 0.0;
    scale[obs_dim_ + d] = bounded ? std::max(1e-6, 0.5 * (action_hi_[d] - action_lo_[d])) : 1.0;
  }
  for (int k = 0; k < 2; ++k) shift[obs_dim_ + action_dim_ + k] = mean[dims_[k]], scale[obs_dim_ + action_dim_ + k] = sd[dims_[k]];
  classifier_.set_normalisation(shift, scale);
  normalised_ = true;
}

void CLearningAgent::fill_row(Eigen::MatrixXd& X, int r, const double* s, const double* a, const double* f) const {
  for (int d = 0; d < obs_dim_; ++d) X(r, d) = s[d];
  for (int d = 0; d < action_dim_; ++d) X(r, obs_dim_ + d) = a[d];
  X(r, obs_dim_ + action_dim_) = f[dims_[0]];
  X(r, obs_dim_ + action_dim_ + 1) = f[dims_[1]];
}

void CLearningAgent::gradient_step() {
  const int B = c().batch_size;
  const double g = c().gamma;
  Eigen::MatrixXd X(2 * B, classifier_.input_dim());
  Eigen::VectorXd y(2 * B), w(2 * B);
  if (c().method == "monte_carlo") {
    // Positives s_{t+Delta}, negatives from the marginal, one of each per anchor.
    for (int i = 0; i < B; ++i) {
      const FutureReplay::Draw d = replay_.sample_positive(train_rng_, g);
      const double* s = replay_.obs_row(replay_.anchor_obs_row(d.anchor));
      const double* a = replay_.anchor_action(d.anchor);
      fill_row(X, i, s, a, replay_.obs_row(d.future));
      fill_row(X, B + i, s, a, replay_.obs_row(replay_.sample_marginal(train_rng_)));
      y[i] = 1, w[i] = 1;
      y[B + i] = 0, w[B + i] = 1;
    }
  } else {
    // TD C-learning: next-state positives weighted (1 - gamma); a marginal draw s_f is a
    // positive with weight gamma w(s', a', s_f) and a negative with weight 1, w = C/(1 - C) at
    // (s', a', s_f) under stop-gradient. At a terminated episode's end s' is absorbing: the next
    // state is the whole future (weight 1) and there is nothing to bootstrap. At a cut by the
    // step limit s' is not absorbing and the data has no a': the behaviour policy's a' given a
    // (the policy is known, and Markov in (s, a)) stands in for it.
    Eigen::MatrixXd Xn(B, classifier_.input_dim());
    std::vector<int> boot;
    for (int i = 0; i < B; ++i) {
      const FutureReplay::Draw d = replay_.sample_transition(train_rng_);
      const double* s = replay_.obs_row(replay_.anchor_obs_row(d.anchor));
      const double* a = replay_.anchor_action(d.anchor);
      const double* f = replay_.obs_row(replay_.sample_marginal(train_rng_));
      fill_row(X, i, s, a, replay_.obs_row(d.next));
      fill_row(X, B + i, s, a, f);
      y[i] = 1, w[i] = d.next_terminal ? 1.0 : 1.0 - g;
      y[B + i] = 0, w[B + i] = 1;
      if (d.next_terminal) continue;
      if (d.next_anchor >= 0) {
        fill_row(Xn, int(boot.size()), replay_.obs_row(d.next), replay_.anchor_action(d.next_anchor), f);
      } else {
        const Vec a_next = behaviour(Eigen::Map<const Vec>(a, action_dim_), train_rng_);
        fill_row(Xn, int(boot.size()), replay_.obs_row(d.next), a_next.data(), f);
      }
      boot.push_back(i);
    }
    if (!boot.empty()) {
      const Eigen::VectorXd z = classifier_.logits(Xn.topRows(long(boot.size())));
      for (size_t k = 0; k < boot.size(); ++k) {
        const double gw = g * std::min(std::exp(std::min(z[long(k)], 50.0)), c().w_max);
        const int r = B + boot[k];
        y[r] = gw / (1 + gw), w[r] = 1 + gw;
      }
    }
  }
  last_loss_ = classifier_.train_step(X, y, w, c().learning_rate);
  loss_sum_ += last_loss_, ++loss_count_;
  ++gradient_steps_;
}

void CLearningAgent::think(const Env& real, const Vec&, const AgentClock&) {
  if (!normalised_) fit_normalisation();
  const int n = std::min(train_remaining_, c().steps_per_tick);
  for (int k = 0; k < n; ++k) gradient_step();
  train_remaining_ -= n;
  if (train_remaining_ == 0) evaluate(real);
}

void CLearningAgent::evaluate(const Env& real) {
  const int Q = int(queries_.size());
  const BehaviourPolicy policy = [this](const Vec&, const Vec& previous, Rng& rng) {
    return behaviour(previous, rng);
  };
  if (int(mc_.size()) != Q) {  // the real futures do not change: once per run
    mc_.clear();
    for (const Query& q : queries_) {
      std::vector<double> xs, ys;
      monte_carlo_futures(real, q.state, q.action, policy, c().gamma, c().mc_rollouts, dims_, mc_rng_, xs, ys);
      mc_.push_back(grid_histogram(grid_, xs, ys, 0.0));
    }
  }
  {  // the replay marginal p(s_f), smoothed
    std::vector<double> xs, ys;
    for (int64_t r = 0; r < replay_.observations(); ++r) {
      xs.push_back(replay_.obs_row(r)[dims_[0]]);
      ys.push_back(replay_.obs_row(r)[dims_[1]]);
    }
    marginal_ = grid_histogram(grid_, xs, ys, c().marginal_pseudo_count);
  }
  const int cells = grid_.nx * grid_.ny;
  predicted_.assign(size_t(Q), {});
  kl_pred_.assign(size_t(Q), 0);
  kl_marg_.assign(size_t(Q), 0);
  for (int q = 0; q < Q; ++q) {
    Eigen::MatrixXd X(cells, classifier_.input_dim());
    std::vector<double> f(size_t(obs_dim_), 0.0);
    for (int cell = 0; cell < cells; ++cell) {
      const Vec2 ctr = grid_cell_centre(grid_, cell);
      f[size_t(dims_[0])] = ctr.x, f[size_t(dims_[1])] = ctr.y;
      fill_row(X, cell, queries_[size_t(q)].obs.data(), queries_[size_t(q)].action.data(), f.data());
    }
    // p(s_f | s, a) ∝ exp(z) p(s_f), normalised on the grid in log space (z can be large).
    const Eigen::VectorXd z = classifier_.logits(X);
    std::vector<double> logp(static_cast<size_t>(cells));
    double top = -std::numeric_limits<double>::infinity();
    for (int cell = 0; cell < cells; ++cell) {
      logp[size_t(cell)] = z[cell] + std::log(marginal_[size_t(cell)]);
      top = std::max(top, logp[size_t(cell)]);
    }
    std::vector<double>& p = predicted_[size_t(q)];
    p.resize(size_t(cells));
    double total = 0;
    for (int cell = 0; cell < cells; ++cell) total += p[size_t(cell)] = std::exp(logp[size_t(cell)] - top);
    for (double& v : p) v /= total;
    kl_pred_[size_t(q)] = histogram_kl(mc_[size_t(q)], p);
    kl_marg_[size_t(q)] = histogram_kl(mc_[size_t(q)], marginal_);
  }
  kl_pred_mean_ = mean_of(kl_pred_);
  kl_marg_mean_ = mean_of(kl_marg_);
  curve_steps_.push_back(double(gradient_steps_));
  curve_pred_.push_back(kl_pred_mean_);
  curve_marg_.push_back(kl_marg_mean_);
  if (rows_) {
    for (int q = 0; q < Q; ++q)
      rows_->kl.push_back({seed_.run, gradient_steps_, q, kl_pred_[size_t(q)], kl_marg_[size_t(q)]});
    rows_->kl.push_back({seed_.run, gradient_steps_, -1, kl_pred_mean_, kl_marg_mean_});
    // Keep only this run's latest densities.
    std::erase_if(rows_->density, [&](const CLearningRows::Density& d) { return d.run == seed_.run; });
    for (int q = 0; q < Q; ++q)
      for (int cell = 0; cell < cells; ++cell) {
        const Vec2 ctr = grid_cell_centre(grid_, cell);
        rows_->density.push_back({seed_.run, q, cell, ctr.x, ctr.y, mc_[size_t(q)][size_t(cell)],
                                  predicted_[size_t(q)][size_t(cell)], marginal_[size_t(cell)]});
      }
  }
}

std::vector<std::string> CLearningAgent::metric_columns() const {
  return {"steps", "env_steps", "return", "terminated", "gradient_steps", "loss",
          "kl_c_learning", "kl_marginal", "kl_ratio"};
}

std::vector<double> CLearningAgent::episode_metrics() const {
  const double loss = loss_count_ > 0 ? loss_sum_ / loss_count_ : std::numeric_limits<double>::quiet_NaN();
  return {double(gradient_steps_), loss, kl_pred_mean_, kl_marg_mean_, kl_marg_mean_ / kl_pred_mean_};
}

void CLearningAgent::add_figures(std::vector<Figure>& figures, const AgentClock&) const {
  Figure f;
  f.id = "c_learning_kl";
  f.title = "KL(Monte Carlo || density), mean over queries";
  f.x_label = "classifier gradient steps";
  f.y_label = "KL (nats)";
  Series& p = f.series_named("C-learning: C/(1-C) p(s_f)");
  p.x = curve_steps_, p.y = curve_pred_;
  Series& m = f.series_named("marginal only: p(s_f)");
  m.x = curve_steps_, m.y = curve_marg_;
  f.log_y = spans_orders_of_magnitude(f);
  figures.push_back(std::move(f));
}

void CLearningAgent::publish(Snapshot& s) const {
  const bool trained = !predicted_.empty();
  std::string phase = warming_up() ? "collecting behaviour data" : thinking() ? "training the classifier" : "acting";
  add_phase(s, phase);
  s.stats.push_back({"replay", std::to_string(replay_.transitions()) + " transitions, " +
                                   std::to_string(replay_.episodes()) + " episodes"});
  s.stats.push_back({"classifier steps", std::to_string(gradient_steps_) + " (" + c().method + ")"});
  char buf[160];
  if (std::isfinite(last_loss_)) {
    std::snprintf(buf, sizeof buf, "%.4f (chance: log 2 = 0.6931)", last_loss_);
    s.stats.push_back({"cross-entropy", buf});
  }
  if (trained) {
    std::snprintf(buf, sizeof buf, "%.3f nats (C-learning) vs %.3f (marginal only): %.1fx", kl_pred_mean_,
                  kl_marg_mean_, kl_marg_mean_ / kl_pred_mean_);
    s.stats.push_back({"KL(MC || .)", buf});
  }
  if (queries_.empty() || !trained) return;
  auto v = std::make_shared<FutureDensityView>();
  const int q = std::clamp(c().view_query, 0, int(queries_.size()) - 1);
  v->query = q, v->queries = int(queries_.size());
  v->query_obs = queries_[size_t(q)].obs, v->query_action = queries_[size_t(q)].action;
  v->kl_predicted = kl_pred_[size_t(q)], v->kl_marginal = kl_marg_[size_t(q)];
  v->mean_kl_predicted = kl_pred_mean_, v->mean_kl_marginal = kl_marg_mean_;
  v->mc_rollouts = c().mc_rollouts;
  v->gradient_steps = gradient_steps_;
  v->gamma = c().gamma;
  v->method = c().method;
  if (velocity_dims_[0] >= 0) {
    v->has_query_velocity = true;
    v->query_velocity = {v->query_obs[velocity_dims_[0]], v->query_obs[velocity_dims_[1]]};
  }
  auto maps = density_maps(q);
  v->predicted = std::move(maps[0]), v->monte_carlo = std::move(maps[1]), v->marginal = std::move(maps[2]);
  s.future_density = std::move(v);
}

std::array<Heatmap, 3> CLearningAgent::density_maps(int q) const {
  const Query& query = queries_[size_t(q)];
  const double area = grid_cell_area(grid_);
  auto fill = [&](const std::vector<double>& p, const std::string& title) {
    Heatmap h = grid_;
    h.title = title;
    h.value_label = "density (1/m^2)";
    h.values.resize(p.size());
    for (size_t k = 0; k < p.size(); ++k) h.values[k] = p[k] / area;
    h.has_marker = true;
    h.marker_x = query.obs[dims_[0]], h.marker_y = query.obs[dims_[1]];
    return h;
  };
  std::array<Heatmap, 3> m = {fill(predicted_[size_t(q)], "C-learning: C/(1-C) p(s_f)"),
                              fill(mc_[size_t(q)], "Monte Carlo: " + std::to_string(c().mc_rollouts) + " real futures"),
                              fill(marginal_, "marginal alone: p(s_f)")};
  // One colour range for all three, so equal colours mean equal density: up to the larger of the
  // predicted maximum and the Monte Carlo histogram's 95th percentile over its occupied cells
  // (its peak at the query itself, the short offsets, would otherwise dim everything else).
  double hi = 0;
  for (double x : m[0].values) hi = std::max(hi, x);
  std::vector<double> occupied;
  for (double x : m[1].values)
    if (x > 0) occupied.push_back(x);
  if (!occupied.empty()) {
    const size_t k = std::min(occupied.size() - 1, size_t(0.95 * double(occupied.size())));
    std::nth_element(occupied.begin(), occupied.begin() + long(k), occupied.end());
    hi = std::max(hi, occupied[k]);
  }
  for (Heatmap& h : m) h.v_lo = 0, h.v_hi = hi;
  return m;
}

void CLearningAgent::apply_live(const AgentSettings& settings, const LiveEdit&) {
  cfg_ = static_cast<const ConfigSettings<CLearningAgentConfig>&>(settings).cfg;
}

void CLearningAgent::write_outputs(const std::filesystem::path& dir) const {
  if (rows_) {
    Table kl({"run", "gradient_steps", "query", "kl_c_learning", "kl_marginal"});
    for (const auto& r : rows_->kl) kl.add_row({r.run, r.gradient_steps, r.query, r.kl_c_learning, r.kl_marginal});
    kl.write_csv(dir / "c_learning_kl.csv");
    Table d({"run", "query", "cell", "x", "y", "monte_carlo", "predicted", "marginal"});
    for (const auto& r : rows_->density)
      d.add_row({r.run, r.query, r.cell, r.x, r.y, r.monte_carlo, r.predicted, r.marginal});
    d.write_csv(dir / "future_density.csv");
  }
  // The density maps of the last evaluation (none before the first): what the GUI shows per
  // query, side by side with colour bars.
  if (predicted_.empty()) return;
  ensure_directory(dir / "figures");
  for (int q = 0; q < int(queries_.size()); ++q) {
    const auto maps = density_maps(q);
    write_file_atomic(dir / "figures" / ("future_density_query" + std::to_string(q + 1) + ".svg"),
                      heatmaps_to_svg(std::vector<Heatmap>(maps.begin(), maps.end())));
  }
}

AgentFamily c_learning_family() {
  AgentFamily f;
  f.name = "c_learning";
  f.description = "C-learning: a classifier of future states whose odds give the discounted future-state density";
  f.category = "successor representations";
  f.default_episodes = 5;
  f.default_env = "point_obstacles";
  f.agents = {{"successor representations", "c_learning",
               "C-learning (Eysenbach et al. 2020): future-state density of a fixed behaviour policy", "c_learning"}};
  f.read = read_shared_settings<CLearningAgentConfig, CLearningAgent, CLearningRows>;
  f.visit_fields = visit_config_json<CLearningAgentConfig>;
  f.check_env = [](const Env& env, ConfigNode& env_node) {
    const Space a = env.action_space();
    if (a.is_discrete() || !a.low.allFinite() || !a.high.allFinite())
      env_node.fail("name", "an env with a bounded box action space for c_learning (got '" + env.name() + "')");
    if (env.observation_space().is_discrete() || env.observation_space().dim() < 2)
      env_node.fail("name", "an env with at least two continuous observation dims for c_learning (got '" +
                                env.name() + "')");
  };
  return f;
}

}  // namespace dynalab
