#include "core/figure.h"

#include <algorithm>
#include <cmath>

#include "core/io/table.h"

namespace dynalab {

Series& Figure::series_named(const std::string& label) {
  for (auto& s : series)
    if (s.label == label) return s;
  series.push_back({label, {}, {}});
  return series.back();
}

std::string Figure::to_csv() const {
  std::vector<std::string> columns = {"series", x_label.empty() ? "x" : x_label, y_label.empty() ? "y" : y_label};
  const bool bands = std::any_of(series.begin(), series.end(), [](const Series& s) { return s.has_band(); });
  if (bands) columns.insert(columns.end(), {"band_lo", "band_hi"});
  Table t(std::move(columns));
  for (const auto& s : series)
    for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
      if (!bands)
        t.add_row({s.label, s.x[i], s.y[i]});
      else if (s.has_band() && i < s.band_lo.size())
        t.add_row({s.label, s.x[i], s.y[i], s.band_lo[i], s.band_hi[i]});
      else
        t.add_row({s.label, s.x[i], s.y[i], "", ""});
    }
  return t.to_csv();
}

bool spans_orders_of_magnitude(const Figure& f, double ratio) {
  double lo = INFINITY, hi = -INFINITY;
  for (const Series& s : f.series)
    for (double y : s.y) {
      if (!std::isfinite(y)) continue;
      if (y <= 0) return false;  // a log axis could not draw it
      lo = std::min(lo, y), hi = std::max(hi, y);
    }
  return lo <= hi && hi >= ratio * lo;
}

Figure episode_figure(std::string id, std::string title, std::string y_label, bool log_y,
                      const std::vector<EpisodeValue>& values, int current_run) {
  Figure f{std::move(id), std::move(title), "episode", std::move(y_label), {}, log_y};
  std::vector<double> sum, count;
  for (const auto& v : values) {
    if (v.run == current_run) {
      auto& s = f.series_named("run " + std::to_string(current_run));
      s.x.push_back(v.episode + 1);
      s.y.push_back(v.value);
    }
    if (v.episode >= static_cast<int>(sum.size())) sum.resize(v.episode + 1), count.resize(v.episode + 1);
    sum[v.episode] += v.value;
    count[v.episode] += 1;
  }
  if (current_run > 0) {
    auto& mean = f.series_named("mean over runs");
    for (size_t e = 0; e < sum.size(); ++e) {
      mean.x.push_back(double(e + 1));
      mean.y.push_back(sum[e] / count[e]);
    }
  }
  return f;
}

std::vector<Figure> merge_variant_figures(
    const std::vector<std::pair<std::string, const std::vector<Figure>*>>& variants,
    const std::vector<std::string>& ids) {
  std::vector<std::string> order = ids;
  if (order.empty() && !variants.empty() && variants.front().second)
    for (const auto& f : *variants.front().second) order.push_back(f.id);
  std::vector<Figure> out;
  for (const auto& id : order) {
    // Series with fixed colours (a band and its real trace, say) would look the same for every
    // variant on one plot: each variant gets its own figure then, titled with its label.
    bool fixed_colours = false;
    for (const auto& [label, figs] : variants)
      if (figs)
        for (const auto& f : *figs)
          if (f.id == id)
            for (const auto& s : f.series) fixed_colours = fixed_colours || s.colour >= 0;
    if (fixed_colours) {
      int k = 0;
      for (const auto& [label, figs] : variants) {
        ++k;
        if (!figs) continue;
        for (const auto& f : *figs) {
          if (f.id != id) continue;
          Figure own = f;
          own.id = f.id + "_variant" + std::to_string(k);
          own.title = label + ": " + f.title;
          out.push_back(std::move(own));
        }
      }
      continue;
    }
    Figure merged;
    bool found = false;
    for (const auto& [label, figs] : variants) {
      if (!figs) continue;
      for (const auto& f : *figs) {
        if (f.id != id) continue;
        if (!found) {
          merged = Figure{f.id, f.title, f.x_label, f.y_label, {}, f.log_y, f.points, f.log_x};
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

std::vector<Figure> shown_figures(
    const std::vector<std::string>& ids,
    const std::vector<std::pair<std::string, const std::vector<Figure>*>>& variants) {
  if (variants.size() > 1) return merge_variant_figures(variants, ids);
  if (variants.empty() || !variants[0].second) return {};
  const auto& figs = *variants[0].second;
  if (ids.empty()) return figs;
  std::vector<Figure> out;
  for (const auto& id : ids)
    for (const auto& f : figs)
      if (f.id == id) out.push_back(f);
  return out;
}

}  // namespace dynalab
