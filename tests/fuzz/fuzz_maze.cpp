// libFuzzer target: arbitrary bytes as a maze file; a parsed maze must also run.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/config.h"
#include "envs/grid_world.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace dynalab;
  try {
    Maze m = parse_maze(std::string(reinterpret_cast<const char*>(data), size), "fuzz.txt");
    GridWorld g(std::move(m), 50);
    g.reset(0);
    for (int i = 0; i < 50; ++i) g.step(Vec::Constant(1, i % 4));
  } catch (const InputError&) {
  }
  return 0;
}
