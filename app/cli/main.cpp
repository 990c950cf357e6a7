// dynalab-cli: the same experiments as the GUI, headless, for scripts and researchers.

#include <cstdio>
#include <cstring>
#include <exception>

#include "app/cli/cli.h"
#include "core/config.h"

using namespace dynalab;

static const cli::Command kCommands[] = {
    {"list", "list                      envs, agents and experiments", cli::list_command},
    {"show", "show EXPERIMENT [--set key.path=value ...]   print the resolved config", cli::show_command},
    {"run",
     "run EXPERIMENT [--seed S] [--runs R] [--set key.path=value ...] --out DIR   run headless, write outputs\n"
     "              [--ticks N] [--save-session DIR] [--export-all DIR]   stop after N ticks; save the session; "
     "export everything\n"
     "  dynalab-cli run --load-session DIR [--ticks N] [--out DIR] [--save-session DIR] [--export-all DIR]   continue "
     "a saved session",
     cli::run_command},
    {"analysis",
     "analysis RECIPE EXPERIMENT [--seed S] [--set key.path=value ...] [--ticks N | --load-session DIR] --out DIR\n"
     "              [--dims A,B] [--action V1,V2,...] [--cells N]   the GUI lab's model analysis at that point as CSV + SVG;\n"
     "              RECIPE: disagreement_map, uncertainty_slice, ensemble_size or all",
     cli::analysis_command},
    {"lessons", "lessons [--check]         list the lessons and their steps, or validate every lesson file",
     cli::lessons_command},
    {"lesson",
     "lesson NAME --step K --out DIR [--max-ticks N]   run a lesson step (each variant) until its condition, "
     "write each variant's outputs to DIR/<variant>",
     cli::lesson_command},
    {"bench", "bench [--filter REGEX] [--json FILE] [--repetitions N] [--min-time S] [--list]   benchmark suite (medians)",
     cli::bench_command},
    {"rollout",
     "rollout ENV [--policy random|zero|const:V1,V2,...] [--steps N] [--seed S] [--set key=value ...] --out DIR   "
     "one episode to DIR/trajectories.csv",
     cli::rollout_command},
    {"check",
     "check FILE [--experiment EXP] [--set key=value ...]   validate a config/lesson (.json), maze (.txt), "
     "dataset (.csv/.npy) or model weights (.bin; shape from the mbrl EXP); prints ok or the error",
     cli::check_command},
};

static void usage(std::FILE* to) {
  std::fprintf(to, "usage: dynalab-cli COMMAND [ARGS]\n\nEXPERIMENT is a registered name (see `list`) or a JSON file.\n\n");
  for (const auto& c : kCommands) std::fprintf(to, "  dynalab-cli %s\n", c.usage);
}

int main(int argc, char** argv) {
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
    usage(argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  cli::Args args(argv + 2, argv + argc);
  for (const auto& c : kCommands) {
    if (std::strcmp(argv[1], c.name) != 0) continue;
    try {
      return c.run(args);
    } catch (const InputError& e) {
      std::fprintf(stderr, "error: %s\n", e.what());
      return 2;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "internal error: %s\n", e.what());
      return 1;
    }
  }
  std::fprintf(stderr, "error: unknown command '%s'\n", argv[1]);
  usage(stderr);
  return 2;
}
