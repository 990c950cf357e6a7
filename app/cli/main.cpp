// dynalab-cli: the same experiments as the GUI, headless, for scripts and researchers.

#include <cstdio>
#include <cstring>

#include "app/cli/cli.h"

using namespace dynalab;

int main(int argc, char** argv) {
  CLI::App app(
      "dynalab-cli: the experiments of the dynalab GUI, headless.\n"
      "EXPERIMENT is a registered name (see `list`) or a JSON file.",
      "dynalab-cli");
  app.require_subcommand(1);
  cli::add_list_command(app);
  cli::add_show_command(app);
  cli::add_run_command(app);
  cli::add_analysis_command(app);
  cli::add_lessons_command(app);
  cli::add_lesson_command(app);
  cli::add_ladder_command(app);
  cli::add_sweep_command(app);
  cli::add_bench_command(app);
  cli::add_rollout_command(app);
  cli::add_check_command(app);
  app.footer("Run `dynalab-cli COMMAND --help` for the options of a command.");
  // CLI11 reports an unknown command as "a subcommand is required"; say which word it was.
  if (argc >= 2 && argv[1][0] != '-') {
    bool known = false;
    for (const CLI::App* c : app.get_subcommands({})) known = known || c->get_name() == argv[1];
    if (!known) {
      std::fprintf(stderr, "error: unknown command '%s' (see dynalab-cli --help)\n", argv[1]);
      return 2;
    }
  }
  if (const auto code = cmdline::parse(app, argc, argv)) return *code;
  return 0;
}
