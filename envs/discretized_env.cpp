#include "envs/discretized_env.h"

#include <algorithm>
#include <cmath>

#include "envs/registry.h"

namespace dynalab {

DiscretizedEnv::DiscretizedEnv(std::unique_ptr<Env> inner, std::vector<int> dims,
                               std::vector<int> bins, Vec low, Vec high, std::vector<Vec> actions,
                               int repeat)
    : inner_(std::move(inner)),
      dims_(std::move(dims)),
      bins_(std::move(bins)),
      low_(std::move(low)),
      high_(std::move(high)),
      actions_(std::move(actions)),
      repeat_(repeat) {
  for (int b : bins_) n_cells_ *= b;
  if (dims_.size() <= 2) {
    const auto names = inner_->observation_names();
    auto name = [&](size_t i) {
      return i < dims_.size() && dims_[i] < int(names.size()) ? names[dims_[i]] : std::string();
    };
    panel_ = BinPanel::beside(inner_->world_bounds(), bins_, low_, high_, name(0), name(1));
  }
}

DiscretizedEnv::DiscretizedEnv(const DiscretizedEnv& o)
    : inner_(o.inner_->clone()),
      dims_(o.dims_),
      bins_(o.bins_),
      low_(o.low_),
      high_(o.high_),
      actions_(o.actions_),
      repeat_(o.repeat_),
      n_cells_(o.n_cells_),
      panel_(o.panel_),
      inner_obs_(o.inner_obs_) {}

int DiscretizedEnv::cell_of(const Vec& obs) const {
  int cell = 0;
  for (size_t i = 0; i < dims_.size(); ++i) {
    const double u = (obs[dims_[i]] - low_[i]) / (high_[i] - low_[i]);
    const int b = std::clamp(static_cast<int>(std::floor(u * bins_[i])), 0, bins_[i] - 1);
    cell = cell * bins_[i] + b;
  }
  return cell;
}

Vec DiscretizedEnv::cell_centre(int cell) const {
  Vec c(dims_.size());
  for (int i = int(dims_.size()) - 1; i >= 0; --i) {
    const int b = cell % bins_[i];
    cell /= bins_[i];
    c[i] = low_[i] + (b + 0.5) * (high_[i] - low_[i]) / bins_[i];
  }
  return c;
}

std::optional<Vec2> DiscretizedEnv::obs_position(const Vec& obs) const {
  const int cell = static_cast<int>(obs[0]);
  if (cell < 0 || cell >= n_cells_) return std::nullopt;
  if (panel_) {  // row-major over dims: the first dim's bin is the slow index
    const int iy = panel_->ny > 1 ? cell % panel_->ny : 0, ix = panel_->ny > 1 ? cell / panel_->ny : cell;
    return panel_->cell_centre(ix, iy);
  }
  Vec inner_obs = Vec::Zero(inner_->observation_space().dim());
  const Vec c = cell_centre(cell);
  for (size_t i = 0; i < dims_.size(); ++i) inner_obs[dims_[i]] = c[i];
  return inner_->obs_position(inner_obs);
}

Vec DiscretizedEnv::reset(uint64_t seed) {
  inner_obs_ = inner_->reset(seed);
  return Vec::Constant(1, cell_of(inner_obs_));
}

Bounds DiscretizedEnv::world_bounds() const {
  Bounds b = inner_->world_bounds();
  if (!panel_) return b;
  const Bounds p = panel_->extent();
  return {{std::min(b.lo.x, p.lo.x), std::min(b.lo.y, p.lo.y)},
          {std::max(b.hi.x, p.hi.x), std::max(b.hi.y, p.hi.y)}};
}

void DiscretizedEnv::draw(Canvas& canvas) const {
  inner_->draw(canvas);
  if (!panel_) return;
  // The first dim's bin edges along the inner world, where that dim moves its positions.
  const int D = inner_->observation_space().dim();
  auto place = [&](double v) {
    Vec o = Vec::Zero(D);
    if (inner_obs_.size() == D) o = inner_obs_;
    o[dims_[0]] = v;
    return inner_->obs_position(o);
  };
  const auto a = place(low_[0]), b = place(high_[0]);
  if (a && b && std::hypot(a->x - b->x, a->y - b->y) > 1e-6) {
    const Bounds ib = inner_->world_bounds();
    const double t = 0.025 * (ib.hi.y - ib.lo.y);
    for (int i = 0; i <= bins_[0]; ++i)
      if (auto p = place(low_[0] + (high_[0] - low_[0]) * i / bins_[0]))
        canvas.segment({p->x, p->y - t}, {p->x, p->y + t}, palette::body_outline, 2.0f);
  }
  panel_->draw(canvas);
}

void DiscretizedEnv::draw_over(Canvas& canvas) const {
  if (!panel_ || inner_obs_.size() == 0) return;
  const int cell = cell_of(inner_obs_);
  const auto c = obs_position(Vec::Constant(1, cell));
  if (!c) return;
  const Bounds& f = panel_->frame;
  const double hw = 0.5 * (f.hi.x - f.lo.x) / panel_->nx, hh = 0.5 * (f.hi.y - f.lo.y) / panel_->ny;
  // The cell the table sees (where the path through the cells ends), and the state inside it.
  const Vec2 ring[5] = {{c->x - hw, c->y - hh}, {c->x + hw, c->y - hh}, {c->x + hw, c->y + hh},
                        {c->x - hw, c->y + hh}, {c->x - hw, c->y - hh}};
  canvas.polyline(ring, palette::agent, 3.0f);
  const Vec2 s = panel_->at(inner_obs_[dims_[0]], dims_.size() > 1 ? inner_obs_[dims_[1]] : 0.0);
  canvas.circle(s, 0.45 * std::min(hw, hh), palette::agent, palette::body_outline);
}

StepResult DiscretizedEnv::step(const Vec& action) {
  const int a = static_cast<int>(action_space().clip(action)[0]);
  StepResult r;
  for (int k = 0; k < repeat_; ++k) {
    const StepResult inner = inner_->step(actions_[a]);
    r.obs = inner.obs;
    inner_obs_ = inner.obs;
    r.reward += inner.reward;
    r.terminated = inner.terminated;
    r.truncated = inner.truncated;
    if (r.terminated || r.truncated) break;
  }
  r.obs = Vec::Constant(1, cell_of(r.obs));
  return r;
}

std::unique_ptr<Env> make_discretized(ConfigNode& node) {
  DiscretizedConfig cfg;
  cfg.visit(node);
  ConfigNode inner_node = node.child("inner");
  auto inner = env_registry().make(inner_node, inner_node.has("name") ? "" : "mountain_car");
  node.adopt("inner", inner_node);
  if (inner->name() == "discretized")
    node.fail("inner", "a continuous env (not another discretized env)");
  const Space os = inner->observation_space(), as = inner->action_space();
  if (os.is_discrete()) node.fail("inner", "an env with a box observation space");
  if (cfg.dims.empty()) node.fail("dims", "at least one observation dimension");
  if (cfg.bins.size() != cfg.dims.size()) node.fail("bins", "one bin count per entry of dims");
  constexpr long long kMaxCells = 10'000'000;
  long long cells = 1;
  for (size_t i = 0; i < cfg.dims.size(); ++i) {
    if (cfg.dims[i] >= os.dim())
      node.fail("dims",
                "dimensions below " + std::to_string(os.dim()) + " (the inner observation size)");
    // Saturated past the limit: 64 dims of 2 bins would overflow 64 bits (to 0 cells).
    cells = std::min(cells * cfg.bins[i], kMaxCells + 1);
  }
  if (cells > kMaxCells) node.fail("bins", "at most 10,000,000 cells in total");
  Vec low(cfg.dims.size()), high(cfg.dims.size());
  for (size_t i = 0; i < cfg.dims.size(); ++i) {
    const auto pick = [&](const std::vector<double>& given, const char* key, double bound) {
      if (!given.empty()) {
        if (given.size() != cfg.dims.size()) node.fail(key, "one value per entry of dims");
        return given[i];
      }
      if (!std::isfinite(bound))
        node.fail(key, "explicit bounds: observation dimension " + std::to_string(cfg.dims[i]) +
                           " is unbounded");
      return bound;
    };
    low[i] = pick(cfg.low, "low", os.low[cfg.dims[i]]);
    high[i] = pick(cfg.high, "high", os.high[cfg.dims[i]]);
    if (!(low[i] < high[i])) node.fail("high", "values above low");
  }
  std::vector<Vec> actions;
  if (cfg.actions.empty()) {
    if (!as.is_discrete()) node.fail("actions", "a list of actions for a continuous inner env");
    for (int a = 0; a < as.n; ++a) actions.push_back(Vec::Constant(1, a));
  } else {
    const int d = as.dim();
    if (cfg.actions.size() % d != 0)
      node.fail("actions",
                "a multiple of " + std::to_string(d) + " values (groups of the action dimension)");
    for (size_t k = 0; k < cfg.actions.size(); k += d) {
      Vec a = Eigen::Map<const Vec>(&cfg.actions[k], d);
      if (!as.contains(a)) node.fail("actions", "actions within " + as.describe());
      actions.push_back(a);
    }
  }
  return std::make_unique<DiscretizedEnv>(std::move(inner), cfg.dims, cfg.bins, low, high,
                                          std::move(actions), cfg.repeat);
}

}  // namespace dynalab
