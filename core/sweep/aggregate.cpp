#include "core/sweep/aggregate.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "core/config.h"
#include "core/io/csv.h"
#include "core/io/input_error.h"
#include "core/io/read_file.h"
#include "core/number_text.h"

namespace dynalab {

namespace {

/// A number cell of a run's CSV: finite, or "nan" (what format_number writes for a loss not yet
/// measured; statistics skip it).
double parse_cell(const std::string& cell, const std::filesystem::path& file, const std::string& column) {
  if (cell == "nan") return std::nan("");
  const auto v = parse_finite(cell);
  if (!v) throw InputError(file.string() + ": column " + column + ": expected a number, got '" + cell + "'");
  return *v;
}

/// The header of a CSV text (its first line's fields).
std::vector<std::string> csv_header(const std::string& text) {
  return split_csv_line(std::string_view(text).substr(0, text.find('\n')));
}

/// Adds the values of one CSV file of a run: x from `x_column` (+ x_offset), every other column
/// but `skip` a metric.
void read_run_file(SweepResults& r, size_t run, const std::filesystem::path& file, const std::string& x_column,
                   double x_offset, const std::set<std::string>& skip) {
  if (!std::filesystem::exists(file)) return;
  const std::string text = read_file_bytes(file);
  const std::vector<std::string> header = csv_header(text);
  if (std::find(header.begin(), header.end(), x_column) == header.end())
    throw InputError(file.string() + ": no column " + x_column);
  std::vector<std::pair<std::string, size_t>> columns;  // metric column -> index in r.metrics
  for (const std::string& c : header) {
    if (c == x_column || skip.count(c)) continue;
    size_t m = 0;
    while (m < r.metrics.size() && !(r.metrics[m].name == c && r.metrics[m].x_name == x_column)) ++m;
    if (m == r.metrics.size()) r.metrics.push_back({c, x_column});
    columns.emplace_back(c, m);
  }
  // A damaged file (cut off mid-row, a row twice) would bias the mean without a word.
  std::set<std::pair<int, double>> seen;
  size_t line = 1;
  for (const auto& row : csv_rows(text)) {
    ++line;
    if (row.size() != header.size())
      throw InputError(file.string() + ": line " + std::to_string(line) + " has " + std::to_string(row.size()) +
                       " of the header's " + std::to_string(header.size()) + " fields");
    const auto sub = row.find("run");
    const int sub_run = sub == row.end() ? 0 : int(parse_cell(sub->second, file, "run"));
    const double xv = parse_cell(row.at(x_column), file, x_column) + x_offset;
    if (!seen.insert({sub_run, xv}).second)
      throw InputError(file.string() + ": line " + std::to_string(line) + " repeats " + x_column + " " +
                       row.at(x_column) + " of run " + std::to_string(sub_run));
    for (const auto& [c, m] : columns) {
      const auto cell = row.find(c);
      if (cell == row.end() || cell->second.empty()) continue;
      r.values.push_back({run, sub_run, m, xv, parse_cell(cell->second, file, c)});
    }
  }
}

}  // namespace

SweepResults read_sweep_results(const std::filesystem::path& dir) {
  SweepResults r;
  r.plan = read_sweep_manifest(dir);
  for (size_t i = 0; i < r.plan.runs.size(); ++i) {
    const std::filesystem::path run_dir = dir / r.plan.runs[i].dir;
    if (!sweep_run_done(r.plan.runs[i], dir)) {
      r.unfinished.push_back(r.plan.runs[i].dir);
      continue;
    }
    // Episodes count from 1 here, as on the app's per-episode plots (a ghost lines up).
    read_run_file(r, i, run_dir / "metrics.csv", "episode", 1, {"run"});
    read_run_file(r, i, run_dir / "learning_curve.csv", "env_steps", 0, {"run", "wall_s"});
  }
  return r;
}

std::vector<const SweepRun*> sweep_configs(const SweepPlan& plan) {
  std::vector<const SweepRun*> configs;
  std::set<std::string> seen;
  for (const SweepRun& run : plan.runs)
    if (seen.insert(run.config_label).second) configs.push_back(&run);
  return configs;
}

std::vector<SweepStat> sweep_statistics(const SweepResults& r) {
  std::map<std::string, size_t> config_of;
  const auto configs = sweep_configs(r.plan);
  for (size_t c = 0; c < configs.size(); ++c) config_of[configs[c]->config_label] = c;
  // Sums in a fixed order (the values' file order), so the numbers are the same every time.
  std::map<std::tuple<size_t, size_t, double>, std::vector<double>> samples;
  for (const SweepValue& v : r.values)
    if (std::isfinite(v.value))
      samples[{config_of.at(r.plan.runs[v.run].config_label), v.metric, v.x}].push_back(v.value);
  std::vector<SweepStat> stats;
  for (const auto& [key, xs] : samples) {
    SweepStat s{std::get<0>(key), std::get<1>(key), std::get<2>(key), int(xs.size())};
    double sum = 0;
    for (double x : xs) sum += x;
    s.mean = sum / double(xs.size());
    double ss = 0;
    for (double x : xs) ss += (x - s.mean) * (x - s.mean);
    s.se = xs.size() < 2 ? std::nan("") : std::sqrt(ss / double(xs.size() - 1) / double(xs.size()));
    stats.push_back(s);
  }
  return stats;
}

namespace {

std::vector<std::string> key_columns(const SweepPlan& plan, std::vector<std::string> after) {
  std::vector<std::string> cols = {"experiment"};
  for (const SweepAxis& a : plan.grid) cols.push_back(a.key);
  cols.insert(cols.end(), after.begin(), after.end());
  return cols;
}

std::vector<TableCell> key_cells(const SweepPlan& plan, const SweepRun& run) {
  std::vector<TableCell> cells = {TableCell(std::filesystem::path(plan.experiment).stem().string())};
  for (const auto& [k, v] : run.overrides) cells.emplace_back(v);
  return cells;
}

}  // namespace

Table sweep_tidy_table(const SweepResults& r) {
  Table t(key_columns(r.plan, {"seed", "run", "x", "metric", "value"}));
  for (const SweepValue& v : r.values) {
    const SweepRun& run = r.plan.runs[v.run];
    std::vector<TableCell> cells = key_cells(r.plan, run);
    cells.insert(cells.end(), {TableCell(run.seed), TableCell(v.sub_run), TableCell(v.x),
                               TableCell(r.metrics[v.metric].name), TableCell(v.value)});
    t.add_row(cells);
  }
  return t;
}

Table sweep_summary_table(const SweepResults& r, const std::vector<SweepStat>& stats) {
  const auto configs = sweep_configs(r.plan);
  Table t(key_columns(r.plan, {"config", "metric", "x_name", "x", "n", "mean", "se"}));
  for (const SweepStat& s : stats) {
    std::vector<TableCell> cells = key_cells(r.plan, *configs[s.config]);
    const SweepMetric& m = r.metrics[s.metric];
    cells.insert(cells.end(), {TableCell(configs[s.config]->config_label), TableCell(m.name), TableCell(m.x_name),
                               TableCell(s.x), TableCell(s.n), TableCell(s.mean), TableCell(s.se)});
    t.add_row(cells);
  }
  return t;
}

std::vector<Figure> sweep_figures(const SweepResults& r, const std::vector<SweepStat>& stats,
                                  const SweepFigureOptions& options) {
  for (const std::string& want : options.metrics) {
    bool known = false;
    for (const SweepMetric& m : r.metrics) known = known || m.name == want;
    if (!known) {
      std::string names;
      for (const SweepMetric& m : r.metrics) names += (names.empty() ? "" : ", ") + m.name;
      throw InputError("aggregate: --metrics: the runs have no metric '" + want + "' (they have: " + names + ")");
    }
  }
  const auto configs = sweep_configs(r.plan);
  const std::string experiment = std::filesystem::path(r.plan.experiment).stem().string();
  std::vector<Figure> figures;
  for (size_t m = 0; m < r.metrics.size(); ++m) {
    const SweepMetric& metric = r.metrics[m];
    if (!options.metrics.empty() &&
        std::find(options.metrics.begin(), options.metrics.end(), metric.name) == options.metrics.end())
      continue;
    Figure f;
    f.id = metric.name;
    f.x_label = metric.x_name == "env_steps" ? "env steps" : "episode";
    f.y_label = metric.name;
    int n_max = 0;
    for (size_t c = 0; c < configs.size(); ++c) {
      Series s;
      int n = 0;
      for (const SweepStat& st : stats) {
        if (st.config != c || st.metric != m || st.x < options.x_min) continue;
        s.x.push_back(st.x);
        s.y.push_back(st.mean);
        s.band_lo.push_back(st.mean - st.se);
        s.band_hi.push_back(st.mean + st.se);
        n = std::max(n, st.n);
      }
      if (s.x.empty()) continue;
      n_max = std::max(n_max, n);
      s.label = configs[c]->config_label + " (n = " + std::to_string(n) + ")";
      f.series.push_back(std::move(s));
    }
    if (f.series.empty()) {
      if (!options.metrics.empty())
        throw InputError("aggregate: --x-min " + format_number(options.x_min) + ": metric " + metric.name +
                         " has no point at or after it");
      continue;
    }
    if (options.y_scale == SweepFigureOptions::YScale::log)
      for (const Series& s : f.series)
        for (size_t k = 0; k < s.y.size(); ++k)
          if (!(s.band_lo[k] > 0) && !(std::isnan(s.band_lo[k]) && s.y[k] > 0))
            throw InputError("aggregate: --y-scale log: " + metric.name + " of " + s.label + " reaches " +
                             format_number(std::isnan(s.band_lo[k]) ? s.y[k] : s.band_lo[k]) +
                             " at x = " + format_number(s.x[k]) +
                             ", which a log axis cannot draw (use --y-scale linear, or --metrics)");
    f.title = experiment + ": " + metric.name + ", mean \u00b1 standard error over " + std::to_string(n_max) + " runs";
    f.log_y = options.y_scale == SweepFigureOptions::YScale::log ||
              (options.y_scale == SweepFigureOptions::YScale::automatic && spans_orders_of_magnitude(f));
    figures.push_back(std::move(f));
  }
  return figures;
}

std::string sweep_metric_of_figure(const std::string& figure_id) {
  if (figure_id == "steps_per_episode") return "steps";
  if (figure_id == "return_per_episode") return "return";
  if (figure_id == "learning_curve") return "eval_return";
  return "";
}

SweepGhost read_sweep_ghost(const std::filesystem::path& path, const std::string& metric) {
  // An aggregate folder, its summary.csv, or the sweep folder whose figures/ aggregate wrote
  // (the folder `sweep` and `aggregate` suggest).
  std::filesystem::path file = std::filesystem::is_directory(path) ? path / "summary.csv" : path;
  if (std::filesystem::is_directory(path) && !std::filesystem::exists(file) &&
      std::filesystem::exists(path / "sweep.json") && std::filesystem::exists(path / "figures/summary.csv"))
    file = path / "figures/summary.csv";
  if (!std::filesystem::exists(file))
    throw InputError(file.string() + ": not found (write it with dynalab-cli aggregate SWEEP_DIR --out DIR)");
  const std::string text = read_file_bytes(file);
  const std::vector<std::string> header = csv_header(text);
  const auto config_col = std::find(header.begin(), header.end(), "config");
  if (header.empty() || header.front() != "experiment" || config_col == header.end())
    throw InputError(file.string() + ": not an aggregate summary (expected columns experiment,...,config,metric,x,n,mean,se)");
  const std::vector<std::string> keys(header.begin() + 1, config_col);
  SweepGhost g{file.string(), "", metric, {}};
  for (const auto& row : csv_rows(text)) {
    const auto cell = [&](const std::string& c) -> const std::string& {
      const auto it = row.find(c);
      if (it == row.end()) throw InputError(file.string() + ": a row without column " + c);
      return it->second;
    };
    if (cell("metric") != metric) continue;
    g.experiment = cell("experiment");
    const std::string& config = cell("config");
    if (g.curves.empty() || g.curves.back().config != config) {
      g.curves.push_back({config, {}, {}, {}, {}, int(parse_cell(cell("n"), file, "n"))});
      for (const std::string& k : keys) g.curves.back().overrides.emplace_back(k, cell(k));
    }
    SweepGhost::Curve& c = g.curves.back();
    c.x.push_back(parse_cell(cell("x"), file, "x"));
    c.mean.push_back(parse_cell(cell("mean"), file, "mean"));
    c.se.push_back(parse_cell(cell("se"), file, "se"));
  }
  return g;
}

}  // namespace dynalab
