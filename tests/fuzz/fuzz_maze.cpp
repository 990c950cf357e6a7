// libFuzzer target: arbitrary bytes as a maze file; a parsed maze must also run, and must read
// back the same from the text it stands for (a number half-read from "after N:" would not).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/config.h"
#include "envs/grid_world.h"

namespace {
/// The maze as text in the file format: layout, then "after N:" and the changed layout.
std::string to_text(const dynalab::Maze& m) {
  std::string out;
  auto layout = [&](bool changed) {
    for (int r = 0; r < m.rows; ++r) {
      for (int c = 0; c < m.cols; ++c) {
        const bool wall = m.wall(r, c, changed);
        out += wall                             ? '#'
               : m.start == dynalab::Cell{r, c} ? 'S'
               : m.goal == dynalab::Cell{r, c}  ? 'G'
                                                : '.';
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
        again.change_at != m.change_at)
      std::abort();
    GridWorld g(std::move(m), 50);
    g.reset(0);
    for (int i = 0; i < 50; ++i) g.step(Vec::Constant(1, i % 4));
  } catch (const InputError&) {
  }
  return 0;
}
