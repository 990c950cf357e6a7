#include "core/lesson_gate.h"

namespace dynalab {

GatedExperiment::GatedExperiment(std::unique_ptr<Experiment> inner, LessonUntil until,
                                 std::function<void()> on_reached)
    : inner_(std::move(inner)), until_(until), on_reached_(std::move(on_reached)) {
  config_ = inner_->config();
  // A condition already true at the start (e.g. "until episode 0") holds before any tick.
  met_ = until_.met(inner_->progress());
}

bool GatedExperiment::tick() {
  if (reached() && !released_) {
    if (on_reached_) on_reached_();  // a Play before the release: stop again
    return !inner_->finished();
  }
  const bool more = inner_->tick();
  if (released_ || reached()) return more;
  met_ = until_.met(inner_->progress());
  if (reached() && on_reached_) on_reached_();
  return more;
}

Experiment& unwrap_gate(Experiment& e) {
  if (auto* g = dynamic_cast<GatedExperiment*>(&e)) return g->inner();
  return e;
}

void release_gate(Experiment& e) {
  if (auto* g = dynamic_cast<GatedExperiment*>(&e)) g->release();
}

}  // namespace dynalab
