// dynalab: the desktop app. Linear like Dear ImGui's GLFW + OpenGL3 example: parse flags,
// create the window and GL context, set up ImGui, run the frame loop, shut down.
// Scripted mode (--exit): render real frames while the runner advances --ticks N as fast as it
// can, then write --screenshot FILE.png and exit; any GL error makes it exit 3.

#include <GL/gl.h>
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <algorithm>
#include <cfloat>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>

#include "app/gui/app.h"
#include "app/gui/app_args.h"
#include "app/gui/cpu_sharing.h"
#include "app/gui/screenshot.h"
#include "app/gui/frame_stats.h"
#include "app/gui/settings.h"
#include "app/gui/theme.h"
#include "core/config.h"
#include "core/experiment.h"
#include "core/lesson.h"
#include "core/session.h"
#include "envs/registry.h"

using namespace dynalab;
using Clock = std::chrono::steady_clock;

// Ctrl+C or a TERM signal ends the loop normally, so settings are still saved.
static volatile std::sig_atomic_t g_stop = 0;
static void on_signal(int) { g_stop = 1; }

/// CPU time of the calling thread in ms.
static double thread_cpu_ms() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return 1e3 * double(t.tv_sec) + 1e-6 * double(t.tv_nsec);
}

static void glfw_error(int code, const char* what) {
  std::fprintf(stderr, "GLFW error %d: %s\n", code, what);
}

int main(int argc, char** argv) {
  const auto t_process = Clock::now();
  // 1. Flags.
  AppArgs args;
  if (const auto code = parse_app_args(argc, argv, args)) return *code;
  const bool scripted = args.exit;

  // 2. Settings: the user's file interactively; defaults in scripted mode so tests are repeatable.
  std::string settings_msg;
  const std::filesystem::path settings_file =
      args.settings_file.empty() ? settings_path() : std::filesystem::path(args.settings_file);
  Settings settings = scripted && args.settings_file.empty()
                          ? Settings{}
                          : load_settings(settings_file, settings_msg);
  if (!settings_msg.empty()) std::fprintf(stderr, "%s\n", settings_msg.c_str());
  if (args.width) settings.window_w = args.width, settings.window_h = args.height;
  if (args.font_scale > 0) settings.font_scale = args.font_scale;
  if (args.presentation) settings.presentation = true;

  // Scripted runs check their input before opening a window: bad input exits 2 even without a
  // display, and never half-renders.
  if (scripted && !args.lesson.empty()) {
    try {
      const Lesson lesson = load_lesson_named(args.lesson);
      const int k = std::max(1, args.step);
      if (k > int(lesson.steps.size()))
        throw InputError(lesson.source + ": --step " + std::to_string(k) + ": the lesson has " +
                         std::to_string(lesson.steps.size()) + " steps");
      const LessonStep& s = lesson.steps[k - 1];
      for (int v = 0; v < std::max<int>(1, int(s.variants.size())); ++v) try {
          make_experiment(
              load_experiment(s.experiment, step_overrides(s, s.variants.empty() ? -1 : v)),
              env_registry());
        } catch (const InputError& e) {
          throw InputError(lesson.source + ": steps[" + std::to_string(k - 1) + "]: " + e.what());
        }
    } catch (const InputError& e) {
      std::fprintf(stderr, "error: %s\n", e.what());
      return 2;
    }
  }
  if (scripted && !args.side_by_side.empty()) {
    try {
      for (const auto& name : side_by_side_experiments(args.side_by_side))
        make_experiment(load_experiment(name, {}), env_registry());
    } catch (const InputError& e) {
      std::fprintf(stderr, "error: %s\n", e.what());
      return 2;
    }
  }
  if (scripted && args.lesson.empty() && args.side_by_side.empty()) {
    try {
      if (!args.load_session.empty())
        load_session(args.load_session, env_registry());
      else
        make_experiment(load_experiment(args.experiment, args.sets), env_registry());
    } catch (const InputError& e) {
      std::fprintf(stderr, "error: %s\n", e.what());
      return 2;
    }
  }

  // 3. Window and GL 3.3 core context.
  glfwSetErrorCallback(glfw_error);
  limit_software_rasteriser_threads();
  if (!glfwInit()) {
    std::fprintf(stderr, "error: cannot initialise GLFW (no display?)\n");
    return 1;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  GLFWwindow* window =
      glfwCreateWindow(settings.window_w, settings.window_h, "dynalab", nullptr, nullptr);
  if (!window) {
    std::fprintf(stderr, "error: cannot create an OpenGL 3.3 window\n");
    glfwTerminate();
    return 1;
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(scripted ? 0 : 1);

  // 4. Dear ImGui with the GLFW and OpenGL3 backends.
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;  // the layout is fixed; our settings live in settings.json
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 330 core");

  int exit_code = 0;
  {
    set_lower_worker_priority(!scripted || !args.frame_stats.empty());
    App app(settings, scripted, args.demo_plan_trace);
    if (!settings_msg.empty()) app.status(settings_msg, true);
    auto rebuild_style = [&] {
      app.set_fonts(load_fonts(app.ui_scale()));
      apply_theme(app.settings().presentation, app.ui_scale());
    };
    rebuild_style();

    std::string err;
    const bool remembered_lesson =
        args.experiment.empty() && args.lesson.empty() && !scripted && app.settings().lesson_mode;
    if (!args.load_session.empty())
      err = app.load_session_dir(args.load_session);
    else if (!args.side_by_side.empty())
      err = app.open_side_by_side(args.side_by_side);
    else if (!args.lesson.empty())
      err = app.open_lesson(args.lesson, std::max(1, args.step));
    else if (remembered_lesson) {
      // The app starts on the lesson (and step) open last time, or on the first lesson.
      err = app.open_lesson(app.settings().last_lesson, app.settings().last_step);
      if (!err.empty()) err = app.open_lesson("", 1);
    } else
      err = app.load(args.experiment.empty() ? app.settings().last_experiment : args.experiment,
                     args.sets, args.has_seed ? std::optional<uint64_t>(args.seed) : std::nullopt);
    if (err.empty() && !args.lab.empty()) err = app.open_lab(args.lab);
    if (!err.empty() && !scripted && args.experiment.empty() && args.lesson.empty())
      err = app.load("dyna_maze", {});  // a stale last_experiment falls back to the default
    if (!err.empty() && scripted) {
      std::fprintf(stderr, "error: %s\n", err.c_str());
      exit_code = 2;
    }
    for (auto [r, c] : args.toggle_walls) app.edit_grid(CellEdit::toggle_wall, Cell{r, c});
    if (args.drag.size() == 4)
      app.scripted_drag({args.drag[0], args.drag[1]}, {args.drag[2], args.drag[3]});
    if (scripted && !exit_code) {
      if (app.in_lesson() || app.in_side_by_side())
        app.start_lesson_runners(args.ticks);
      else
        app.runner().step(args.ticks);
    }

    // 5. Frame loop.
    const auto t_start = Clock::now();
    auto t_prev = t_start;
    const bool timing = std::getenv("DYNALAB_TIMING") != nullptr;
    int frames_after_done = 0;
    auto t_done = t_start;
    bool first_frame = true;
    int frames = 0;
    auto t_window = t_start;
    double ui_ms = 0;  // time spent building the UI (CPU), as opposed to rasterising it
    FrameStats frame_stats;  // --frame-stats: every frame's build time
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    while (!exit_code && !g_stop && !glfwWindowShouldClose(window) && !app.quit_requested()) {
      // Paused and idle: sleep until input (or 0.25 s) instead of redrawing an unchanged frame.
      const auto rs = app.runner().status();
      const bool fresh = app.runner().latest() != app.shown();  // a snapshot not drawn yet
      if (!scripted && !timing && !rs.playing && rs.pending_ticks == 0 && !fresh && frames > 2)
        glfwWaitEventsTimeout(0.25);
      else
        glfwPollEvents();
      if (app.take_font_change()) rebuild_style();
      const auto t_build = Clock::now();
      const double cpu_build = thread_cpu_ms();
      ImGui_ImplOpenGL3_NewFrame();
      ImGui_ImplGlfw_NewFrame();
      // Scripted frames have no user: no hover tooltips from wherever Xvfb left the pointer.
      if (scripted) ImGui::GetIO().MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
      ImGui::NewFrame();
      const auto now = Clock::now();
      app.frame(std::chrono::duration<float, std::milli>(now - t_prev).count());
      ui_ms += std::chrono::duration<double, std::milli>(Clock::now() - now).count();
      t_prev = now;
      if (ImGui::GetIO().KeyCtrl && ImGui::IsKeyPressed('Q', false))
        glfwSetWindowShouldClose(window, 1);
      ImGui::Render();
      // Frame build = everything the CPU does for a frame before the GPU rasterises it (new
      // frame, the app's widgets and draw lists, ImGui::Render). Rasterising is left out: under
      // Xvfb it is Mesa's software renderer, on a real GPU well under a millisecond.
      frame_stats.add(std::chrono::duration<double, std::milli>(Clock::now() - t_build).count(),
                      thread_cpu_ms() - cpu_build,
                      std::chrono::duration<double, std::milli>(now - t_start).count());
      int fb_w, fb_h;
      glfwGetFramebufferSize(window, &fb_w, &fb_h);
      glViewport(0, 0, fb_w, fb_h);
      glClearColor(0.90f, 0.91f, 0.93f, 1.0f);
      glClear(GL_COLOR_BUFFER_BIT);
      ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
      app.after_render(fb_w, fb_h);  // a PNG export drawn in this frame
      ++frames;
      if (first_frame) {
        first_frame = false;
        if (scripted || std::getenv("DYNALAB_TIMING"))
          std::fprintf(stderr, "first frame %.0f ms after start\n",
                       std::chrono::duration<double, std::milli>(Clock::now() - t_process).count());
      }

      if (scripted) {
        if (const GLenum e = glGetError(); e != GL_NO_ERROR) {
          std::fprintf(stderr, "error: OpenGL error 0x%x in a frame\n", e);
          exit_code = 3;
          break;
        }
        if (!args.frame_stats.empty() && frames >= args.frames) {
          // The GUI benchmark: --frames frames while the worker was busy with --ticks.
          const std::string e = frame_stats.write(args.frame_stats, app.shown()->experiment,
                                                  app.runner().status().ticks);
          if (!e.empty()) std::fprintf(stderr, "error: %s\n", e.c_str()), exit_code = 1;
          break;
        }
        const auto st = app.runner().status();
        const auto& snap = app.shown();
        // Done once the runner is idle and this frame drew the snapshot of the last tick.
        // --save-session / --export-all run once the ticks are done, before the screenshot.
        const bool done = app.scripted_done(args.ticks) && app.scripted_exports(args);
        for (const auto& e : app.take_new_errors()) {
          std::fprintf(stderr, "error: %s\n", e.c_str());
          exit_code = 2;
        }
        // A few frames after the last tick, so the frame shows the final snapshot settled.
        if (done && frames_after_done == 0) t_done = Clock::now();
        if (done && ++frames_after_done >= args.frames) {
          if (!args.screenshot.empty()) {
            const std::string e = write_framebuffer_png(args.screenshot, 0, 0, fb_w, fb_h, fb_h);
            if (!e.empty()) {
              std::fprintf(stderr, "error: %s\n", e.c_str());
              exit_code = 1;
            }
          }
          const double total_ms =
              std::chrono::duration<double, std::milli>(Clock::now() - t_start).count();
          if (const auto g = snap->world->grid_layout())
            for (auto [r, c] : args.toggle_walls)
              std::fprintf(stderr, "cell (%d,%d) is %s\n", r, c,
                           g->wall(Cell{r, c}) ? "a wall" : "free");
          if (const std::string lab = app.lab_status(); !lab.empty())
            std::fprintf(stderr, "lab: %s\n", lab.c_str());
          const double idle_ms =
              std::chrono::duration<double, std::milli>(Clock::now() - t_done).count();
          std::fprintf(stderr,
                       "scripted: %s, %lld ticks, %d frames in %.0f ms; %d frames after the last "
                       "tick at %.1f ms "
                       "per frame (UI build %.2f ms per frame)\n",
                       snap->experiment.c_str(), (long long)st.ticks, frames, total_ms,
                       frames_after_done - 1,
                       frames_after_done > 1 ? idle_ms / (frames_after_done - 1) : 0.0,
                       ui_ms / std::max(1, frames));
          break;
        }
        // A hang guard, not a speed test: lesson steps take well under a minute on a quiet
        // machine, but CI runs the lesson walk beside other tests on the same two cores.
        if (args.frame_stats.empty() && Clock::now() - t_start > std::chrono::minutes(3)) {
          std::fprintf(stderr,
                       "error: scripted run did not reach %lld ticks (or the lesson step's "
                       "condition) in 3 minutes\n",
                       (long long)args.ticks);
          exit_code = 1;
          break;
        }
      } else if (auto shot = app.take_screenshot_request()) {
        const ImVec2 k = ImGui::GetIO().DisplayFramebufferScale;  // window -> framebuffer pixels
        const int x = int(shot->pos.x * k.x), y = int(shot->pos.y * k.y);
        const int w = std::min(fb_w - x, int(shot->size.x * k.x)),
                  h = std::min(fb_h - y, int(shot->size.y * k.y));
        const std::string e = write_framebuffer_png(shot->path, x, y, w, h, fb_h);
        app.status(e.empty() ? "wrote " + shot->path : e, !e.empty());
      }
      glfwSwapBuffers(window);
      if (timing && frames % 30 == 0) {  // DYNALAB_TIMING=1: frame time and ticks/s on stderr
        const double ms =
            std::chrono::duration<double, std::milli>(Clock::now() - t_window).count() / 30;
        std::fprintf(stderr, "frames %d: %.1f ms per frame, %.0f ticks/s\n", frames, ms,
                     app.runner().status().ticks_per_second);
        t_window = Clock::now();
      }
    }

    // 6. Remember the window and the view for next time (interactive, or an explicit --settings).
    if (!scripted || !args.settings_file.empty()) {
      glfwGetWindowSize(window, &app.settings().window_w, &app.settings().window_h);
      std::string msg;
      if (!save_settings(settings_file, app.settings(), msg))
        std::fprintf(stderr, "%s\n", msg.c_str());
    }
  }  // the App (and its runner's worker thread) ends here, before the GL context

  // 7. Shutdown.
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return exit_code;
}
