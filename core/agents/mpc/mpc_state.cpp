// Session state of MpcAgent: the planning agent itself (dataset, model, planner warm start, RNG:
// mbrl_agent_session.cpp) and the analysis built as the run goes (plan_traces.csv so far, the
// disagreement curve, the data of the latest fit, the divergence rows of every run, the latest
// visitation sample, the error-vs-distance points), so the outputs continue exactly after a
// load. Not saved: the CEM scrubber's history of the replan in progress, which restarts empty.
#include "core/agents/mpc/mpc_agent.h"
#include "core/state_visitor.h"

namespace dynalab {

namespace {

/// A matrix as {rows, cols, data (row-major)}; at most `max_rows` rows when loading.
void visit_matrix(StateVisitor& v, const std::string& key, Eigen::MatrixXd& m, int max_rows) {
  v.section(key, [&](StateVisitor& mv) {
    int rows = int(m.rows()), cols = int(m.cols());
    const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> row_major = m;
    std::vector<double> data(row_major.data(), row_major.data() + row_major.size());
    mv.bounded("rows", rows, 0, max_rows);
    mv.bounded("cols", cols, 0, 1000);
    mv.field("data", data);
    if (!mv.loading()) return;
    if (data.size() != size_t(rows) * size_t(cols))
      mv.fail("data", std::to_string(size_t(rows) * size_t(cols)) + " values (rows x cols)");
    m = Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(data.data(), rows, cols);
  });
}

}  // namespace

void MpcAgent::visit_state(StateVisitor& v, const Env& real, const Vec& obs) {
  v.section("planner_agent", [&](StateVisitor& av) { agent_.visit_state(av, real, obs); });
  if (v.loading()) {
    replan_traces_.clear();
    model_copy_.reset();
    model_copy_fits_ = -1;
  }
  v.field("env_steps", env_steps_);
  if (v.loading()) last_obs_ = obs;  // sizes it; the saved value is read into it
  v.field("last_obs", last_obs_);
  v.field("plan_traces_csv", plan_traces_csv_);
  v.field("disagreement_x", disagreement_x_);
  v.field("disagreement_y", disagreement_y_);
  if (v.loading() && disagreement_y_.size() != disagreement_x_.size())
    v.fail("disagreement_y", std::to_string(disagreement_x_.size()) + " values (one per disagreement_x)");
  bool has_fit_data = bool(fit_data_);
  v.field("fit_data", has_fit_data);
  if (has_fit_data)
    v.file(
        "fit_data.npy", [&] { return fit_data_->to_npy(); },
        [&](const std::string& bytes, const std::string& source) {
          fit_data_ = std::make_shared<const Dataset>(
              Dataset::from_npy(bytes, source, agent_.dataset().obs_dim(), agent_.dataset().action_dim()));
        });
  else if (v.loading())
    fit_data_ = nullptr;
  v.field("captured_fit", captured_fit_);
  visit_records(v, "divergence", *divergence_, [](DivergenceRow& d, StateVisitor& r) {
    r.field("run", d.run);
    r.field("episode", d.episode);
    r.field("kl", d.kl);
    r.field("raw", d.raw);
    r.field("n_visited", d.n_visited);
    r.field("n_train", d.n_train);
    r.field("dims", d.dims);
  });
  bool has_visitation = bool(visitation_);
  auto sample = visitation_ ? std::make_shared<VisitationSample>(*visitation_) : std::make_shared<VisitationSample>();
  v.optional("visitation", has_visitation, [&](StateVisitor& s) {
    s.field("run", sample->run);
    s.field("episode", sample->episode);
    s.field("kl", sample->kl);
    visit_matrix(s, "dataset_states", sample->dataset_states, kMaxVisitationRows);
    visit_matrix(s, "visited_states", sample->visited_states, kMaxVisitationRows);
  });
  if (v.loading()) visitation_ = has_visitation ? std::move(sample) : nullptr;
  v.field("evd_distance", evd_distance_);
  v.field("evd_error", evd_error_);
  v.field("evd_episode", evd_episode_);
  if (v.loading() && (evd_error_.size() != evd_distance_.size() || evd_episode_.size() != evd_distance_.size()))
    v.fail("evd_error", std::to_string(evd_distance_.size()) + " values (one per evd_distance)");
}

}  // namespace dynalab
