// Session save/load of TabularAgent: the Q table, learned model, priority queue and RNG, so a
// loaded session continues bit-identically.
#include <algorithm>

#include "core/agents/tabular_agent.h"
#include "core/session.h"

namespace dynalab {

Json TabularModel::save_state() const {
  Json entries = Json::array();
  for (const auto& e : entries_)
    entries.push_back({e.state, e.action, e.next_state, session_number(e.reward), e.terminal,
                       e.last_visit, e.visits, e.outcome_changes});
  Json preds = Json::array();
  for (const auto& p : predecessors_) preds.push_back(p);
  std::vector<int> seen;
  for (int s = 0; s < n_states_; ++s)
    if (seen_[s]) seen.push_back(s);
  return {{"entries", entries}, {"predecessors", preds}, {"seen", seen}};
}

void TabularModel::load_state(const SessionReader& r) {
  const Json& entries = r.array("entries");
  entries_.clear();
  std::fill(index_.begin(), index_.end(), -1);
  for (size_t i = 0; i < entries.size(); ++i) {
    const Json& e = entries[i];
    const std::string key = "entries[" + std::to_string(i) + "]";
    if (!e.is_array() || e.size() != 8 || !e[4].is_boolean())
      r.fail(key,
             "[state, action, next_state, reward, terminal, last_visit, visits, outcome_changes]");
    // Each integer is range-checked before it is converted (a get<int>() would wrap 2^32 to 0).
    const auto state = json_integer(e[0], 0, n_states_ - 1),
               action = json_integer(e[1], 0, n_actions_ - 1),
               next = json_integer(e[2], 0, n_states_ - 1);
    if (!state || !action || !next)
      r.fail(key, "states in [0, " + std::to_string(n_states_) + ") and actions in [0, " +
                      std::to_string(n_actions_) + ")");
    const auto last_visit = json_integer<int64_t>(e[5]), visits = json_integer<int64_t>(e[6]),
               changes = json_integer<int64_t>(e[7]);
    if (!last_visit || !visits || !changes) r.fail(key, "integers in fields 5-7");
    ModelEntry m;
    m.state = int(*state), m.action = int(*action), m.next_state = int(*next);
    if (!e[3].is_number()) r.fail(key, "a finite reward");
    m.reward = e[3].get<double>();
    m.terminal = e[4].get<bool>();
    m.last_visit = *last_visit, m.visits = *visits, m.outcome_changes = *changes;
    int& idx = index_[size_t(m.state) * n_actions_ + m.action];
    if (idx >= 0) r.fail(key, "each (state, action) once");
    idx = int(entries_.size());
    entries_.push_back(m);
  }
  const Json& preds = r.array("predecessors", size_t(n_states_));
  for (int s = 0; s < n_states_; ++s) {
    predecessors_[s].clear();
    const std::string key = "predecessors[" + std::to_string(s) + "]";
    if (!preds[s].is_array()) r.fail(key, "an array of entry indices");
    for (const Json& v : preds[s]) {
      const auto entry = json_integer(v, 0, int64_t(entries_.size()) - 1);
      if (!entry || entries_[size_t(*entry)].next_state != s)
        r.fail(key, "indices of entries whose next_state is " + std::to_string(s));
      predecessors_[s].push_back(int(*entry));
    }
  }
  std::fill(seen_.begin(), seen_.end(), false);
  for (int64_t s : r.integers("seen")) {
    if (s < 0 || s >= n_states_) r.fail("seen", "states in [0, " + std::to_string(n_states_) + ")");
    seen_[s] = true;
  }
}

Json TabularAgent::save_state() const {
  Json queue = Json::array();
  for (const auto& [p, key] : queue_) queue.push_back({session_number(p), key});
  return {{"q", session_numbers(q_.data(), q_.size())},
          {"rng", session_rng(rng_.state())},
          {"time", time_},
          {"real_updates", real_updates_},
          {"planning_updates", planning_updates_},
          {"queue", queue},
          {"model", model_.save_state()}};
}

void TabularAgent::load_state(const SessionReader& r) {
  q_ = r.doubles("q", q_.size());
  rng_.set_state(r.rng("rng"));
  time_ = r.integer("time");
  real_updates_ = r.integer("real_updates");
  planning_updates_ = r.integer("planning_updates");
  queue_.clear();
  in_queue_.clear();
  const Json& queue = r.array("queue");
  for (size_t i = 0; i < queue.size(); ++i) {
    const Json& e = queue[i];
    const auto sa = e.is_array() && e.size() == 2
                        ? json_integer(e[1], 0, int64_t(n_states_) * n_actions_ - 1)
                        : std::nullopt;
    if (!sa || !e[0].is_number())
      r.fail("queue[" + std::to_string(i) + "]", "[priority, state * n_actions + action]");
    queue_.insert({e[0].get<double>(), int(*sa)});
    in_queue_[int(*sa)] = e[0].get<double>();
  }
  model_.load_state(r.child("model"));
}

}  // namespace dynalab
