#include "core/analysis/ladder.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <stdexcept>

#include "core/analysis/median.h"
#include "core/config.h"
#include "core/episodic_experiment.h"
#include "core/experiment.h"
#include "core/export/figure_svg.h"
#include "core/io/atomic_file.h"
#include "core/io/csv.h"
#include "core/io/input_error.h"
#include "core/io/read_file.h"
#include "core/io/table.h"
#include "core/parallel_jobs.h"
#include "core/snapshot.h"

namespace dynalab {

namespace {

std::filesystem::path ladder_path(const std::string& name_or_path) {
  if (std::filesystem::exists(name_or_path) && name_or_path.find('/') != std::string::npos)
    return name_or_path;
  if (std::filesystem::path(name_or_path).extension() == ".json") return name_or_path;
  return assets_dir() / "ladders" / (name_or_path + ".json");
}

/// One rung on one seed: runs the experiment to its end, timing the episode boundaries, and
/// reads its curve back from the outputs it writes to `dir`.
LadderRun run_once(const LadderRung& rung, uint64_t seed, const EnvRegistry& envs,
                   const std::filesystem::path& dir, const std::atomic<bool>* cancel) {
  LadderRun out;
  out.seed = seed;
  std::vector<std::string> sets = rung.set;
  sets.push_back("seed=" + std::to_string(seed));
  sets.push_back("runs=1");
  auto e = make_experiment(load_experiment(rung.experiment, sets), envs);
  const auto* episodic = dynamic_cast<const EpisodicExperiment*>(e.get());
  const auto start = std::chrono::steady_clock::now();
  auto seconds = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  // Wall seconds at each episode boundary (run steps -> seconds), for curves of episodes.
  std::map<int64_t, double> boundary_wall;
  while (e->tick()) {
    if (cancel && *cancel) throw std::runtime_error("stopped");
    if (episodic && episodic->clock().episode_steps == 0)
      boundary_wall.emplace(episodic->clock().run_steps, seconds());
  }
  out.wall_s = seconds();
  e->write_outputs(dir);
  if (std::filesystem::exists(dir / "learning_curve.csv")) {
    for (const auto& r : csv_rows(read_file_bytes(dir / "learning_curve.csv")))
      out.curve.push_back({std::stoll(r.at("env_steps")), std::stod(r.at("wall_s")),
                           std::stod(r.at("eval_return"))});
  } else {
    for (const auto& r : csv_rows(read_file_bytes(dir / "metrics.csv"))) {
      const int64_t steps = std::stoll(r.at("env_steps"));
      out.curve.push_back({steps, wall_at(boundary_wall, steps, out.wall_s), std::stod(r.at("return"))});
    }
  }
  return out;
}

std::string slug(const std::string& label) {
  std::string s;
  for (char c : label) s += std::isalnum(static_cast<unsigned char>(c)) ? char(std::tolower(c)) : '_';
  return s;
}

}  // namespace

LadderSpec read_ladder(const std::string& name_or_path) {
  const std::filesystem::path path = ladder_path(name_or_path);
  if (!std::filesystem::exists(path))
    throw InputError(name_or_path + ": no such ladder (assets/ladders/ holds the registered ones)");
  LadderSpec spec;
  spec.source = path.string();
  spec.name = path.stem().string();
  const Json j = read_json_file(spec.source);
  if (!j.is_object()) throw InputError(spec.source + ": expected a JSON object with title, env, threshold and rungs");
  Json top = j;
  top.erase("rungs");
  top.erase("published");
  ConfigNode root(top, spec.source);
  root.field("title", spec.title);
  root.field("env", spec.env);
  root.field("threshold", spec.threshold);
  root.finish();
  const Json* rungs = j.contains("rungs") ? &j["rungs"] : nullptr;
  if (!rungs || !rungs->is_array() || rungs->empty())
    root.fail("rungs", "a non-empty array of rungs", rungs);
  for (size_t i = 0; i < rungs->size(); ++i) {
    ConfigNode n((*rungs)[i], spec.source, "rungs[" + std::to_string(i) + "]");
    LadderRung r;
    n.field("label", r.label);
    n.field("experiment", r.experiment);
    n.field("set", r.set);
    n.field("ceiling", r.ceiling);
    n.finish();
    if (r.label.empty()) n.fail("label", "a non-empty label");
    if (r.experiment.empty()) n.fail("experiment", "a registered experiment or a JSON file");
    spec.rungs.push_back(std::move(r));
  }
  if (j.contains("published")) {
    if (!j["published"].is_array()) root.fail("published", "an array of published points", &j["published"]);
    for (size_t i = 0; i < j["published"].size(); ++i) {
      ConfigNode n(j["published"][i], spec.source, "published[" + std::to_string(i) + "]");
      PublishedPoint p;
      n.field("label", p.label);
      n.field("source", p.source);
      n.field("rung", p.rung);
      n.field("env_steps", p.env_steps, Range::positive());
      n.field("return", p.value);
      n.field("std", p.std, Range::at_least(0));
      n.finish();
      spec.published.push_back(std::move(p));
    }
  }
  return spec;
}

const LadderRung* ladder_rung(const LadderSpec& spec, const std::string& label) {
  for (const LadderRung& r : spec.rungs)
    if (r.label == label) return &r;
  return nullptr;
}

double wall_at(const std::map<int64_t, double>& wall_at_steps, int64_t steps, double fallback) {
  const auto w = wall_at_steps.lower_bound(steps);
  return w == wall_at_steps.end() ? fallback : w->second;
}

LadderRun ladder_run_from_snapshot(const Snapshot& s, uint64_t seed,
                                   const std::map<int64_t, double>& wall_at_steps) {
  LadderRun out;
  out.seed = seed;
  out.wall_s = wall_at_steps.empty() ? 0 : wall_at_steps.rbegin()->second;
  for (const Figure& f : s.figures) {
    if (f.id != "learning_curve") continue;
    for (const Series& series : f.series)
      if (series.label == "run " + std::to_string(s.run))
        for (size_t k = 0; k < series.x.size() && k < series.y.size(); ++k) {
          const auto steps = int64_t(series.x[k]);
          out.curve.push_back({steps, wall_at(wall_at_steps, steps, out.wall_s), series.y[k]});
        }
    return out;
  }
  const auto column = [&](const char* name) {
    const auto it = std::find(s.metric_columns.begin(), s.metric_columns.end(), name);
    return it == s.metric_columns.end() ? -1 : int(it - s.metric_columns.begin());
  };
  const int steps_col = column("env_steps"), return_col = column("return");
  if (steps_col < 0 || return_col < 0) return out;
  for (const std::vector<double>& row : s.metrics) {
    const auto steps = int64_t(row[size_t(steps_col)]);
    out.curve.push_back({steps, wall_at(wall_at_steps, steps, out.wall_s), row[size_t(return_col)]});
  }
  return out;
}

void add_ladder_run(const LadderSpec& spec, std::vector<LadderResult>& results,
                    const std::string& label, LadderRun run) {
  const LadderRung* rung = ladder_rung(spec, label);
  if (!rung) throw InputError(spec.source + ": no rung labelled '" + label + "'");
  auto at = results.begin();
  for (const LadderRung& r : spec.rungs) {  // the spec's order: past the rungs before this one
    if (&r == rung) break;
    if (at != results.end() && at->rung.label == r.label) ++at;
  }
  if (at == results.end() || at->rung.label != label) at = results.insert(at, {*rung, {}});
  for (LadderRun& old : at->runs)
    if (old.seed == run.seed) {
      old = std::move(run);
      return;
    }
  at->runs.push_back(std::move(run));
}

double steps_to_threshold(const std::vector<LadderPoint>& curve, double threshold) {
  for (const LadderPoint& p : curve)
    if (p.value >= threshold) return double(p.env_steps);
  return INFINITY;
}

double median_steps_to_threshold(const LadderResult& r, double threshold) {
  std::vector<double> s;
  for (const LadderRun& run : r.runs) s.push_back(steps_to_threshold(run.curve, threshold));
  return median(s);
}

std::string interaction_s_to_threshold_text(const LadderResult& r, double threshold) {
  if (r.control_dt <= 0) return "";
  const double m = median_steps_to_threshold(r, threshold);
  return std::isfinite(m) ? format_number(m * r.control_dt) : "never";
}

std::vector<LadderResult> run_ladder(const LadderSpec& spec, int seeds, int jobs,
                                     const std::vector<std::string>& only,
                                     const EnvRegistry& envs,
                                     const std::filesystem::path& runs_dir,
                                     const std::function<void(int, int)>& on_done,
                                     const std::atomic<bool>* cancel) {
  std::vector<LadderResult> results;
  for (const LadderRung& r : spec.rungs)
    if (only.empty() || std::find(only.begin(), only.end(), r.label) != only.end()) {
      // Fail early, naming the rung, before any run starts.
      double control_dt = 0;
      try {
        auto e = make_experiment(load_experiment(r.experiment, r.set), envs);
        if (const Env* env = e->env()) control_dt = env->control_dt().value_or(0);
      } catch (const InputError& e) {
        throw InputError(spec.source + ": rung '" + r.label + "': " + e.what());
      }
      results.push_back({r, std::vector<LadderRun>(size_t(std::max(1, seeds))), control_dt});
    }
  const size_t per_rung = size_t(std::max(1, seeds));
  parallel_jobs(
      results.size() * per_rung, jobs,
      [&](size_t j) {
        LadderResult& r = results[j / per_rung];
        const uint64_t seed = j % per_rung;
        const bool keep = !runs_dir.empty();
        const std::filesystem::path dir =
            keep ? runs_dir / slug(r.rung.label) / ("seed" + std::to_string(seed))
                 : std::filesystem::temp_directory_path() /
                       ("dynalab_ladder_" + std::to_string(::getpid()) + "_" + std::to_string(j));
        try {
          r.runs[seed] = run_once(r.rung, seed, envs, dir, cancel);
        } catch (const std::exception& e) {
          r.runs[seed].seed = seed;
          r.runs[seed].error = e.what();
        }
        if (!keep) std::filesystem::remove_all(dir);
      },
      on_done);
  return results;
}

std::vector<LadderResult> read_ladder_results(const LadderSpec& spec,
                                              const std::filesystem::path& ladder_csv) {
  std::map<std::string, std::map<uint64_t, LadderRun>> runs;  // rung -> seed -> run
  try {
    for (const auto& r : csv_rows(read_file_bytes(ladder_csv))) {
      LadderRun& run = runs[r.at("rung")][std::stoull(r.at("seed"))];
      run.seed = std::stoull(r.at("seed"));
      run.curve.push_back({std::stoll(r.at("env_steps")), std::stod(r.at("wall_s")),
                           std::stod(r.at("return"))});
      run.wall_s = std::max(run.wall_s, run.curve.back().wall_s);
    }
  } catch (const InputError&) {
    throw;
  } catch (const std::exception&) {
    throw InputError(ladder_csv.string() +
                     ": expected the columns rung,seed,env_steps,wall_s,return of dynalab-cli ladder");
  }
  std::vector<LadderResult> out;
  for (const LadderRung& rung : spec.rungs) {
    const auto it = runs.find(rung.label);
    if (it == runs.end()) continue;
    LadderResult r{rung, {}};
    for (auto& [seed, run] : it->second) r.runs.push_back(std::move(run));
    out.push_back(std::move(r));
  }
  return out;
}

Figure ladder_figure(const LadderSpec& spec, const std::vector<LadderResult>& results,
                     bool wall_clock) {
  Figure f{wall_clock ? "ladder_wall_clock" : "ladder",
           spec.title + (wall_clock ? ": wall-clock time" : ""),
           wall_clock ? "wall-clock seconds" : "env steps",
           "return (median over seeds)",
           {},
           false,
           false,
           true};
  for (const LadderResult& r : results) {
    // The median over seeds at each point of the first run's grid that every run has.
    if (r.runs.empty()) continue;
    Series s{r.rung.label + (r.rung.ceiling ? " (ceiling)" : ""), {}, {}};
    for (size_t k = 0; k < r.runs[0].curve.size(); ++k) {
      std::vector<double> values, walls;
      for (const LadderRun& run : r.runs)
        if (k < run.curve.size() && run.curve[k].env_steps == r.runs[0].curve[k].env_steps) {
          values.push_back(run.curve[k].value);
          walls.push_back(run.curve[k].wall_s);
        }
      if (values.size() != r.runs.size()) continue;
      s.x.push_back(wall_clock ? median(walls) : double(r.runs[0].curve[k].env_steps));
      s.y.push_back(median(values));
    }
    f.series.push_back(std::move(s));
  }
  if (!wall_clock)
    for (const PublishedPoint& p : spec.published) {
      Series s{p.label + ": " + short_number(p.value) + " +- " + short_number(p.std), {p.env_steps},
               {p.value}};
      s.markers = true;
      for (size_t i = 0; i < results.size(); ++i)
        if (results[i].rung.label == p.rung) s.colour = int(i);
      f.series.push_back(std::move(s));
    }
  return f;
}

bool ladder_in_order(const LadderSpec& spec, const std::vector<LadderResult>& results,
                     std::string& order) {
  bool ok = true;
  double previous = INFINITY;
  order.clear();
  for (const LadderResult& r : results) {
    if (r.rung.ceiling) continue;
    const double m = median_steps_to_threshold(r, spec.threshold);
    if (!order.empty()) order += m <= previous ? " >= " : " < ";
    order += r.rung.label + " " + (std::isfinite(m) ? std::to_string(int64_t(m)) : std::string("never"));
    ok = ok && m <= previous;
    previous = m;
  }
  return ok;
}

void write_ladder(const LadderSpec& spec, const std::vector<LadderResult>& results,
                  const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  Table all({"rung", "seed", "env_steps", "wall_s", "return"});
  for (const LadderResult& r : results)
    for (const LadderRun& run : r.runs)
      for (const LadderPoint& p : run.curve)
        all.add_row({r.rung.label, int64_t(run.seed), p.env_steps, p.wall_s, p.value});
  all.write_csv(dir / "ladder.csv");
  Table summary({"rung", "experiment", "steps_to_threshold_per_seed", "median_steps_to_threshold",
                 "median_interaction_s_to_threshold", "final_return_mean", "final_return_std",
                 "wall_s_median", "errors"});
  for (const LadderResult& r : results) {
    std::string per_seed, errors;
    std::vector<double> finals, walls;
    for (const LadderRun& run : r.runs) {
      const double s = steps_to_threshold(run.curve, spec.threshold);
      per_seed += (per_seed.empty() ? "" : " ") + (std::isfinite(s) ? format_number(s) : "never");
      if (!run.curve.empty()) finals.push_back(run.curve.back().value);
      walls.push_back(run.wall_s);
      if (!run.error.empty()) errors += (errors.empty() ? "" : "; ") + run.error;
    }
    double mean = 0, var = 0;
    for (double v : finals) mean += v / double(std::max<size_t>(finals.size(), 1));
    for (double v : finals) var += (v - mean) * (v - mean) / double(std::max<size_t>(finals.size(), 1));
    const double m = median_steps_to_threshold(r, spec.threshold);
    const std::string seconds = interaction_s_to_threshold_text(r, spec.threshold);
    summary.add_row({r.rung.label, r.rung.experiment, per_seed,
                     std::isfinite(m) ? format_number(m) : std::string("never"), seconds, mean,
                     std::sqrt(var), median(walls), errors});
  }
  summary.write_csv(dir / "ladder_summary.csv");
  // Larger than the default figure: up to a dozen series and their legend on one slide.
  for (const bool wall_clock : {false, true}) {
    const Figure f = ladder_figure(spec, results, wall_clock);
    write_file_atomic(dir / (f.id + ".svg"), figure_to_svg(f, 960, 600));
    write_file_atomic(dir / (f.id + "_figure.csv"), f.to_csv());
  }
}

}  // namespace dynalab
