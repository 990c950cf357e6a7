// Session save/load of the mbrl experiment kind: counters, the finished episodes' rows, the
// current episode's buffers, the outputs built so far, the env state and the agent (dataset,
// model, planner, RNG; mbrl_agent_session.cpp). Not saved: the GUI's CEM scrubber history of the
// replan in progress (replan_traces_), which restarts empty after a load. The analysis state
// (the data of the latest fit, the divergence per episode, the latest visitation sample, the
// error-vs-distance points) is saved too, so the analysis/ outputs continue exactly.
#include "core/experiments/mbrl_experiment.h"
#include "core/io/atomic_file.h"
#include "core/session.h"

namespace dynalab {

void MbrlExperiment::save_state(const std::filesystem::path& dir, Json& state) const {
  Json rows = Json::array();
  for (const auto& r : rows_)
    rows.push_back({r.run, r.episode, r.env_steps, session_number(r.ret), r.terminated,
                    session_number(r.train_loss), session_number(r.val_loss)});
  auto v = [](const std::vector<double>& x) { return session_numbers(x.data(), x.size()); };
  const std::vector<double> env_state = env_->get_state();
  Json agent;
  agent_->save_state(dir, agent);
  write_file_atomic(dir / "trajectories_so_far.csv", trajectories_csv_);
  write_file_atomic(dir / "plan_traces_so_far.csv", plan_traces_csv_);
  if (fit_data_) write_file_atomic(dir / "fit_data.npy", fit_data_->to_npy());
  Json div = Json::array();
  for (const auto& d : divergence_)
    div.push_back({d.run, d.episode, session_number(d.kl), session_number(d.raw), d.n_visited,
                   d.n_train, d.dims});
  Json vis;
  if (visitation_) {
    const auto& m = *visitation_;
    auto mat = [](const Eigen::MatrixXd& x) {
      const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> r = x;
      return Json{{"rows", x.rows()}, {"cols", x.cols()}, {"data", session_numbers(r.data(), size_t(r.size()))}};
    };
    vis = {{"run", m.run}, {"episode", m.episode}, {"kl", session_number(m.kl)},
           {"dataset_states", mat(m.dataset_states)}, {"visited_states", mat(m.visited_states)}};
  }
  std::vector<double> evd_episode(evd_episode_.begin(), evd_episode_.end());
  Json analysis = {{"fit_data", bool(fit_data_)},
                   {"captured_fit", captured_fit_},
                   {"divergence", div},
                   {"evd_distance", v(evd_distance_)},
                   {"evd_error", v(evd_error_)},
                   {"evd_episode", v(evd_episode)}};
  if (visitation_) analysis["visitation"] = vis;
  state = {{"analysis", analysis},
           {"run", run_},
           {"episode", episode_},
           {"episode_steps", episode_steps_},
           {"random_episodes", random_episodes_},
           {"run_steps", run_steps_},
           {"ticks", ticks_},
           {"episode_return", session_number(episode_return_)},
           {"finished", finished_},
           {"obs", session_numbers(obs_.data(), size_t(obs_.size()))},
           {"rows", rows},
           {"episode_obs", v(ep_obs_)},
           {"episode_actions", v(ep_actions_)},
           {"episode_rewards", v(ep_rewards_)},
           {"disagreement_x", v(disagreement_x_)},
           {"disagreement_y", v(disagreement_y_)},
           {"env_state", v(env_state)},
           {"agent", agent}};
}

void MbrlExperiment::load_state(const std::filesystem::path& dir, const SessionReader& r) {
  const int64_t run = r.integer("run");
  if (run < 0 || run >= cfg_.runs) r.fail("run", "a run in [0, " + std::to_string(cfg_.runs) + ")");
  if (run != run_) start_run(int(run));  // that run's fresh env and agent, then overwritten
  episode_ = r.integer<int>("episode");
  episode_steps_ = r.integer<int>("episode_steps");
  random_episodes_ = r.integer<int>("random_episodes");
  run_steps_ = r.integer("run_steps");
  ticks_ = r.integer("ticks");
  episode_return_ = r.number("episode_return");
  finished_ = r.boolean("finished");
  const std::vector<double> obs = r.doubles("obs", size_t(env_->observation_space().dim()));
  obs_ = Eigen::Map<const Vec>(obs.data(), Eigen::Index(obs.size()));
  rows_.clear();
  const Json& rows = r.array("rows");
  for (size_t i = 0; i < rows.size(); ++i) {
    const Json& e = rows[i];
    if (!e.is_array() || e.size() != 7 || !e[4].is_boolean())
      r.fail("rows[" + std::to_string(i) + "]",
             "[run, episode, env_steps, return, terminated, train_loss, val_loss]");
    const Json fields = {{"run", e[0]}, {"episode", e[1]}, {"env_steps", e[2]},
                         {"ret", e[3]}, {"train", e[5]},   {"val", e[6]}};
    const SessionReader nr(fields, r.file(), "state.rows[" + std::to_string(i) + "]");
    rows_.push_back({nr.integer<int>("run"), nr.integer<int>("episode"), nr.integer("env_steps"),
                     nr.number("ret"), e[4].get<bool>(), nr.number("train"), nr.number("val")});
  }
  ep_obs_ = r.doubles("episode_obs");
  ep_actions_ = r.doubles("episode_actions");
  ep_rewards_ = r.doubles("episode_rewards");
  disagreement_x_ = r.doubles("disagreement_x");
  disagreement_y_ = r.doubles("disagreement_y", disagreement_x_.size());
  env_->set_state(r.doubles("env_state", env_->get_state().size()));
  trajectories_csv_ = read_session_file(dir / "trajectories_so_far.csv");
  plan_traces_csv_ = read_session_file(dir / "plan_traces_so_far.csv");
  replan_traces_.clear();
  model_copy_.reset();
  model_copy_fits_ = -1;
  agent_->load_state(dir, r.child("agent"), *env_, obs_);
  load_analysis_state(dir, r.child("analysis"));
}

void MbrlExperiment::load_analysis_state(const std::filesystem::path& dir, const SessionReader& r) {
  fit_data_.reset();
  if (r.boolean("fit_data")) {
    const std::filesystem::path npy = dir / "fit_data.npy";
    fit_data_ = std::make_shared<const Dataset>(
        Dataset::from_npy(read_session_file(npy), npy.string(), agent_->dataset().obs_dim(),
                          agent_->dataset().action_dim()));
  }
  captured_fit_ = r.integer<int>("captured_fit");
  divergence_.clear();
  const Json& div = r.array("divergence");
  for (size_t i = 0; i < div.size(); ++i) {
    const Json& e = div[i];
    if (!e.is_array() || e.size() != 7)
      r.fail("divergence[" + std::to_string(i) + "]",
             "[run, episode, kl, raw, n_visited, n_train, dims]");
    const Json fields = {{"run", e[0]},       {"episode", e[1]}, {"kl", e[2]},  {"raw", e[3]},
                         {"n_visited", e[4]}, {"n_train", e[5]}, {"dims", e[6]}};
    const SessionReader nr(fields, r.file(),
                           "state.analysis.divergence[" + std::to_string(i) + "]");
    divergence_.push_back({nr.integer<int>("run"), nr.integer<int>("episode"), nr.number("kl"),
                           nr.number("raw"), nr.integer<int>("n_visited"),
                           nr.integer<int>("n_train"), nr.integer<int>("dims")});
  }
  visitation_.reset();
  if (r.has("visitation")) {
    const SessionReader vr = r.child("visitation");
    auto sample = std::make_shared<VisitationSample>();
    sample->run = vr.integer<int>("run");
    sample->episode = vr.integer<int>("episode");
    sample->kl = vr.number("kl");
    auto mat = [&](const std::string& key) {
      const SessionReader m = vr.child(key);
      const int64_t rows = m.integer("rows"), cols = m.integer("cols");
      if (rows < 0 || cols < 0 || rows > kMaxVisitationRows || cols > 1000)
        m.fail("rows", "a sample of at most " + std::to_string(kMaxVisitationRows) + " rows");
      const std::vector<double> d = m.doubles("data", size_t(rows * cols));
      return Eigen::MatrixXd(Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic,
                                                            Eigen::RowMajor>>(d.data(), rows, cols));
    };
    sample->dataset_states = mat("dataset_states");
    sample->visited_states = mat("visited_states");
    visitation_ = std::move(sample);
  }
  evd_distance_ = r.doubles("evd_distance");
  evd_error_ = r.doubles("evd_error", evd_distance_.size());
  const std::vector<double> ep = r.doubles("evd_episode", evd_distance_.size());
  evd_episode_.assign(ep.begin(), ep.end());
}

}  // namespace dynalab
