#include "core/agents/tabular/tabular_agent.h"

#include <cmath>

namespace dynalab {

const std::vector<std::string>& TabularConfig::models() {
  static const std::vector<std::string> k = {"deterministic", "maximum_likelihood"};
  return k;
}

const std::vector<std::string>& TabularConfig::algorithms() {
  static const std::vector<std::string> k = {"q_learning", "dyna_q", "dyna_q_plus", "prioritized_sweeping"};
  return k;
}

TabularAgent::TabularAgent(int n_states, int n_actions, TabularConfig cfg, Rng rng)
    : n_states_(n_states),
      n_actions_(n_actions),
      cfg_(std::move(cfg)),
      rng_(rng),
      q_(static_cast<size_t>(n_states) * n_actions, 0.0),
      model_(n_states, n_actions) {}

void TabularAgent::set_config(const TabularConfig& cfg) {
  const std::string algorithm = cfg_.algorithm;
  cfg_ = cfg;
  cfg_.algorithm = algorithm;
}

double TabularAgent::max_q(int s) const {
  double m = q_[s * n_actions_];
  for (int a = 1; a < n_actions_; ++a) m = std::max(m, q_[s * n_actions_ + a]);
  return m;
}

int TabularAgent::greedy(int s) {
  const double m = max_q(s);
  ties_.clear();
  for (int a = 0; a < n_actions_; ++a)
    if (q_[s * n_actions_ + a] == m) ties_.push_back(a);
  return ties_.size() == 1 ? ties_[0] : ties_[rng_.below(ties_.size())];
}

int TabularAgent::act(int s) {
  if (rng_.uniform() < cfg_.epsilon) return static_cast<int>(rng_.below(n_actions_));
  return greedy(s);
}

double TabularAgent::target_error(int s, int a, double r, int s_next, bool terminal) const {
  const double target = r + (terminal ? 0.0 : cfg_.gamma * max_q(s_next));
  return target - q_[s * n_actions_ + a];
}

double TabularAgent::update(int s, int a, double r, int s_next, bool terminal) {
  const double delta = cfg_.alpha * target_error(s, a, r, s_next, terminal);
  q_[s * n_actions_ + a] += delta;
  return delta;
}

const std::vector<QUpdate>& TabularAgent::learn(int s, int a, double r, int s_next, bool terminal) {
  ++time_;
  last_.clear();
  const bool prioritized = cfg_.algorithm == "prioritized_sweeping";
  if (direct_update()) {  // the hybrid's learning step; strict agents learn from the model only
    last_.push_back({s, a, update(s, a, r, s_next, terminal), false});
    ++real_updates_;
  }
  if (!uses_model()) return last_;
  model_.observe(s, a, s_next, r, terminal, time_);
  if (cfg_.algorithm == "dyna_q_plus")
    for (int b = 0; b < n_actions_; ++b) model_.add_untried(s, b);
  if (prioritized)
    plan_prioritized(s, a);
  else
    for (int i = 0; i < cfg_.planning_steps; ++i) plan_uniform();
  return last_;
}

void TabularAgent::plan_uniform() {
  const auto& entries = model_.entries();
  const ModelEntry& e = entries[rng_.below(entries.size())];
  ModelOutcome o{e.next_state, e.terminal, e.reward, 0};
  if (cfg_.model == "maximum_likelihood") o = model_.sample(e, rng_);
  double r = o.mean_reward;
  if (cfg_.algorithm == "dyna_q_plus") r += cfg_.kappa * std::sqrt(double(time_ - e.last_visit));
  last_.push_back({e.state, e.action, update(e.state, e.action, r, o.next_state, o.terminal), true});
  ++planning_updates_;
}

void TabularAgent::push_priority(int s, int a, double p) {
  if (!(p > cfg_.theta)) return;
  const int key = s * n_actions_ + a;
  auto it = in_queue_.find(key);
  if (it != in_queue_.end()) {
    if (it->second >= p) return;
    queue_.erase({it->second, key});
  }
  in_queue_[key] = p;
  queue_.insert({p, key});
}

void TabularAgent::plan_prioritized(int s, int a) {
  const ModelEntry& e = model_.entry(s, a);
  push_priority(s, a, std::abs(target_error(s, a, e.reward, e.next_state, e.terminal)));
  for (int i = 0; i < cfg_.planning_steps && !queue_.empty(); ++i) {
    const auto [p, key] = *queue_.begin();
    queue_.erase(queue_.begin());
    in_queue_.erase(key);
    const int qs = key / n_actions_, qa = key % n_actions_;
    const ModelEntry& m = model_.entry(qs, qa);
    last_.push_back({qs, qa, update(qs, qa, m.reward, m.next_state, m.terminal), true});
    ++planning_updates_;
    for (int pi : model_.predecessors(qs)) {
      const ModelEntry& pred = model_.entries()[pi];
      push_priority(pred.state, pred.action,
                    std::abs(target_error(pred.state, pred.action, pred.reward, qs, pred.terminal)));
    }
  }
}

}  // namespace dynalab
