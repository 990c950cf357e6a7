// Sessions: save after K ticks, load into a fresh experiment, tick both M more and compare
// outputs byte for byte; broken session files are one-line InputErrors naming file and key.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <functional>

#include "core/env_registry.h"
#include "core/agents/mpc/mpc_agent.h"
#include "core/episodic_experiment.h"
#include "core/agents/tabular/dyna_agent.h"
#include "core/episodic_experiment.h"
#include "core/io/atomic_file.h"
#include "core/io/npy.h"
#include "core/models/ensemble.h"
#include "core/session.h"
#include "envs/registry.h"
#include "test_util.h"
#include "tests/session_util.h"

namespace test_session {

using namespace dynalab;
using namespace dynalab::test;

namespace {

using Pred = std::function<bool(const Experiment&)>;

/// Ticks until `pred` holds (or `max` ticks); returns the ticks done.
int64_t tick_until(Experiment& e, const Pred& pred, int64_t max) {
  int64_t n = 0;
  while (n < max && !pred(e) && e.tick()) ++n;
  return n;
}

const PlanView& plan_of(const std::shared_ptr<const Snapshot>& s) {
  REQUIRE(s->plan);
  return *s->plan;
}

/// Every file write_outputs writes, for both experiments, byte for byte.
void require_same_outputs(const Experiment& a, const Experiment& b,
                          const std::filesystem::path& dir) {
  a.write_outputs(dir / "a");
  b.write_outputs(dir / "b");
  int files = 0;
  for (const auto& f : std::filesystem::directory_iterator(dir / "a")) {
    INFO("output file " << f.path().filename());
    REQUIRE(std::filesystem::exists(dir / "b" / f.path().filename()));
    CHECK(read_file(f.path()) == read_file(dir / "b" / f.path().filename()));
    ++files;
  }
  CHECK(files >= 1);
  const auto sa = a.snapshot(), sb = b.snapshot();
  CHECK(sa->tick == sb->tick);
  CHECK(sa->episode == sb->episode);
  CHECK(sa->obs == sb->obs);
  CHECK(sa->stats == sb->stats);
  REQUIRE(sa->figures.size() == sb->figures.size());
  for (size_t i = 0; i < sa->figures.size(); ++i)
    CHECK(sa->figures[i].to_csv() == sb->figures[i].to_csv());
}

/// Runs `name` to the save point, saves, loads, then ticks both `more` ticks and compares.
void check_continuation(const std::string& name, const std::vector<std::string>& sets,
                        const Pred& save_when, int64_t max_ticks, int64_t more,
                        const std::string& tag) {
  auto a = make_experiment(load_experiment(name, sets), env_registry());
  const int64_t k = tick_until(*a, save_when, max_ticks);
  REQUIRE(save_when(*a));
  const auto dir = temp_dir("session_" + tag);
  save_session(*a, dir / "session");
  CHECK(std::filesystem::exists(dir / "session" / "session.json"));
  CHECK(std::filesystem::exists(dir / "session" / "README.txt"));
  auto b = load_session(dir / "session", env_registry());
  CHECK(b->snapshot()->tick == a->snapshot()->tick);
  require_same_outputs(*a, *b, dir / "at_save");
  for (int64_t i = 0; i < more; ++i) {
    const bool ta = a->tick(), tb = b->tick();
    REQUIRE(ta == tb);
  }
  INFO(tag << ": saved after " << k << " ticks, compared after " << more << " more");
  require_same_outputs(*a, *b, dir / "after");
  // Saving the loaded one again gives the same session (state fully round-trips).
  save_session(*a, dir / "again_a");
  save_session(*b, dir / "again_b");
  CHECK(read_file(dir / "again_a" / "session.json") == read_file(dir / "again_b" / "session.json"));
  std::filesystem::remove_all(dir);
}

// pendulum_mpc shrunk to a test budget.
const std::vector<std::string> kSmallPendulum = {"seed=3",
                                                 "episodes=2",
                                                 "random_steps=60",
                                                 "model.ensemble_size=2",
                                                 "model.elite_members=2",
                                                 "model.hidden=[16,16]",
                                                 "model.epochs=6",
                                                 "model.batch_size=32",
                                                 "planner.population=40",
                                                 "planner.elites=6",
                                                 "planner.iterations=3",
                                                 "planner.horizon=10"};

bool phase_is(const Experiment& e, const char* phase, bool planning = false) {
  const auto s = e.snapshot();
  const auto& m = plan_of(s);
  return m.phase == phase && (!planning || m.planning);
}

}  // namespace

TEST_CASE("dyna_maze: a loaded session continues bit-identically") {
  check_continuation(
      "dyna_maze", {"seed=5", "episodes=12"},
      [](const Experiment& e) { return e.snapshot()->tick >= 700; }, 700, 900, "dyna_maze");
}

TEST_CASE("a slippery maze with a maximum-likelihood model and a strict agent continues bit-identically") {
  // The outcome counts, the slip stream of the grid world and the per-episode counters round-trip.
  check_continuation(
      "slippery_maze", {"seed=3", "episodes=8", "agent.model=maximum_likelihood", "agent.strict=true"},
      [](const Experiment& e) { return e.snapshot()->tick >= 400; }, 400, 600, "slippery_ml");
}

TEST_CASE("prioritized sweeping and a multi-run tabular session continue bit-identically") {
  check_continuation(
      "prioritized_sweeping_maze", {"seed=2", "runs=2", "episodes=6"},
      [](const Experiment& e) { return e.snapshot()->run == 1 && e.snapshot()->tick % 97 == 3; },
      100000, 600, "prioritized");
}

TEST_CASE(
    "pendulum_mpc (learned): sessions saved while collecting, mid-fit, mid-replan and acting") {
  check_continuation(
      "pendulum_mpc", kSmallPendulum, [](const Experiment& e) { return e.snapshot()->tick == 25; },
      100, 80, "pend_collect");
  check_continuation(
      "pendulum_mpc", kSmallPendulum,
      [](const Experiment& e) {
        return phase_is(e, "train") && e.snapshot()->model->dataset_size == 60 &&
               e.snapshot()->tick == 62;
      },
      100, 60, "pend_midfit");
  check_continuation(
      "pendulum_mpc", kSmallPendulum,
      [](const Experiment& e) { return phase_is(e, "plan", true) && e.snapshot()->tick > 300; },
      2000, 120, "pend_midreplan");
  check_continuation(
      "pendulum_mpc", kSmallPendulum,
      [](const Experiment& e) { return phase_is(e, "act") && e.snapshot()->tick > 400; }, 2000, 120,
      "pend_act");
}

TEST_CASE(
    "pendulum probabilistic ensemble with trajectory sampling: session continues bit-identically") {
  std::vector<std::string> sets = kSmallPendulum;
  for (const char* s :
       {"model.prediction=probabilistic", "rollout.particles=4", "rollout.propagation=tsinf"})
    sets.push_back(s);
  check_continuation(
      "pendulum_mpc", sets,
      [](const Experiment& e) { return phase_is(e, "plan", true) && e.snapshot()->tick > 200; },
      2000, 80, "pend_pets");
}

TEST_CASE(
    "cliff_hill v1.5 (Box2D contacts): a session saved mid-episode continues bit-identically") {
  check_continuation(
      "cliff_hill_v15",
      {"seed=4", "episodes=1", "random_steps=40", "model.hidden=[16]", "model.epochs=4",
       "planner.population=30", "planner.elites=5", "planner.iterations=2", "planner.horizon=8"},
      [](const Experiment& e) { return phase_is(e, "act") && e.snapshot()->tick > 150; }, 3000, 150,
      "cliff_hill");
}

TEST_CASE("pendulum oracle: a session saved mid-replan continues bit-identically") {
  check_continuation(
      "pendulum_oracle",
      {"seed=1", "episodes=1", "planner.population=30", "planner.horizon=8", "rollout.threads=1"},
      [](const Experiment& e) { return phase_is(e, "plan", true) && e.snapshot()->tick > 20; }, 500,
      60, "oracle");
}

TEST_CASE("pendulum iLQR oracle (no spread): a session saved mid-replan continues bit-identically") {
  check_continuation(
      "pendulum_ilqr_oracle", {"seed=2", "episodes=1", "planner.horizon=8", "planner.iterations=3"},
      [](const Experiment& e) { return phase_is(e, "plan", true) && e.snapshot()->tick > 20; }, 500,
      60, "ilqr_oracle");
}

TEST_CASE(
    "broken session files are one-line InputErrors naming the file; nothing is half-written") {
  auto a = make_experiment(load_experiment("pendulum_mpc", kSmallPendulum), env_registry());
  tick_until(
      *a, [](const Experiment& e) { return phase_is(e, "act"); }, 2000);
  const auto dir = temp_dir("session_broken");
  save_session(*a, dir / "good");
  auto fresh = [&](const std::string& name) {
    std::filesystem::copy(dir / "good", dir / name, std::filesystem::copy_options::recursive);
    return dir / name;
  };
  auto error_of = [&](const std::filesystem::path& p) -> std::string {
    try {
      load_session(p, env_registry());
    } catch (const InputError& e) {
      return e.what();
    }
    return "(no error)";
  };
  SUBCASE("truncated dataset.npy") {
    const auto p = fresh("trunc");
    const std::string bytes = read_file(p / "dataset.npy");
    write_file_atomic(p / "dataset.npy", bytes.substr(0, bytes.size() / 2));
    const std::string msg = error_of(p);
    CHECK(msg.find("dataset.npy") != std::string::npos);
    CHECK(msg.find('\n') == std::string::npos);
  }
  SUBCASE("wrong-shape model weights") {
    const auto p = fresh("shape");
    ModelConfig other;
    other.prediction = "deterministic";
    other.hidden = {8};
    other.ensemble_size = 2;
    other.elite_members = 2;
    Ensemble(other, 3, 1, 1).save(p / "model" / "ensemble.bin");
    const std::string msg = error_of(p);
    CHECK(msg.find("ensemble.bin") != std::string::npos);
    CHECK(msg.find("expected a model of shape") != std::string::npos);
  }
  SUBCASE("truncated training state") {
    const auto p = fresh("train_state");
    const std::string bytes = read_file(p / "model" / "training_state.bin");
    write_file_atomic(p / "model" / "training_state.bin", bytes.substr(0, 40));
    CHECK(error_of(p).find("training_state.bin: truncated") != std::string::npos);
  }
  SUBCASE("a bad key in session.json") {
    const auto p = fresh("key");
    Json doc = Json::parse(read_file(p / "session.json"));
    doc["state"]["agent"]["planner_agent"]["rng"]["s"][2] = "not hex";
    write_file_atomic(p / "session.json", doc.dump());
    CHECK(error_of(p).find("session.json: state.agent.planner_agent.rng.s[2]: expected a hex 64-bit word") !=
          std::string::npos);
    doc = Json::parse(read_file(dir / "good" / "session.json"));
    doc["state"]["env_state"] = Json::array({1.0});
    write_file_atomic(p / "session.json", doc.dump());
    CHECK(error_of(p).find("session.json: state.env_state: expected") != std::string::npos);
    write_file_atomic(p / "session.json", "{ not json");
    CHECK(error_of(p).find("session.json: not valid JSON") != std::string::npos);
  }
  SUBCASE("a session of the old format 1 fails with one line saying what to do") {
    const auto p = fresh("format1");
    Json doc = Json::parse(read_file(p / "session.json"));
    doc["format"] = 1;
    write_file_atomic(p / "session.json", doc.dump());
    const std::string msg = error_of(p);
    CHECK(msg.find("session.json: format: expected 2, got 1 (a session of an older dynalab") != std::string::npos);
    CHECK(msg.find("save again") != std::string::npos);
    CHECK(msg.find('\n') == std::string::npos);
  }
  SUBCASE("a session saved before the config keys were renamed names the old and the new key") {
    const auto p = fresh("renamed");
    Json doc = Json::parse(read_file(p / "session.json"));
    Json& model = doc["config"]["model"];
    model["elites"] = model["elite_members"];  // the old name, with the new one gone
    model.erase("elite_members");
    write_file_atomic(p / "session.json", doc.dump());
    const std::string msg = error_of(p);
    CHECK(msg.find("session.json: config: model.elites was renamed to model.elite_members") !=
          std::string::npos);
    CHECK(msg.find('\n') == std::string::npos);
    Json& planner = doc["config"]["planner"];
    planner["kind"] = planner["optimizer"];
    planner.erase("optimizer");
    write_file_atomic(p / "session.json", doc.dump());
    CHECK(error_of(p).find("session.json: config: planner.kind was renamed to planner.optimizer") !=
          std::string::npos);
  }
  SUBCASE("an integer too large for the field it lands in (it wrapped into an int)") {
    const auto p = fresh("wrap");
    const Json good = Json::parse(read_file(dir / "good" / "session.json"));
    Json doc = good;
    doc["state"]["episode"] = 4294967296LL;  // get<int> gave 0
    write_file_atomic(p / "session.json", doc.dump());
    CHECK(error_of(p).find(
              "session.json: state.episode: expected an integer in [-2147483648, 2147483647], got "
              "4294967296") != std::string::npos);
    doc = good;
    doc["state"]["agent"]["planner_agent"]["plan_index"] = 2147483648LL;
    write_file_atomic(p / "session.json", doc.dump());
    CHECK(error_of(p).find("session.json: state.agent.planner_agent.plan_index: expected an integer in") !=
          std::string::npos);
    write_file_atomic(p / "session.json", good.dump());
    Json trace = Json::parse(read_file(p / "plan_trace.json"));
    trace["trace"]["horizon"] = Json::parse("18446744073709551615");
    write_file_atomic(p / "plan_trace.json", trace.dump());
    CHECK(error_of(p).find("plan_trace.json: trace.horizon: expected an integer in") !=
          std::string::npos);
  }
  SUBCASE(
      "a dataset.npy whose header numpy would also write ('fortran_order':True, no spaces) loads "
      "right") {
    const auto p = fresh("fortran");
    const NpyArray saved = npy_decode(read_file(p / "dataset.npy"), "dataset.npy");
    REQUIRE(saved.rows > 0);
    std::vector<double> columns;  // the same array stored column by column
    for (size_t c = 0; c < saved.cols; ++c)
      for (size_t r = 0; r < saved.rows; ++r) columns.push_back(saved.data[r * saved.cols + c]);
    const std::string bytes =
        npy_with_header("{'descr':'<f8','fortran_order':True,'shape':(" +
                            std::to_string(saved.rows) + "," + std::to_string(saved.cols) + ")}",
                        columns);
    CHECK(npy_decode(bytes, "f.npy").data == saved.data);
    write_file_atomic(p / "dataset.npy", bytes);
    CHECK(error_of(p) == "(no error)");
  }
  SUBCASE("missing folder or file") {
    CHECK(error_of(dir / "nope").find("no such session folder") != std::string::npos);
    const auto p = fresh("missing");
    std::filesystem::remove(p / "plan_trace.json");
    CHECK(error_of(p).find("plan_trace.json: cannot read") != std::string::npos);
  }
  SUBCASE("saving under a regular file fails cleanly (works as root, unlike chmod)") {
    write_file_atomic(dir / "plain_file", "x");
    CHECK_THROWS_AS(save_session(*a, dir / "plain_file" / "session"), InputError);
    CHECK(read_file(dir / "plain_file") == "x");
  }
  SUBCASE("saving into a read-only folder fails cleanly and leaves nothing behind") {
    if (::geteuid() == 0) {
      MESSAGE(
          "running as root: chmod 0555 does not block writes; covered by the regular-file case");
    } else {
      std::filesystem::create_directories(dir / "ro");
      ::chmod((dir / "ro").c_str(), 0555);
      CHECK_THROWS_AS(save_session(*a, dir / "ro" / "session"), InputError);
      ::chmod((dir / "ro").c_str(), 0755);
      CHECK(std::filesystem::is_empty(dir / "ro"));
    }
  }
  SUBCASE("a failed load leaves the caller's experiment untouched (load builds a new one)") {
    const auto before = a->snapshot()->tick;
    const auto p = fresh("untouched");
    std::filesystem::remove(p / "dataset.npy");
    CHECK_THROWS_AS(load_session(p, env_registry()), InputError);
    CHECK(a->snapshot()->tick == before);
    a->tick();
    CHECK(a->snapshot()->tick == before + 1);
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("a broken tabular learner in session.json is a one-line InputError naming its key") {
  auto a = make_experiment(load_experiment("prioritized_sweeping_maze", {"seed=2", "episodes=3"}), env_registry());
  tick_until(
      *a, [](const Experiment& e) { return e.snapshot()->tick >= 300; }, 300);
  const auto dir = temp_dir("session_tabular_broken");
  save_session(*a, dir / "good");
  const Json good = Json::parse(read_file(dir / "good" / "session.json"));
  const Json& learner = good["state"]["agent"]["learner"];
  REQUIRE(learner["model"]["entries"].size() >= 2);
  auto error_with = [&](const std::function<void(Json&)>& edit) {
    return edited_session_error(dir / "good", dir / "bad",
                                [&](Json& doc) { edit(doc["state"]["agent"]["learner"]); });
  };
  const std::string at = "session.json: state.agent.learner.";
  CHECK(error_with([](Json&) {}) == "(no error)");
  CHECK(error_with([](Json& l) { l["q"].erase(0); }).find(at + "q: expected ") != std::string::npos);
  CHECK(error_with([](Json& l) { l["model"]["entries"][1]["state"] = 100000; })
            .find(at + "model.entries[1].state: expected an integer in [0, ") != std::string::npos);
  CHECK(error_with([](Json& l) { l["model"]["entries"][0]["visits"] = Json::parse("18446744073709551615"); })
            .find(at + "model.entries[0].visits: expected an integer") != std::string::npos);
  CHECK(error_with([](Json& l) {
          Json& e = l["model"]["entries"];
          e[1]["state"] = e[0]["state"];
          e[1]["action"] = e[0]["action"];
        }).find(at + "model.entries[1].action: expected each (state, action) once") != std::string::npos);
  CHECK(error_with([](Json& l) { l["model"]["predecessors"].erase(0); })
            .find(at + "model.predecessors: expected ") != std::string::npos);
  CHECK(error_with([](Json& l) {  // an entry dropped from its next state's list
          for (Json& p : l["model"]["predecessors"])
            if (!p["entries"].empty()) {
              p["entries"].erase(0);
              break;
            }
        }).find(at + "model.predecessors: expected each entry listed once") != std::string::npos);
  CHECK(error_with([](Json& l) { l["model"]["seen"].push_back(-1); })
            .find(at + "model.seen: expected states in [0, ") != std::string::npos);
  CHECK(error_with([](Json& l) { l["queue"] = Json::array({{{"priority", 1.0}, {"pair", -1}}}); })
            .find(at + "queue[0].pair: expected an integer in [0, ") != std::string::npos);
  CHECK(error_with([](Json& l) {
          l["queue"] = Json::array({{{"priority", 1.0}, {"pair", 3}}, {{"priority", 2.0}, {"pair", 3}}});
        }).find(at + "queue[1].pair: expected each (state, action) queued once") != std::string::npos);
  std::filesystem::remove_all(dir);
}

// An env state edited out of range (a step counter of 1e15 was a run that never ended, a pose of
// 1e308 NaN physics, a maze cell outside the grid a crash) is the env's set_state error, naming
// the value, in session.json's state.env_state.
TEST_CASE("an env state out of range in session.json is a one-line InputError naming env_state") {
  const auto dir = temp_dir("session_env_state");
  auto pendulum = make_experiment(load_experiment("random_policy_pendulum", {"episodes=2"}), env_registry());
  for (int i = 0; i < 50; ++i) pendulum->tick();
  save_session(*pendulum, dir / "pendulum");
  auto maze = make_experiment(load_experiment("dyna_maze", {"episodes=2"}), env_registry());
  for (int i = 0; i < 50; ++i) maze->tick();
  save_session(*maze, dir / "maze");
  auto error_with = [&](const std::string& which, size_t i, double value) {
    return edited_session_error(dir / which, dir / "bad", [&](Json& doc) { doc["state"]["env_state"][i] = value; });
  };
  const std::string at = "session.json: state.env_state: expected a state of this env (";
  CHECK(edited_session_error(dir / "pendulum", dir / "bad", [](Json&) {}) == "(no error)");
  // pendulum's state: the step counter, then x, y, angle, vx, vy, w of the pole.
  for (double bad : {1e15, -1.0, 201.0, 2.5})
    CHECK(error_with("pendulum", 0, bad).find(at + "pendulum: set_state: value 0 (step counter): expected an integer in "
                                                   "[0, 200], got ") != std::string::npos);
  CHECK(error_with("pendulum", 0, 1e15).find("got 1e+15)") != std::string::npos);
  CHECK(error_with("pendulum", 3, 1e308).find(at + "pendulum: set_state: value 3 (body angle, rad): expected a finite "
                                                   "number in [-1e+06, 1e+06], got 1e+308)") != std::string::npos);
  CHECK(error_with("pendulum", 6, -1e308).find(at + "pendulum: set_state: value 6 (body w, rad/s): expected a finite "
                                                    "number in [-1e+06, 1e+06], got -1e+308)") != std::string::npos);
  CHECK(error_with("pendulum", 6, 8.0) == "(no error)");
  // grid_world's state: agent row and column, episode step, total steps, the reset seed's halves.
  CHECK(error_with("maze", 0, 1e9).find(at + "grid_world: set_state: value 0 (agent row): expected an integer in [0, 5], "
                                             "got 1e+09)") != std::string::npos);
  CHECK(error_with("maze", 1, -1).find(at + "grid_world: set_state: value 1 (agent column): expected an integer in [0, 8]") !=
        std::string::npos);
  CHECK(error_with("maze", 2, 1e15).find(at + "grid_world: set_state: value 2 (episode step): expected an integer in [0, ") !=
        std::string::npos);
  CHECK(error_with("maze", 5, 4294967296.0).find(at + "grid_world: set_state: value 5 (reset seed, low 32 bits)") !=
        std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace test_session
