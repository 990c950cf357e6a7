#include "app/gui/scripted_driver.h"

#include <GL/gl.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "app/gui/screenshot.h"
#include "app/gui/video_recorder.h"
#include "core/lesson.h"
#include "core/session.h"
#include "envs/registry.h"

namespace dynalab {

namespace {
// Builds each variant of the lesson step --lesson / --step names.
void check_lesson_step(const AppArgs& args) {
  const Lesson lesson = load_lesson_named(args.lesson);
  const int k = std::max(1, args.step);
  if (k > int(lesson.steps.size()))
    throw InputError(lesson.source + ": --step " + std::to_string(k) + ": the lesson has " +
                     std::to_string(lesson.steps.size()) +
                     (lesson.steps.size() == 1 ? " step" : " steps"));
  const LessonStep& s = lesson.steps[k - 1];
  for (int v = 0; v < std::max<int>(1, int(s.variants.size())); ++v) try {
      const int var = s.variants.empty() ? -1 : v;
      make_experiment(load_experiment(variant_experiment(s, var), step_overrides(s, var)),
                      env_registry());
    } catch (const InputError& e) {
      throw InputError(lesson.source + ": steps[" + std::to_string(k - 1) + "]: " + e.what());
    }
}
}  // namespace

int check_scripted_input(const AppArgs& args) {
  // A recording's target, before anything renders: the extension, a writable folder.
  std::string video = args.record;
  if (!args.record_lesson.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(args.record_lesson, ec);
    video = lesson_step_video(args, std::max(1, args.step));
  }
  if (!video.empty())
    if (const std::string e = check_video_path(video); !e.empty()) {
      std::fprintf(stderr, "error: %s\n", e.c_str());
      return 2;
    }
  try {
    if (!args.lesson.empty()) check_lesson_step(args);
    if (!args.side_by_side.empty())
      for (const auto& name : side_by_side_experiments(args.side_by_side))
        make_experiment(load_experiment(name, {}), env_registry());
    if (args.lesson.empty() && args.side_by_side.empty()) {
      if (!args.load_session.empty())
        load_session(args.load_session, env_registry());
      else
        make_experiment(load_experiment(args.experiment, args.sets), env_registry());
    }
  } catch (const InputError& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  }
  return 0;
}

void start_flagged_run(App& app, const AppArgs& args) {
  for (auto [r, c] : args.toggle_walls) app.edit_grid(CellEdit::toggle_wall, Cell{r, c});
  if (args.drag.size() == 4)
    app.scripted_drag({args.drag[0], args.drag[1]}, {args.drag[2], args.drag[3]});
  if (!args.exit) return;
  if (records_headless(args) && args.ticks == 0) return;  // ScriptedRecording steps the runners
  if (app.in_lesson() || app.in_side_by_side())
    app.start_lesson_runners(args.ticks);
  else
    app.runner().step(args.ticks);
}

ScriptedDriver::ScriptedDriver(const AppArgs& args, Clock::time_point start)
    : args_(args), start_(start) {
  if (records_headless(args)) recording_.emplace(args);
}

std::optional<int> ScriptedDriver::after_frame(App& app, const FrameStats& stats, int frames,
                                               double ui_ms, int fb_w, int fb_h) {
  if (const GLenum e = glGetError(); e != GL_NO_ERROR) {
    std::fprintf(stderr, "error: OpenGL error 0x%x in a frame\n", e);
    return 3;
  }
  if (recording_) {
    const auto code = recording_->after_frame(app, fb_h);
    for (const auto& e : app.take_new_errors()) {  // the runners' errors, as below
      std::fprintf(stderr, "error: %s\n", e.c_str());
      exit_code_ = 2;
    }
    if (!code || *code) return code;
    const int done = finish(app, frames, ui_ms, fb_w, fb_h);
    return done ? done : exit_code_;
  }
  // --frame-stats with --record: the Record button's live recording, from the first frame.
  if (records_live(args_) && frames == 1) {
    if (const std::string e = app.start_recording(args_.record, record_options(args_), false);
        !e.empty()) {
      std::fprintf(stderr, "error: %s\n", e.c_str());
      return 2;
    }
  }
  if (records_live(args_))  // a recording's error (a full disk): one line, the frames go on
    for (const auto& e : app.take_new_errors()) std::fprintf(stderr, "error: %s\n", e.c_str());
  if (!args_.frame_stats.empty() && frames >= args_.frames) {
    // The GUI benchmark: --frames frames while the worker was busy with --ticks.
    if (app.recording()) {
      const VideoRecorder::Result r = app.stop_recording();
      std::fprintf(stderr, "%s%s\n", r.ok ? "" : "error: ", r.message.c_str());
    }
    const std::string e =
        stats.write(args_.frame_stats, app.shown()->experiment, app.runner().status().ticks);
    if (e.empty()) return 0;
    std::fprintf(stderr, "error: %s\n", e.c_str());
    return 1;
  }
  // Done once the runner is idle and this frame drew the snapshot of the last tick.
  // --save-session / --export-all run once the ticks are done, before the screenshot.
  const bool done = app.scripted_done(args_.ticks) && app.scripted_exports(args_);
  for (const auto& e : app.take_new_errors()) {
    std::fprintf(stderr, "error: %s\n", e.c_str());
    exit_code_ = 2;
  }
  // --from-step: the next step once this one is done, with its own hang guard.
  if (done && app.lesson_step() > 0 && app.lesson_step() < std::max(1, args_.step)) {
    std::fprintf(stderr, "scripted: step %d done\n", app.lesson_step());
    for (const std::string& c : app.claim_lines()) std::fprintf(stderr, "%s\n", c.c_str());
    if (const std::string e = app.open_lesson(args_.lesson, app.lesson_step() + 1); !e.empty()) {
      std::fprintf(stderr, "error: %s\n", e.c_str());
      return 2;
    }
    app.start_lesson_runners(args_.ticks);
    start_ = Clock::now();
    return std::nullopt;
  }
  // A few frames after the last tick, so the frame shows the final snapshot settled.
  if (done && frames_after_done_ == 0) done_ = Clock::now();
  if (done && ++frames_after_done_ >= args_.frames) {
    const int code = finish(app, frames, ui_ms, fb_w, fb_h);
    return code ? code : exit_code_;
  }
  if (exit_code_) return exit_code_;
  // A hang guard, not a speed test: lesson steps take well under a minute on a quiet
  // machine, but CI runs the lesson walk beside other tests on the same two cores.
  if (args_.frame_stats.empty() && Clock::now() - start_ > std::chrono::minutes(3)) {
    std::fprintf(stderr,
                 "error: scripted run did not reach %lld ticks (or the lesson step's "
                 "condition) in 3 minutes\n",
                 (long long)args_.ticks);
    return 1;
  }
  return std::nullopt;
}

// The screenshot and the summary on stderr (the tests read the grid cells and the lab's line).
int ScriptedDriver::finish(App& app, int frames, double ui_ms, int fb_w, int fb_h) {
  int code = 0;
  if (!args_.screenshot.empty()) {
    const std::string e = write_framebuffer_png(args_.screenshot, 0, 0, fb_w, fb_h, fb_h);
    if (!e.empty()) {
      std::fprintf(stderr, "error: %s\n", e.c_str());
      code = 1;
    }
  }
  const double total_ms = std::chrono::duration<double, std::milli>(Clock::now() - start_).count();
  const auto& snap = app.shown();
  if (const auto grid = snap->world->grid_layout())
    for (auto [r, c] : args_.toggle_walls)
      std::fprintf(stderr, "cell (%d,%d) is %s\n", r, c,
                   grid->wall(Cell{r, c}) ? "a wall" : "free");
  if (const std::string lab = app.lab_status(); !lab.empty())
    std::fprintf(stderr, "lab: %s\n", lab.c_str());
  std::fprintf(stderr, "layout: %s\n", app.layout_line().c_str());
  for (const std::string& c : app.claim_lines()) std::fprintf(stderr, "%s\n", c.c_str());
  if (const std::string l = app.ladder_line(); !l.empty()) std::fprintf(stderr, "ladder: %s\n", l.c_str());
  if (const std::string g = app.sweep_ghost_line(); !g.empty()) std::fprintf(stderr, "%s\n", g.c_str());
  const double idle_ms = std::chrono::duration<double, std::milli>(Clock::now() - done_).count();
  std::fprintf(stderr,
               "scripted: %s, %lld ticks, %d frames in %.0f ms; %d frames after the last "
               "tick at %.1f ms "
               "per frame (UI build %.2f ms per frame)\n",
               snap->experiment.c_str(), (long long)app.runner().status().ticks, frames, total_ms,
               std::max(0, frames_after_done_ - 1),
               frames_after_done_ > 1 ? idle_ms / (frames_after_done_ - 1) : 0.0,
               ui_ms / std::max(1, frames));
  return code;
}

}  // namespace dynalab
