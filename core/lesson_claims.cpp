#include "core/lesson_claims.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "core/analysis/model_comparison.h"
#include "core/analysis/model_error.h"
#include "core/analysis/model_inputs.h"
#include "core/analysis/uncertainty_slice_recipe.h"
#include "core/config.h"
#include "core/io/csv.h"
#include "core/lesson.h"
#include "core/snapshot.h"

namespace dynalab {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

const std::vector<std::string>& stats() {
  static const std::vector<std::string> s = {"first", "last", "mean", "min", "max", "sum", "count"};
  return s;
}

bool is_one_of(const std::string& x, const std::vector<std::string>& xs) {
  return std::find(xs.begin(), xs.end(), x) != xs.end();
}

int parse_count(const std::string& word, const char* what) {
  size_t used = 0;
  int v = -1;
  try {
    v = std::stoi(word, &used);
  } catch (const std::exception&) {
  }
  if (used != word.size() || v < 0) throw std::invalid_argument(std::string("a non-negative ") + what + ", got '" + word + "'");
  return v;
}

double reduce(const std::string& stat, const std::vector<double>& xs) {
  if (stat == "count") return double(std::count_if(xs.begin(), xs.end(), [](double x) { return x != 0; }));
  if (xs.empty()) return kNaN;
  if (stat == "first") return xs.front();
  if (stat == "last") return xs.back();
  if (stat == "min") return *std::min_element(xs.begin(), xs.end());
  if (stat == "max") return *std::max_element(xs.begin(), xs.end());
  double sum = 0;
  for (double x : xs) sum += x;
  return stat == "sum" ? sum : sum / double(xs.size());
}

// The y values of FIGURE[/SERIES], or null if `s` has no such figure.
const std::vector<double>* figure_values(const Snapshot& s, const std::string& source) {
  const size_t slash = source.find('/');
  const std::string id = source.substr(0, slash);
  for (const Figure& f : s.figures) {
    if (f.id != id) continue;
    if (slash == std::string::npos) {
      if (f.series.size() != 1)
        throw std::invalid_argument("figure '" + id + "' has " + std::to_string(f.series.size()) +
                                    " series: name one as " + id + "/SERIES");
      return &f.series[0].y;
    }
    const std::string name = source.substr(slash + 1);
    for (const Series& se : f.series)
      if (se.label == name) return &se.y;
    std::string names;
    for (const Series& se : f.series) names += (names.empty() ? "" : ", ") + se.label;
    throw std::invalid_argument("figure '" + id + "' has no series '" + name + "' (it has " + names + ")");
  }
  return nullptr;
}

double measure_column(const Measure& m, const Snapshot& s, std::string* why) {
  const auto col = std::find(s.metric_columns.begin(), s.metric_columns.end(), m.source);
  std::vector<double> xs;
  if (col != s.metric_columns.end()) {
    const size_t c = size_t(col - s.metric_columns.begin());
    const int n = int(s.metrics.size());
    int from = 0, to = n - 1;
    if (m.from >= 0) {
      from = m.from;
      to = std::min(m.to, n - 1);
    }
    if (m.last >= 0) from = std::max(0, n - m.last);
    for (int e = from; e <= to; ++e) xs.push_back(s.metrics[size_t(e)][c]);
    if (m.from >= 0 && m.to >= n && why) *why = "episode " + std::to_string(m.to) + " has not finished";
    if (m.from >= 0 && m.to >= n) return kNaN;  // the range is not complete yet
  } else if (const std::vector<double>* ys = figure_values(s, m.source)) {
    if (m.from >= 0 || m.last >= 0)
      throw std::invalid_argument("'over ...' applies to metrics columns, not to figure '" + m.source + "'");
    xs = *ys;
  } else {
    std::string have;
    for (const auto& c : s.metric_columns) have += (have.empty() ? "" : ", ") + c;
    for (const Figure& f : s.figures) have += ", " + f.id;
    throw std::invalid_argument("no metrics column or figure '" + m.source + "' (there are: " + have + ")");
  }
  const double v = reduce(m.stat, xs);
  if (std::isnan(v) && why) *why = "no finished episode yet";
  return v;
}

double plan_terminated_fraction(const PlanTrace& t) {
  if (t.candidates <= 0 || t.particles <= 0 || t.obs_dim <= 0) return kNaN;
  const size_t per_path = size_t(t.horizon + 1) * size_t(t.obs_dim);
  if (t.paths.size() < size_t(t.candidates) * size_t(t.particles) * per_path) return kNaN;
  int ended = 0;
  for (int c = 0; c < t.candidates; ++c) {
    // A terminated particle's rows after its end are NaN: look at its last row.
    const size_t first = size_t(c) * size_t(t.particles) * per_path;
    if (std::isnan(t.paths[first + per_path - 1])) ++ended;
  }
  return double(ended) / double(t.candidates);
}

// slice disagreement_ratio (see the header); NaN when the slice has no point on one side.
double slice_disagreement_ratio(const Snapshot& s) {
  const ModelInputs in = model_inputs(s);
  const UncertaintySliceView v = uncertainty_slice_view(in);
  const double lo = in.summary->lo[0], hi = in.summary->hi[0];
  double inside = 0, outside = 0;
  int n_in = 0, n_out = 0;
  for (size_t k = 0; k < v.slice.xs.size(); ++k) {
    const double sd = std::sqrt(std::max(0.0, v.slice.epistemic[k]));
    const bool on_data = v.slice.xs[k] >= lo && v.slice.xs[k] <= hi;
    (on_data ? inside : outside) += sd;
    ++(on_data ? n_in : n_out);
  }
  if (n_in == 0 || n_out == 0 || inside <= 0) return kNaN;
  return (outside / n_out) / (inside / n_in);
}

// two_clusters gap_ratio MODEL (see the header): the fit and view `dynalab-cli analysis
// model_comparison --two-clusters` makes with its defaults.
double two_clusters_gap_ratio(const Snapshot& s, const std::string& type) {
  const ModelInputs in = model_inputs(s);
  ModelComparisonRecipe r;
  r.map.dim_y = in.obs_dim() > 1 ? 1 : 0;
  r.two_clusters = true;
  r.seed = in.seed;
  for (const ComparedModel& m : fit_model_comparison(in, r).models)
    if (m.type == type) return m.gap_ratio();
  return kNaN;
}

// model_error median_distance | horizon_ratio (see the header) on the episode on screen, with the
// lab's horizon: the planner's, clamped to [5, 30].
double model_error_ratio(const Snapshot& s, const std::string& which) {
  std::vector<Trajectory> visited;
  if (s.trajectory.steps() > 0) visited.push_back(s.trajectory);
  const int planned = s.plan ? s.plan->trace.horizon : 0;
  const int horizon = std::max(5, std::min(30, planned > 0 ? planned : 20));
  const ModelError e = model_error(*s.model->model, *s.model->training_data, visited, horizon);
  return which == "median_distance" ? median_visited_distance(e) : horizon_error_ratio(e);
}

}  // namespace

Measure parse_measure(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> w;
  for (std::string word; in >> word;) w.push_back(word);
  Measure m;
  const auto fail = [&](const std::string& what) {
    throw std::invalid_argument(what + " (a measure is e.g. 'last return', 'mean steps over last 5 episodes', "
                                       "'obs[0]', 'plan terminated_fraction'), got '" + text + "'");
  };
  if (w.empty()) fail("a measure");
  if (w.size() == 1 && (w[0] == "episodes" || w[0] == "total_steps")) {
    m.kind = w[0] == "episodes" ? Measure::Kind::episodes : Measure::Kind::total_steps;
    return m;
  }
  const auto obs_index = [&](const std::string& word) {
    if (word.rfind("obs[", 0) != 0 || word.back() != ']') fail("obs[i]");
    try {
      return parse_count(word.substr(4, word.size() - 5), "observation index");
    } catch (const std::invalid_argument& e) {
      fail(std::string("obs[i] with ") + e.what());
    }
    return -1;
  };
  if (w.size() == 1 && w[0].rfind("obs[", 0) == 0) {
    m.kind = Measure::Kind::obs;
    m.index = obs_index(w[0]);
    return m;
  }
  if (w[0] == "data") {
    if (w.size() != 3 || !is_one_of(w[1], stats()) || w[1] == "count") fail("'data STAT obs[i]' (STAT first, last, mean, min, max or sum)");
    m.kind = Measure::Kind::data;
    m.stat = w[1];
    m.index = obs_index(w[2]);
    return m;
  }
  if (w.size() == 2 && w[0] == "plan") {
    if (w[1] != "terminated_fraction" && w[1] != "failure_fraction" && w[1] != "predicted_return")
      fail("plan terminated_fraction, plan failure_fraction or plan predicted_return");
    m.kind = Measure::Kind::plan;
    m.source = w[1];
    return m;
  }
  if (w[0] == "model_error") {
    if (w.size() != 2 || !is_one_of(w[1], {"median_distance", "horizon_ratio"}))
      fail("model_error median_distance or model_error horizon_ratio");
    m.kind = Measure::Kind::model_error;
    m.source = w[1];
    return m;
  }
  if (w[0] == "slice") {
    if (w.size() != 2 || w[1] != "disagreement_ratio") fail("slice disagreement_ratio");
    m.kind = Measure::Kind::slice;
    m.source = w[1];
    return m;
  }
  if (w[0] == "two_clusters") {
    const auto& types = compared_model_types();
    if (w.size() != 3 || w[1] != "gap_ratio" || !is_one_of(w[2], {types.begin(), types.end()}))
      fail("two_clusters gap_ratio ensemble, two_clusters gap_ratio gp or two_clusters gap_ratio bnn");
    m.kind = Measure::Kind::two_clusters;
    m.source = w[2];
    return m;
  }
  if (w.size() == 2 && w[0] == "q") {
    if (w[1] != "real_updates" && w[1] != "planning_updates") fail("q real_updates or q planning_updates");
    m.kind = Measure::Kind::q;
    m.source = w[1];
    return m;
  }
  if (w.size() < 2 || !is_one_of(w[0], stats())) fail("a statistic (first, last, mean, min, max, sum, count) and a column");
  m.stat = w[0];
  // The source runs to "over" (a figure's series label may hold spaces: "model_loss/held out").
  // "over" starts a range only before "episodes" or "last" ("steps_per_episode/mean over runs"
  // is a series label).
  size_t over = 1;
  while (over < w.size() &&
         !(w[over] == "over" && over + 1 < w.size() && (w[over + 1] == "episodes" || w[over + 1] == "last")))
    ++over;
  for (size_t i = 1; i < over; ++i) m.source += (i > 1 ? " " : "") + w[i];
  const std::vector<std::string> range(w.begin() + long(over), w.end());
  try {
    if (range.size() == 3 && range[1] == "episodes") {
      const size_t dots = range[2].find("..");
      if (dots == std::string::npos) fail("'over episodes A..B'");
      m.from = parse_count(range[2].substr(0, dots), "first episode");
      m.to = parse_count(range[2].substr(dots + 2), "last episode");
      if (m.to < m.from) fail("'over episodes A..B' with A <= B");
    } else if (range.size() == 4 && range[1] == "last" && range[3] == "episodes") {
      m.last = parse_count(range[2], "episode count");
      if (m.last == 0) fail("'over last K episodes' with K >= 1");
    } else if (!range.empty()) {
      fail("'STAT COLUMN', 'STAT COLUMN over episodes A..B' or 'STAT COLUMN over last K episodes'");
    }
  } catch (const std::invalid_argument& e) {
    if (std::string(e.what()).find("a measure is") != std::string::npos) throw;
    fail(e.what());
  }
  return m;
}

double measure_snapshot(const Measure& m, const Snapshot& s, std::string* why) {
  const auto missing = [&](const char* what) {
    if (why) *why = what;
    return kNaN;
  };
  switch (m.kind) {
    case Measure::Kind::column:
      return measure_column(m, s, why);
    case Measure::Kind::obs:
      if (m.index >= s.obs.size())
        throw std::invalid_argument("obs[" + std::to_string(m.index) + "]: the observation has " +
                                    std::to_string(s.obs.size()) + " dimensions");
      return s.obs[m.index];
    case Measure::Kind::data: {
      if (!s.model) throw std::invalid_argument("'data ...': this experiment has no learned model");
      if (!s.model->training_data) return missing("the model has not been fit yet");
      const Eigen::MatrixXd states = s.model->training_data->observations();
      if (m.index >= states.cols())
        throw std::invalid_argument("data obs[" + std::to_string(m.index) + "]: the observation has " +
                                    std::to_string(states.cols()) + " dimensions");
      const Eigen::VectorXd col = states.col(m.index);
      return reduce(m.stat, std::vector<double>(col.data(), col.data() + col.size()));
    }
    case Measure::Kind::episodes:
      return double(s.metrics.size());
    case Measure::Kind::total_steps:
      return double(s.total_steps);
    case Measure::Kind::plan:
      if (!s.plan) throw std::invalid_argument("'plan ...': this experiment publishes no plan");
      if (m.source == "predicted_return") return s.plan->predicted_return;
      if (m.source == "failure_fraction") {  // the fan's red candidates (app/draw/mpc_overlay)
        if (!s.world || s.plan->trace.candidates <= 0) return missing("no planner trace yet");
        return end_fraction(candidate_ends(s.plan->trace, *s.world), PathEnd::failure);
      }
      {
        const double f = plan_terminated_fraction(s.plan->trace);
        return std::isnan(f) ? missing("no planner trace yet") : f;
      }
    case Measure::Kind::q:
      if (!s.q_table) throw std::invalid_argument("'q ...': this experiment has no Q table");
      return double(m.source == "real_updates" ? s.q_table->real_updates : s.q_table->planning_updates);
    case Measure::Kind::slice: {
      if (!s.model) throw std::invalid_argument("'slice ...': this experiment has no learned model");
      if (!has_model_inputs(s) || !s.model->training_data) return missing("the model has not been fit yet");
      const double r = slice_disagreement_ratio(s);
      return std::isnan(r) ? missing("the slice has no point on one side of the data") : r;
    }
    case Measure::Kind::two_clusters: {
      if (!s.model) throw std::invalid_argument("'two_clusters ...': this experiment has no learned model");
      if (!has_model_inputs(s) || !s.model->training_data) return missing("the model has not been fit yet");
      const double r = two_clusters_gap_ratio(s, m.source);
      return std::isnan(r) ? missing("the slice has no point in the gap or on the clusters") : r;
    }
    case Measure::Kind::model_error: {
      if (!s.model) throw std::invalid_argument("'model_error ...': this experiment has no learned model");
      if (!has_model_inputs(s) || !s.model->training_data || s.model->training_data->size() == 0)
        return missing("the model has not been fit yet");
      const double r = model_error_ratio(s, m.source);
      return std::isnan(r) ? missing("too few visited transitions to compare") : r;
    }
  }
  return kNaN;
}

namespace {

int variant_index(const LessonStep& step, const std::string& label) {
  for (size_t i = 0; i < step.variants.size(); ++i)
    if (step.variants[i].label == label) return int(i);
  return label.empty() && step.variants.empty() ? 0 : -1;
}

std::string labels(const LessonStep& step) {
  std::string out;
  for (const auto& v : step.variants) out += (out.empty() ? "'" : ", '") + v.label + "'";
  return out;
}

}  // namespace

LessonClaim read_claim(ConfigNode& node, const LessonStep& step) {
  LessonClaim c;
  node.field("says", c.says);
  node.field("variant", c.variant);
  node.field("measure", c.measure);
  if (c.says.empty()) node.fail("says", "the claim in words");
  try {
    c.parsed = parse_measure(c.measure);
  } catch (const std::invalid_argument& e) {
    node.fail("measure", e.what());
  }
  if (variant_index(step, c.variant) < 0)
    node.fail("variant", step.variants.empty() ? std::string("no variant (this step has none)")
                                               : "one of the step's variant labels: " + labels(step));
  int tests = 0;
  std::vector<double> between;
  if (node.has("above")) {
    node.field("above", c.lo);
    c.test = LessonClaim::Test::above;
    ++tests;
  }
  if (node.has("below")) {
    node.field("below", c.hi);
    c.test = LessonClaim::Test::below;
    ++tests;
  }
  if (node.has("between")) {
    node.field("between", between);
    if (between.size() != 2 || !(between[0] <= between[1])) node.fail("between", "[low, high] with low <= high");
    c.lo = between[0];
    c.hi = between[1];
    c.test = LessonClaim::Test::between;
    ++tests;
  }
  for (const char* key : {"above_variant", "below_variant"})
    if (node.has(key)) {
      node.field(key, c.other);
      c.test = std::string(key) == "above_variant" ? LessonClaim::Test::above_variant
                                                   : LessonClaim::Test::below_variant;
      ++tests;
      if (variant_index(step, c.other) < 0 || step.variants.empty())
        node.fail(key, "another of the step's variant labels: " + (step.variants.empty() ? "(none)" : labels(step)));
    }
  node.finish();  // an unknown key (a misspelt test) is named before the count below
  if (tests != 1)
    node.fail("says", "exactly one of above, below, between, above_variant, below_variant (got " +
                          std::to_string(tests) + ")");
  return c;
}

ClaimResult check_claim(const LessonClaim& c, const LessonStep& step,
                        const std::vector<std::shared_ptr<const Snapshot>>& variants) {
  ClaimResult r;
  const auto measure = [&](const std::string& label, std::string* why) {
    const int i = variant_index(step, label);
    if (i < 0 || size_t(i) >= variants.size() || !variants[size_t(i)]) {
      *why = "no snapshot of variant '" + label + "'";
      return kNaN;
    }
    try {
      return measure_snapshot(c.parsed, *variants[size_t(i)], why);
    } catch (const std::invalid_argument& e) {
      *why = e.what();
      return kNaN;
    }
  };
  r.value = measure(c.variant, &r.note);
  const bool compare = c.test == LessonClaim::Test::above_variant || c.test == LessonClaim::Test::below_variant;
  if (compare) r.other = measure(c.other, &r.note);
  if (std::isnan(r.value) || (compare && std::isnan(r.other))) {
    if (r.note.empty()) r.note = "not measurable";
    return r;
  }
  switch (c.test) {
    case LessonClaim::Test::above: r.holds = r.value > c.lo; break;
    case LessonClaim::Test::below: r.holds = r.value < c.hi; break;
    case LessonClaim::Test::between: r.holds = r.value >= c.lo && r.value <= c.hi; break;
    case LessonClaim::Test::above_variant: r.holds = r.value > r.other; break;
    case LessonClaim::Test::below_variant: r.holds = r.value < r.other; break;
  }
  return r;
}

std::string describe_test(const LessonClaim& c) {
  switch (c.test) {
    case LessonClaim::Test::above: return "above " + format_number(c.lo);
    case LessonClaim::Test::below: return "below " + format_number(c.hi);
    case LessonClaim::Test::between: return "between " + format_number(c.lo) + " and " + format_number(c.hi);
    case LessonClaim::Test::above_variant: return "above " + c.other;
    case LessonClaim::Test::below_variant: return "below " + c.other;
  }
  return "";
}

}  // namespace dynalab
