#pragma once
// The command line of `dynalab`. Without flags it opens the last (or default) experiment;
// with --exit it runs scripted: render, advance N ticks, write a screenshot, exit.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace dynalab {

struct AppArgs {
  std::string experiment;         ///< --experiment NAME (registered name or JSON path)
  std::vector<std::string> sets;  ///< --set key.path=value, repeated
  int64_t ticks = 0;              ///< --ticks N to advance before the screenshot
  std::string screenshot;         ///< --screenshot FILE.png
  bool exit = false;              ///< --exit after the screenshot (scripted mode)
  std::string lesson;             ///< --lesson NAME (lesson player hook, issue 7)
  int step = 0;                   ///< --step K within the lesson (1-based)
  int from_step = 0;              ///< --from-step J: scripted, steps J..K in order (each to its pause)
  uint64_t seed = 0;
  bool has_seed = false;         ///< --seed S
  bool presentation = false;     ///< --presentation
  bool no_presentation = false;  ///< --no-presentation (lessons default to presentation mode)
  float font_scale = 0;          ///< --font-scale X (0: from settings)
  int width = 0, height = 0;     ///< --size WxH
  bool demo_plan_trace = false;  ///< --demo-plan-trace: draw a synthetic MPC fan (overlay check)
  std::vector<std::pair<int, int>> toggle_walls;  ///< --toggle-wall R,C (scripted grid edit)
  std::vector<double> drag;   ///< --drag X,Y,TX,TY: scripted mouse perturbation (world units)
  int frames = 3;             ///< --frames N: frames rendered after the last tick (timing)
  std::string settings_file;  ///< --settings FILE instead of the user's settings.json
  std::string frame_stats;    ///< --frame-stats FILE.json: time --frames frames while ticking
  std::string save_session;   ///< --save-session DIR after the ticks (scripted)
  std::string load_session;   ///< --load-session DIR instead of --experiment
  std::string export_all;     ///< --export-all DIR after the ticks (scripted)
  std::string export_world_svg;  ///< --export-world-svg FILE after the ticks (scripted)
  std::string lab;            ///< --lab VIEW: open the uncertainty lab on a view (lesson_panels())
  std::string ghost;          ///< --ghost DIR: an aggregate's summary.csv behind the plots
  bool two_clusters = false;  ///< --two-clusters: the lab's model_comparison fits on two clusters
  std::string side_by_side;   ///< --side-by-side ENV: ENV_v05 / _v10 / _v15 side by side
  std::string ladder;         ///< --ladder DIR: open the ladder window, loading DIR/ladder.csv ("-": none)
  // Recording (scripted_recording.h).
  std::string record;         ///< --record FILE.mp4|FILE.gif
  double seconds = 0;         ///< --seconds S of video (--record); the cap per step (--record-lesson)
  int record_fps = 30;        ///< --record-fps F: video frames per second
  double record_speed = 30;   ///< --record-speed T: ticks per second of video (the GUI's default Play speed)
  double record_scale = 1;    ///< --record-scale X: video size / region size
  std::string record_region = "window";  ///< --record-region window|viewport
  std::string record_lesson;  ///< --record-lesson DIR: every step of --lesson, one file each
  std::string record_format = "mp4";  ///< --record-format mp4|gif (--record-lesson)
};

/// True for the headless recordings (--record without --frame-stats, --record-lesson): frames on
/// the simulated clock, a fixed amount of learning per frame.
bool records_headless(const AppArgs& a);
/// True for --record with --frame-stats: the live (wall-clock) recording of the Record button,
/// timed by the GUI benchmark.
bool records_live(const AppArgs& a);

/// Parses argv into `out` (CLI11, app/common/command_line.h). Returns nullopt to go on, or the
/// exit code after --help (0) or after one line "error: ..." naming the flag (2).
std::optional<int> parse_app_args(int argc, char** argv, AppArgs& out);

}  // namespace dynalab
