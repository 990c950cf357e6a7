#include "app/gui/app_args.h"

#include <algorithm>
#include <string>

#include "core/config.h"
#include "core/export/csv.h"
#include "core/lesson.h"
#include "core/number_text.h"

namespace dynalab {

const char* app_usage() {
  return "usage: dynalab [FLAGS]\n"
         "\n"
         "Interactive (default): opens the last lesson step (first launch: the first lesson),\n"
         "or the last experiment if one was open.\n"
         "  --experiment NAME       registered experiment (see `dynalab-cli list`) or a JSON file\n"
         "  --set key.path=value    override a config field (repeatable)\n"
         "  --seed S                seed of the experiment\n"
         "  --presentation          large fonts, thick lines, high-contrast theme\n"
         "  --font-scale X          UI font scale, 1 to 2.5\n"
         "  --size WxH              window size in pixels\n"
         "  --settings FILE         settings file (default "
         "$XDG_CONFIG_HOME/dynalab/settings.json;\n"
         "                          scripted runs use defaults unless this is given)\n"
         "\n"
         "Scripted (tests, figures):\n"
         "  --ticks N               advance N ticks (as fast as possible) before the screenshot\n"
         "  --screenshot FILE.png   write a PNG of the whole window after the ticks\n"
         "  --exit                  exit after the screenshot (0 ok, 2 bad input, 3 GL error)\n"
         "  --load-session DIR      continue a saved session instead of --experiment\n"
         "  --save-session DIR      after the ticks, save the session (config, data, model, RNGs)\n"
         "  --export-all DIR        after the ticks, export everything (CSV, JSON, SVG, PNG, npy,\n"
         "                          model, README.txt) into DIR\n"
         "  --frames N              frames to render after the last tick (default 3; for timing)\n"
         "  --frame-stats FILE      time the first --frames frames (default 600) while the worker\n"
         "                          runs --ticks N, write median/p99/max frame build ms as JSON,\n"
         "                          exit (the GUI benchmark of `dynalab-cli bench`)\n"
         "  --toggle-wall R,C       grid world: toggle the wall at row R, column C before ticking\n"
         "  --drag X,Y,TX,TY        Box2D world: pull the body at world point X,Y toward TX,TY\n"
         "                          while ticking (scripted mouse perturbation)\n"
         "  --demo-plan-trace       draw a synthetic MPC candidate fan (checks the MPC overlay)\n"
         "  --lab VIEW              open the uncertainty lab beside the world on VIEW:\n"
         "                          disagreement_map, uncertainty_slice, ensemble_size,\n"
         "                          state_visitation or model_error (scripted: waits for it)\n"
         "  --side-by-side ENV      run ENV_v05, ENV_v10 and ENV_v15 side by side (cliff_hill)\n"
         "  --lesson NAME --step K  open lesson NAME (file stem, see `dynalab-cli lessons`) at\n"
         "                          step K (1-based); scripted, it runs until the step's\n"
         "                          condition (every variant), or --ticks N if given\n"
         "\n"
         "Keys: P play/pause, O single tick, R reset (a lesson: the step), F fit view, H hide\n"
         "      controls, Page Down/Up or N/B next/previous lesson step; right drag "
         "pans,\n"
         "      wheel zooms; in a grid world, click a cell to toggle a wall, drag S or G to move "
         "them.\n";
}

AppArgs parse_app_args(int argc, char** argv) {
  AppArgs a;
  bool frames_given = false;
  for (int i = 1; i < argc; ++i) {
    const std::string f = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw InputError("dynalab: " + f + ": expected a value");
      return argv[++i];
    };
    auto integer = [&](long long lo, long long hi) {
      const std::string v = value();
      const std::optional<long long> x = parse_integer(v, lo, hi);
      if (!x)
        throw InputError("dynalab: " + f + ": expected an integer in [" + std::to_string(lo) +
                         ", " + std::to_string(hi) + "], got '" + v + "'");
      return *x;
    };
    if (f == "--help" || f == "-h")
      a.help = true;
    else if (f == "--experiment")
      a.experiment = value();
    else if (f == "--set")
      a.sets.push_back(value());
    else if (f == "--ticks")
      a.ticks = integer(0, 1ll << 40);
    else if (f == "--screenshot")
      a.screenshot = value();
    else if (f == "--save-session")
      a.save_session = value();
    else if (f == "--load-session")
      a.load_session = value();
    else if (f == "--export-all")
      a.export_all = value();
    else if (f == "--exit")
      a.exit = true;
    else if (f == "--lesson")
      a.lesson = value();
    else if (f == "--step")
      a.step = int(integer(1, 1000));
    else if (f == "--seed")
      a.seed = uint64_t(integer(0, 1ll << 53)), a.has_seed = true;
    else if (f == "--presentation")
      a.presentation = true;
    else if (f == "--demo-plan-trace")
      a.demo_plan_trace = true;
    else if (f == "--settings")
      a.settings_file = value();
    else if (f == "--side-by-side")
      a.side_by_side = value();
    else if (f == "--lab") {
      a.lab = value();
      const auto& v = lesson_panels();
      if (std::find(v.begin(), v.end(), a.lab) == v.end()) {
        std::string list;
        for (const auto& n : v) list += (list.empty() ? "" : ", ") + n;
        throw InputError("dynalab: --lab: expected one of " + list + ", got '" + a.lab + "'");
      }
    }
    else if (f == "--frames")
      a.frames = int(integer(1, 100000)), frames_given = true;
    else if (f == "--frame-stats")
      a.frame_stats = value(), a.exit = true;
    else if (f == "--toggle-wall") {
      // Whole fields: sscanf's %d skipped spaces and overflowed on 99999999999.
      const std::string v = value();
      const auto rc = split_csv_line(v);
      const auto r = rc.size() == 2 ? parse_integer(rc[0], 0, 1000) : std::nullopt,
                 c = rc.size() == 2 ? parse_integer(rc[1], 0, 1000) : std::nullopt;
      if (!r || !c)
        throw InputError("dynalab: --toggle-wall: expected ROW,COL in [0, 1000] (e.g. 0,3), got '" +
                         v + "'");
      a.toggle_walls.emplace_back(int(*r), int(*c));
    } else if (f == "--drag") {
      const std::string v = value();
      const auto fields = split_csv_line(v);
      std::vector<double> d;
      for (const auto& x : fields)
        if (const auto n = parse_finite(x)) d.push_back(*n);  // %lf took "nan" and " 1"
      if (fields.size() != 4 || d.size() != 4)
        throw InputError(
            "dynalab: --drag: expected X,Y,TX,TY in world units (e.g. 0,0.5,1,0.5), got '" + v +
            "'");
      a.drag = d;
    } else if (f == "--font-scale") {
      const std::string v = value();
      const std::optional<double> x = parse_finite(v);
      if (!x || !(*x >= 1.0 && *x <= 2.5))
        throw InputError("dynalab: --font-scale: expected a number in [1, 2.5], got '" + v + "'");
      a.font_scale = float(*x);
    } else if (f == "--size") {
      const std::string v = value();
      const size_t x = v.find('x');
      const auto w = x != std::string::npos ? parse_integer(v.substr(0, x), 320, 8000)
                                            : std::nullopt,
                 h = x != std::string::npos ? parse_integer(v.substr(x + 1), 240, 8000)
                                            : std::nullopt;
      if (!w || !h)
        throw InputError(
            "dynalab: --size: expected WxH in [320, 8000] x [240, 8000] (e.g. 1600x1000), got '" +
            v + "'");
      a.width = int(*w), a.height = int(*h);
    } else {
      throw InputError("dynalab: unknown flag '" + f + "' (see --help)");
    }
  }
  if (a.exit && a.experiment.empty() && a.lesson.empty() && a.side_by_side.empty())
    a.experiment = "dyna_maze";
  if (!a.frame_stats.empty() && !frames_given) a.frames = 600;
  return a;
}

}  // namespace dynalab
