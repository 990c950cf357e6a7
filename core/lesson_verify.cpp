#include "core/lesson_verify.h"

#include <algorithm>
#include <chrono>

#include "core/lesson_step_run.h"
#include "core/parallel_jobs.h"
#include "core/progress.h"

namespace dynalab {

bool StepVerification::holds() const {
  if (results.empty()) return false;
  for (const auto& e : errors)
    if (!e.empty()) return false;
  for (const auto& per_seed : results)
    for (const ClaimResult& r : per_seed)
      if (!r.holds) return false;
  return true;
}

namespace {

// Step k of `lesson` on one seed: each claim's result, or the reason the step did not pause.
std::vector<ClaimResult> check_on_seed(const Lesson& lesson, int k, uint64_t offset, int64_t max_ticks,
                                       const EnvRegistry& envs, std::string& error) {
  const LessonStep& step = lesson_step(lesson, k);
  try {
    const StepRun run = run_step(lesson, k, max_ticks, envs, offset);
    for (size_t i = 0; i < run.variants.size(); ++i) {
      const VariantRun& v = run.variants[i];
      const std::string who = v.label.empty() ? "" : "[" + v.label + "] ";
      if (v.capped) {
        error = who + step.until.describe() + " did not hold within " +
                std::to_string(v.at.tick) + " ticks";
        return {};
      }
      // The GUI pauses on the snapshot's counters: they must say the same as the run's.
      if (step.has_until && !step.until.reached(progress_of(*run.snapshots[i]))) {
        error = who + "the snapshot at the pause does not show " + step.until.describe();
        return {};
      }
    }
    std::vector<ClaimResult> out;
    for (const LessonClaim& c : step.claims) out.push_back(check_claim(c, step, run.snapshots));
    return out;
  } catch (const std::exception& e) {
    error = e.what();
    return {};
  }
}

}  // namespace

std::vector<StepVerification> verify_steps(const std::vector<Lesson>& lessons,
                                           const std::vector<std::pair<int, int>>& steps, int seeds,
                                           int jobs, int64_t max_ticks, const EnvRegistry& envs,
                                           const std::function<void(int, int)>& on_done) {
  std::vector<StepVerification> out(steps.size());
  struct Job {
    size_t step;
    size_t seed;
  };
  std::vector<Job> work;
  for (size_t i = 0; i < steps.size(); ++i) {
    const Lesson& lesson = lessons[size_t(steps[i].first)];
    const LessonStep& step = lesson_step(lesson, steps[i].second);
    StepVerification& v = out[i];
    v.lesson = lesson.name;
    v.step = steps[i].second;
    const int n = step.one_run ? 1 : std::max(1, seeds);
    for (int s = 0; s < n; ++s) v.seed_offsets.push_back(uint64_t(s));
    v.results.assign(step.claims.size(), std::vector<ClaimResult>(size_t(n)));
    v.errors.assign(size_t(n), "");
    v.seconds.assign(size_t(n), 0.0);
    for (int s = 0; s < n; ++s) work.push_back({i, size_t(s)});
  }
  parallel_jobs(
      work.size(), jobs,
      [&](size_t j) {
        const Job w = work[j];
        StepVerification& v = out[w.step];
        const Lesson& lesson = lessons[size_t(steps[w.step].first)];
        std::string error;
        const auto start = std::chrono::steady_clock::now();
        const std::vector<ClaimResult> r =
            check_on_seed(lesson, v.step, v.seed_offsets[w.seed], max_ticks, envs, error);
        // Each job writes its own [claim][seed] cells and its own error and time slots.
        v.seconds[w.seed] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        v.errors[w.seed] = error;
        for (size_t c = 0; c < r.size(); ++c) v.results[c][w.seed] = r[c];
      },
      on_done);
  return out;
}

}  // namespace dynalab
