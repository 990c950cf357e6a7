// Session state of TabularAgent, listed once for save and load (core/state_visitor.h): the Q
// table, learned model, priority queue and RNG, so a loaded session continues bit-identically.
#include <algorithm>
#include <cmath>

#include "core/agents/tabular/tabular_agent.h"
#include "core/state_visitor.h"

namespace dynalab {

void TabularModel::visit_state(StateVisitor& v) {
  const std::string pairs = "each (state, action) once";
  if (v.loading()) std::fill(index_.begin(), index_.end(), -1);  // refilled as the entries load
  visit_records(v, "entries", entries_, [&](ModelEntry& e, StateVisitor& ev) {
    ev.bounded("state", e.state, 0, n_states_ - 1);
    ev.bounded("action", e.action, 0, n_actions_ - 1);
    ev.bounded("next_state", e.next_state, 0, n_states_ - 1);
    ev.field("reward", e.reward);
    if (ev.loading() && !std::isfinite(e.reward)) ev.fail("reward", "a finite number");
    ev.field("terminal", e.terminal);
    ev.field("last_visit", e.last_visit);
    ev.field("visits", e.visits);
    ev.field("outcome_changes", e.outcome_changes);
    visit_records(ev, "outcomes", e.outcomes, [&](ModelOutcome& o, StateVisitor& ov) {
      ov.bounded("next_state", o.next_state, 0, n_states_ - 1);
      ov.field("terminal", o.terminal);
      ov.field("mean_reward", o.mean_reward);
      ov.field("count", o.count);
      if (ov.loading() && (!std::isfinite(o.mean_reward) || o.count < 1))
        ov.fail("count", "a count of at least 1 with a finite mean_reward");
    });
    if (!ev.loading()) return;
    int& idx = index_[size_t(e.state) * n_actions_ + e.action];
    if (idx >= 0) ev.fail("action", pairs + " (entry " + std::to_string(idx) + " has it too)");
    idx = int(&e - entries_.data());
  });
  v.records(
      "predecessors", predecessors_.size(),
      [&](size_t n) {
        if (n != size_t(n_states_))
          v.fail("predecessors", std::to_string(n_states_) + " records (one per state), got " + std::to_string(n));
        for (auto& p : predecessors_) p.clear();
      },
      [&](size_t s, StateVisitor& pv) {
        std::vector<int>& p = predecessors_[s];
        pv.field("entries", p);
        if (!pv.loading()) return;
        for (int e : p)
          if (e < 0 || size_t(e) >= entries_.size() || entries_[size_t(e)].next_state != int(s))
            pv.fail("entries", "indices of entries whose next_state is " + std::to_string(s));
      });
  std::vector<int> seen;
  for (int s = 0; s < n_states_; ++s)
    if (seen_[s]) seen.push_back(s);
  v.field("seen", seen);
  if (!v.loading()) return;
  std::vector<int> listed(entries_.size(), 0);  // unlink() needs each entry under its next_state
  for (const auto& p : predecessors_)
    for (int e : p) ++listed[size_t(e)];
  for (size_t e = 0; e < listed.size(); ++e)
    if (listed[e] != 1)
      v.fail("predecessors", "each entry listed once, under its next_state (entry " + std::to_string(e) +
                                 " is listed " + std::to_string(listed[e]) + " times)");
  std::fill(seen_.begin(), seen_.end(), false);
  for (int s : seen) {
    if (s < 0 || s >= n_states_) v.fail("seen", "states in [0, " + std::to_string(n_states_) + ")");
    seen_[size_t(s)] = true;
  }
}

void TabularAgent::visit_state(StateVisitor& v) {
  v.sized("q", q_, size_t(n_states_) * n_actions_);
  v.field("rng", rng_);
  v.field("time", time_);
  v.field("real_updates", real_updates_);
  v.field("planning_updates", planning_updates_);
  struct Queued {
    double priority = 0;
    int pair = 0;  // state * n_actions + action
  };
  std::vector<Queued> queue;
  for (const auto& [p, key] : queue_) queue.push_back({p, key});
  if (v.loading()) queue_.clear(), in_queue_.clear();
  visit_records(v, "queue", queue, [&](Queued& q, StateVisitor& qv) {
    qv.field("priority", q.priority);
    qv.bounded("pair", q.pair, 0, n_states_ * n_actions_ - 1);
    if (!qv.loading()) return;
    if (!std::isfinite(q.priority)) qv.fail("priority", "a finite number");
    if (!in_queue_.emplace(q.pair, q.priority).second) qv.fail("pair", "each (state, action) queued once");
    queue_.insert({q.priority, q.pair});
  });
  v.section("model", [&](StateVisitor& mv) { model_.visit_state(mv); });
}

}  // namespace dynalab
