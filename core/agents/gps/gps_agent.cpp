#include "core/agents/gps/gps_agent.h"

#include <cmath>
#include <string>
#include <vector>

#include "core/agents/gps/gps_state.h"
#include "core/agents/policy_learning/policy_evaluation.h"
#include "core/figure.h"
#include "core/gradients/env_dynamics.h"
#include "core/io/csv.h"
#include "core/io/table.h"
#include "core/snapshot.h"
#include "core/state_visitor.h"

namespace dynalab {

namespace {

/// The agent's random streams (RunSeed::stream ids; 11-13 are Mdgps's).
constexpr uint64_t kGpsNoiseStream = 10, kGpsConditionStream = 14;

/// The env's closed-form reward on a copy the agent owns (EnvReward keeps a reference).
class GpsOwnedReward : public DifferentiableReward {
 public:
  explicit GpsOwnedReward(const Env& env) : env_(env.clone()), reward_(*env_) {}
  double reward(const Vec& s, const Vec& a, const Vec& s_next) const override { return reward_.reward(s, a, s_next); }

 private:
  std::unique_ptr<Env> env_;
  EnvReward reward_;
};

}  // namespace

GpsAgent::GpsAgent(const GpsAgentConfig& cfg, const Env& env, const RunSeed& seed,
                   std::shared_ptr<GpsRunRecords> records)
    : cfg_(cfg),
      seed_(seed),
      env_name_(env.name()),
      algo_(cfg.gps, env.observation_space().dim(), env.action_space().dim(), env.max_episode_steps(),
            std::make_shared<GpsOwnedReward>(env), seed),
      shared_(std::move(records)) {}

GpsAgent::Slot GpsAgent::slot(int episode) const {
  const int M = cfg_.gps.conditions, N = cfg_.gps.samples, E = M * (N + 1);
  const int s = episode % E;
  Slot out;
  out.iteration = episode / E;
  out.policy = s >= M * N;
  out.condition = out.policy ? s - M * N : s / N;
  return out;
}

std::optional<uint64_t> GpsAgent::episode_reset_seed(int episode) const {
  return seed_.stream(kGpsConditionStream, uint64_t(slot(episode).condition)).next_u64();
}

void GpsAgent::begin_episode(int episode, const Vec& obs) {
  episode_ = episode;
  slot_ = slot(episode);
  current_ = GpsRollout{};
  current_.X.push_back(obs);
  noise_ = seed_.stream(kGpsNoiseStream, uint64_t(episode));
}

void GpsAgent::think(const Env&, const Vec&, const AgentClock&) {
  algo_.work();
  share_records();
}

Vec GpsAgent::act(const Vec& obs) {
  const int t = int(current_.U.size());
  Vec u;
  if (slot_.policy)
    u = algo_.policy().mean(obs);
  else if (cfg_.gps.sample_on_policy && slot_.iteration > 0)
    u = algo_.policy().sample(obs, noise_);
  else if (t < algo_.horizon())
    u = algo_.controller(slot_.condition).sample(t, obs, noise_);
  else  // past the horizon (an env whose episodes are longer than it said): the last step's controller
    u = algo_.controller(slot_.condition).sample(algo_.horizon() - 1, obs, noise_);
  current_.U.push_back(u);
  return u;
}

void GpsAgent::observe(const Transition& t, bool) {
  current_.X.push_back(t.next_obs);
  current_.cost -= t.reward;
}

void GpsAgent::end_episode(const Trajectory& episode) {
  if (episode.steps() != algo_.horizon())
    throw InputError("gps: env '" + env_name_ + "' ended episode " + std::to_string(episode_) + " after " +
                     std::to_string(episode.steps()) + " of " + std::to_string(algo_.horizon()) +
                     " steps; guided policy search needs episodes of the env's max_episode_steps");
  if (slot_.policy)
    algo_.add_policy_rollout(slot_.condition, std::move(current_));
  else
    algo_.add_sample(slot_.condition, std::move(current_));
  current_ = GpsRollout{};
  share_records();
}

void GpsAgent::share_records() { shared_->runs[seed_.run] = algo_.records(); }

std::vector<std::string> GpsAgent::metric_columns() const {
  return {"steps", "env_steps", "return", "terminated", "iteration", "condition", "policy_rollout", "final_distance"};
}

std::vector<double> GpsAgent::episode_metrics() const {
  return {double(slot_.iteration), double(slot_.condition), slot_.policy ? 1.0 : 0.0,
          current_.X.empty() ? LocalControllerView::kNone : algo_.distance(current_.X.back())};
}

void GpsAgent::add_figures(std::vector<Figure>& figures, const AgentClock&) const {
  Figure cost{"gps_cost", "Cost per iteration (mean over conditions)", "iteration", "cost (-return)", {}, false};
  Figure dist{"gps_final_distance", "Final distance to the goal (mean over conditions)", "iteration", "distance", {}, false};
  for (const auto& it : algo_.records()) {
    double local = 0, global = 0, d_local = 0, d_global = 0;
    int n_local = 0, n_global = 0;
    for (const auto& c : it->conditions) {
      if (std::isfinite(c.sample_cost)) local += c.sample_cost, d_local += c.final_distance, ++n_local;
      if (std::isfinite(c.policy_cost)) global += c.policy_cost, d_global += c.policy_final_distance, ++n_global;
    }
    if (n_local == cfg_.gps.conditions) {
      auto& s = cost.series_named("local controllers' samples");
      s.x.push_back(it->iteration);
      s.y.push_back(local / n_local);
      if (!cfg_.gps.distance_dims.empty()) {
        auto& sd = dist.series_named("local controllers' samples");
        sd.x.push_back(it->iteration);
        sd.y.push_back(d_local / n_local);
      }
    }
    if (n_global == cfg_.gps.conditions) {
      auto& s = cost.series_named("global policy");
      s.x.push_back(it->iteration);
      s.y.push_back(global / n_global);
      if (!cfg_.gps.distance_dims.empty()) {
        auto& sd = dist.series_named("global policy");
        sd.x.push_back(it->iteration);
        sd.y.push_back(d_global / n_global);
      }
    }
  }
  figures.push_back(std::move(cost));
  if (!cfg_.gps.distance_dims.empty()) figures.push_back(std::move(dist));
  add_step_figures(figures);
}

namespace {

/// The mean of `field` over an iteration's conditions; NaN unless every condition has it.
double condition_mean(const LocalControllerView::Iteration& it, double LocalControllerView::Condition::*field) {
  if (it.conditions.empty()) return LocalControllerView::kNone;
  double sum = 0;
  for (const auto& c : it.conditions) {
    if (!std::isfinite(c.*field)) return LocalControllerView::kNone;
    sum += c.*field;
  }
  return sum / double(it.conditions.size());
}

/// True once every condition of `it` has its `samples` rollouts (their mean cost is final).
bool all_sampled(const LocalControllerView::Iteration& it, int samples) {
  for (const auto& c : it.conditions)
    if (int(c.samples.size()) < samples) return false;
  return !it.conditions.empty();
}

void add_point(Figure& f, const std::string& series, double x, double y) {
  if (!std::isfinite(y)) return;
  auto& s = f.series_named(series);
  s.x.push_back(x);
  s.y.push_back(y);
}

}  // namespace

void GpsAgent::add_step_figures(std::vector<Figure>& figures) const {
  // Deck 003's "what if we go too far?": the C-step's predicted cost decrease (under the local
  // model it was computed with) against what the real rollouts of the new controller then cost,
  // and the KL it took for it. (The step rule's own "actual", a Laplace estimate under the refit
  // model, is in gps_iterations.csv: it can swing by thousands where a fit's forward pass
  // diverges, and would flatten the real figures on one axis.)
  Figure change{"gps_improvement", "Cost decrease: predicted vs actual", "iteration",
                "cost decrease (> 0: better)", {}, false};
  Figure kl{"gps_kl", "KL step vs its bound", "iteration", "KL, nats (mean over conditions)", {}, false};
  using C = LocalControllerView::Condition;
  const auto& records = algo_.records();
  for (size_t i = 0; i < records.size(); ++i) {
    const LocalControllerView::Iteration& it = *records[i];
    const double x = it.iteration;
    add_point(change, "predicted", x, condition_mean(it, &C::predicted_improvement));
    // The previous iteration's mean sample cost minus this one's, once this one has all its
    // samples (before that the mean is of the samples so far).
    if (i > 0 && all_sampled(it, cfg_.gps.samples))
      add_point(change, "actual", x, condition_mean(*records[i - 1], &C::sample_cost) - condition_mean(it, &C::sample_cost));
    add_point(kl, "KL taken", x, condition_mean(it, &C::kl));
    add_point(kl, "target", x, condition_mean(it, &C::kl_target));
  }
  kl.log_y = spans_orders_of_magnitude(kl);
  figures.push_back(std::move(change));
  figures.push_back(std::move(kl));
}

void GpsAgent::publish(Snapshot& s) const {
  auto view = std::make_shared<LocalControllerView>();
  view->iterations = algo_.records();
  view->conditions = cfg_.gps.conditions;
  view->samples = cfg_.gps.samples;
  view->horizon = algo_.horizon();
  view->obs_dim = int(algo_.controller(0).state_dim());
  view->action_dim = int(algo_.controller(0).action_dim());
  view->distance_dims = cfg_.gps.distance_dims;
  const std::string phase = algo_.busy() ? algo_.phase_name() : slot_.policy ? "policy rollouts" : "sample";
  view->phase = phase;
  s.local_controllers = view;
  s.stats.push_back({"iteration", std::to_string(slot_.iteration)});
  add_phase(s, phase + (algo_.busy() ? "" : ", condition " + std::to_string(slot_.condition)));
  s.stats.push_back({"KL step multiplier", short_number(algo_.step_mult(slot_.condition))});
  if (algo_.policy().fits() > 0) s.stats.push_back({"S-step loss", short_number(algo_.policy().last_loss())});
}

void GpsAgent::apply_live(const AgentSettings& settings, const LiveEdit&) {
  const GpsAgentConfig& c = static_cast<const ConfigSettings<GpsAgentConfig>&>(settings).cfg;
  algo_.set_kl_step(c.gps.kl_step);
  cfg_ = c;
}

void GpsAgent::write_outputs(const std::filesystem::path& dir) const {
  Table t({"run", "iteration", "condition", "local_cost", "global_cost", "kl", "kl_target", "eta", "step_mult",
           "predicted_improvement", "actual_improvement", "final_distance", "global_final_distance"});
  for (const auto& [run, records] : shared_->runs)
    for (const auto& it : records)
      for (size_t m = 0; m < it->conditions.size(); ++m) {
        const auto& c = it->conditions[m];
        t.add_row({run, it->iteration, int(m), c.sample_cost, c.policy_cost, c.kl, c.kl_target, c.eta, c.step_mult,
                   c.predicted_improvement, c.actual_improvement, c.final_distance, c.policy_final_distance});
      }
  t.write_csv(dir / "gps_iterations.csv");
}

void GpsAgent::visit_state(StateVisitor& v, const Env&, const Vec&) {
  v.section("mdgps", [&](StateVisitor& av) { algo_.visit_state(av); });
  v.field("episode", episode_);
  if (v.loading()) slot_ = slot(episode_);
  visit_gps_vectors(v, "current_X", current_.X);
  visit_gps_vectors(v, "current_U", current_.U);
  v.field("current_cost", current_.cost);
  v.field("noise", noise_);
  // The earlier runs' records (this run's are the algorithm's).
  std::vector<int> runs;
  for (const auto& [run, records] : shared_->runs)
    if (run != seed_.run) runs.push_back(run);
  v.field("earlier_runs", runs);
  v.records(
      "earlier_run_records", runs.size(),
      [&](size_t n) {
        if (n != runs.size()) v.fail("earlier_run_records", std::to_string(runs.size()) + " runs (earlier_runs)");
      },
      [&](size_t i, StateVisitor& rv) {
        std::vector<std::shared_ptr<const LocalControllerView::Iteration>>& recs = shared_->runs[runs[i]];
        std::vector<double> rows;  // iteration, condition, then the 11 numbers, per condition
        if (!rv.loading())
          for (const auto& it : recs)
            for (size_t m = 0; m < it->conditions.size(); ++m) {
              const auto& c = it->conditions[m];
              rows.insert(rows.end(), {double(it->iteration), double(m), c.sample_cost, c.policy_cost, c.kl, c.kl_target,
                                       c.eta, c.step_mult, c.predicted_improvement, c.actual_improvement,
                                       c.final_distance, c.policy_final_distance});
            }
        rv.field("rows", rows);
        if (!rv.loading()) return;
        if (rows.size() % 12) rv.fail("rows", "12 numbers per iteration and condition");
        recs.clear();
        for (size_t j = 0; j < rows.size(); j += 12) {
          const int it = int(rows[j]), m = int(rows[j + 1]);
          if (recs.empty() || recs.back()->iteration != it) {
            auto fresh = std::make_shared<LocalControllerView::Iteration>();
            fresh->iteration = it;
            recs.push_back(fresh);
          }
          auto copy = std::make_shared<LocalControllerView::Iteration>(*recs.back());
          if (int(copy->conditions.size()) <= m) copy->conditions.resize(size_t(m) + 1);
          auto& c = copy->conditions[size_t(m)];
          c.sample_cost = rows[j + 2], c.policy_cost = rows[j + 3], c.kl = rows[j + 4], c.kl_target = rows[j + 5];
          c.eta = rows[j + 6], c.step_mult = rows[j + 7], c.predicted_improvement = rows[j + 8];
          c.actual_improvement = rows[j + 9], c.final_distance = rows[j + 10], c.policy_final_distance = rows[j + 11];
          recs.back() = copy;
        }
      });
  if (v.loading()) share_records();
}

AgentFamily gps_family() {
  AgentFamily f;
  f.name = "gps";
  f.description = "Guided policy search (MDGPS): local linear-Gaussian controllers under a KL step supervise a global policy";
  f.category = "local models";
  f.default_episodes = 120;
  f.agents = {{"local models", "gps",
               "MDGPS (Montgomery & Levine 2016) with the KL-constrained LQR update of Levine & Abbeel 2014 (cbfinn/gps's names)",
               "gps"}};
  f.read = read_shared_settings<GpsAgentConfig, GpsAgent, GpsRunRecords>;
  f.visit_fields = visit_config_json<GpsAgentConfig>;
  f.check_env = [](const Env& env, ConfigNode& env_node) {
    check_bounded_box("gps", env, env_node);
    const Vec s = Vec::Zero(env.observation_space().dim()), a = Vec::Zero(env.action_space().dim());
    if (!env.reward(s, a, s))
      env_node.fail("name", "an env with a closed-form reward (Env::reward) for gps (got '" + env.name() + "')");
  };
  return f;
}

}  // namespace dynalab
