#include "app/gui/app_args.h"

#include <cstdio>
#include <string>
#include <tuple>

#include "app/common/command_line.h"
#include "core/io/csv.h"
#include "core/lesson.h"
#include "core/number_text.h"

namespace dynalab {

namespace {

/// "R,C" as a grid cell, each in [0, 1000]; whole fields (sscanf's %d skipped spaces and
/// overflowed on 99999999999).
std::optional<std::pair<int, int>> cell(const std::string& v) {
  const auto rc = split_csv_line(v);
  const auto r = rc.size() == 2 ? parse_integer(rc[0], 0, 1000) : std::nullopt,
             c = rc.size() == 2 ? parse_integer(rc[1], 0, 1000) : std::nullopt;
  if (!r || !c) return std::nullopt;
  return std::pair<int, int>{int(*r), int(*c)};
}

/// "X,Y,TX,TY" as four finite numbers (%lf took "nan" and " 1").
std::optional<std::vector<double>> drag(const std::string& v) {
  const auto fields = split_csv_line(v);
  std::vector<double> d;
  for (const auto& x : fields)
    if (const auto n = parse_finite(x)) d.push_back(*n);
  if (fields.size() != 4 || d.size() != 4) return std::nullopt;
  return d;
}

/// "WxH" in [320, 8000] x [240, 8000].
std::optional<std::pair<int, int>> size(const std::string& v) {
  const size_t x = v.find('x');
  const auto w = x != std::string::npos ? parse_integer(v.substr(0, x), 320, 8000) : std::nullopt,
             h = x != std::string::npos ? parse_integer(v.substr(x + 1), 240, 8000) : std::nullopt;
  if (!w || !h) return std::nullopt;
  return std::pair<int, int>{int(*w), int(*h)};
}

/// A validator from a reader above: the value must read, else "expected <what>, got 'v'".
template <class Read>
CLI::Validator reads_as(Read read, const std::string& what) {
  return CLI::Validator(
      [read, what](std::string& v) -> std::string {
        return read(v) ? std::string() : "expected " + what + ", got '" + v + "'";
      },
      "");
}

/// The flags whose text is read after parsing (each checked by its validator first).
struct Texts {
  std::string size, drag;
  std::vector<std::string> walls;
};

using cmdline::integer_in;

/// A flag whose value is kept as text: a name, a file or a folder.
struct TextFlag {
  const char* flag;
  std::string* into;
  const char* type;
  const char* help;
};

void add_text_flags(CLI::App& app, std::initializer_list<TextFlag> flags) {
  for (const TextFlag& f : flags) app.add_option(f.flag, *f.into, f.help)->type_name(f.type);
}

void add_interactive_flags(CLI::App& app, AppArgs& a, Texts& t) {
  app.option_defaults()->group("Interactive");
  add_text_flags(app, {{"--experiment", &a.experiment, "NAME",
                        "registered experiment (see `dynalab-cli list`) or a JSON file"}});
  cmdline::add_sets(app, a.sets, "override a config field (repeatable)");
  app.add_option("--seed", a.seed, "seed of the experiment")
      ->type_name("S")
      ->check(integer_in(0, 1ll << 53));
  CLI::Option* on =
      app.add_flag("--presentation", a.presentation, "large fonts, thick lines, high-contrast theme");
  app.add_flag("--no-presentation", a.no_presentation,
               "desk mode, also in lessons (which open in presentation mode by default)")
      ->excludes(on);
  app.add_option("--font-scale", a.font_scale, "UI font scale, 1 to 2.5")
      ->type_name("X")
      ->check(cmdline::finite_where([](double x) { return x >= 1.0 && x <= 2.5; },
                                    "a number in [1, 2.5]"));
  app.add_option("--size", t.size, "window size in pixels")
      ->type_name("WxH")
      ->check(reads_as(size, "WxH in [320, 8000] x [240, 8000] (e.g. 1600x1000)"));
  add_text_flags(app, {{"--settings", &a.settings_file, "FILE",
                        "settings file (default $XDG_CONFIG_HOME/dynalab/settings.json; scripted "
                        "runs use defaults unless this is given)"}});
}

void add_scripted_flags(CLI::App& app, AppArgs& a, Texts& t) {
  app.option_defaults()->group("Scripted (tests, figures)");
  app.add_option("--ticks", a.ticks, "advance N ticks (as fast as possible) before the screenshot")
      ->type_name("N")
      ->check(integer_in(0, 1ll << 40));
  add_text_flags(app, {{"--screenshot", &a.screenshot, "FILE.png",
                        "write a PNG of the whole window after the ticks"}});
  app.add_flag("--exit", a.exit, "exit after the screenshot (0 ok, 2 bad input, 3 GL error)");
  add_text_flags(
      app, {{"--load-session", &a.load_session, "DIR",
             "continue a saved session instead of --experiment"},
            {"--save-session", &a.save_session, "DIR",
             "after the ticks, save the session (config, data, model, RNGs)"},
            {"--export-all", &a.export_all, "DIR",
             "after the ticks, export everything (CSV, JSON, SVG, PNG, npy, model, README.txt)"},
            {"--export-world-svg", &a.export_world_svg, "FILE",
             "after the ticks, write the world with its overlays as SVG (File > Export > World as SVG)"}});
  app.add_option("--frames", a.frames,
                 "frames to render after the last tick (default 3; for timing)")
      ->type_name("N")
      ->check(integer_in(1, 100000));
  add_text_flags(app,
                 {{"--frame-stats", &a.frame_stats, "FILE",
                   "time the first --frames frames (default 600) while the worker runs --ticks "
                   "N, write median/p99/max frame build ms as JSON, exit (the GUI benchmark of "
                   "`dynalab-cli bench`)"}});
  app.add_option("--toggle-wall", t.walls,
                 "grid world: toggle the wall at row R, column C before ticking")
      ->type_name("R,C")
      ->allow_extra_args(false)
      ->check(reads_as(cell, "ROW,COL in [0, 1000] (e.g. 0,3)"));
  app.add_option("--drag", t.drag,
                 "Box2D world: pull the body at world point X,Y toward TX,TY while ticking "
                 "(scripted mouse perturbation)")
      ->type_name("X,Y,TX,TY")
      ->check(reads_as(drag, "X,Y,TX,TY in world units (e.g. 0,0.5,1,0.5)"));
  app.add_flag("--demo-plan-trace", a.demo_plan_trace,
               "draw a synthetic MPC candidate fan (checks the MPC overlay)");
  std::string views;
  for (const auto& v : lesson_panels()) views += (views.empty() ? "" : ", ") + v;
  app.add_option("--lab", a.lab,
                 "open the uncertainty lab beside the world on VIEW: " + views +
                     " (scripted: waits for it)")
      ->type_name("VIEW")
      ->check(cmdline::one_of(lesson_panels()));
  app.add_flag("--two-clusters", a.two_clusters,
               "the lab's model_comparison view starts with \"two clusters\" on (the three models "
               "fit without the middle half of the data along the slice's input)");
  add_text_flags(app, {{"--ghost", &a.ghost, "DIR",
                        "draw a finished sweep (dynalab-cli aggregate --out DIR) behind the plots: "
                        "its mean and standard-error band for the matching config"}});
  add_text_flags(app, {{"--side-by-side", &a.side_by_side, "ENV",
                        "run ENV_v05, ENV_v10 and ENV_v15 side by side (cliff_hill)"},
                       {"--ladder", &a.ladder, "DIR",
                        "open View > Sample-efficiency ladder with DIR/ladder.csv (from dynalab-cli "
                        "ladder; '-': empty)"},
                       {"--lesson", &a.lesson, "NAME",
                        "open lesson NAME (file stem, see `dynalab-cli lessons`) at --step K"}});
  app.add_option("--step", a.step,
                 "step K (1-based) of --lesson; scripted, it runs until the step's condition "
                 "(every variant), or --ticks N if given")
      ->type_name("K")
      ->check(integer_in(1, 1000));
  app.add_option("--from-step", a.from_step,
                 "scripted: run steps J..K of --lesson in order, each to its condition, then "
                 "screenshot step K (lesson 19's last step shows the rungs the steps before ran)")
      ->type_name("J")
      ->check(integer_in(1, 1000));
}

void add_record_flags(CLI::App& app, AppArgs& a) {
  app.option_defaults()->group("Recording (MP4 / GIF, headless under Xvfb)");
  add_text_flags(app, {{"--record", &a.record, "FILE",
                        "record FILE.mp4 (H.264) or FILE.gif of --seconds S: one frame per "
                        "--record-speed / --record-fps ticks, the same frames on every machine; "
                        "with --frame-stats: the live recording of the Record button, timed"},
                       {"--record-lesson", &a.record_lesson, "DIR",
                        "record every step of --lesson to DIR/<lesson>_stepK.<format>, each from "
                        "its start to its condition, then 1 s at the pause"}});
  app.add_option("--seconds", a.seconds,
                 "seconds of video (--record); with --record-lesson the most per step (default 120)")
      ->type_name("S")
      ->check(cmdline::finite_where([](double x) { return x > 0 && x <= 3600; },
                                    "seconds in (0, 3600]"));
  app.add_option("--record-fps", a.record_fps, "video frames per second (default 30)")
      ->type_name("F")
      ->check(integer_in(1, 60));
  app.add_option("--record-speed", a.record_speed,
                 "ticks of learning per second of video (default 30, the GUI's Play speed)")
      ->type_name("T")
      ->check(cmdline::finite_where([](double x) { return x > 0 && x <= 1e6; },
                                    "ticks per second in (0, 1000000]"));
  app.add_option("--record-scale", a.record_scale, "video size / recorded region (default 1)")
      ->type_name("X")
      ->check(cmdline::finite_where([](double x) { return x >= 0.1 && x <= 1; },
                                    "a number in [0.1, 1]"));
  app.add_option("--record-region", a.record_region, "window (default) or viewport (the worlds)")
      ->type_name("WHAT")
      ->check(cmdline::one_of({"window", "viewport"}));
  app.add_option("--record-format", a.record_format, "mp4 (default) or gif, for --record-lesson")
      ->type_name("FMT")
      ->check(cmdline::one_of({"mp4", "gif"}));
}

/// The recording flags' combinations; "" or the one-line error.
std::string check_record_flags(const CLI::App& app, const AppArgs& a) {
  const bool any = !a.record.empty() || !a.record_lesson.empty();
  for (const char* f : {"--seconds", "--record-fps", "--record-speed", "--record-scale",
                        "--record-region", "--record-format"})
    if (app.count(f) && !any) return std::string(f) + ": needs --record FILE or --record-lesson DIR";
  if (!a.record.empty() && !a.record_lesson.empty())
    return "--record-lesson: records one file per step; drop --record";
  if (!a.record.empty() && a.frame_stats.empty() && !app.count("--seconds"))
    return "--record " + a.record + ": needs --seconds S (the video's length)";
  // S x F frames exactly, so S must hold one frame at least (0.001 s would give a 1-frame
  // video of "0.0 s").
  if (any && app.count("--seconds") && a.seconds * a.record_fps < 1)
    return "--seconds " + format_number(a.seconds) + ": shorter than one frame at " + std::to_string(a.record_fps) +
           " frames/s";
  if (!a.record_lesson.empty() && a.lesson.empty())
    return "--record-lesson " + a.record_lesson + ": needs --lesson NAME";
  if (any && a.from_step > 0) return "--from-step: not with --record / --record-lesson";
  if (app.count("--record-format") && a.record_lesson.empty())
    return "--record-format: for --record-lesson (--record takes the format from FILE's extension)";
  return "";
}

}  // namespace

bool records_headless(const AppArgs& a) {
  return (!a.record.empty() && a.frame_stats.empty()) || !a.record_lesson.empty();
}

bool records_live(const AppArgs& a) { return !a.record.empty() && !a.frame_stats.empty(); }

std::optional<int> parse_app_args(int argc, char** argv, AppArgs& a) {
  CLI::App app(
      "dynalab: model-based RL, interactive.\n"
      "Interactive (default): opens the last lesson step (first launch: the first lesson),\n"
      "or the last experiment if one was open.",
      "dynalab");
  app.footer(
      "Keys: P play/pause, O single tick, R reset (a lesson: the step), F fit view, H hide\n"
      "      controls, F9 record/stop, Page Down/Up or N/B next/previous lesson step; right drag pans,\n"
      "      wheel zooms; in a grid world, click a cell to toggle a wall, drag S or G to move "
      "them.");
  Texts t;
  add_interactive_flags(app, a, t);
  add_scripted_flags(app, a, t);
  add_record_flags(app, a);
  if (const auto code = cmdline::parse(app, argc, argv)) return code;
  if (const std::string e = check_record_flags(app, a); !e.empty()) {
    std::fprintf(stderr, "error: %s\n", e.c_str());
    return 2;
  }
  if (!a.record_lesson.empty() && !app.count("--seconds")) a.seconds = 120;
  if (records_headless(a)) a.exit = true;
  // --from-step J runs steps J..K: it needs the lesson and a K it does not pass.
  if (a.from_step > 0 && (a.lesson.empty() || a.step < 1 || a.from_step > a.step)) {
    std::fprintf(stderr, "dynalab: --from-step %d: needs --lesson NAME and --step K with %d <= K%s\n",
                 a.from_step, a.from_step,
                 a.step >= 1 ? (" (got --step " + std::to_string(a.step) + ")").c_str() : "");
    return 2;
  }
  a.has_seed = app.count("--seed") > 0;
  for (const auto& w : t.walls) a.toggle_walls.push_back(*cell(w));
  if (!t.drag.empty()) a.drag = *drag(t.drag);
  if (!t.size.empty()) std::tie(a.width, a.height) = *size(t.size);
  if (!a.frame_stats.empty()) {
    a.exit = true;
    if (!app.count("--frames")) a.frames = 600;
  }
  if (a.exit && a.experiment.empty() && a.lesson.empty() && a.side_by_side.empty())
    a.experiment = "dyna_maze";
  return std::nullopt;
}

}  // namespace dynalab
