// Record, as App members: start and stop from the Record panel or F9 (the live clock), the
// headless --record's hooks (the simulated clock: scripted_recording.cpp decides which frames are
// video frames and how much learning happens between them), and the status bar's indicator.

#include <imgui.h>

#include <algorithm>
#include <filesystem>

#include "app/gui/app.h"
#include "app/gui/export_menu.h"

namespace dynalab {

PixelBox App::record_region(RecordOptions::Region r) const {
  const ImGuiIO& io = ImGui::GetIO();
  const ImVec2 k = io.DisplayFramebufferScale;  // window -> framebuffer pixels
  ImVec2 pos = ImGui::GetMainViewport()->Pos, size = io.DisplaySize;
  if (r == RecordOptions::Region::viewport && layout_.worlds.w > 0)
    pos = ImVec2(layout_.worlds.x, layout_.worlds.y), size = ImVec2(layout_.worlds.w, layout_.worlds.h);
  const int fb_w = int(io.DisplaySize.x * k.x), fb_h = int(io.DisplaySize.y * k.y);
  PixelBox b{int(pos.x * k.x), int(pos.y * k.y), int(size.x * k.x), int(size.y * k.y)};
  b.x = std::clamp(b.x, 0, fb_w), b.y = std::clamp(b.y, 0, fb_h);
  b.w = std::min(b.w, fb_w - b.x), b.h = std::min(b.h, fb_h - b.y);
  return b;
}

std::string App::start_recording(const std::string& path, const RecordOptions& o, bool simulated) {
  record_region_ = o.region;
  const std::string e = recorder_.start(path, o, record_region(o.region), simulated);
  if (!e.empty()) {
    status(e, true);
    new_errors_.push_back(e);
    return e;
  }
  // Headless videos are for an audience: no indicator, no message of their own in the frames.
  if (!simulated) status("recording " + path + " (F9 stops)", false);
  return "";
}

VideoRecorder::Result App::stop_recording() {
  VideoRecorder::Result r = recorder_.stop();
  // Headless: the message goes to stderr; the status bar keeps the lesson's (the next file).
  if (!r.message.empty() && !video_clock_) status(r.message, !r.ok);
  return r;
}

void App::toggle_recording() {
  if (recorder_.active()) {
    stop_recording();
    return;
  }
  std::error_code ec;
  std::filesystem::create_directories(kExportDir, ec);
  const char* ext = record_.opt.format == VideoFormat::gif ? ".gif" : ".mp4";
  start_recording((kExportDir / (name_ + "-" + export_timestamp() + ext)).string(), record_.opt,
                  false);
}

void App::record_after_render(int fb_h) {
  if (!recorder_.active()) return;
  std::string e;
  if (!video_clock_) e = recorder_.capture_live(record_region(record_region_), fb_h);
  if (!e.empty() || recorder_.failed()) {
    // A read-back or write error (a full disk): stop, say so in one line, keep running.
    VideoRecorder::Result r = recorder_.stop();
    const std::string msg = r.message.empty() || r.ok ? e : r.message;
    status(msg, true);
    new_errors_.push_back(msg);
  }
}

std::string App::capture_video_frame(int fb_h) {
  return recorder_.capture_frame(record_region(record_region_), fb_h);
}

std::string App::recording_indicator() const {
  return recorder_.active() && !video_clock_
             ? recording_label(recorder_.seconds(), recorder_.dropped())
             : "";
}

void App::step_lanes(int64_t n) {
  for (auto& lane : lanes_) lane.runner->step(n);
}

bool App::wait_lanes_idle(std::chrono::milliseconds timeout) {
  bool all = true;
  for (auto& lane : lanes_) all = lane.runner->wait_idle(timeout) && all;
  return all;
}

bool App::settled() const {
  for (const auto& lane : lanes_)
    if (!lane.snap || !lane.runner->idle() || lane.runner->latest() != lane.snap) return false;
  return !(lab_open_ && lab_.busy()) && exports_idle();
}

}  // namespace dynalab
