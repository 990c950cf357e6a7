#include <doctest/doctest.h>

#include "core/config.h"
#include "envs/grid_world.h"

namespace test_grid_world {

using namespace dynalab;

namespace {
Vec act(int a) { return Vec::Constant(1, a); }
GridWorld world(const std::string& text) { return GridWorld(parse_maze(text, "test.txt")); }
}  // namespace

TEST_CASE("moves go where they point; walls and edges leave the agent in place") {
  GridWorld g = world("S.#\n...\n..G\n");
  g.reset(0);
  CHECK(g.agent() == Cell{0, 0});
  g.step(act(GridWorld::up));  // off the top edge
  CHECK(g.agent() == Cell{0, 0});
  g.step(act(GridWorld::left));  // off the left edge
  CHECK(g.agent() == Cell{0, 0});
  g.step(act(GridWorld::right));
  CHECK(g.agent() == Cell{0, 1});
  g.step(act(GridWorld::right));  // into the wall
  CHECK(g.agent() == Cell{0, 1});
  g.step(act(GridWorld::down));
  CHECK(g.agent() == Cell{1, 1});
}

TEST_CASE("reward 1 and termination exactly on reaching the goal") {
  GridWorld g = world("S.G\n");
  CHECK(g.reset(0)[0] == 0);
  StepResult r = g.step(act(GridWorld::right));
  CHECK(r.reward == 0.0);
  CHECK_FALSE(r.terminated);
  r = g.step(act(GridWorld::right));
  CHECK(r.reward == 1.0);
  CHECK(r.terminated);
  CHECK(r.obs[0] == 2);
}

TEST_CASE("episodes are truncated at the step limit") {
  GridWorld g(parse_maze("S.G\n", "t"), 3);
  g.reset(0);
  CHECK_FALSE(g.step(act(GridWorld::left)).truncated);
  CHECK_FALSE(g.step(act(GridWorld::left)).truncated);
  const StepResult r = g.step(act(GridWorld::left));
  CHECK(r.truncated);
  CHECK_FALSE(r.terminated);
}

TEST_CASE("the blocking maze changes its walls at step 1000, counted over episodes") {
  GridWorld g(load_maze("blocking_maze"));
  g.reset(0);
  CHECK(g.is_wall(3, 0));
  CHECK(g.is_wall(3, 7));
  CHECK_FALSE(g.is_wall(3, 8));  // the short path on the right is open
  for (int i = 0; i < 999; ++i) {
    if (g.step(act(GridWorld::left)).terminated) g.reset(0);
    if (i == 500) g.reset(0);  // a new episode does not restart the clock
  }
  CHECK_FALSE(g.changed());
  g.step(act(GridWorld::left));
  CHECK(g.changed());
  CHECK(g.is_wall(3, 8));
  CHECK_FALSE(g.is_wall(3, 0));
}

TEST_CASE("the shipped mazes have the book's layouts") {
  const Maze dyna = load_maze("dyna_maze");
  CHECK(dyna.rows == 6);
  CHECK(dyna.cols == 9);
  CHECK(dyna.start == Cell{2, 0});
  CHECK(dyna.goal == Cell{0, 8});
  int walls = 0;
  for (bool w : dyna.walls) walls += w;
  CHECK(walls == 7);
  const Maze shortcut = load_maze("shortcut_maze");
  CHECK(shortcut.change_at == 3000);
  CHECK(shortcut.start == Cell{5, 3});
  CHECK(load_maze("blocking_maze").change_at == 1000);
}

TEST_CASE("get_state and set_state restore the position, step counters and the wall clock") {
  GridWorld g(load_maze("blocking_maze"));
  g.reset(0);
  g.step(act(GridWorld::up));
  const auto s = g.get_state();
  auto c = g.clone();
  for (int i = 0; i < 5; ++i) g.step(act(GridWorld::right));
  g.set_state(s);
  for (int i = 0; i < 5; ++i) {
    const auto a = g.step(act(GridWorld::right)), b = c->step(act(GridWorld::right));
    CHECK(a.obs == b.obs);
  }
}

TEST_CASE("maze parser errors name the file and the line") {
  auto error = [](const std::string& text) {
    try {
      parse_maze(text, "m.txt");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(error("...\n..G\n") == "m.txt: no start 'S' in the maze");
  CHECK(error("S..\n...\n") == "m.txt: no goal 'G' in the maze");
  CHECK(error("S.G\n..G\n") == "m.txt:2: a second goal 'G'");
  CHECK(error("S.G\nS..\n") == "m.txt:2: a second start 'S'");
  CHECK(error("S.G\n..\n") == "m.txt:2: ragged row: 2 cells, expected 3 like the first row");
  CHECK(error("S.G\n.x.\n") == "m.txt:2: unknown character 'x' (expected S, G, #, . or an object letter a..j)");
  CHECK(error("") == "m.txt: empty maze (expected rows of S, G, # and .)");
  CHECK(error("S.G\nafter 3:\n#.G\n").find("puts a wall on the start") != std::string::npos);
  CHECK(error("Sa.\nafter 3:\nSaG\n") == "m.txt:3: a goal 'G' after the change, but none before it (objects alone end this maze)");
}

TEST_CASE("a maze's objects pay 0 until set_objects gives their rewards (the fuzzer's #Sa..#G)") {
  GridWorld g = world("#Sa..#G\n");
  g.reset(0);
  const StepResult r = g.step(act(GridWorld::right));
  CHECK(r.terminated);
  CHECK(r.reward == 0.0);
  g.set_objects({2.5});
  g.reset(0);
  CHECK(g.step(act(GridWorld::right)).reward == 2.5);
}

TEST_CASE("editing: walls toggle except on start, goal and agent; start and goal move") {
  GridWorld g = world("S..\n...\n..G\n");
  g.reset(0);
  CHECK(g.toggle_wall({1, 1}));
  CHECK(g.is_wall(1, 1));
  CHECK_FALSE(g.toggle_wall({0, 0}));
  CHECK_FALSE(g.toggle_wall({2, 2}));
  CHECK(g.move_goal({0, 2}));
  CHECK_FALSE(g.move_goal({1, 1}));  // a wall
  CHECK(g.move_start({2, 0}));
}

TEST_CASE("slip: moves go perpendicular with the configured probability, drawn from the reset seed") {
  const std::string open = "...\n.S.\n..G\n";
  GridWorld sure(parse_maze(open, "test.txt"), 100, 1.0);
  for (uint64_t seed = 0; seed < 20; ++seed) {
    sure.reset(seed);
    sure.step(act(GridWorld::up));  // slip 1: never up, always left or right
    CHECK(sure.agent().row == 1);
    CHECK(sure.agent().col != 1);
  }
  GridWorld some(parse_maze(open, "test.txt"), 100, 0.4);
  int slipped = 0;
  const int n = 4000;
  for (int i = 0; i < n; ++i) {
    some.reset(uint64_t(i));
    some.step(act(GridWorld::up));
    slipped += some.agent().row != 0;
  }
  CHECK(double(slipped) / n == doctest::Approx(0.4).epsilon(0.08));
  // The same reset seed gives the same slips; get_state/set_state carry the stream.
  GridWorld a(parse_maze(open, "test.txt"), 100, 0.5), b(parse_maze(open, "test.txt"), 100, 0.5);
  a.reset(42);
  a.step(act(GridWorld::down));
  const auto saved = a.get_state();
  std::vector<Cell> path_a;
  for (int i = 0; i < 10; ++i) a.step(act(i % 4)), path_a.push_back(a.agent());
  b.reset(7);
  b.set_state(saved);
  for (int i = 0; i < 10; ++i) {
    b.step(act(i % 4));
    CHECK(b.agent() == path_a[size_t(i)]);
  }
}

}  // namespace test_grid_world
