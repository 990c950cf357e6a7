#include "core/analysis/disagreement_map_recipe.h"

#include <stdexcept>

#include "core/io/table.h"
#include "core/models/learned_model.h"

namespace dynalab {

DisagreementMapView disagreement_map_view(const ModelInputs& in, const DisagreementMapRecipe& r) {
  const int D = in.obs_dim();
  if (r.dim_x < 0 || r.dim_x >= D || r.dim_y < 0 || r.dim_y >= D)
    throw std::invalid_argument("disagreement map: dims must be in [0, " + std::to_string(D - 1) + "]");
  DisagreementMapView v;
  v.action = r.action.size() > 0 ? r.action : in.plan_action;
  SliceAxis ax{r.dim_x, 0, 1, r.cells}, ay{r.dim_y, 0, 1, r.dim_y == r.dim_x ? 1 : r.cells};
  axis_range(in, r.dim_x, r.widen, ax.lo, ax.hi);
  axis_range(in, r.dim_y, r.widen, ay.lo, ay.hi);
  v.map = disagreement_map(*in.model, in.state, v.action, ax, ay);
  if (in.summary)
    for (Eigen::Index i = 0; i < in.summary->dots.rows(); ++i)
      v.px.push_back(in.summary->dots(i, r.dim_x)), v.py.push_back(in.summary->dots(i, r.dim_y));
  v.base_x = in.state[r.dim_x], v.base_y = in.state[r.dim_y];
  v.deterministic_world = in.deterministic_world;
  return v;
}

std::string disagreement_map_csv(const DisagreementMapView& v) {
  Table t({"x", "y", "epistemic", "aleatoric"});
  const DisagreementMap& m = v.map;
  for (size_t iy = 0; iy < m.ys.size(); ++iy)
    for (size_t ix = 0; ix < m.xs.size(); ++ix) {
      const size_t c = iy * m.xs.size() + ix;
      t.add_row({m.xs[ix], m.ys[iy], m.epistemic[c], m.aleatoric[c]});
    }
  return t.to_csv();
}

std::vector<Heatmap> disagreement_map_heatmaps(const DisagreementMapView& v,
                                               const std::vector<std::string>& names,
                                               bool log_colour) {
  std::vector<Heatmap> out;
  const DisagreementMap& m = v.map;
  for (bool epistemic : {true, false}) {
    Heatmap h;
    // In a noiseless world the members' variance is noise they learned from the data's spread,
    // not noise of the world: the title says so.
    h.title = epistemic ? "epistemic: var of members' means"
              : v.deterministic_world ? "aleatoric (learned; the world has no noise)"
                                      : "aleatoric: mean of members' vars";
    h.x_label = names.at(size_t(m.x.dim));
    h.y_label = names.at(size_t(m.y.dim));
    h.value_label = "variance of s', summed over dims";
    h.nx = m.x.n, h.ny = m.y.n;
    h.x_lo = m.x.lo, h.x_hi = m.x.hi, h.y_lo = m.y.lo, h.y_hi = m.y.hi;
    if (h.ny == 1) h.y_lo = m.x.lo, h.y_hi = m.x.hi;  // 1-D env: a band
    h.values = epistemic ? m.epistemic : m.aleatoric;
    h.log_colour = log_colour;
    h.px = v.px;
    h.py = h.ny == 1 ? v.px : v.py;
    h.points_label = "training data";
    h.has_marker = true;
    h.marker_x = v.base_x, h.marker_y = h.ny == 1 ? v.base_x : v.base_y;
    out.push_back(std::move(h));
  }
  return out;
}

}  // namespace dynalab
