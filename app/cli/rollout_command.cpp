// rollout: one episode of a registered env under a simple policy, written as a CSV, so the
// physics can be inspected without the GUI.

#include <cstdio>
#include <sstream>

#include "app/cli/cli.h"
#include "core/io/atomic_file.h"
#include "core/io/table.h"
#include "core/number_text.h"
#include "core/rng.h"
#include "envs/registry.h"

namespace dynalab::cli {

namespace {

/// Parses "V1,V2,..." into an action of the env's action dimension.
Vec parse_const_action(const std::string& list, const Space& space) {
  std::vector<double> values;
  std::stringstream ss(list);
  std::string item;
  // getline drops a trailing empty item: "const:1," would read as "const:1".
  if (list.empty() || list.back() == ',')
    throw InputError("--policy: expected const:V1,V2,... with finite numbers, got '" + list + "'");
  while (std::getline(ss, item, ',')) {
    const std::optional<double> v = parse_finite(item);  // "nan" would reach the env as an action
    if (!v)
      throw InputError("--policy: expected const:V1,V2,... with finite numbers, got '" + item +
                       "'");
    values.push_back(*v);
  }
  if (static_cast<int>(values.size()) != space.dim())
    throw InputError("--policy: expected " + std::to_string(space.dim()) +
                     " value(s) for action space " + space.describe() + ", got " +
                     std::to_string(values.size()));
  return Eigen::Map<const Vec>(values.data(), values.size());
}

struct RolloutArgs {
  std::vector<std::string> positional, sets;
  std::string policy = "random", out;
  long long steps = 0, seed = 0;
  bool quiet = false;
  const CLI::App* cmd = nullptr;
};

void rollout(const RolloutArgs& a) {
  if (a.positional.size() != 1)
    throw InputError("rollout: expected one ENV (a registered env name, see `list`)");
  if (!a.cmd->count("--out")) throw InputError("rollout: expected --out DIR for trajectories.csv");
  const std::string env_name = a.positional[0];
  if (!env_registry().find(env_name)) {
    std::string names;
    for (const auto& n : env_registry().names()) names += (names.empty() ? "" : ", ") + n;
    throw InputError("rollout: ENV: expected one of " + names + ", got '" + env_name + "'");
  }
  Json env_json = {{"name", env_name}};
  for (const auto& s : a.sets) apply_override(env_json, s);
  ConfigNode node(env_json, "--set");
  auto env = env_registry().make(node);

  const uint64_t seed = static_cast<uint64_t>(a.seed);
  const long long max_steps = a.cmd->count("--steps") ? a.steps : env->max_episode_steps();
  const std::string& policy = a.policy;
  const Space as = env->action_space();
  Vec fixed;
  if (policy == "zero") {
    fixed = as.clip(Vec::Zero(as.dim()));
  } else if (policy.rfind("const:", 0) == 0) {
    fixed = parse_const_action(policy.substr(6), as);
  } else if (policy != "random") {
    throw InputError("--policy: expected random, zero or const:V1,V2,..., got '" + policy + "'");
  }
  Rng rng = Rng::derive(seed, {1});  // the policy's stream; the env resets with `seed`

  Vec obs = env->reset(seed);
  std::vector<std::string> columns{"t"};
  for (int i = 0; i < obs.size(); ++i) columns.push_back("obs_" + std::to_string(i));
  for (int i = 0; i < as.dim(); ++i) columns.push_back("action_" + std::to_string(i));
  for (const char* c : {"reward", "terminated", "truncated"}) columns.push_back(c);
  Table table(std::move(columns));
  std::vector<TableCell> row;
  long long t = 0;
  for (; t < max_steps; ++t) {
    const Vec action = fixed.size() ? fixed : as.sample(rng);
    const StepResult r = env->step(action);
    const Vec applied = as.clip(action);
    row.assign({t});
    for (int i = 0; i < obs.size(); ++i) row.push_back(obs[i]);
    for (int i = 0; i < applied.size(); ++i) row.push_back(applied[i]);
    row.push_back(r.reward);
    row.push_back(int(r.terminated));
    row.push_back(int(r.truncated));
    table.add_row(row);
    obs = r.obs;
    if (r.terminated || r.truncated) {
      ++t;
      break;
    }
  }
  const std::filesystem::path out = a.out;
  ensure_directory(out);
  table.write_csv(out / "trajectories.csv");
  if (!a.quiet)
    std::printf("%s: %lld steps; %s\n", env_name.c_str(), t, (out / "trajectories.csv").c_str());
}

}  // namespace

void add_rollout_command(CLI::App& app) {
  auto a = std::make_shared<RolloutArgs>();
  CLI::App* cmd = app.add_subcommand("rollout", "one episode of ENV under a simple policy, to DIR/trajectories.csv");
  a->cmd = cmd;
  cmd->add_option("ENV", a->positional, "a registered env (see `list`)");
  cmd->add_option("--policy", a->policy, "random, zero or const:V1,V2,... (default random)")->type_name("POLICY");
  cmd->add_option("--steps", a->steps, "at most N steps (default: the env's episode length)")
      ->type_name("N")
      ->check(cmdline::integer_in(1, 100'000'000));
  cmd->add_option("--seed", a->seed, "seed of the env and the policy")->type_name("S")->check(cmdline::integer_in(0, 1ll << 53));
  cmdline::add_sets(*cmd, a->sets, "override an env field (repeatable)");
  cmd->add_option("--out", a->out, "write trajectories.csv here")->type_name("DIR");
  cmd->add_flag("--quiet", a->quiet, "print nothing on success");
  cmd->callback([a] { rollout(*a); });
}

}  // namespace dynalab::cli
