#include "app/gui/app_startup.h"

#include <GLFW/glfw3.h>

#include <algorithm>
#include <cstdio>

namespace dynalab {

std::filesystem::path settings_file_of(const AppArgs& args) {
  return args.settings_file.empty() ? settings_path() : std::filesystem::path(args.settings_file);
}

Settings startup_settings(const AppArgs& args, std::string& message) {
  Settings settings = args.exit && args.settings_file.empty()
                          ? Settings{}
                          : load_settings(settings_file_of(args), message);
  if (!message.empty()) std::fprintf(stderr, "%s\n", message.c_str());
  if (args.width) settings.window_w = args.width, settings.window_h = args.height;
  if (args.font_scale > 0) settings.font_scale = args.font_scale;
  if (args.presentation) settings.presentation = settings.lesson_presentation = true;
  if (args.no_presentation) settings.presentation = settings.lesson_presentation = false;
  return settings;
}

int first_lesson_step(const AppArgs& args) {
  const int last = std::max(1, args.step);
  return args.from_step > 0 && args.exit ? std::min(args.from_step, last) : last;
}

int open_startup_content(App& app, const AppArgs& args) {
  const bool scripted = args.exit;
  std::string err;
  const bool remembered_lesson =
      args.experiment.empty() && args.lesson.empty() && !scripted && app.settings().lesson_mode;
  if (!args.load_session.empty())
    err = app.load_session_dir(args.load_session);
  else if (!args.side_by_side.empty())
    err = app.open_side_by_side(args.side_by_side);
  else if (!args.lesson.empty())
    err = app.open_lesson(args.lesson, first_lesson_step(args));
  else if (remembered_lesson) {
    // The app starts on the lesson (and step) open last time, or on the first lesson.
    err = app.open_lesson(app.settings().last_lesson, app.settings().last_step);
    if (!err.empty()) err = app.open_lesson("", 1);
  } else
    err = app.load(args.experiment.empty() ? app.settings().last_experiment : args.experiment,
                   args.sets, args.has_seed ? std::optional<uint64_t>(args.seed) : std::nullopt);
  if (err.empty() && !args.lab.empty()) err = app.open_lab(args.lab);
  if (args.two_clusters) app.lab().set_two_clusters(true);
  if (err.empty() && !args.ghost.empty()) err = app.load_sweep_ghost(args.ghost);
  if (err.empty() && !args.ladder.empty()) err = app.open_ladder(args.ladder);
  if (!err.empty() && !scripted && args.experiment.empty() && args.lesson.empty())
    err = app.load("dyna_maze", {});  // a stale last_experiment falls back to the default
  if (!err.empty() && scripted) {
    std::fprintf(stderr, "error: %s\n", err.c_str());
    return 2;
  }
  return 0;
}

void remember_settings(GLFWwindow* window, App& app, const AppArgs& args) {
  if (args.exit && args.settings_file.empty()) return;
  glfwGetWindowSize(window, &app.settings().window_w, &app.settings().window_h);
  std::string msg;
  if (!save_settings(settings_file_of(args), app.settings(), msg))
    std::fprintf(stderr, "%s\n", msg.c_str());
}

}  // namespace dynalab
