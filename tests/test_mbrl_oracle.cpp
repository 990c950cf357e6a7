#include <doctest/doctest.h>

#include <cmath>
#include <sstream>

#include "core/experiment.h"
#include "core/agents/mpc/mpc_agent.h"
#include "core/episodic_experiment.h"
#include "envs/registry.h"
#include "tests/test_util.h"

namespace test_mbrl_oracle {

using namespace dynalab;
using namespace dynalab::test;

namespace {


std::unique_ptr<Experiment> make(const std::vector<std::string>& sets) {
  return make_experiment(load_experiment("point_mass_oracle", sets), env_registry());
}

}  // namespace

TEST_CASE("the oracle MPC experiment drives the point mass to the origin and writes metrics.csv") {
  const auto dir = temp_dir("mbrl_oracle");
  const auto r = run_cli("run point_mass_oracle --quiet --out " + dir.string());
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  const auto metrics = csv_cells(read_file(dir / "metrics.csv"));
  REQUIRE(metrics.size() == 4);  // header + 3 episodes
  CHECK(metrics[0] == std::vector<std::string>{"run", "episode", "env_steps", "return",
                                               "terminated", "train_loss", "val_loss"});
  for (size_t i = 1; i < metrics.size(); ++i) {
    REQUIRE(metrics[i].size() == 7);
    CHECK(metrics[i][2] == std::to_string(30 * i));  // cumulative env steps
    CHECK(metrics[i][4] == "0");                     // truncated, never terminated
    CHECK(metrics[i][5] == "nan");                   // no model is trained by the oracle
    CHECK(metrics[i][6] == "nan");
  }
  const auto traj = csv_cells(read_file(dir / "trajectories.csv"));
  REQUIRE(traj.size() == 1 + 90);
  CHECK(traj[0] == std::vector<std::string>{"run", "episode", "t", "obs_pos", "obs_vel", "action_0",
                                            "reward"});
  // Every episode ends near the origin, wherever it started.
  for (int ep = 0; ep < 3; ++ep) {
    double late = 0;
    for (const auto& row : traj)
      if (row[1] == std::to_string(ep) && std::stoi(row[2]) >= 20)
        late = std::max(late, std::abs(std::stod(row[3])));
    CAPTURE(ep);
    CHECK(late < 0.5);
  }
  // The returns in metrics.csv are the sums of the trajectory rewards.
  double sum0 = 0;
  for (size_t i = 1; i < traj.size(); ++i)
    if (traj[i][1] == "0") sum0 += std::stod(traj[i][6]);
  CHECK(std::stod(metrics[1][3]) == doctest::Approx(sum0).epsilon(1e-9));
}

TEST_CASE(
    "same command twice gives byte-identical outputs; 2 oracle threads give the same numbers") {
  const auto a = temp_dir("mbrl_det_a"), b = temp_dir("mbrl_det_b"), c = temp_dir("mbrl_det_c");
  REQUIRE(run_cli("run point_mass_oracle --quiet --seed 3 --out " + a.string()).exit_code == 0);
  REQUIRE(run_cli("run point_mass_oracle --quiet --seed 3 --out " + b.string()).exit_code == 0);
  REQUIRE(
      run_cli("run point_mass_oracle --quiet --seed 3 --set model.threads=2 --out " + c.string())
          .exit_code == 0);
  const std::string m = read_file(a / "metrics.csv");
  CHECK(!m.empty());
  CHECK(m == read_file(b / "metrics.csv"));
  CHECK(m == read_file(c / "metrics.csv"));
  CHECK(read_file(a / "trajectories.csv") == read_file(c / "trajectories.csv"));
  const auto d = temp_dir("mbrl_det_d");
  REQUIRE(run_cli("run point_mass_oracle --quiet --seed 4 --out " + d.string()).exit_code == 0);
  CHECK(m != read_file(d / "metrics.csv"));
}

TEST_CASE("one tick is one planner iteration or one env step; the snapshot carries the trace") {
  auto exp =
      make({"episodes=1", "env.max_episode_steps=4", "replan_every=2", "planner.iterations=3"});
  // Per replan: 3 iteration ticks, then 2 env-step ticks. 4 steps = 2 replans = 10 ticks.
  int ticks = 0;
  bool saw_mid_replan = false;
  while (exp->tick()) {
    ++ticks;
    auto s = exp->snapshot();
    REQUIRE(s->plan);
    REQUIRE(s->model);
    CHECK(s->model->prediction == "oracle");
    CHECK_FALSE(s->q_table);
    CHECK(s->family == "planning");
    const PlanView& p = *s->plan;
    if (p.planning) {
      saw_mid_replan = true;
      CHECK(p.trace.iteration < 2);
      CHECK(p.trace.objective_per_iteration.size() == size_t(p.trace.iteration + 1));
    }
    if (ticks == 3) {  // the first replan just finished
      CHECK(p.trace.iteration == 2);
      CHECK(p.trace.candidates == 300);
      CHECK(p.trace.particles == 1);
      CHECK(p.trace.paths.size() == size_t(300) * 11 * 2);
      CHECK(p.trace.elites.size() == 30);
      CHECK(p.plan.size() == 10);
      CHECK(p.plan_index == 0);
      CHECK(s->total_steps == 0);
    }
    if (ticks == 4) CHECK(s->total_steps == 1);
  }
  CHECK(ticks == 10);
  CHECK(saw_mid_replan);
  auto s = exp->snapshot();
  CHECK(s->finished);
  CHECK(s->returns.size() == 1);
  CHECK(s->world);
  REQUIRE(s->figures.size() == 2);
  CHECK(s->figures[0].id == "return_per_episode");
  CHECK(s->figures[1].id == "planner_objective");
  CHECK(s->figures[1].series[0].y.size() == 3);
}

TEST_CASE("the snapshot keeps every iteration of the current replan for the CEM scrubber") {
  auto exp =
      make({"episodes=1", "env.max_episode_steps=4", "replan_every=2", "planner.iterations=3"});
  // Ticks 1-3 plan (iterations 0, 1, 2), 4-5 act, 6-8 plan the second replan, 9-10 act.
  std::vector<size_t> sizes;
  std::shared_ptr<const PlanView> after_first, after_second_start;
  for (int t = 1; exp->tick(); ++t) {
    auto s = exp->snapshot()->plan;
    REQUIRE(s);
    sizes.push_back(s->replan_traces.size());
    if (t == 3) after_first = s;
    if (t == 6) after_second_start = s;
  }
  CHECK(sizes == std::vector<size_t>{1, 2, 3, 3, 3, 1, 2, 3, 3, 3});
  REQUIRE(after_first);
  for (int i = 0; i < 3; ++i) {
    CHECK(after_first->replan_traces[i]->iteration == i);
    CHECK(after_first->replan_traces[i]->objective_per_iteration.size() == size_t(i + 1));
  }
  // The last stored iteration is the snapshot's latest trace; a new replan starts a new list.
  CHECK(after_first->replan_traces.back()->returns == after_first->trace.returns);
  CHECK(after_first->replan_traces.back()->paths == after_first->trace.paths);
  REQUIRE(after_second_start);
  CHECK(after_second_start->replan_traces.front()->iteration == 0);
  CHECK(after_second_start->replan_traces.front() != after_first->replan_traces.front());
}

TEST_CASE("plan_traces.csv has one row per planner iteration") {
  const auto dir = temp_dir("mbrl_traces");
  const auto r = run_cli(
      "run point_mass_oracle --quiet --set episodes=1 --set env.max_episode_steps=5 "
      "--set output.plan_traces=true --set planner.horizon=4 --out " +
      dir.string());
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  const auto rows = csv_cells(read_file(dir / "plan_traces.csv"));
  REQUIRE(rows.size() == 1 + 5 * 5);  // 5 replans x 5 iterations
  CHECK(rows[0].size() == 10 + 3 * 4);
  CHECK(rows[0][7] == "objective");
  CHECK(rows[0][9] == "worst_return");
  CHECK(rows[0][10] == "mean_0_0");
  for (size_t i = 1; i < rows.size(); ++i) CHECK(std::stod(rows[i][9]) <= std::stod(rows[i][8]));
  CHECK(rows[1][4] == "0");
  CHECK(rows[5][4] == "4");
  CHECK(rows[6][2] == "1");  // the second replan plans from env step 1
}

TEST_CASE("bad mbrl configs exit 2 naming the key") {
  auto r = run_cli("show point_mass_oracle --set planner.elites=400");
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("planner.elites: expected at most population (300), got 400") !=
        std::string::npos);
  r = run_cli("show point_mass_oracle --set replan_every=11");
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("replan_every") != std::string::npos);
  r = run_cli("show point_mass_oracle --set model.prediction=ensemble");
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("model.prediction") != std::string::npos);
  r = run_cli("show point_mass_oracle --set 'env={\"name\":\"grid_world\"}'");
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("env.name: expected an env with a continuous (box) action space") !=
        std::string::npos);
}

TEST_CASE("every trajectory optimizer runs the oracle MPC loop to the origin") {
  for (const std::string planner :
       {R"({"optimizer":"random_shooting","horizon":10})", R"({"optimizer":"mppi","horizon":10})",
        R"({"optimizer":"cem","horizon":10})"}) {
    CAPTURE(planner);
    auto exp = make({"planner=" + planner});
    exp->run_to_end();
    auto* mbrl = dynamic_cast<EpisodicExperiment*>(exp.get());
    REQUIRE(mbrl);
    CHECK(mbrl->episodes().size() == 3);
    auto s = exp->snapshot();
    // The last episode's final 10 positions (obs rows 21..30 of 31).
    const std::vector<double>& obs = s->trajectory.obs;
    REQUIRE(obs.size() == 31 * 2);
    double late = 0;
    for (int t = 21; t <= 30; ++t) late = std::max(late, std::abs(obs[t * 2]));
    CHECK(late < 0.8);
    CHECK(std::abs(obs[0]) > 1.0);  // it did start away from the origin
  }
}

}  // namespace test_mbrl_oracle
