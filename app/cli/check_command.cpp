// dynalab-cli check FILE: validates one input file by its extension and prints "ok: ..." or the
// error (exit 2). It is the CLI entry point of the loaders that no other command reaches
// directly: datasets (.csv, .npy) and saved model weights (.bin), whose expected shape comes
// from an mbrl experiment given with --experiment; configs and lessons (.json) and mazes (.txt).

#include <cstdio>
#include <fstream>
#include <sstream>

#include "app/cli/cli.h"
#include "core/dataset.h"
#include "core/experiment.h"
#include "core/models/ensemble.h"
#include "core/snapshot.h"
#include "core/lesson.h"
#include "envs/maze.h"
#include "envs/registry.h"

namespace dynalab::cli {

namespace {

std::string read_bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw InputError(path + ": cannot open the file");
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

struct CheckArgs {
  std::vector<std::string> positional, sets;
  std::string experiment;
};

/// The experiment whose env gives a dataset's dimensions (and whose model, a model's shape).
std::unique_ptr<Experiment> experiment_for(const CheckArgs& a, const std::string& file, const std::string& what) {
  if (a.experiment.empty())
    throw InputError(file + ": checking " + what +
                     " needs --experiment EXP (a planning experiment; its env and model give the "
                     "expected shape)");
  auto exp = make_experiment(load_experiment(a.experiment, a.sets), env_registry());
  if (exp->progress().family != "planning")
    throw InputError("--experiment: expected a planning experiment (with an env and a model), got '" + a.experiment + "'");
  return exp;
}

void check(const CheckArgs& a) {
  if (a.positional.size() != 1)
    throw InputError("check: expected one FILE (.json config or lesson, .txt maze, .csv or .npy "
                     "dataset, .bin model weights)");
  const std::string file = a.positional[0];
  const std::string ext = std::filesystem::path(file).extension().string();
  if (ext == ".json") {
    const Json j = read_json_file(file);
    if (j.is_object() && j.contains("steps")) {  // a lesson: its steps are experiments to build
      const Lesson lesson = load_lesson(file);
      check_lesson(lesson, env_registry());
      std::printf("ok: lesson '%s', %zu steps\n", lesson.title.c_str(), lesson.steps.size());
    } else {
      auto exp = make_experiment(load_experiment(file, a.sets), env_registry());
      std::printf("ok: experiment of family %s\n", exp->config().value("family", "?").c_str());
    }
  } else if (ext == ".txt") {
    const Maze m = load_maze(file);
    std::printf("ok: maze %dx%d\n", m.rows, m.cols);
  } else if (ext == ".csv" || ext == ".npy") {
    const auto exp = experiment_for(a, file, "a dataset");
    const int od = exp->env()->observation_space().dim(), ad = exp->env()->action_space().dim();
    const std::string bytes = read_bytes(file);
    const Dataset d = ext == ".csv" ? Dataset::from_csv(bytes, file, od, ad)
                                    : Dataset::from_npy(bytes, file, od, ad);
    std::printf("ok: dataset of %zu transitions (obs %d, action %d)\n", d.size(), od, ad);
  } else if (ext == ".bin") {
    const auto exp = experiment_for(a, file, "model weights");
    const auto snap = exp->snapshot();
    const auto model = snap->model ? snap->model->model : nullptr;  // family "planning" (experiment_for)
    if (!model)
      throw InputError("--experiment: expected a learned model (agent.dynamics=learned), got the oracle");
    const auto copy = model->clone();
    copy->load_bytes(read_bytes(file), file);
    std::printf("ok: model \"%s\"\n", copy->describe_shape().c_str());
  } else {
    throw InputError(file + ": expected a .json, .txt, .csv, .npy or .bin file, got " +
                     (ext.empty() ? std::string("no extension") : "'" + ext + "'"));
  }
}

}  // namespace

void add_check_command(CLI::App& app) {
  auto a = std::make_shared<CheckArgs>();
  CLI::App* cmd = app.add_subcommand(
      "check", "validate a config/lesson (.json), maze (.txt), dataset (.csv/.npy) or model weights (.bin)");
  cmd->add_option("FILE", a->positional, "the file to check; prints ok or the error");
  cmd->add_option("--experiment", a->experiment, "the mbrl experiment whose env and model give a dataset's or weights' shape")
      ->type_name("EXP");
  cmdline::add_sets(*cmd, a->sets, "override a config field of the experiment (repeatable)");
  cmd->callback([a] { check(*a); });
}

}  // namespace dynalab::cli
