#include "app/gui/lab_panel.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/gui/lab_state.h"
#include "core/analysis/knn.h"
#include "core/lesson.h"
#include "core/rng.h"

namespace dynalab {

const std::vector<std::string>& lab_view_names() { return lesson_panels(); }

namespace {
const char* kTabTitles[] = {"Disagreement map", "1-D slice", "Ensemble size", "Distribution shift",
                            "Model error"};
}  // namespace

std::vector<std::string> obs_names(const MbrlSnapshot& m) {
  std::vector<std::string> n;
  if (m.world) n = m.world->observation_names();
  if (int(n.size()) != m.obs_dim) {
    n.clear();
    for (int d = 0; d < m.obs_dim; ++d) n.push_back("obs " + std::to_string(d));
  }
  return n;
}

bool dim_combo(const char* label, int& dim, const std::vector<std::string>& names, float width) {
  bool changed = false;
  dim = std::clamp(dim, 0, std::max(0, int(names.size()) - 1));
  ImGui::SetNextItemWidth(width);
  if (ImGui::BeginCombo(label, names.empty() ? "" : names[dim].c_str())) {
    for (int d = 0; d < int(names.size()); ++d)
      if (ImGui::Selectable(names[d].c_str(), d == dim)) dim = d, changed = true;
    ImGui::EndCombo();
  }
  return changed;
}

Eigen::MatrixXd training_states(const MbrlSnapshot& m, int max_rows) {
  if (m.training_data && !m.training_data->empty()) {
    Eigen::MatrixXd s = m.training_data->observations();
    // Deterministic subsample: the same data gives the same dots every frame.
    Rng rng(0x1ab);
    return subsample_rows(s, max_rows, rng);
  }
  if (m.visitation) return m.visitation->dataset_states;
  return Eigen::MatrixXd(0, m.obs_dim);
}

void axis_range(const MbrlSnapshot& m, int d, double widen, double& lo, double& hi) {
  lo = INFINITY, hi = -INFINITY;
  if (m.training_data && !m.training_data->empty()) {
    // The data's per-dim range, computed once per dataset copy (GUI thread only).
    static const Dataset* cached = nullptr;
    static size_t cached_rows = 0;
    static Eigen::RowVectorXd mins, maxs;
    if (cached != m.training_data.get() || cached_rows != m.training_data->size() ||
        mins.size() != m.obs_dim) {
      cached_rows = m.training_data->size();
      const Eigen::MatrixXd s = m.training_data->observations();
      mins = s.colwise().minCoeff();
      maxs = s.colwise().maxCoeff();
      cached = m.training_data.get();
    }
    if (d < mins.size()) lo = mins[d], hi = maxs[d];
  }
  if (m.obs.size() > d && std::isfinite(m.obs[d]))
    lo = std::min(lo, m.obs[d]), hi = std::max(hi, m.obs[d]);
  if (!(hi > lo)) {
    const Space sp = m.world ? m.world->observation_space() : Space{};
    const double c = m.obs.size() > d ? m.obs[d] : 0.0;
    if (sp.low.size() > d && std::isfinite(sp.low[d]) && std::isfinite(sp.high[d]) &&
        sp.high[d] > sp.low[d])
      lo = sp.low[d], hi = sp.high[d];
    else
      lo = c - 1, hi = c + 1;
    return;
  }
  const double span = hi - lo;
  lo -= widen * span, hi += widen * span;
}

Vec chosen_action(const MbrlSnapshot& m, bool plan_action, std::vector<float>& sliders) {
  Vec a = Vec::Zero(m.action_dim);
  sliders.resize(m.action_dim, 0.0f);
  if (plan_action && int(m.plan.size()) >= m.action_dim) {
    for (int d = 0; d < m.action_dim; ++d) a[d] = m.plan[d];
    return a;
  }
  for (int d = 0; d < m.action_dim; ++d) a[d] = sliders[d];
  return a;
}

bool action_controls(const MbrlSnapshot& m, bool& plan_action, std::vector<float>& sliders) {
  bool changed = ImGui::Checkbox("action = the planner's first action", &plan_action);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("off: hold the action fixed with the sliders");
  sliders.resize(m.action_dim, 0.0f);
  if (plan_action) return changed;
  const Space sp = m.world ? m.world->action_space() : Space{};
  for (int d = 0; d < m.action_dim && d < 4; ++d) {
    float lo = -1, hi = 1;
    if (sp.low.size() > d && std::isfinite(sp.low[d]) && std::isfinite(sp.high[d]))
      lo = float(sp.low[d]), hi = float(sp.high[d]);
    char label[32];
    std::snprintf(label, sizeof label, "action %d", d);
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.5f);
    changed |= ImGui::SliderFloat(label, &sliders[d], lo, hi, "%.2f");
  }
  return changed;
}

void job_note(bool running, const std::string& error) {
  if (!error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.8f, 0.1f, 0.1f, 1));
    ImGui::TextWrapped("%s", error.c_str());
    ImGui::PopStyleColor();
  } else if (running) {
    ImGui::SameLine();
    ImGui::TextDisabled("computing...");
  }
}

ImVec2 two_panes(ImVec2 avail, float reserve_h, bool& stacked) {
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  const float h = std::max(80.0f, avail.y - reserve_h);
  stacked = avail.x < h * 1.25f;
  return stacked ? ImVec2(avail.x, std::max(60.0f, (h - gap) * 0.5f))
                 : ImVec2((avail.x - gap) * 0.5f, h);
}

void pane_gap(bool stacked) {
  if (!stacked) ImGui::SameLine();
}

std::string key_num(double x) {
  char b[32];
  std::snprintf(b, sizeof b, "%.3g", x);
  return b;
}

LabPanel::State::~State() {
  cancel_study();
  map_job.wait();
  slice_job.wait();
  shift_job.wait();
  error_job.wait();
}

void LabPanel::State::cancel_study() {
  if (study) study->cancel = true;
  if (study_fut.valid()) study_fut.wait();
}

void LabPanel::State::track_episode(const MbrlSnapshot& m) {
  // Planned episodes only: the random data of pi_0 is in the training set already.
  if (m.phase != "plan" && m.phase != "act") return;
  const int T = m.action_dim > 0 ? int(m.episode_actions.size() / m.action_dim) : 0;
  if (T < 2 || int(m.episode_obs.size()) < (T + 1) * m.obs_dim) return;
  if (recent.empty() || recent.back().run != m.run || recent.back().episode != m.episode) {
    recent.push_back({m.run, m.episode, {}});
    while (recent.size() > 4) recent.pop_front();
  }
  Trajectory& t = recent.back().traj;
  if (t.steps() >= T) return;
  t.obs = Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
      m.episode_obs.data(), T + 1, m.obs_dim);
  t.actions =
      Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
          m.episode_actions.data(), T, m.action_dim);
}

LabPanel::LabPanel() : s_(std::make_unique<State>()) {}
LabPanel::~LabPanel() = default;

bool LabPanel::set_view(const std::string& name) {
  const auto& v = lab_view_names();
  const auto it = std::find(v.begin(), v.end(), name);
  if (it == v.end()) return false;
  s_->view = int(it - v.begin());
  s_->force_tab = true;
  return true;
}

const std::string& LabPanel::view() const { return lab_view_names()[s_->view]; }

bool LabPanel::busy() const { return s_->busy; }

const std::string& LabPanel::status() const { return s_->status; }

const std::vector<Figure>& LabPanel::figures() const { return s_->figures; }

void LabPanel::State::plot(const char* id, const Figure& f, ImVec2 size, const PlotStyle& ps) {
  plot_figure(id, f, size, ps);
  figures.push_back(f);
}

void LabPanel::draw(const std::shared_ptr<const Snapshot>& snap, ImVec2 pos, ImVec2 size,
                    const LabStyle& style) {
  State& s = *s_;
  s.style = style;
  s.snap = std::dynamic_pointer_cast<const MbrlSnapshot>(snap);
  s.busy = false;
  s.status = lab_view_names()[s.view] + ": waiting for a model";
  s.figures.clear();
  ImGui::SetNextWindowPos(pos);
  ImGui::SetNextWindowSize(size);
  ImGui::Begin("Uncertainty lab", nullptr,
               ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                   ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoBringToFrontOnFocus);
  if (ImGui::BeginTabBar("lab_views")) {
    // A view chosen by a lesson or a flag selects its tab once; clicks choose otherwise.
    int selected = s.view;
    for (int i = 0; i < int(lab_view_names().size()); ++i)
      if (ImGui::BeginTabItem(kTabTitles[i], nullptr,
                              s.force_tab && i == s.view ? ImGuiTabItemFlags_SetSelected
                                                         : ImGuiTabItemFlags_None)) {
        selected = i;
        ImGui::EndTabItem();
      }
    if (!s.force_tab) s.view = selected;
    s.force_tab = false;
    ImGui::EndTabBar();
  }
  if (!s.snap) {
    ImGui::TextWrapped(
        "The lab needs a model-based experiment (File > Open experiment > MBRL versions or "
        "PETS).");
  } else if (!s.snap->model) {
    ImGui::TextWrapped(
        s.snap->model_kind == "oracle"
            ? "This experiment plans through the true env (oracle): there is no learned model to "
              "inspect."
            : "No model yet: the agent is still collecting random data (phase: %s).",
        s.snap->phase.c_str());
    s.busy = false;
  } else {
    s.track_episode(*s.snap);
    switch (s.view) {
      case 0:
        s.draw_map();
        break;
      case 1:
        s.draw_slice();
        break;
      case 2:
        s.draw_size();
        break;
      case 3:
        s.draw_shift();
        break;
      default:
        s.draw_error();
        break;
    }
  }
  ImGui::End();
}

}  // namespace dynalab
