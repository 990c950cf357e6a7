// Export all (core/export/export_all.h) and the CLI's session flags, end to end through
// dynalab-cli: every file listed in README.txt, round trips of the dataset and trajectories,
// and a session saved by one command and continued by another matches one uninterrupted run.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "core/config.h"
#include "core/dataset.h"
#include "core/models/ensemble.h"
#include "test_util.h"

namespace test_export_all {

using namespace dynalab;
using namespace dynalab::test;

namespace {

const std::string kPendulum =
    "pendulum_mpc --seed 3 --set episodes=1 --set random_steps=60 --set model.ensemble_size=2 "
    "--set model.elite_members=2 --set 'model.hidden=[16,16]' --set model.epochs=6 --set "
    "planner.population=40 "
    "--set planner.elites=6 --set planner.iterations=3 --set planner.horizon=10";

std::set<std::string> files_under(const std::filesystem::path& dir) {
  std::set<std::string> out;
  for (const auto& f : std::filesystem::recursive_directory_iterator(dir))
    if (f.is_regular_file()) out.insert(std::filesystem::relative(f.path(), dir).generic_string());
  return out;
}

std::set<std::string> readme_files(const std::string& readme) {
  std::set<std::string> out;
  std::istringstream in(readme);
  std::string line;
  std::getline(in, line);  // title
  while (std::getline(in, line))
    if (!line.empty()) out.insert(line.substr(0, line.find(' ')));
  return out;
}

}  // namespace

TEST_CASE("run --export-all: README.txt lists exactly the files in the folder; data round-trips") {
  const auto dir = temp_dir("export_all");
  const auto r = run_cli("run " + kPendulum + " --ticks 500 --export-all " +
                         (dir / "all").string() + " --quiet");
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  const auto all = dir / "all";
  const std::set<std::string> files = files_under(all);
  CHECK(readme_files(read_file(all / "README.txt")) == files);
  for (const char* f :
       {"config.json", "metrics.csv", "trajectories.csv", "trajectories.json", "dataset.csv",
        "dataset.npy", "model/ensemble.bin", "figures/return_per_episode.svg",
        "figures/return_per_episode.csv", "figures/model_loss.svg"})
    CHECK_MESSAGE(files.count(f) == 1, f);
  // Every line says what the file is (no bare names).
  std::istringstream in(read_file(all / "README.txt"));
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line))
    if (!line.empty()) CHECK(line.find("  ") != std::string::npos);

  // The dataset as CSV and as .npy: the same transitions, exactly.
  const Dataset csv = Dataset::from_csv(read_file(all / "dataset.csv"), "dataset.csv", 3, 1);
  const Dataset npy = Dataset::from_npy(read_file(all / "dataset.npy"), "dataset.npy", 3, 1);
  REQUIRE(csv.size() >= 60);
  REQUIRE(csv.size() == npy.size());
  CHECK(csv.observations() == npy.observations());
  CHECK(csv.actions() == npy.actions());
  CHECK(csv.rewards() == npy.rewards());
  CHECK(csv.next_observations() == npy.next_observations());

  // trajectories.json holds the CSV's rows, grouped by episode.
  const Json traj = Json::parse(read_file(all / "trajectories.json"));
  size_t csv_rows = 0;
  std::istringstream tin(read_file(all / "trajectories.csv"));
  for (std::string l; std::getline(tin, l);) csv_rows += !l.empty();
  size_t json_rows = 0;
  for (const auto& ep : traj) json_rows += ep["t"].size();
  CHECK(csv_rows - 1 == json_rows);
  CHECK(json_rows > 0);

  // The model weights load back into an ensemble of the config's shape.
  const Json cfg = Json::parse(read_file(all / "config.json"));
  ModelConfig mc;
  mc.prediction = cfg["model"]["prediction"];
  mc.hidden = cfg["model"]["hidden"].get<std::vector<int>>();
  mc.ensemble_size = cfg["model"]["ensemble_size"];
  mc.elite_members = cfg["model"]["elite_members"];
  mc.activation = cfg["model"]["activation"];
  Ensemble e(mc, 3, 1, 99);
  e.load(all / "model" / "ensemble.bin");
  e.save(dir / "resaved.bin");
  CHECK(read_file(dir / "resaved.bin") == read_file(all / "model" / "ensemble.bin"));
  // SVGs are complete documents.
  for (const auto& f : files)
    if (f.size() > 4 && f.substr(f.size() - 4) == ".svg") {
      const std::string svg = read_file(all / f);
      CHECK(svg.find("<svg") != std::string::npos);
      CHECK(svg.find("</svg>") != std::string::npos);
    }
  std::filesystem::remove_all(dir);
}

TEST_CASE(
    "run --save-session then run --load-session equals one uninterrupted run, byte for byte") {
  const auto dir = temp_dir("cli_session");
  for (const std::string& exp : {kPendulum, std::string("dyna_maze --seed 4 --set episodes=15")}) {
    INFO(exp);
    std::filesystem::remove_all(dir / "full");
    std::filesystem::remove_all(dir / "s");
    std::filesystem::remove_all(dir / "cont");
    REQUIRE(run_cli("run " + exp + " --out " + (dir / "full").string() + " --quiet").exit_code ==
            0);
    const auto save =
        run_cli("run " + exp + " --ticks 333 --save-session " + (dir / "s").string() + " --quiet");
    REQUIRE_MESSAGE(save.exit_code == 0, save.output);
    const auto cont = run_cli("run --load-session " + (dir / "s").string() + " --out " +
                              (dir / "cont").string() + " --quiet");
    REQUIRE_MESSAGE(cont.exit_code == 0, cont.output);
    for (const auto& f : files_under(dir / "full")) {
      INFO(f);
      CHECK(read_file(dir / "full" / f) == read_file(dir / "cont" / f));
    }
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("exports and sessions into an unwritable place exit 2 with one line naming the path") {
  const auto dir = temp_dir("export_unwritable");
  { std::ofstream(dir / "plain_file") << "x"; }
  const std::string bad = (dir / "plain_file" / "sub").string();
  for (const char* flag : {"--export-all", "--save-session"}) {
    const auto r = run_cli(std::string("run dyna_maze --ticks 5 ") + flag + " " + bad);
    INFO(r.output);
    CHECK(r.exit_code == 2);
    CHECK(r.output.find("plain_file") != std::string::npos);
    CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 1);
  }
  CHECK(read_file(dir / "plain_file") == "x");
  std::filesystem::remove_all(dir);
}

}  // namespace test_export_all
