#include "core/lesson_step_run.h"

#include <algorithm>
#include <cctype>

#include "core/export/figure_svg.h"
#include "core/export/run_outputs.h"
#include "core/lesson_gate.h"

namespace dynalab {

namespace {

// "n = 50" -> "n_50": letters, digits, '-' and '.' kept, runs of anything else one '_'.
std::string folder_name(const std::string& label, const std::string& fallback) {
  std::string out;
  for (char c : label) {
    const bool keep = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.';
    if (keep)
      out += c;
    else if (!out.empty() && out.back() != '_')
      out += '_';
  }
  while (!out.empty() && (out.back() == '_' || out.back() == '.')) out.pop_back();
  return out.empty() || out.front() == '.' ? fallback : out;
}

// Ticks `e` until the step's gate holds (`e` becomes the gated experiment), the run ends or
// `cap` ticks; says which.
VariantRun run_variant(std::unique_ptr<Experiment>& e, const LessonStep& step, int64_t cap) {
  VariantRun r;
  if (step.has_until) {
    LessonUntil until = step.until;
    until.max_ticks = std::min(until.max_ticks, cap);
    auto gate = std::make_unique<GatedExperiment>(std::move(e), until);
    while (!gate->reached() && gate->tick()) {
    }
    r.met = gate->met().empty() ? "finished" : gate->met();  // empty: the run ended first
    r.capped = r.met.rfind("max_ticks", 0) == 0;
    e = std::move(gate);
  } else {
    const int64_t n = std::min(cap, kStepTicksWithoutUntil);
    int64_t t = 0;
    while (t < n && e->tick()) ++t;
    r.met = t < n ? "finished" : "ticks " + std::to_string(n);
    r.capped = n < kStepTicksWithoutUntil && t == n;
  }
  r.at = e->progress();
  return r;
}

}  // namespace

const LessonStep& lesson_step(const Lesson& lesson, int k) {
  if (k < 1 || k > int(lesson.steps.size()))
    throw InputError("lesson '" + lesson.name + "': no step " + std::to_string(k) + " (it has " +
                     std::to_string(lesson.steps.size()) + ")");
  return lesson.steps[size_t(k - 1)];
}

int variant_count(const LessonStep& step) { return std::max<int>(1, int(step.variants.size())); }

ExperimentSource variant_source(const Lesson& lesson, int k, int v, uint64_t seed_offset) {
  const LessonStep& s = lesson_step(lesson, k);
  const int var = s.variants.empty() ? -1 : v;
  std::vector<std::string> overrides = step_overrides(s, var);
  const std::string& experiment = variant_experiment(s, var);
  try {
    ExperimentSource src = load_experiment(experiment, overrides);
    if (seed_offset == 0) return src;
    const uint64_t seed = src.json.value("seed", uint64_t(0));
    overrides.push_back("seed=" + std::to_string(seed + seed_offset));
    return load_experiment(experiment, overrides);
  } catch (const InputError& e) {
    throw InputError(lesson.source + ": steps[" + std::to_string(k - 1) + "]: " + e.what());
  }
}

StepRun run_step(const Lesson& lesson, int k, int64_t max_ticks, const EnvRegistry& envs,
                 uint64_t seed_offset) {
  const LessonStep& step = lesson_step(lesson, k);
  const int n = variant_count(step);
  std::vector<ExperimentSource> srcs;  // every config checked before anything runs
  for (int v = 0; v < n; ++v) srcs.push_back(variant_source(lesson, k, v, seed_offset));
  StepRun out;
  for (int v = 0; v < n; ++v) {
    auto e = make_experiment(srcs[size_t(v)], envs);
    const std::string label = step.variants.empty() ? "" : step.variants[size_t(v)].label;
    VariantRun r = run_variant(e, step, max_ticks);
    r.label = label;
    r.folder = folder_name(label, step.variants.empty() ? step.experiment
                                                        : "variant_" + std::to_string(v + 1));
    for (const auto& other : out.variants)
      if (other.folder == r.folder) r.folder += "_" + std::to_string(v + 1);
    out.snapshots.push_back(e->snapshot());
    out.experiments.push_back(std::move(e));
    out.variants.push_back(std::move(r));
  }
  return out;
}

std::vector<VariantRun> run_lesson_step(const Lesson& lesson, int k,
                                        const std::filesystem::path& dir, int64_t max_ticks,
                                        const EnvRegistry& envs) {
  const LessonStep& step = lesson_step(lesson, k);
  StepRun run = run_step(lesson, k, max_ticks, envs);
  std::vector<std::pair<std::string, const std::vector<Figure>*>> figs;
  for (size_t v = 0; v < run.variants.size(); ++v) {
    write_run_outputs(*run.experiments[v], dir / run.variants[v].folder);
    figs.emplace_back(run.variants[v].label, &run.snapshots[v]->figures);
  }
  for (const Figure& f : shown_figures(step.plots, figs)) write_figure_files(f, dir / "figures");
  return run.variants;
}

}  // namespace dynalab
