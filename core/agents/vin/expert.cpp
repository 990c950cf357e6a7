#include "core/agents/vin/expert.h"

#include <cmath>
#include <deque>
#include <queue>

namespace dynalab {

namespace {
constexpr double kVinTie = 1e-9;  // lengths are sums of 1 and sqrt 2: ties agree to round-off
}

double move_length(int a) { return a < 4 ? 1.0 : std::sqrt(2.0); }

int move_cell(const ObstacleMap& m, int cell, int a) {
  const int r = m.row(cell) + kMoveRow[size_t(a)], c = m.col(cell) + kMoveCol[size_t(a)];
  return m.free(r, c) ? m.cell(r, c) : cell;
}

std::vector<double> distances_to_goal(const ObstacleMap& m) {
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> d(size_t(m.cells()), inf);
  using Item = std::pair<double, int>;
  std::priority_queue<Item, std::vector<Item>, std::greater<Item>> open;
  d[size_t(m.goal)] = 0;
  open.push({0.0, m.goal});
  while (!open.empty()) {
    const auto [dist, cell] = open.top();
    open.pop();
    if (dist > d[size_t(cell)]) continue;
    // Moves are reversible between free cells (a move needs only a free destination), so the
    // distance from a cell to the goal is the distance from the goal to it.
    for (int a = 0; a < kVinActions; ++a) {
      const int next = move_cell(m, cell, a);
      if (next == cell) continue;
      const double nd = dist + move_length(a);
      if (nd < d[size_t(next)] - kVinTie) {
        d[size_t(next)] = nd;
        open.push({nd, next});
      }
    }
  }
  return d;
}

std::vector<int> moves_to_goal(const ObstacleMap& m) {
  std::vector<int> d(size_t(m.cells()), -1);
  std::deque<int> open{m.goal};
  d[size_t(m.goal)] = 0;
  while (!open.empty()) {
    const int cell = open.front();
    open.pop_front();
    for (int a = 0; a < kVinActions; ++a) {
      const int next = move_cell(m, cell, a);
      if (next != cell && d[size_t(next)] < 0) {
        d[size_t(next)] = d[size_t(cell)] + 1;
        open.push_back(next);
      }
    }
  }
  return d;
}

bool optimal_action(const ObstacleMap& m, const std::vector<double>& dist, int cell, int a) {
  const int next = move_cell(m, cell, a);
  return next != cell && std::isfinite(dist[size_t(cell)]) &&
         move_length(a) + dist[size_t(next)] <= dist[size_t(cell)] + kVinTie;
}

int expert_action(const ObstacleMap& m, const std::vector<double>& dist, int cell) {
  if (cell == m.goal || !std::isfinite(dist[size_t(cell)])) return -1;
  for (int a = 0; a < kVinActions; ++a)
    if (optimal_action(m, dist, cell, a)) return a;
  return -1;
}

std::vector<int> expert_path(const ObstacleMap& m, const std::vector<double>& dist, int start) {
  if (!std::isfinite(dist[size_t(start)])) return {};
  std::vector<int> path{start};
  while (path.back() != m.goal) path.push_back(move_cell(m, path.back(), expert_action(m, dist, path.back())));
  return path;
}

double path_length(const ObstacleMap& m, const std::vector<int>& cells) {
  double len = 0;
  for (size_t i = 1; i < cells.size(); ++i) {
    const int dr = std::abs(m.row(cells[i]) - m.row(cells[i - 1]));
    const int dc = std::abs(m.col(cells[i]) - m.col(cells[i - 1]));
    len += dr && dc ? std::sqrt(2.0) : double(dr + dc);
  }
  return len;
}

}  // namespace dynalab
