#pragma once
// dynalab-cli: the headless front end. Each subcommand is a function taking the arguments after
// its name; main.cpp holds the explicit list. Exit codes: 0 success, 2 bad input (one line on
// stderr naming the file, key and what was expected), 1 anything else.

#include <memory>
#include <string>
#include <vector>

namespace dynalab {
class Experiment;
}

namespace dynalab::cli {

using Args = std::vector<std::string>;

struct Command {
  const char* name;
  const char* usage;
  int (*run)(const Args& args);
};

int list_command(const Args& args);
int show_command(const Args& args);
int run_command(const Args& args);
int bench_command(const Args& args);
int lessons_command(const Args& args);
/// lesson NAME --step K --out DIR: runs every variant of a lesson step until its condition
/// (core/lesson_step_run.h), writes their outputs, prints one line per variant.
int lesson_command(const Args& args);
/// rollout ENV: one episode of an env under a simple policy, written to DIR/trajectories.csv.
int rollout_command(const Args& args);
/// check FILE: validates one input file by its extension (dataset and weights shapes from an
/// mbrl --experiment); prints "ok: ..." or throws InputError.
int check_command(const Args& args);
/// analysis RECIPE EXPERIMENT: runs the experiment to a point and writes the recipe's CSV + SVG
/// (core/analysis/recipe_files.h).
int analysis_command(const Args& args);

/// Small argument reader shared by the subcommands: "--flag value" options, repeated --set,
/// positionals. Unknown flags are InputErrors.
class ArgReader {
 public:
  ArgReader(const Args& args, std::vector<std::string> value_flags, std::vector<std::string> bool_flags = {});
  const std::vector<std::string>& positional() const { return positional_; }
  bool has(const std::string& flag) const;
  std::string value(const std::string& flag, const std::string& fallback = "") const;
  std::vector<std::string> values(const std::string& flag) const;
  /// An integer option; errors name the flag.
  long long integer(const std::string& flag, long long fallback, long long lo, long long hi) const;

 private:
  std::vector<std::pair<std::string, std::string>> options_;
  std::vector<std::string> positional_;
};

/// The experiment of `run` and `analysis`: a fresh one from the one positional EXPERIMENT with
/// --seed/--runs/--set, or the one saved in --load-session DIR. Errors start with `cmd`.
std::unique_ptr<Experiment> experiment_for_run(const ArgReader& a, const char* cmd);
/// Ticks `e` `ticks` times (or to its end when ticks < 0, or earlier if it finishes).
void run_ticks(Experiment& e, long long ticks);

}  // namespace dynalab::cli
