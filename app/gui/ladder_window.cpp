#include "app/gui/ladder_window.h"

#include <imgui.h>

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

void LadderWindow::start() {
  stop();
  {
    std::lock_guard<std::mutex> lock(mu_);
    results_.clear();
    status_ = "starting";
  }
  running_ = true;
  const int seeds = seeds_;
  thread_ = std::thread([this, seeds] {
    lower_worker_priority();  // the live experiment and the GUI come first
    // Rung by rung (one job: the GUI's worker already has the other core), so each curve shows
    // up as soon as it exists.
    for (size_t i = 0; i < spec_.rungs.size() && !cancel_; ++i) {
      const LadderRung& rung = spec_.rungs[i];
      {
        std::lock_guard<std::mutex> lock(mu_);
        status_ = "running " + rung.label + " (" + std::to_string(i + 1) + " / " +
                  std::to_string(spec_.rungs.size()) + ")";
      }
      try {
        auto r = run_ladder(spec_, seeds, 1, {rung.label}, env_registry(), {}, {}, &cancel_);
        std::lock_guard<std::mutex> lock(mu_);
        if (!cancel_) results_.insert(results_.end(), r.begin(), r.end());
      } catch (const std::exception& e) {
        std::lock_guard<std::mutex> lock(mu_);
        status_ = rung.label + ": " + e.what();
        running_ = false;
        return;
      }
    }
    std::lock_guard<std::mutex> lock(mu_);
    status_ = cancel_ ? "stopped" : "done";
    running_ = false;
  });
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
  ImGui::SetNextWindowSize(ImVec2(980, 720), ImGuiCond_FirstUseEver);
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
  } else if (ImGui::Button("Run the ladder")) {
    start();
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

  // The median env steps to the threshold, the ladder's point, in one line per rung.
  const float table_h = ImGui::GetTextLineHeightWithSpacing() * float(results.size() + 2);
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  if (fonts.plot) ImGui::PushFont(fonts.plot);
  plot_figure("ladder", ladder_figure(spec_, results, wall_clock_),
              ImVec2(avail.x, std::max(200.0f, avail.y - table_h)), PlotStyle{line_scale, {}, true});
  if (fonts.plot) ImGui::PopFont();
  ImGui::Text("median env steps to a return of %s:", short_number(spec_.threshold).c_str());
  for (const LadderResult& r : results) {
    const double m = median_steps_to_threshold(r, spec_.threshold);
    ImGui::BulletText("%s: %s%s", r.rung.label.c_str(),
                      std::isfinite(m) ? std::to_string(int64_t(m)).c_str() : "never",
                      r.rung.ceiling ? " (ceiling, not ranked)" : "");
  }
  ImGui::End();
}

}  // namespace dynalab
