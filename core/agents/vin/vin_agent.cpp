#include "core/agents/vin/vin_agent.h"

#include <algorithm>
#include <cmath>

#include "core/grid_moves.h"
#include "core/io/csv.h"
#include "core/snapshot.h"
#include "core/state_visitor.h"

namespace dynalab {

namespace {
std::unique_ptr<GridPolicy> make_vin_policy(const std::string& name, const VinConfig& cfg, int size, Rng& rng) {
  if (name == "vin") return std::make_unique<VinPolicy>(VinShape{cfg.l_h, cfg.l_q, cfg.k}, cfg.lr, rng);
  return std::make_unique<ReactivePolicy>(size, cfg.reactive_hidden, cfg.reactive_lr, rng);
}

int vin_map_size(const Env& env) {
  const auto g = env.grid_layout();
  return g ? g->rows : 0;
}
}  // namespace

VinAgent::VinAgent(const VinSettingsConfig& cfg, const Env& env, const RunSeed& seed)
    : cfg_(cfg.vin), prototype_(env.clone()), rng_(seed.rng()), data_rng_(seed.stream(3)) {
  const int size = vin_map_size(env);
  nets_.push_back(make_vin_policy(cfg_.network, cfg_, size, rng_));
  if (cfg_.compare) nets_.push_back(make_vin_policy(cfg_.network == "vin" ? "reactive" : "vin", cfg_, size, rng_));
  accuracy_.resize(nets_.size());
  train_error_.resize(nets_.size());
  success_.assign(nets_.size(), -1);
}

const VinPolicy* VinAgent::vin_policy() const {
  for (const auto& n : nets_)
    if (n->name() == "vin") return static_cast<const VinPolicy*>(n.get());
  return nullptr;
}

void VinAgent::build_data(const Env&) {
  train_ = make_vin_dataset(*prototype_, cfg_.train_maps, cfg_.trajectories, data_rng_);
  test_ = make_vin_dataset(*prototype_, cfg_.test_maps, cfg_.trajectories, data_rng_);
  have_data_ = true;
  if (cfg_.epochs == 0) {
    evaluate();
    trained_ = true;
  }
}

void VinAgent::think(const Env& real, const Vec&, const AgentClock&) {
  if (!have_data_) return build_data(real);
  for (int b = 0; b < cfg_.batches_per_tick && !trained_; ++b) train_batch();
}

void VinAgent::train_batch() {
  if (batch_ends_.empty()) {
    // A new epoch: the training maps in a new random order, cut into batches of whole maps with
    // at least batch_size samples (the last one may hold fewer).
    order_.resize(train_.size());
    for (size_t i = 0; i < order_.size(); ++i) order_[i] = int(i);
    for (size_t i = order_.size(); i > 1; --i) std::swap(order_[i - 1], order_[size_t(rng_.below(i))]);
    size_t in_batch = 0;
    for (size_t i = 0; i < order_.size(); ++i) {
      in_batch += train_[size_t(order_[i])].cells.size();
      if (in_batch >= size_t(cfg_.batch_size) || i + 1 == order_.size()) {
        batch_ends_.push_back(int(i + 1));
        in_batch = 0;
      }
    }
    next_batch_ = 0;
    loss_sum_.assign(nets_.size(), 0);
    correct_.assign(nets_.size(), 0);
    seen_ = 0;
  }
  std::vector<const MapSamples*> batch;
  for (int i = next_batch_ ? batch_ends_[next_batch_ - 1] : 0; i < batch_ends_[next_batch_]; ++i)
    batch.push_back(&train_[size_t(order_[size_t(i)])]);
  ++next_batch_;
  for (size_t i = 0; i < nets_.size(); ++i) {
    int right = 0;
    loss_sum_[i] += nets_[i]->train_batch(batch, right);
    correct_[i] += right;
  }
  for (const auto* m : batch) seen_ += double(m->cells.size());
  if (next_batch_ < batch_ends_.size()) return;
  for (size_t i = 0; i < nets_.size(); ++i) train_error_[i].push_back(100.0 * (1.0 - correct_[i] / std::max(1.0, seen_)));
  batch_ends_.clear();
  next_batch_ = 0;
  ++epoch_;
  evaluate();
  if (epoch_ >= cfg_.epochs) trained_ = true;
}

void VinAgent::evaluate() {
  for (size_t i = 0; i < nets_.size(); ++i) {
    double right = 0, total = 0, reached = 0, rollouts = 0;
    for (const MapSamples& ms : test_) {
      const std::vector<int> a = greedy_actions(nets_[i]->cell_logits(ms.map));
      for (size_t j = 0; j < ms.cells.size(); ++j) right += a[size_t(ms.cells[j])] == ms.actions[j];
      total += double(ms.cells.size());
      // One rollout per held-out map from its first trajectory's start (test.py: n_traj = 1).
      const int start = ms.starts.front();
      const std::vector<double> dist = distances_to_goal(ms.map);
      const int n = int(expert_path(ms.map, dist, start).size()) - 1;
      reached += greedy_path(ms.map, a, start, rollout_budget(n)).back() == ms.map.state_of(ms.map.goal);
      ++rollouts;
    }
    accuracy_[i].push_back(100.0 * right / std::max(1.0, total));
    success_[i] = 100.0 * reached / std::max(1.0, rollouts);
  }
}

void VinAgent::begin_episode(int, const Vec& obs) {
  new_episode_ = true;
  ep_steps_ = 0;
  ep_length_ = 0;
  ep_reached_ = false;
  ep_start_ = int(obs[0]);
}

void VinAgent::before_step(const Env& real, const Vec&) {
  if (!new_episode_) return;
  // A new held-out map: the acting network's greedy action at every cell (one VI pass).
  new_episode_ = false;
  map_ = current_map(real);
  actions_ = greedy_actions(nets_[0]->cell_logits(map_));
  const std::vector<int> path = expert_path(map_, distances_to_goal(map_), ep_start_);
  expert_moves_ = int(path.size()) - 1;
  expert_length_ = path_length(map_, path);
}

Vec VinAgent::act(const Vec& obs) { return Vec::Constant(1, actions_[size_t(obs[0])]); }

void VinAgent::observe(const Transition& t, bool) {
  ++ep_steps_;
  ep_length_ += move_length(int(t.action[0]));
  if (t.terminated) ep_reached_ = true;
}

std::vector<std::string> VinAgent::metric_columns() const {
  // No success column: the env cuts an episode at the rollout budget, so terminated is test.py's
  // success.
  std::vector<std::string> c = {"steps",        "env_steps",     "return",        "terminated",
                                "length_ratio", "expert_steps",  "test_accuracy", "rollout_success"};
  if (nets_.size() > 1) c.insert(c.end(), {"baseline_test_accuracy", "baseline_rollout_success"});
  return c;
}

std::vector<double> VinAgent::episode_metrics() const {
  // ep_reached_: the env terminated the episode, which it does only within the rollout budget.
  std::vector<double> m = {ep_reached_ && expert_length_ > 0 ? ep_length_ / expert_length_ : 0.0, double(expert_moves_),
                           test_accuracy(0), rollout_success(0)};
  if (nets_.size() > 1) m.insert(m.end(), {test_accuracy(1), rollout_success(1)});
  return m;
}

void VinAgent::add_figures(std::vector<Figure>& figures, const AgentClock&) const {
  Figure acc{"test_accuracy", "Held-out action accuracy", "epoch", "% expert's action", {}, false};
  Figure err{"training_error", "Training error", "epoch", "% not the expert's action", {}, false};
  for (size_t i = 0; i < nets_.size(); ++i) {
    const std::string name = nets_[i]->name() == "vin" ? "VIN" : "reactive";
    auto& a = acc.series_named(name);
    auto& e = err.series_named(name);
    for (size_t k = 0; k < accuracy_[i].size(); ++k) a.x.push_back(double(k + 1)), a.y.push_back(accuracy_[i][k]);
    for (size_t k = 0; k < train_error_[i].size(); ++k) e.x.push_back(double(k + 1)), e.y.push_back(train_error_[i][k]);
  }
  figures.push_back(std::move(acc));
  figures.push_back(std::move(err));
}

void VinAgent::publish(Snapshot& s) const {
  auto v = std::make_shared<VinView>();
  if (s.world)
    if (const auto g = s.world->grid_layout(); g && g->rows == g->cols) {
      const GridLayout& m = *g;
      v->size = m.rows;
      v->obstacle.assign(m.walls.begin(), m.walls.end());
      v->goal = m.state_of(m.goal);
      v->start = m.state_of(m.start);
      v->expert_path = expert_path(m, distances_to_goal(m), v->start);
      // The env's own episode limit: the rollout budget from its start (or a fixed limit).
      const int max_moves = s.world->max_episode_steps();
      if (const VinPolicy* vin = vin_policy()) {
        // The VI module on this map: r and v_0 .. v_K (cheap: one map).
        const VinNetwork::Cache c = vin->values(m, vin->network().shape().k);
        v->reward.assign(c.r.data(), c.r.data() + c.r.size());
        for (long k = 0; k < c.v.cols(); ++k) v->values.emplace_back(c.v.col(k).data(), c.v.col(k).data() + c.v.rows());
      }
      for (const auto& net : nets_) {
        std::vector<int> path = greedy_path(m, greedy_actions(net->cell_logits(m)), v->start, max_moves);
        (net->name() == "vin" ? v->vin_path : v->reactive_path) = std::move(path);
      }
    }
  v->acting = cfg_.network;
  v->epoch = epoch_;
  v->epochs = cfg_.epochs;
  for (size_t i = 0; i < nets_.size(); ++i)
    (nets_[i]->name() == "vin" ? v->vin_test_accuracy : v->reactive_test_accuracy) = test_accuracy(i);
  auto pct = [](double x) { return x < 0 ? std::string("-") : format_number(std::round(x * 100) / 100) + "%"; };
  add_phase(s, !have_data_ ? "building maps" : trained_ ? "rollouts on held-out maps" : "training");
  s.stats.push_back({"epoch", std::to_string(epoch_) + " / " + std::to_string(cfg_.epochs)});
  s.stats.push_back({"training maps / samples", std::to_string(train_.size()) + " / " + std::to_string(sample_count(train_))});
  for (size_t i = 0; i < nets_.size(); ++i) {
    const std::string name = nets_[i]->name() == "vin" ? "VIN" : "reactive";
    s.stats.push_back({name + " held-out accuracy", pct(test_accuracy(i))});
    s.stats.push_back({name + " held-out success", pct(rollout_success(i))});
  }
  s.vin = std::move(v);
}

void VinAgent::apply_live(const AgentSettings& settings, const LiveEdit&) {
  const VinConfig& c = static_cast<const ConfigSettings<VinSettingsConfig>&>(settings).cfg.vin;
  cfg_.lr = c.lr;
  cfg_.reactive_lr = c.reactive_lr;
  cfg_.batches_per_tick = c.batches_per_tick;
  for (auto& n : nets_) {
    if (auto* p = dynamic_cast<VinPolicy*>(n.get())) p->set_lr(c.lr);
    if (auto* p = dynamic_cast<ReactivePolicy*>(n.get())) p->set_lr(c.reactive_lr);
  }
}

void VinAgent::visit_state(StateVisitor& v, const Env& real, const Vec& obs) {
  // The datasets are a function of the seed (rebuilt on load); the epoch in progress is its map
  // order, its batches' ends and the next batch.
  v.field("rng", rng_);
  v.field("epoch_order", order_);
  v.field("epoch_batch_ends", batch_ends_);
  int next = int(next_batch_);
  v.field("next_batch", next);
  next_batch_ = size_t(next);
  v.field("epoch_loss_sum", loss_sum_);
  v.field("epoch_correct", correct_);
  v.field("epoch_samples", seen_);
  v.field("have_data", have_data_);
  v.field("trained", trained_);
  v.field("epoch", epoch_);
  for (size_t i = 0; i < nets_.size(); ++i) {
    v.section("net_" + std::to_string(i), [&](StateVisitor& s) { nets_[i]->visit_state(s); });
    v.field("accuracy_" + std::to_string(i), accuracy_[i]);
    v.field("train_error_" + std::to_string(i), train_error_[i]);
    v.field("success_" + std::to_string(i), success_[i]);
  }
  v.field("new_episode", new_episode_);
  v.field("episode_steps", ep_steps_);
  v.field("episode_start", ep_start_);
  v.field("episode_length", ep_length_);
  v.field("episode_reached", ep_reached_);
  if (v.loading()) {
    if (have_data_) {
      Rng data = data_rng_;
      train_ = make_vin_dataset(*prototype_, cfg_.train_maps, cfg_.trajectories, data);
      test_ = make_vin_dataset(*prototype_, cfg_.test_maps, cfg_.trajectories, data);
    }
    for (int i : order_)
      if (i < 0 || size_t(i) >= train_.size()) v.fail("epoch_order", "training map indices below " + std::to_string(train_.size()));
    for (int e : batch_ends_)
      if (e < 1 || size_t(e) > order_.size()) v.fail("epoch_batch_ends", "batch ends in [1, " + std::to_string(order_.size()) + "]");
    if (next_batch_ > batch_ends_.size()) v.fail("next_batch", "at most " + std::to_string(batch_ends_.size()));
    if (!batch_ends_.empty() && (loss_sum_.size() != nets_.size() || correct_.size() != nets_.size()))
      v.fail("epoch_loss_sum", std::to_string(nets_.size()) + " values");
    if (!new_episode_) {
      new_episode_ = true;
      const int steps = ep_steps_;
      const double length = ep_length_;
      before_step(real, obs);
      ep_steps_ = steps, ep_length_ = length;
    }
  }
}

AgentFamily vin_family() {
  AgentFamily f;
  f.name = "vin";
  f.description = "value iteration networks (Tamar et al. 2016) vs a reactive network, imitating shortest paths";
  f.category = "planning nets";
  f.default_episodes = 20;
  f.default_env = "obstacle_map";
  f.agents = {
      {"planning nets", "vin",
       "value iteration network: K convolutions + max over action channels, shared weights (vin.network = reactive: "
       "the reactive MLP baseline acts)",
       "vin"},
  };
  f.read = read_settings<SettingsFor<VinSettingsConfig, VinAgent>, VinSettingsConfig>;
  f.visit_fields = visit_config_json<VinSettingsConfig>;
  f.check_env = [](const Env& env, ConfigNode& env_node) {
    // The VIN imitates the expert of core/grid_moves.h, whose moves and costs only obstacle_map
    // steps by (another square grid with 8 actions would be trained on the wrong expert).
    if (env.name() != "obstacle_map") env_node.fail("name", "obstacle_map for the VIN family (got '" + env.name() + "')");
  };
  return f;
}

}  // namespace dynalab
