#include "app/gui/lab_panel.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/gui/lab_state.h"
#include "core/lesson.h"

namespace dynalab {

const std::vector<std::string>& lab_view_names() { return lesson_panels(); }

namespace {
const char* kTabTitles[] = {"Disagreement map",   "1-D slice",   "Three models", "Ensemble size",
                            "Distribution shift", "Model error", "GP cost"};
}  // namespace

void lab_title(const LabStyle& st, const char* text) {
  if (st.big) ImGui::PushFont(st.big);
  ImGui::PushTextWrapPos(0);
  ImGui::TextUnformatted(text);
  ImGui::PopTextWrapPos();
  if (st.big) ImGui::PopFont();
}

void same_line_if_fits(float width) {
  ImGui::SameLine();
  if (ImGui::GetContentRegionAvail().x < width) ImGui::NewLine();
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

Vec chosen_action(const ModelInputs& in, bool plan_action, std::vector<float>& sliders) {
  const int A = int(in.plan_action.size());
  sliders.resize(A, 0.0f);
  if (plan_action) return in.plan_action;
  Vec a(A);
  for (int d = 0; d < A; ++d) a[d] = sliders[d];
  return a;
}

bool action_controls(const ModelInputs& in, bool& plan_action, std::vector<float>& sliders) {
  bool changed = ImGui::Checkbox("action = the planner's first action", &plan_action);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("off: hold the action fixed with the sliders");
  const int A = int(in.plan_action.size());
  sliders.resize(A, 0.0f);
  if (plan_action) return changed;
  const Space& sp = in.action_space;
  for (int d = 0; d < A && d < 4; ++d) {
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

std::string inputs_key(const ModelInputs& in, const Vec& action) {
  char b[64];
  std::snprintf(b, sizeof b, "%p|%p", static_cast<const void*>(in.model.get()),
                static_cast<const void*>(in.training_data.get()));
  std::string key = b;
  for (int d = 0; d < action.size(); ++d) key += "|a" + key_num(action[d]);
  for (int d = 0; d < in.state.size(); ++d) key += "|s" + key_num(in.state[d]);
  return key;
}

void run_in_slices(BackgroundWorker& worker, const std::string& slot, std::function<bool()> step,
                   std::function<void(bool done)> publish,
                   std::function<void(const std::string&)> fail) {
  auto slice = std::make_shared<std::function<void()>>();
  BackgroundWorker* w = &worker;
  *slice = [w, slot, step, publish, fail, weak = std::weak_ptr<std::function<void()>>(slice)] {
    try {
      const auto t0 = std::chrono::steady_clock::now();
      bool more = step();
      while (more && std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(100)) more = step();
      publish(!more);
      if (more)
        if (auto next = weak.lock()) w->submit(slot, [next] { (*next)(); });
    } catch (const std::exception& e) {
      fail(e.what());
    }
  };
  // The queued job holds its own continuation alive until it is done or dropped.
  worker.submit(slot, [slice] { (*slice)(); });
}

LabPanel::State::~State() {
  cancel_study();
  cancel_comparison();
  cancel_gp_cost();
}

void LabPanel::State::cancel_study() {
  // The worker drops the study's next slice; one already running sees the flag and stops.
  if (study) study->cancel = true;
  worker.cancel("ensemble_size");
}

void LabPanel::State::cancel_comparison() {
  if (comparison) comparison->cancel = true;
  worker.cancel(kComparisonFitSlot);
}

void LabPanel::State::track_episode(const Snapshot& m) {
  // Planned episodes only: the random data of pi_0 is in the training set already.
  if (m.plan && m.plan->phase != "plan" && m.plan->phase != "act") return;
  const int T = m.trajectory.steps();
  if (T < 2) return;
  // The trajectory's own episode id: paused at an episode's end, m.episode already names the
  // next one while the trajectory is still the finished one.
  const int episode = m.trajectory.episode;
  if (recent.empty() || recent.back().run != m.run || recent.back().episode != episode) {
    recent.push_back({m.run, episode, {}});
    while (recent.size() > 4) recent.pop_front();
  }
  Trajectory& t = recent.back().traj;
  if (t.steps() < T) t = m.trajectory;
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

bool LabPanel::wide() const { return view() == "model_comparison"; }

void LabPanel::set_two_clusters(bool on) { s_->compare_two_clusters = on; }

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
  s.snap = snap && snap->model ? snap : nullptr;
  s.busy = false;
  s.status = lab_view_names()[s.view] + ": waiting for a model";
  s.figures.clear();
  ImGui::SetNextWindowPos(pos);
  ImGui::SetNextWindowSize(size);
  ImGui::Begin("Uncertainty lab", nullptr,
               ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                   ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoBringToFrontOnFocus);
  if (style.tabs && ImGui::BeginTabBar("lab_views")) {
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
  if (style.text) ImGui::PushFont(style.text);
  if (!s.snap) {
    ImGui::TextWrapped(
        "The lab needs a model-based experiment (File > Open experiment > MBRL versions or "
        "PETS).");
  } else if (!s.snap->model->model) {
    ImGui::TextWrapped(
        s.snap->model->prediction == "oracle"
            ? "This experiment plans through the true env (oracle): there is no learned model to "
              "inspect."
            : "No model yet: the agent is still collecting random data (phase: %s).",
        s.snap->plan ? s.snap->plan->phase.c_str() : "?");
    s.busy = false;
  } else {
    s.inputs = model_inputs(*s.snap, &s.inputs);
    s.track_episode(*s.snap);
    switch (s.view) {
      case 0:
        s.draw_map();
        break;
      case 1:
        s.draw_slice();
        break;
      case 2:
        s.draw_comparison();
        break;
      case 3:
        s.draw_size();
        break;
      case 4:
        s.draw_shift();
        break;
      case 5:
        s.draw_error();
        break;
      default:
        s.draw_gp_cost();
        break;
    }
  }
  if (style.text) ImGui::PopFont();
  ImGui::End();
}

}  // namespace dynalab
