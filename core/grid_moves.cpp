#include "core/grid_moves.h"

#include <cmath>
#include <functional>
#include <limits>
#include <queue>

namespace dynalab {

namespace {
constexpr double kGridMoveTie = 1e-9;  // lengths are sums of 1 and sqrt 2: ties agree to round-off
}

double move_length(int a) { return a < 4 ? 1.0 : std::sqrt(2.0); }

int move_cell(const GridLayout& g, int cell, int a) {
  const Cell from = g.cell_of(cell);
  const Cell to{from.row + kMoveRow[size_t(a)], from.col + kMoveCol[size_t(a)]};
  return g.inside(to) && !g.wall(to) ? g.state_of(to) : cell;
}

std::vector<double> distances_to_goal(const GridLayout& g) {
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> d(size_t(g.rows) * size_t(g.cols), inf);
  using Item = std::pair<double, int>;
  std::priority_queue<Item, std::vector<Item>, std::greater<Item>> open;
  const int goal = g.state_of(g.goal);
  d[size_t(goal)] = 0;
  open.push({0.0, goal});
  while (!open.empty()) {
    const auto [dist, cell] = open.top();
    open.pop();
    if (dist > d[size_t(cell)]) continue;
    // Moves are reversible between free cells (a move needs only a free destination), so the
    // distance from a cell to the goal is the distance from the goal to it.
    for (int a = 0; a < kGridMoves; ++a) {
      const int next = move_cell(g, cell, a);
      if (next == cell) continue;
      const double nd = dist + move_length(a);
      if (nd < d[size_t(next)] - kGridMoveTie) {
        d[size_t(next)] = nd;
        open.push({nd, next});
      }
    }
  }
  return d;
}

bool optimal_action(const GridLayout& g, const std::vector<double>& dist, int cell, int a) {
  const int next = move_cell(g, cell, a);
  return next != cell && std::isfinite(dist[size_t(cell)]) &&
         move_length(a) + dist[size_t(next)] <= dist[size_t(cell)] + kGridMoveTie;
}

int expert_action(const GridLayout& g, const std::vector<double>& dist, int cell) {
  if (cell == g.state_of(g.goal) || !std::isfinite(dist[size_t(cell)])) return -1;
  for (int a = 0; a < kGridMoves; ++a)
    if (optimal_action(g, dist, cell, a)) return a;
  return -1;
}

std::vector<int> expert_path(const GridLayout& g, const std::vector<double>& dist, int start) {
  if (!std::isfinite(dist[size_t(start)])) return {};
  const int goal = g.state_of(g.goal);
  std::vector<int> path{start};
  while (path.back() != goal) path.push_back(move_cell(g, path.back(), expert_action(g, dist, path.back())));
  return path;
}

double path_length(const GridLayout& g, const std::vector<int>& cells) {
  double len = 0;
  for (size_t i = 1; i < cells.size(); ++i) {
    const Cell a = g.cell_of(cells[i - 1]), b = g.cell_of(cells[i]);
    const int dr = std::abs(a.row - b.row), dc = std::abs(a.col - b.col);
    len += dr && dc ? std::sqrt(2.0) : double(dr + dc);
  }
  return len;
}

}  // namespace dynalab
