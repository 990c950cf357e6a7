#include "envs/maze.h"

#include <fstream>
#include <sstream>

#include "core/config.h"
#include "core/experiment.h"
#include "core/number_text.h"

namespace dynalab {

namespace {

struct Layout {
  std::vector<std::string> rows;
  std::vector<int> lines;  // source line of each row
};

}  // namespace

Maze parse_maze(const std::string& text, const std::string& source) {
  Layout layouts[2];
  int current = 0, change_at = -1, change_line = 0;
  std::istringstream in(text);
  std::string line;
  for (int line_no = 1; std::getline(in, line); ++line_no) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == ';') continue;
    if (line.rfind("after", 0) == 0) {
      if (current == 1) throw InputError(source + ":" + std::to_string(line_no) + ": only one \"after N:\" change is supported");
      // "after", spaces, then all of N up to the final ':' ("after 1x:" and "after 1 :" are
      // refused).
      const size_t digits = line.find_first_not_of(" \t", 5);
      const std::optional<long long> n =
          line.back() == ':' && digits < line.size() - 1
              ? parse_integer(std::string_view(line).substr(digits, line.size() - 1 - digits), 0,
                              100000000)
              : std::nullopt;
      if (!n)
        throw InputError(source + ":" + std::to_string(line_no) +
                         ": expected \"after N:\" with a step count N in [0, 100000000]");
      change_at = static_cast<int>(*n);
      change_line = line_no;
      current = 1;
      continue;
    }
    for (char ch : line)
      if (ch != 'S' && ch != 'G' && ch != '#' && ch != '.' && !(ch >= 'a' && ch <= 'j'))
        throw InputError(source + ":" + std::to_string(line_no) + ": unknown character '" + std::string(1, ch) +
                         "' (expected S, G, #, . or an object letter a..j)");
    layouts[current].rows.push_back(line);
    layouts[current].lines.push_back(line_no);
  }
  const Layout& base = layouts[0];
  if (base.rows.empty()) throw InputError(source + ": empty maze (expected rows of S, G, # and .)");
  Maze m;
  m.rows = static_cast<int>(base.rows.size());
  m.cols = static_cast<int>(base.rows[0].size());
  if (m.rows > 1000 || m.cols > 1000) throw InputError(source + ": maze too large (at most 1000 x 1000)");
  auto read_walls = [&](const Layout& l, bool second) {
    std::vector<bool> walls(m.rows * m.cols);
    if (static_cast<int>(l.rows.size()) != m.rows)
      throw InputError(source + ":" + std::to_string(change_line) + ": the layout after the change has " +
                       std::to_string(l.rows.size()) + " rows, expected " + std::to_string(m.rows));
    int starts = 0, goals = 0;
    for (int r = 0; r < m.rows; ++r) {
      if (static_cast<int>(l.rows[r].size()) != m.cols)
        throw InputError(source + ":" + std::to_string(l.lines[r]) + ": ragged row: " + std::to_string(l.rows[r].size()) +
                         " cells, expected " + std::to_string(m.cols) + " like the first row");
      for (int c = 0; c < m.cols; ++c) {
        const char ch = l.rows[r][c];
        walls[r * m.cols + c] = ch == '#';
        if (ch == 'S') {
          if (++starts > 1) throw InputError(source + ":" + std::to_string(l.lines[r]) + ": a second start 'S'");
          if (!second) m.start = {r, c};
        }
        if (ch == 'G') {
          if (++goals > 1) throw InputError(source + ":" + std::to_string(l.lines[r]) + ": a second goal 'G'");
          if (!second) m.goal = {r, c};
          if (second && !m.has_goal())
            throw InputError(source + ":" + std::to_string(l.lines[r]) +
                             ": a goal 'G' after the change, but none before it (objects alone end this maze)");
          if (second && !(Cell{r, c} == m.goal)) m.changed_goal = Cell{r, c};
        }
        if (ch >= 'a' && ch <= 'j' && !second) {
          const size_t k = size_t(ch - 'a');
          if (m.objects.size() <= k) m.objects.resize(k + 1, Cell{-1, -1});
          if (m.objects[k].row >= 0)
            throw InputError(source + ":" + std::to_string(l.lines[r]) + ": a second object '" + std::string(1, ch) + "'");
          m.objects[k] = {r, c};
        }
      }
    }
    if (!second && starts == 0) throw InputError(source + ": no start 'S' in the maze");
    if (!second && goals == 0) {
      if (m.objects.empty()) throw InputError(source + ": no goal 'G' in the maze");
      m.goal = {-1, -1};  // objects alone end episodes
    }
    for (size_t k = 0; !second && k < m.objects.size(); ++k)
      if (m.objects[k].row < 0)
        throw InputError(source + ": object '" + std::string(1, char('a' + k)) + "' is missing (letters a, b, ... without gaps)");
    return walls;
  };
  m.walls = read_walls(base, false);
  if (change_at >= 0) {
    if (layouts[1].rows.empty())
      throw InputError(source + ":" + std::to_string(change_line) + ": \"after N:\" must be followed by a layout");
    m.changed_walls = read_walls(layouts[1], true);
    m.change_at = change_at;
    const Cell g = m.goal_at(true);
    if (m.wall(m.start.row, m.start.col, true) || (m.has_goal() && m.wall(g.row, g.col, true)) || g == m.start)
      throw InputError(source + ":" + std::to_string(change_line) + ": the change puts a wall on the start or the goal, or the goal on the start");
  }
  return m;
}

Maze load_maze(const std::string& name_or_path) {
  std::string path = name_or_path;
  const bool is_file = path.find('/') != std::string::npos || path.ends_with(".txt");
  if (!is_file) path = (assets_dir() / "mazes" / (name_or_path + ".txt")).string();
  std::ifstream f(path);
  if (!f) throw InputError(path + ": cannot open maze file");
  std::stringstream ss;
  ss << f.rdbuf();
  Maze m = parse_maze(ss.str(), path);
  m.name = std::filesystem::path(path).stem().string();
  return m;
}

}  // namespace dynalab
