#include "core/models/model_bench.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <stdexcept>

#include "core/dataset.h"
#include "core/models/ensemble.h"
#include "core/planning/model_env.h"
#include "core/rng.h"

namespace dynalab {

namespace {
double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}
}  // namespace

ModelBenchResult bench_model_env(const std::string& config, int threads, int repeats,
                                 double min_seconds) {
  int hidden, P, K, H;
  if (config == "main") {
    hidden = 200, P = 400, K = 20, H = 25;
  } else if (config == "interactive") {
    hidden = 64, P = 200, K = 10, H = 20;
  } else {
    throw std::invalid_argument("bench_model_env: unknown config " + config);
  }
  const int iters = 5, obs = 4, act = 1;
  ModelConfig mc;
  mc.kind = "probabilistic";
  mc.hidden = {hidden, hidden, hidden};
  mc.ensemble_size = mc.elites = 5;
  auto model = std::make_shared<Ensemble>(mc, obs, act, 1);
  ModelEnvConfig ec;
  ec.particles = K;
  ec.propagation = "tsinf";
  ec.threads = threads;
  ModelEnv env(model, ec,
               [](const Eigen::Ref<const RowMatrixXf>&, const Eigen::Ref<const RowMatrixXf>& a,
                  const Eigen::Ref<const RowMatrixXf>& s1, Eigen::Ref<Eigen::VectorXf> r) {
                 r = -(s1.rowwise().squaredNorm() + 0.01f * a.rowwise().squaredNorm());
               });
  Rng rng(2);
  ActionBatch actions(P, H * act);
  for (long i = 0; i < actions.size(); ++i) actions.data()[i] = float(rng.uniform(-1, 1));
  Vec start = Vec::Zero(obs);
  Eigen::VectorXf returns;
  uint64_t seed = 0;
  env.evaluate(actions, H, start, seed++, returns, nullptr);  // warm-up: sizes the workspaces
  std::vector<double> per_call;
  for (int r = 0; r < std::max(1, repeats); ++r) {
    int calls = 0;
    const double t0 = now();
    double t1;
    do {
      env.evaluate(actions, H, start, seed++, returns, nullptr);
      ++calls;
      t1 = now();
    } while (t1 - t0 < min_seconds);
    per_call.push_back((t1 - t0) / calls);
  }
  ModelBenchResult res;
  res.name = config;
  res.threads = threads;
  res.median_seconds = median(per_call);
  const double steps = double(P) * K * H;
  res.model_steps_per_s = steps / res.median_seconds;
  const double flops_per_step =
      2.0 * ((obs + act) * hidden + 2.0 * hidden * hidden + hidden * 2.0 * obs);
  res.gflops = res.model_steps_per_s * flops_per_step / 1e9;
  res.replans_per_s = res.model_steps_per_s / (steps * iters);
  return res;
}

ModelBenchResult bench_train_epoch(int threads, int repeats) {
  const int obs = 4, act = 1, n = 10000;
  Dataset data(obs, act);
  Rng rng(3);
  for (int i = 0; i < n; ++i) {
    Transition t;
    t.obs = Vec(obs);
    t.next_obs = Vec(obs);
    t.action = Vec(act);
    for (int d = 0; d < obs; ++d) t.obs[d] = rng.uniform(-1, 1);
    t.action[0] = rng.uniform(-1, 1);
    for (int d = 0; d < obs; ++d)
      t.next_obs[d] = t.obs[d] + 0.1 * std::sin(t.obs[(d + 1) % obs]) + 0.1 * t.action[0];
    data.add(t);
  }
  ModelConfig mc;
  mc.kind = "probabilistic";
  mc.hidden = {200, 200, 200};
  mc.ensemble_size = mc.elites = 5;
  mc.val_fraction = 0;
  mc.bootstrap = true;
  mc.batch_size = 256;
  mc.epochs = 1000000;
  mc.patience = 1000000;
  mc.threads = threads;
  Ensemble model(mc, obs, act, 4);
  model.begin_training(data, rng);
  model.train_epoch(rng);  // warm-up
  std::vector<double> times;
  for (int r = 0; r < std::max(1, repeats); ++r) {
    const double t0 = now();
    model.train_epoch(rng);
    times.push_back(now() - t0);
  }
  ModelBenchResult res;
  res.name = "train_epoch";
  res.threads = threads;
  res.median_seconds = median(times);
  res.samples_per_s = n / res.median_seconds;
  return res;
}

}  // namespace dynalab
