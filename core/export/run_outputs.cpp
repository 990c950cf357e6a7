#include "core/export/run_outputs.h"

#include "core/io/atomic_file.h"
#include "core/export/figure_svg.h"

namespace dynalab {

void write_run_outputs(const Experiment& e, const std::filesystem::path& dir) {
  ensure_directory(dir);
  write_file_atomic(dir / "config.json", e.config().dump(2) + "\n");
  e.write_outputs(dir);
  // Every plot the experiment shows, as vector figure and data.
  const auto snap = e.snapshot();  // held: the loop must not outlive it
  for (const Figure& f : snap->figures) write_figure_files(f, dir / "figures");
}

}  // namespace dynalab
