#include "app/cli/sweep_jobs.h"

#include "app/cli/cli.h"

namespace dynalab::cli {

std::string shell_quote(const std::string& text) {
  std::string q = "'";
  for (char c : text) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string sweep_command_line(const SweepRun& run, const SweepPlan& plan, const std::filesystem::path& cli,
                               const std::filesystem::path& dir) {
  const std::string done = shell_quote((dir / run.dir).string());
  const std::string partial = shell_quote((dir / run.dir).string() + ".partial");
  std::string cmd = shell_quote(cli.string()) + " run " + shell_quote(plan.experiment) + " --seed " +
                    std::to_string(run.seed);
  for (const auto& [k, v] : run.overrides) cmd += " --set " + shell_quote(k + "=" + v);
  cmd += " --out " + partial + " --quiet";
  return "test -f " + shell_quote((dir / run.dir / "metrics.csv").string()) + " || { rm -rf " + partial + " " +
         done + " && mkdir -p " + partial + " && " + cmd + " 2> " +
         shell_quote((dir / run.dir).string() + ".partial/stderr.log") + " && mv " + partial + " " + done + "; }";
}

std::string slurm_array_script(const SweepPlan& plan, const std::filesystem::path& commands_file,
                               const std::filesystem::path& log_dir, int max_parallel) {
  const size_t n = plan.runs.size();
  std::string s = "#!/bin/bash\n";
  s += "# dynalab sweep of " + plan.experiment + ": " + std::to_string(n) +
       " runs, one Slurm array task each (task K runs line K+1 of " + commands_file.filename().string() + ").\n";
  s += "# Submit: sbatch " + shell_quote((log_dir.parent_path() / "sweep.slurm").string()) + "\n";
  s += "# A task whose run folder exists does nothing: resubmit to finish a sweep that stopped.\n";
  s += "#SBATCH --job-name=dynalab-sweep\n";
  s += "#SBATCH --array=0-" + std::to_string(n == 0 ? 0 : n - 1) +
       (max_parallel > 0 ? "%" + std::to_string(max_parallel) : std::string()) + "\n";
  s += "#SBATCH --ntasks=1\n#SBATCH --cpus-per-task=1\n";
  s += "#SBATCH --output=" + (log_dir / "%A_%a.out").string() + "\n";
  s += "set -euo pipefail\n";
  s += ": \"${SLURM_ARRAY_TASK_ID:?set by Slurm; to run task K by hand: SLURM_ARRAY_TASK_ID=K bash $0}\"\n";
  s += "line=$(sed -n \"$((SLURM_ARRAY_TASK_ID + 1))p\" " + shell_quote(commands_file.string()) + ")\n";
  s += "if [ -z \"$line\" ]; then echo \"dynalab sweep: no run for task $SLURM_ARRAY_TASK_ID\" >&2; exit 1; fi\n";
  s += "eval \"$line\"\n";
  return s;
}

}  // namespace dynalab::cli
