#pragma once
// A lesson step's "run until" condition, enforced on the worker thread: the experiment is wrapped
// so that after every tick the condition is checked on a fresh snapshot, and once it holds the
// runner is paused at once (no overshoot however fast it runs). The lecturer can release the
// gate and keep going past the condition.

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/experiment.h"
#include "core/figure.h"
#include "core/lesson.h"

namespace dynalab {

class GatedExperiment : public Experiment {
 public:
  /// Wraps `inner`; `on_reached` is called (on the worker thread) the first time `until` holds.
  GatedExperiment(std::unique_ptr<Experiment> inner, LessonUntil until,
                  std::function<void()> on_reached);
  bool tick() override;
  bool finished() const override { return inner_->finished(); }
  /// The snapshot taken after the last tick (cached: the condition check already built it).
  std::shared_ptr<const Snapshot> snapshot() const override;
  void write_outputs(const std::filesystem::path& dir) const override {
    inner_->write_outputs(dir);
  }
  /// True once the condition held (stays true after a release).
  bool reached() const { return reached_; }
  /// Lets the experiment run past the condition (the lecturer pressed Play).
  void release() { released_ = true; }
  Experiment& inner() { return *inner_; }

 private:
  std::unique_ptr<Experiment> inner_;
  LessonUntil until_;
  std::function<void()> on_reached_;
  bool reached_ = false, released_ = false;
  // Conditions on ticks alone are checked by counting, without building a snapshot per tick.
  bool needs_snapshot_ = true;
  int64_t ticks_ = 0;
  mutable std::shared_ptr<const Snapshot> cached_;
};

/// The experiment itself, looking through a GatedExperiment wrapper if there is one.
Experiment& unwrap_gate(Experiment& e);

/// One figure per id across side-by-side variants: every variant's series of figure `id`,
/// labelled with the variant's label (and the series' own label when a figure has several).
/// `ids` empty: every id of the first variant's figures.
std::vector<Figure> merge_variant_figures(
    const std::vector<std::pair<std::string, const std::vector<Figure>*>>& variants,
    const std::vector<std::string>& ids);

}  // namespace dynalab
