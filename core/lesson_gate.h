#pragma once
// A lesson step's "run until" condition, enforced where the experiment ticks: the experiment is
// wrapped so that after every tick the condition is checked on its progress() (a few counters,
// no snapshot), and once it holds `on_reached` runs at once (the GUI pauses its runner there: no
// overshoot however fast it runs; dynalab-cli lesson stops its loop). The lecturer can release
// the gate and keep going past the condition.

#include <functional>
#include <memory>
#include <string>

#include "core/experiment.h"
#include "core/lesson.h"

namespace dynalab {

class GatedExperiment : public Experiment {
 public:
  /// Wraps `inner`; `on_reached` (optional) is called on the ticking thread the first time
  /// `until` holds, and again on every tick attempted while it holds unreleased.
  GatedExperiment(std::unique_ptr<Experiment> inner, LessonUntil until,
                  std::function<void()> on_reached = {});
  /// Ticks the inner experiment, unless the condition holds and the gate is not released (then
  /// does nothing). Returns whether the inner experiment has more ticks to do.
  bool tick() override;
  bool finished() const override { return inner_->finished(); }
  std::shared_ptr<const Snapshot> snapshot() const override { return inner_->snapshot(); }
  Progress progress() const override { return inner_->progress(); }
  void write_outputs(const std::filesystem::path& dir) const override {
    inner_->write_outputs(dir);
  }
  Env* env() override { return inner_->env(); }
  /// True once the condition held (stays true after a release).
  bool reached() const { return !met_.empty(); }
  /// The condition that held, as LessonUntil::met words it ("" while none has).
  const std::string& met() const { return met_; }
  /// Lets the experiment run past the condition (the lecturer pressed Play).
  void release() { released_ = true; }
  Experiment& inner() { return *inner_; }

 private:
  std::unique_ptr<Experiment> inner_;
  LessonUntil until_;
  std::function<void()> on_reached_;
  std::string met_;
  bool released_ = false;
};

/// The experiment itself, looking through a GatedExperiment wrapper if there is one.
Experiment& unwrap_gate(Experiment& e);
/// Releases `e`'s gate if it is a GatedExperiment (else does nothing).
void release_gate(Experiment& e);

}  // namespace dynalab
