#include "core/sweep/sweep_plan.h"

#include <algorithm>
#include <set>

#include "core/config.h"
#include "core/experiment.h"
#include "core/io/atomic_file.h"
#include "core/number_text.h"

namespace dynalab {

namespace {

constexpr size_t kMaxSeeds = 100000;

uint64_t parse_seed(const std::string& text, const std::string& whole) {
  // Seeds as --seed takes them: whole numbers in [0, 2^53] (exact as JSON numbers).
  const auto v = parse_integer(text, 0, 1ll << 53);
  if (!v || text.front() == '+') throw InputError("--seeds: expected seeds like 0-29 or 0,3,7, got '" + whole + "'");
  return uint64_t(*v);
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  size_t at = 0;
  for (size_t end; (end = s.find(sep, at)) != std::string::npos; at = end + 1) parts.push_back(s.substr(at, end - at));
  parts.push_back(s.substr(at));
  return parts;
}

/// The last part of a key path ("agent.planning_steps" -> "planning_steps"): legends stay short.
std::string short_key(const std::string& key) {
  const size_t dot = key.rfind('.');
  return dot == std::string::npos ? key : key.substr(dot + 1);
}

/// A folder name from a config label: path separators and spaces would make other folders.
std::string folder_name(std::string s) {
  for (char& c : s)
    if (c == '/' || c == '\\' || c == ' ') c = '_';
  return s;
}

}  // namespace

std::vector<uint64_t> parse_seed_list(const std::string& text) {
  std::vector<uint64_t> seeds;
  std::set<uint64_t> seen;
  for (const std::string& part : split(text, ',')) {
    const size_t dash = part.find('-');
    const uint64_t lo = parse_seed(part.substr(0, dash), text);
    const uint64_t hi = dash == std::string::npos ? lo : parse_seed(part.substr(dash + 1), text);
    if (hi < lo) throw InputError("--seeds: the range '" + part + "' runs backwards");
    if (hi - lo >= kMaxSeeds) throw InputError("--seeds: more than 100000 seeds in '" + text + "'");
    for (uint64_t s = lo; s <= hi; ++s)
      if (seen.insert(s).second) seeds.push_back(s);
    if (seeds.size() > kMaxSeeds) throw InputError("--seeds: more than 100000 seeds in '" + text + "'");
  }
  return seeds;
}

SweepAxis parse_grid_axis(const std::string& text) {
  const size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0)
    throw InputError("--grid: expected KEY=V1,V2,... (e.g. agent.planning_steps=0,5,50), got '" + text + "'");
  SweepAxis axis{text.substr(0, eq), split(text.substr(eq + 1), ',')};
  for (const std::string& v : axis.values)
    if (v.empty()) throw InputError("--grid " + axis.key + ": an empty value in '" + text + "'");
  return axis;
}

SweepPlan plan_sweep(const std::string& experiment, const std::vector<uint64_t>& seeds,
                     const std::vector<SweepAxis>& grid, const EnvRegistry& envs) {
  if (seeds.empty()) throw InputError("sweep: --seeds lists no seed");
  SweepPlan plan;
  plan.fingerprint = 14695981039346656037ull;
  // A JSON file is named by its absolute path: the run lines may run from any folder.
  plan.experiment = std::filesystem::path(experiment).extension() == ".json"
                        ? std::filesystem::absolute(experiment).lexically_normal().string()
                        : experiment;
  plan.seeds = seeds;
  plan.grid = grid;
  std::set<std::string> keys;
  for (const SweepAxis& a : grid) {
    if (!keys.insert(a.key).second) throw InputError("sweep: --grid names '" + a.key + "' twice");
    // Each run's seed is its --seed; a grid over "seed" would override it and repeat runs.
    if (a.key == "seed") throw InputError("sweep: --grid seed: give the seeds with --seeds (e.g. --seeds 0-29)");
  }
  // The configs: an odometer over the axes, the last axis fastest.
  std::vector<size_t> at(grid.size(), 0);
  for (bool more = true; more;) {
    std::vector<std::pair<std::string, std::string>> overrides;
    std::vector<std::string> sets = {"seed=" + std::to_string(seeds.front())};
    std::string label;
    for (size_t i = 0; i < grid.size(); ++i) {
      overrides.emplace_back(grid[i].key, grid[i].values[at[i]]);
      sets.push_back(grid[i].key + "=" + grid[i].values[at[i]]);
      label += (label.empty() ? "" : " ") + short_key(grid[i].key) + "=" + grid[i].values[at[i]];
    }
    try {
      // The resolved config (defaults filled in) of the first seed: the fingerprint catches an
      // experiment file edited between a sweep and its resumption.
      const std::string resolved = make_experiment(load_experiment(plan.experiment, sets), envs)->config().dump();
      for (char c : resolved) plan.fingerprint = (plan.fingerprint ^ uint8_t(c)) * 1099511628211ull;  // FNV-1a
    } catch (const InputError& e) {
      if (grid.empty()) throw InputError(std::string("sweep: ") + e.what());
      std::string config, why = e.what();
      for (const auto& [k, v] : overrides) {
        config += " " + k + "=" + v;
        // load_experiment names the override as "--set KEY: "; here the grid is the flag.
        const std::string set_prefix = "--set " + k + ": ";
        if (why.rfind(set_prefix, 0) == 0) why = why.substr(set_prefix.size());
      }
      throw InputError("sweep: --grid" + config + ": " + why);
    }
    const std::string config_dir = grid.empty() ? std::string("default") : folder_name(label);
    // Two configs in one folder would count one run twice (a repeated value, or values that
    // differ only in a character a folder name cannot hold).
    for (const SweepRun& r : plan.runs)
      if (r.dir == "runs/" + config_dir + "/seed_" + std::to_string(seeds.front()))
        throw InputError("sweep: --grid: '" + r.config_label + "' and '" + label + "' would share the folder runs/" +
                         config_dir + " (a repeated or look-alike value)");
    for (uint64_t seed : seeds)
      plan.runs.push_back({"runs/" + config_dir + "/seed_" + std::to_string(seed), seed, overrides,
                           grid.empty() ? std::filesystem::path(experiment).stem().string() : label});
    more = false;
    for (size_t i = grid.size(); i-- > 0;) {
      if (++at[i] < grid[i].values.size()) {
        more = true;
        break;
      }
      at[i] = 0;
    }
  }
  return plan;
}

void write_sweep_manifest(const SweepPlan& plan, const std::filesystem::path& dir) {
  Json j;
  j["experiment"] = plan.experiment;
  j["fingerprint"] = plan.fingerprint;
  j["seeds"] = plan.seeds;
  j["grid"] = Json::array();
  for (const SweepAxis& a : plan.grid) j["grid"].push_back({{"key", a.key}, {"values", a.values}});
  j["runs"] = Json::array();
  for (const SweepRun& r : plan.runs) {
    Json o = Json::object();
    for (const auto& [k, v] : r.overrides) o[k] = v;
    j["runs"].push_back({{"dir", r.dir}, {"seed", r.seed}, {"config", r.config_label}, {"overrides", o}});
  }
  write_file_atomic(dir / "sweep.json", j.dump(2) + "\n");
}

SweepPlan read_sweep_manifest(const std::filesystem::path& dir) {
  const std::filesystem::path file = dir / "sweep.json";
  if (!std::filesystem::exists(file))
    throw InputError(file.string() + ": not found (is " + dir.string() + " the --out folder of a sweep?)");
  const Json j = read_json_file(file.string());
  SweepPlan plan;
  try {
    plan.experiment = j.at("experiment").get<std::string>();
    plan.fingerprint = j.value("fingerprint", uint64_t(0));
    plan.seeds = j.at("seeds").get<std::vector<uint64_t>>();
    for (const Json& a : j.at("grid"))
      plan.grid.push_back({a.at("key").get<std::string>(), a.at("values").get<std::vector<std::string>>()});
    for (const Json& r : j.at("runs")) {
      SweepRun run{r.at("dir").get<std::string>(), r.at("seed").get<uint64_t>(), {}, r.at("config").get<std::string>()};
      for (const auto& [k, v] : r.at("overrides").items()) run.overrides.emplace_back(k, v.get<std::string>());
      if (run.dir.find("..") != std::string::npos || std::filesystem::path(run.dir).is_absolute())
        throw InputError(file.string() + ": runs: dir '" + run.dir + "' leaves the sweep folder");
      plan.runs.push_back(std::move(run));
    }
  } catch (const Json::exception& e) {
    throw InputError(file.string() + ": not a sweep manifest (" + e.what() + ")");
  }
  return plan;
}

bool same_sweep(const SweepPlan& a, const SweepPlan& b) {
  if (a.experiment != b.experiment || a.fingerprint != b.fingerprint || a.seeds != b.seeds ||
      a.grid.size() != b.grid.size())
    return false;
  for (size_t i = 0; i < a.grid.size(); ++i)
    if (a.grid[i].key != b.grid[i].key || a.grid[i].values != b.grid[i].values) return false;
  return true;
}

bool sweep_run_done(const SweepRun& run, const std::filesystem::path& dir) {
  return std::filesystem::is_regular_file(dir / run.dir / "metrics.csv");
}

}  // namespace dynalab
