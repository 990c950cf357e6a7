// libFuzzer target: arbitrary bytes as a maze file; a parsed maze must also run, and must read
// back the same from the text it stands for (a number half-read from "after N:" would not).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/config.h"
#include "envs/grid_world.h"

namespace {
/// The maze as text in the file format: layout (with the object letters), then "after N:" and the
/// changed layout (with the goal where it moves to).
std::string to_text(const dynalab::Maze& m) {
  std::string out;
  auto layout = [&](bool changed) {
    for (int r = 0; r < m.rows; ++r) {
      for (int c = 0; c < m.cols; ++c) {
        const dynalab::Cell cell{r, c};
        char ch = m.wall(r, c, changed) ? '#' : m.start == cell ? 'S' : m.goal_at(changed) == cell ? 'G' : '.';
        for (size_t k = 0; k < m.objects.size() && !changed; ++k)
          if (m.objects[k] == cell) ch = char('a' + k);
        out += ch;
      }
      out += '\n';
    }
  };
  layout(false);
  if (m.changed_walls) {
    out += "after " + std::to_string(m.change_at) + ":\n";
    layout(true);
  }
  return out;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace dynalab;
  try {
    Maze m = parse_maze(std::string(reinterpret_cast<const char*>(data), size), "fuzz.txt");
    const Maze again = parse_maze(to_text(m), "again.txt");
    if (again.rows != m.rows || again.cols != m.cols || again.walls != m.walls ||
        again.start != m.start || again.goal != m.goal || again.changed_walls != m.changed_walls ||
        again.change_at != m.change_at || again.changed_goal != m.changed_goal || again.objects != m.objects)
      std::abort();
    GridWorld g(std::move(m), 50);
    g.reset(0);
    for (int i = 0; i < 50; ++i) g.step(Vec::Constant(1, i % 4));
  } catch (const InputError&) {
  }
  return 0;
}
