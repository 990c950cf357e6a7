#include "app/gui/frame_loop.h"

#include <GL/gl.h>
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <algorithm>
#include <cfloat>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "app/gui/frame_stats.h"
#include "app/gui/scripted_driver.h"
#include "app/gui/screenshot.h"
#include "app/gui/theme.h"

namespace dynalab {

namespace {
using Clock = std::chrono::steady_clock;

volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }

double ms_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

/// CPU time of the calling thread in ms.
double thread_cpu_ms() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return 1e3 * double(t.tv_sec) + 1e-6 * double(t.tv_nsec);
}

// The loop's clocks and counters.
struct LoopState {
  Clock::time_point start = Clock::now(), prev = start, window = start;
  int frames = 0;
  double ui_ms = 0;  // time spent building the UI (CPU), as opposed to rasterising it
  FrameStats stats;  // --frame-stats: every frame's build time
  double fixed_ms = 0;  // headless recording: every frame lasts 1 / fps (the simulated clock)
};

// Builds one frame of UI. Frame build = everything the CPU does for a frame before the GPU
// rasterises it (new frame, the app's widgets and draw lists, ImGui::Render). Rasterising is left
// out: under Xvfb it is Mesa's software renderer, on a real GPU well under a millisecond.
void build_frame(GLFWwindow* window, App& app, bool scripted, LoopState& s) {
  const auto t_build = Clock::now();
  const double cpu_build = thread_cpu_ms();
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  // Scripted frames have no user: no hover tooltips from wherever Xvfb left the pointer.
  if (scripted) ImGui::GetIO().MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
  if (s.fixed_ms > 0) ImGui::GetIO().DeltaTime = float(s.fixed_ms / 1000);
  ImGui::NewFrame();
  const auto now = Clock::now();
  app.frame(float(s.fixed_ms > 0 ? s.fixed_ms : ms_between(s.prev, now)));
  s.ui_ms += ms_between(now, Clock::now());
  s.prev = now;
  if (ImGui::GetIO().KeyCtrl && ImGui::IsKeyPressed('Q', false))
    glfwSetWindowShouldClose(window, 1);
  ImGui::Render();
  s.stats.add(ms_between(t_build, Clock::now()), thread_cpu_ms() - cpu_build,
              ms_between(s.start, now));
}

// File > Export > Viewport / Window as PNG: the region drawn this frame, read back.
void write_requested_png(App& app, int fb_w, int fb_h) {
  auto shot = app.take_screenshot_request();
  if (!shot) return;
  const ImVec2 k = ImGui::GetIO().DisplayFramebufferScale;  // window -> framebuffer pixels
  const int x = int(shot->pos.x * k.x), y = int(shot->pos.y * k.y);
  const int w = std::min(fb_w - x, int(shot->size.x * k.x)),
            h = std::min(fb_h - y, int(shot->size.y * k.y));
  const std::string e = write_framebuffer_png(shot->path, x, y, w, h, fb_h);
  app.status(e.empty() ? "wrote " + shot->path : e, !e.empty());
}
}  // namespace

void rebuild_style(App& app) {
  app.set_fonts(load_fonts(app.ui_scale(), app.plot_font_px()));
  apply_theme(app.presenting(), app.ui_scale());
}

int run_frame_loop(GLFWwindow* window, App& app, const AppArgs& args, Clock::time_point t_process) {
  const bool scripted = args.exit;
  const bool timing = std::getenv("DYNALAB_TIMING") != nullptr;
  LoopState s;
  if (records_headless(args)) {
    s.fixed_ms = 1000.0 / args.record_fps;
    app.set_video_clock(args.record_speed, args.record_fps);
  }
  ScriptedDriver driver(args, s.start);
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  while (!g_stop && !glfwWindowShouldClose(window) && !app.quit_requested()) {
    // Paused and idle: sleep until input (or 0.25 s) instead of redrawing an unchanged frame.
    const auto rs = app.runner().status();
    const bool fresh = app.runner().latest() != app.shown();  // a snapshot not drawn yet
    if (!scripted && !timing && !rs.playing && rs.pending_ticks == 0 && !fresh && s.frames > 2 &&
        !app.recording())  // a recording takes frames on the clock, paused or not
      glfwWaitEventsTimeout(0.25);
    else
      glfwPollEvents();
    if (app.take_font_change()) rebuild_style(app);
    build_frame(window, app, scripted, s);
    int fb_w, fb_h;
    glfwGetFramebufferSize(window, &fb_w, &fb_h);
    glViewport(0, 0, fb_w, fb_h);
    glClearColor(0.90f, 0.91f, 0.93f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    app.after_render(fb_w, fb_h);  // a PNG export drawn in this frame
    app.record_after_render(fb_h);  // the live recording's frame, or its stop on an error
    if (++s.frames == 1 && (scripted || timing))
      std::fprintf(stderr, "first frame %.0f ms after start\n", ms_between(t_process, Clock::now()));
    if (scripted) {
      if (auto code = driver.after_frame(app, s.stats, s.frames, s.ui_ms, fb_w, fb_h)) return *code;
    } else {
      write_requested_png(app, fb_w, fb_h);
    }
    glfwSwapBuffers(window);
    if (timing && s.frames % 30 == 0) {  // DYNALAB_TIMING=1: frame time and ticks/s on stderr
      std::fprintf(stderr, "frames %d: %.1f ms per frame, %.0f ticks/s\n", s.frames,
                   ms_between(s.window, Clock::now()) / 30, app.runner().status().ticks_per_second);
      s.window = Clock::now();
    }
  }
  return 0;
}

}  // namespace dynalab
