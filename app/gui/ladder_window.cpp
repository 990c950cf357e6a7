#include "app/gui/ladder_window.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "app/gui/cpu_sharing.h"
#include "app/gui/plot_widget.h"
#include "core/io/csv.h"
#include "core/io/input_error.h"
#include "envs/registry.h"

namespace dynalab {

LadderWindow::LadderWindow() {
  try {
    spec_ = read_ladder("pendulum");
  } catch (const std::exception& e) {
    spec_error_ = e.what();
  }
}

LadderWindow::~LadderWindow() { stop(); }

void LadderWindow::stop() {
  cancel_ = true;
  if (thread_.joinable()) thread_.join();
  cancel_ = false;
}

void LadderWindow::start(bool missing_only) {
  stop();
  std::vector<std::string> rungs;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!missing_only) results_.clear();
    for (const LadderRung& r : spec_.rungs)
      if (std::none_of(results_.begin(), results_.end(),
                       [&](const LadderResult& x) { return x.rung.label == r.label; }))
        rungs.push_back(r.label);
    status_ = "starting";
  }
  running_ = true;
  const int seeds = seeds_;
  thread_ = std::thread([this, seeds, rungs] {
    lower_worker_priority();  // the live experiment and the GUI come first
    // Rung by rung (one job: the GUI's worker already has the other core), so each curve shows
    // up as soon as it exists.
    for (size_t i = 0; i < rungs.size() && !cancel_; ++i) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        status_ = "running " + rungs[i] + " (" + std::to_string(i + 1) + " / " +
                  std::to_string(rungs.size()) + ")";
      }
      try {
        auto r = run_ladder(spec_, seeds, 1, {rungs[i]}, env_registry(), {}, {}, &cancel_);
        std::lock_guard<std::mutex> lock(mu_);
        if (!cancel_)
          for (LadderResult& result : r)
            for (LadderRun& run : result.runs) add_ladder_run(spec_, results_, rungs[i], std::move(run));
      } catch (const std::exception& e) {
        std::lock_guard<std::mutex> lock(mu_);
        status_ = rungs[i] + ": " + e.what();
        running_ = false;
        return;
      }
    }
    std::lock_guard<std::mutex> lock(mu_);
    status_ = cancel_ ? "stopped" : "done";
    running_ = false;
  });
}

std::string LadderWindow::add_run(const std::string& label, LadderRun run) {
  try {
    std::lock_guard<std::mutex> lock(mu_);
    const uint64_t seed = run.seed;
    add_ladder_run(spec_, results_, label, std::move(run));
    status_ = "added " + label + " (seed " + std::to_string(seed) + ") from the lesson";
    return "";
  } catch (const InputError& e) {
    return e.what();
  }
}

std::string LadderWindow::use_ladder(const std::string& name) {
  if (spec_error_.empty() && spec_.name == name) return "";
  try {
    LadderSpec spec = read_ladder(name);
    stop();
    std::lock_guard<std::mutex> lock(mu_);
    spec_ = std::move(spec);
    spec_error_.clear();
    results_.clear();
    status_.clear();
    return "";
  } catch (const InputError& e) {
    return e.what();
  }
}

std::vector<LadderResult> LadderWindow::results() {
  std::lock_guard<std::mutex> lock(mu_);
  return results_;
}

std::string LadderWindow::load(const std::string& dir) {
  std::filesystem::path p(dir);
  if (std::filesystem::is_directory(p)) p /= "ladder.csv";
  try {
    auto r = read_ladder_results(spec_, p);
    stop();
    std::lock_guard<std::mutex> lock(mu_);
    results_ = std::move(r);
    status_ = "loaded " + p.string();
    return "";
  } catch (const InputError& e) {
    return e.what();
  }
}

void LadderWindow::draw(const Fonts& fonts, float line_scale) {
  if (!open) return;
  // Each time it opens, most of the screen right of the side panel: the plot is the slide (a
  // lesson's last step opens it on the projector, where the fonts are large).
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x * 0.33f, vp->WorkPos.y + 8),
                          ImGuiCond_Appearing);
  ImGui::SetNextWindowSize(ImVec2(vp->WorkSize.x * 0.66f, vp->WorkSize.y - 16), ImGuiCond_Appearing);
  if (!ImGui::Begin("Sample-efficiency ladder", &open)) {
    ImGui::End();
    return;
  }
  if (!spec_error_.empty()) {
    ImGui::TextWrapped("%s", spec_error_.c_str());
    ImGui::End();
    return;
  }
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
  ImGui::SliderInt("seeds", &seeds_, 1, 5);
  ImGui::SameLine();
  if (running_) {
    if (ImGui::Button("Stop")) cancel_ = true;
  } else {
    if (ImGui::Button("Run the ladder")) start(false);
    bool partial = false;
    {
      std::lock_guard<std::mutex> lock(mu_);
      partial = !results_.empty() && results_.size() < spec_.rungs.size();
    }
    if (partial) {
      ImGui::SameLine();
      if (ImGui::Button("Run the missing rungs")) start(true);
    }
  }
  ImGui::SameLine();
  ImGui::Checkbox("x: wall-clock seconds", &wall_clock_);
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 16);
  ImGui::InputTextWithHint("##dir", "folder of dynalab-cli ladder --out", load_dir_, sizeof load_dir_);
  ImGui::SameLine();
  if (ImGui::Button("Load results")) message_ = load(load_dir_);
  std::vector<LadderResult> results;
  std::string status;
  {
    std::lock_guard<std::mutex> lock(mu_);
    results = results_;
    status = status_;
  }
  ImGui::TextDisabled("%s%s%s", status.c_str(), message_.empty() ? "" : " - ", message_.c_str());

  // The median env steps to the threshold, the ladder's point, as one wrapped line under the
  // plot (a line per rung would take the plot's room).
  std::string steps = "median env steps to a return of " + short_number(spec_.threshold) + ":";
  for (const LadderResult& r : results) {
    const double m = median_steps_to_threshold(r, spec_.threshold);
    // Whole numbers: the wrap may break after a '.', which split "2.2e+05" across two lines.
    steps += "  " + r.rung.label + " " +
             (std::isfinite(m) ? std::to_string(int64_t(m)) : std::string("never")) +
             (r.rung.ceiling ? " (ceiling)" : "") + (&r == &results.back() ? "" : ",");
  }
  const float wrap = ImGui::GetContentRegionAvail().x;
  const float table_h = ImGui::CalcTextSize(steps.c_str(), nullptr, false, wrap).y +
                        ImGui::GetStyle().ItemSpacing.y * 2;
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  if (fonts.plot) ImGui::PushFont(fonts.plot);
  plot_figure("ladder", ladder_figure(spec_, results, wall_clock_),
              ImVec2(avail.x, std::max(200.0f, avail.y - table_h)), PlotStyle{line_scale, {}, true});
  if (fonts.plot) ImGui::PopFont();
  ImGui::TextWrapped("%s", steps.c_str());
  ImGui::End();
}

}  // namespace dynalab
