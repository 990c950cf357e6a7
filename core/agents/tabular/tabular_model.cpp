#include "core/agents/tabular/tabular_model.h"

#include <algorithm>

namespace dynalab {

TabularModel::TabularModel(int n_states, int n_actions)
    : n_states_(n_states),
      n_actions_(n_actions),
      index_(static_cast<size_t>(n_states) * n_actions, -1),
      predecessors_(n_states),
      seen_(n_states, false) {}

void TabularModel::link(int e) { predecessors_[entries_[e].next_state].push_back(e); }

void TabularModel::unlink(int e) {
  auto& p = predecessors_[entries_[e].next_state];
  p.erase(std::find(p.begin(), p.end(), e));
}

void TabularModel::observe(int s, int a, int s_next, double r, bool terminal, int64_t t) {
  int& idx = index_[s * n_actions_ + a];
  if (idx < 0) {
    idx = static_cast<int>(entries_.size());
    entries_.push_back({s, a, s_next, r, terminal, t, 0, 0, {}});
    link(idx);
  }
  ModelEntry& e = entries_[idx];
  if (e.visits > 0 && e.next_state != s_next) ++e.outcome_changes;
  if (e.next_state != s_next) {
    unlink(idx);
    e.next_state = s_next;
    link(idx);
  }
  e.reward = r;
  e.terminal = terminal;
  auto o = std::find_if(e.outcomes.begin(), e.outcomes.end(),
                        [&](const ModelOutcome& x) { return x.next_state == s_next && x.terminal == terminal; });
  if (o == e.outcomes.end()) o = e.outcomes.insert(e.outcomes.end(), {s_next, terminal, 0.0, 0});
  ++o->count;
  o->mean_reward += (r - o->mean_reward) / double(o->count);
  e.last_visit = t;
  ++e.visits;
  seen_[s] = true;
}

void TabularModel::add_untried(int s, int a) {
  int& idx = index_[s * n_actions_ + a];
  if (idx >= 0) return;
  idx = static_cast<int>(entries_.size());
  entries_.push_back({s, a, s, 0.0, false, 0, 0, 0, {}});
  link(idx);
}

ModelOutcome TabularModel::sample(const ModelEntry& e, Rng& rng) const {
  if (e.outcomes.empty()) return {e.next_state, e.terminal, e.reward, 0};
  if (e.outcomes.size() == 1) return e.outcomes[0];  // no draw: a deterministic pair costs nothing
  int64_t total = 0;
  for (const auto& o : e.outcomes) total += o.count;
  int64_t k = int64_t(rng.below(uint64_t(total)));
  for (const auto& o : e.outcomes)
    if ((k -= o.count) < 0) return o;
  return e.outcomes.back();
}

double TabularModel::aliased_fraction() const {
  int64_t tried = 0, aliased = 0;
  for (const auto& e : entries_)
    if (e.visits > 0) {
      ++tried;
      aliased += e.outcome_changes > 0;
    }
  return tried ? double(aliased) / double(tried) : 0.0;
}

}  // namespace dynalab
