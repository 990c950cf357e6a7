#include "app/gui/scripted_recording.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

namespace dynalab {

RecordOptions record_options(const AppArgs& a) {
  RecordOptions o;
  o.fps = a.record_fps;
  o.scale = float(a.record_scale);
  o.region = a.record_region == "viewport" ? RecordOptions::Region::viewport
                                            : RecordOptions::Region::window;
  return o;
}

std::string lesson_step_video(const AppArgs& a, int step) {
  return (std::filesystem::path(a.record_lesson) /
          (a.lesson + "_step" + std::to_string(step) + "." + a.record_format))
      .string();
}

ScriptedRecording::ScriptedRecording(const AppArgs& a)
    : a_(a), max_frames_(std::max<int64_t>(1, std::llround(a.seconds * a.record_fps))) {}

int64_t ScriptedRecording::ticks_after(int64_t i) const {
  // Whole ticks by frame i, so a fractional rate (e.g. 10 ticks/s at 30 fps) adds up exactly.
  const double per_frame = a_.record_speed / a_.record_fps;
  return int64_t(std::floor(double(i + 1) * per_frame + 1e-9)) -
         int64_t(std::floor(double(i) * per_frame + 1e-9));
}

std::optional<int> ScriptedRecording::after_frame(App& app, int fb_h) {
  if (started_ && !app.recording()) {  // the encoder failed (record_after_render stopped it)
    for (const auto& e : app.take_new_errors()) std::fprintf(stderr, "error: %s\n", e.c_str());
    return 1;
  }
  if (!app.settled()) {
    if (Clock::now() - progress_ > std::chrono::minutes(3)) {
      std::fprintf(stderr, "error: %s: no settled frame for 3 minutes (frame %lld)\n",
                   a_.record.empty() ? a_.record_lesson.c_str() : a_.record.c_str(),
                   (long long)frame_);
      return 1;
    }
    return std::nullopt;
  }
  if (!started_) {
    if (!a_.record_lesson.empty() && step_ == 0) step_ = app.lesson_step();
    const std::string path = a_.record_lesson.empty() ? a_.record : lesson_step_video(a_, step_);
    if (!a_.record_lesson.empty()) std::filesystem::create_directories(a_.record_lesson);
    if (const std::string e = app.start_recording(path, record_options(a_), true); !e.empty()) {
      std::fprintf(stderr, "error: %s\n", e.c_str());
      return 2;
    }
    started_ = true;
    frame_ = 0;
    hold_ = -1;
  }
  if (const std::string e = app.capture_video_frame(fb_h); !e.empty()) {
    std::fprintf(stderr, "error: %s\n", e.c_str());
    app.stop_recording();
    return 1;
  }
  ++frame_;
  progress_ = Clock::now();
  if (frame_ >= max_frames_) {
    if (!a_.record_lesson.empty() && hold_ < 0)
      std::fprintf(stderr, "step %d: cut at %g s before its condition (tick %lld)\n", step_,
                   a_.seconds, (long long)(app.shown() ? app.shown()->tick : 0));
    return finish_file(app);
  }
  if (!a_.record_lesson.empty()) {
    if (hold_ < 0 && app.scripted_done(0)) hold_ = a_.record_fps;  // 1 s at the pause
    if (hold_ >= 0 && hold_-- == 0) return finish_file(app);
    if (hold_ >= 0) return std::nullopt;  // the same paused frame again, no ticks
  }
  app.step_lanes(ticks_after(frame_ - 1));
  app.wait_lanes_idle(std::chrono::minutes(1));  // the next frame then shows the result
  return std::nullopt;
}

std::optional<int> ScriptedRecording::finish_file(App& app) {
  const VideoRecorder::Result r = app.stop_recording();
  std::fprintf(stderr, "%s%s\n", r.ok ? "" : "error: ", r.message.c_str());
  if (!r.ok) return 1;
  started_ = false;
  if (a_.record_lesson.empty() || step_ >= app.lesson_step_count()) return 0;
  if (const std::string e = app.open_lesson(a_.lesson, ++step_); !e.empty()) {
    std::fprintf(stderr, "error: %s\n", e.c_str());
    return 2;
  }
  if (a_.ticks > 0) app.start_lesson_runners(a_.ticks);  // the same pre-roll for every step
  return std::nullopt;
}

}  // namespace dynalab
