#include "app/gui/lesson_gate.h"

#include <algorithm>

namespace dynalab {

GatedExperiment::GatedExperiment(std::unique_ptr<Experiment> inner, LessonUntil until,
                                 std::function<void()> on_reached)
    : inner_(std::move(inner)), until_(until), on_reached_(std::move(on_reached)) {
  config_ = inner_->config();
  cached_ = inner_->snapshot();
  // A condition already true at the start (e.g. "until episode 0") holds before any tick.
  reached_ = until_.reached(*cached_);
  ticks_ = cached_->tick;
  needs_snapshot_ =
      until_.episode >= 0 || until_.total_steps >= 0 || until_.terminated || until_.obs_dim >= 0;
}

bool GatedExperiment::tick() {
  if (reached_ && !released_) {
    if (on_reached_) on_reached_();  // a Play before the release: stop again
    return !inner_->finished();
  }
  const bool more = inner_->tick();
  ++ticks_;
  cached_.reset();
  if (released_) return more;
  bool now = false;
  if (needs_snapshot_) {
    cached_ = inner_->snapshot();
    now = until_.reached(*cached_);
  } else {
    now = ticks_ >= until_.max_ticks || (until_.ticks >= 0 && ticks_ >= until_.ticks) ||
          (until_.finished && inner_->finished());
  }
  if (now) {
    reached_ = true;
    if (on_reached_) on_reached_();
  }
  return more;
}

std::shared_ptr<const Snapshot> GatedExperiment::snapshot() const {
  if (!cached_) cached_ = inner_->snapshot();
  return cached_;
}

Experiment& unwrap_gate(Experiment& e) {
  if (auto* g = dynamic_cast<GatedExperiment*>(&e)) return g->inner();
  return e;
}

std::vector<Figure> merge_variant_figures(
    const std::vector<std::pair<std::string, const std::vector<Figure>*>>& variants,
    const std::vector<std::string>& ids) {
  std::vector<std::string> order = ids;
  if (order.empty() && !variants.empty() && variants.front().second)
    for (const auto& f : *variants.front().second) order.push_back(f.id);
  std::vector<Figure> out;
  for (const auto& id : order) {
    Figure merged;
    bool found = false;
    for (const auto& [label, figs] : variants) {
      if (!figs) continue;
      for (const auto& f : *figs) {
        if (f.id != id) continue;
        if (!found) {
          merged = Figure{f.id, f.title, f.x_label, f.y_label, {}, f.log_y};
          found = true;
        }
        // Runs averaged over seeds come as "mean ..." series; a single series is the variant.
        for (const auto& s : f.series) {
          Series copy = s;
          copy.label = f.series.size() == 1 ? label : label + ": " + s.label;
          merged.series.push_back(std::move(copy));
        }
      }
    }
    if (found) out.push_back(std::move(merged));
  }
  return out;
}

}  // namespace dynalab
