// A finished sweep drawn behind the live run (issue 22: "where should this run be?"): the mean
// of every matching config as a dark line with its standard-error band, appended to the plots
// whose metric the sweep has (core/sweep/aggregate.h: sweep_metric_of_figure). Only a sweep of
// the running experiment is drawn.

#include "app/gui/app.h"
#include "app/gui/plot_widget.h"
#include "core/number_text.h"

namespace dynalab {

namespace {

/// The value at a dotted key path of `config`, or null.
const Json* at_path(const Json& config, const std::string& key) {
  const Json* j = &config;
  size_t at = 0;
  while (j && at <= key.size()) {
    const size_t dot = std::min(key.find('.', at), key.size());
    const std::string part = key.substr(at, dot - at);
    j = j->is_object() && j->contains(part) ? &(*j)[part] : nullptr;
    at = dot + 1;
  }
  return j;
}

/// True if the config's value at `key` is the override `value` ("50" matches 50 and 50.0).
bool same_value(const Json& config, const std::string& key, const std::string& value) {
  const Json* j = at_path(config, key);
  if (!j) return false;
  if (j->is_string()) return j->get<std::string>() == value;
  if (j->is_number()) {
    const auto v = parse_finite(value);
    return v && *v == j->get<double>();
  }
  return j->dump() == value;
}

}  // namespace

std::string App::load_sweep_ghost(const std::string& path) {
  std::vector<SweepGhost> ghosts;
  try {
    for (const char* id : {"steps_per_episode", "return_per_episode", "learning_curve"}) {
      SweepGhost g = read_sweep_ghost(path, sweep_metric_of_figure(id));
      if (!g.curves.empty()) ghosts.push_back(std::move(g));
    }
  } catch (const std::exception& e) {
    return e.what();
  }
  if (ghosts.empty())
    return path + ": the sweep has no steps, return or eval_return to draw behind the plots";
  const std::string running = snap_ ? snap_->experiment : name_;
  if (ghosts.front().experiment != running)
    return ghosts.front().source + ": a sweep of " + ghosts.front().experiment + ", but the app runs " + running +
           " (open " + ghosts.front().experiment + " first)";
  sweep_ghost_ = std::move(ghosts);
  return "";
}

std::string App::sweep_ghost_summary() const {
  if (sweep_ghost_.empty()) return "no sweep ghost";
  const SweepGhost& g = sweep_ghost_.front();
  return "sweep ghost: " + std::to_string(g.curves.size()) + " config" + (g.curves.size() == 1 ? "" : "s") +
         " of " + g.source + " (" + std::to_string(g.curves.front().n) + " runs each) behind the plots";
}

void App::add_sweep_ghost(std::vector<Figure>& figs) const {
  if (sweep_ghost_.empty()) return;
  const std::string running = snap_ ? snap_->experiment : name_;
  for (Figure& f : figs) {
    const std::string metric = sweep_metric_of_figure(f.id);
    for (const SweepGhost& g : sweep_ghost_) {
      if (g.metric != metric || g.experiment != running) continue;  // another experiment's numbers
      // The configs whose grid values are the running config's; every config when none is.
      std::vector<const SweepGhost::Curve*> shown;
      for (const auto& c : g.curves) {
        bool match = config_.ready;
        for (const auto& [key, value] : c.overrides) match = match && same_value(config_.edited, key, value);
        if (match) shown.push_back(&c);
      }
      const bool matched = !shown.empty();
      if (!matched)
        for (const auto& c : g.curves) shown.push_back(&c);
      // The matching config in the palette's dark grey (behind the live colours, not one of
      // them); without a match every config, each in a colour the live run does not use.
      static constexpr int kOtherColours[] = {7, 3, 4, 5};
      for (size_t i = 0; i < shown.size(); ++i) {
        const SweepGhost::Curve* c = shown[i];
        Series s;
        s.label = "sweep " + c->config + ": mean \u00b1 SE, " + std::to_string(c->n) + " runs";
        s.colour = matched ? 6 : kOtherColours[i % 4];
        s.x = c->x;
        s.y = c->mean;
        for (size_t k = 0; k < c->x.size(); ++k) {
          s.band_lo.push_back(c->mean[k] - c->se[k]);
          s.band_hi.push_back(c->mean[k] + c->se[k]);
        }
        // Last in the list, so the live series keep their colours; its band is drawn under
        // every line all the same (PlotArea::fills).
        f.series.push_back(std::move(s));
      }
    }
  }
}

std::string App::sweep_ghost_line() const {
  if (sweep_ghost_.empty()) return "";
  std::string line;
  for (const Figure& f : figures_)
    for (const Series& s : f.series)
      if (is_sweep_ghost(s))
        line += (line.empty() ? "" : ", ") + s.label + " on " + f.id;
  return "sweep ghost: " + (line.empty() ? std::string("no plot of this run shows its metrics") : line);
}

}  // namespace dynalab
