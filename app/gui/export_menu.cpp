// File > Save session, Load session, Export all and Export plot (see export_menu.h).
// Plot PNGs: the figure is drawn for one frame by the same ImGui plot widget as on screen, in a
// window of fixed size over everything, and that region is read back with glReadPixels. That
// reuses the on-screen look (fonts, palette) without an offscreen framebuffer or a second
// rasteriser; the CLI exports plots as SVG (vector) instead. The latent family's filmstrip
// takes the same path (drawn alone through ImGuiCanvas); its latent map is written as SVG/CSV.
#include <cstdio>
#include <ctime>

#include "app/draw/latent_filmstrip.h"
#include "app/draw/latent_map.h"
#include "app/gui/app.h"
#include "core/lesson_gate.h"
#include "app/gui/plot_widget.h"
#include "app/gui/screenshot.h"
#include "core/io/atomic_file.h"
#include "core/export/figure_svg.h"
#include "core/session.h"
#include "envs/registry.h"

namespace dynalab {

std::string export_timestamp() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", &tm);
  return buf;
}

bool App::exports_idle() const {
  return !export_.worker && export_.pngs.empty() && !export_.rendering;
}

void App::start_save_session(const std::string& dir) {
  auto result = std::make_shared<ExportJobs::Result>();
  export_.worker = result;
  export_.worker_label = "saved session to " + dir;
  export_.export_dir.clear();
  runner_.post([result, dir](Experiment& e) {
    std::string err;
    try {
      save_session(unwrap_gate(e), dir);
    } catch (const std::exception& ex) {
      err = ex.what();
    }
    std::lock_guard lk(result->mu);
    result->error = err;
    result->done = true;
  });
}

std::string App::load_session_dir(const std::string& dir) {
  std::unique_ptr<Experiment> loaded;
  try {
    loaded = load_session(dir, env_registry());  // a new experiment: the current one is untouched
  } catch (const std::exception& e) {
    status(e.what(), true);
    return e.what();
  }
  leave_lesson();
  const Progress at = loaded->progress();
  const uint64_t seed = loaded->config().value("seed", uint64_t(0));
  auto holder = std::make_shared<std::unique_ptr<Experiment>>(std::move(loaded));
  // Reset reloads the session from disk (the saved point), not the experiment's start.
  runner_.load(
      [holder, dir](uint64_t) {
        if (*holder) return std::move(*holder);
        return load_session(dir, env_registry());
      },
      seed);
  config_.request_from(runner_);
  name_ = at.experiment;
  transport_.seed = seed;
  config_.pending_reset = false;
  lanes_[0].user_moved_view = false;
  status("loaded session " + dir + " (" + at.experiment + ", tick " + std::to_string(at.tick) +
             ")",
         false);
  return "";
}

void App::start_export_all(const std::string& dir) {
  auto result = std::make_shared<ExportJobs::Result>();
  export_.worker = result;
  export_.worker_label.clear();
  export_.export_dir = dir;
  export_.png_entries.clear();
  export_.png_error.clear();
  if (export_world_svg((std::filesystem::path(dir) / "world.svg").string()).empty())
    export_.png_entries.push_back({"world.svg", "the world with its overlays as vector art (for slides)"});
  if (snap_ && snap_->latent) {
    try {
      write_file_atomic(std::filesystem::path(dir) / "latent_map.svg", latent_map_svg(*snap_->latent));
      export_.png_entries.push_back({"latent_map.svg", "the latent map: held-out z on (PC1, PC2), coloured by the true " +
                                                           snap_->latent->colour_name + " (latent_map.csv: its points)"});
    } catch (const std::exception& e) {
      status(e.what(), true);
    }
  }
  runner_.post([result, dir](Experiment& e) {
    std::vector<ExportEntry> entries;
    std::string err;
    try {
      const auto snap = e.snapshot();
      entries = export_all(unwrap_gate(e), *snap, dir);
    } catch (const std::exception& ex) {
      err = ex.what();
    }
    std::lock_guard lk(result->mu);
    result->entries = std::move(entries);
    result->error = err;
    result->done = true;
  });
  const std::filesystem::path d = dir;
  export_.pngs.push_back(
      {(d / "viewport.png").string(), "the viewport (the world as drawn on screen)", -1});
  for (size_t i = 0; i < figures_.size(); ++i)
    export_.pngs.push_back({(d / "figures" / (figures_[i].id + ".png")).string(),
                            "plot \"" + figures_[i].title + "\" as an image", int(i)});
  if (snap_ && snap_->latent)
    export_.pngs.push_back({(d / "filmstrip.png").string(),
                            "the visual-foresight filmstrip: the plan's decoded frames above the real ones", -1, true});
}

void App::session_menu_items() {
  ImGui::Separator();
  const std::string stem = (kExportDir / (name_ + "-" + export_timestamp())).string();
  auto ask = [&](ExportJobs::Popup p, const std::string& def) {
    export_.popup = p;
    export_.open_popup = true;
    std::snprintf(export_.path, sizeof export_.path, "%s", def.c_str());
  };
  const bool busy = !exports_idle();
  if (ImGui::MenuItem("Save session...", nullptr, false, !busy))
    ask(ExportJobs::Popup::save_session, stem + "-session");
  if (ImGui::MenuItem("Load session...", nullptr, false, !busy))
    ask(ExportJobs::Popup::load_session, kExportDir.string() + "/");
  if (ImGui::MenuItem("Export all...", nullptr, false, !busy))
    ask(ExportJobs::Popup::export_all, stem);
  if (ImGui::MenuItem("Sweep ghost...")) ask(ExportJobs::Popup::sweep_ghost, "");
  if (ImGui::MenuItem("Clear sweep ghost", nullptr, false, !sweep_ghost_.empty())) sweep_ghost_.clear();
  if (ImGui::BeginMenu("Export plot", !figures_.empty() && !busy)) {
    for (size_t i = 0; i < figures_.size(); ++i) {
      const Figure& f = figures_[i];
      if (!ImGui::BeginMenu((f.title + "##" + f.id).c_str())) continue;
      const std::filesystem::path base = kExportDir / (name_ + "_" + f.id);
      try {
        if (ImGui::MenuItem("SVG (vector, for slides)")) {
          write_file_atomic(base.string() + ".svg", figure_to_svg(f));
          status("wrote " + base.string() + ".svg", false);
        }
        if (ImGui::MenuItem("CSV (the series)")) {
          write_file_atomic(base.string() + ".csv", f.to_csv());
          status("wrote " + base.string() + ".csv", false);
        }
      } catch (const std::exception& e) {
        status(e.what(), true);
      }
      if (ImGui::MenuItem("PNG (image)")) {
        export_.export_dir.clear();
        export_.png_error.clear();
        export_.pngs.push_back({base.string() + ".png", "", int(i)});
      }
      ImGui::EndMenu();
    }
    ImGui::EndMenu();
  }
  latent_menu_items(busy);
}

// File > Export latent views: the filmstrip as PNG (rendered like a plot), the latent map as
// SVG and as CSV (written at once from the view).
void App::latent_menu_items(bool busy) {
  const std::shared_ptr<const Snapshot> snap = snap_;
  if (!ImGui::BeginMenu("Export latent views", snap && snap->latent && !busy)) return;
  const std::string base = (kExportDir / (name_ + "_")).string();
  if (ImGui::MenuItem("Filmstrip as PNG")) {
    export_.export_dir.clear();
    export_.png_error.clear();
    export_.pngs.push_back({base + "filmstrip.png", "", -1, true});
  }
  try {
    if (ImGui::MenuItem("Latent map as SVG (vector, for slides)")) {
      write_file_atomic(base + "latent_map.svg", latent_map_svg(*snap->latent));
      status("wrote " + base + "latent_map.svg", false);
    }
    if (ImGui::MenuItem("Latent map as CSV (its points)")) {
      write_file_atomic(base + "latent_map.csv", latent_map_csv(*snap->latent));
      status("wrote " + base + "latent_map.csv", false);
    }
  } catch (const std::exception& e) {
    status(e.what(), true);
  }
  ImGui::EndMenu();
}

std::optional<ExportJobs::PathChoice> ExportJobs::draw_path_popup() {
  static const char* kTitles[] = {"", "Save session", "Load session", "Export all", "Sweep ghost"};
  const char* title = kTitles[int(popup)];
  if (open_popup) {
    ImGui::OpenPopup(title);
    open_popup = false;
  }
  if (popup == Popup::none ||
      !ImGui::BeginPopupModal(title, nullptr, ImGuiWindowFlags_AlwaysAutoResize))
    return std::nullopt;
  std::optional<PathChoice> chosen;
  ImGui::TextUnformatted(popup == Popup::load_session ? "Session folder to load:"
                         : popup == Popup::sweep_ghost
                             ? "Aggregate folder (dynalab-cli aggregate --out) to draw behind the plots:"
                             : "Folder to write:");
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 30);
  const bool enter =
      ImGui::InputText("##path", path, sizeof path, ImGuiInputTextFlags_EnterReturnsTrue);
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere(-1);
  if (ImGui::Button("OK") || enter) {
    chosen = PathChoice{popup, path};
    popup = Popup::none;
    ImGui::CloseCurrentPopup();
  }
  ImGui::SameLine();
  if (ImGui::Button("Cancel")) {
    popup = Popup::none;
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
  return chosen;
}

void App::export_frame() {
  // The path popup of Save session / Load session / Export all.
  if (const auto c = export_.draw_path_popup()) {
    if (c->which == ExportJobs::Popup::save_session) start_save_session(c->path);
    if (c->which == ExportJobs::Popup::load_session) load_session_dir(c->path);
    if (c->which == ExportJobs::Popup::export_all) start_export_all(c->path);
    if (c->which == ExportJobs::Popup::sweep_ghost) {
      const std::string err = load_sweep_ghost(c->path);
      status(err.empty() ? sweep_ghost_summary() : err, !err.empty());
    }
  }
  // The worker's part finished?
  if (export_.worker) {
    std::unique_lock lk(export_.worker->mu);
    if (export_.worker->done) {
      const auto r = export_.worker;
      lk.unlock();
      export_.worker.reset();
      if (!r->error.empty()) {
        status(r->error, true);
        new_errors_.push_back(r->error);
        export_.pngs.clear();
        export_.export_dir.clear();
      } else if (!export_.worker_label.empty()) {
        status(export_.worker_label, false);
      } else {
        export_.png_entries.insert(export_.png_entries.begin(), r->entries.begin(),
                                   r->entries.end());
      }
    }
  }
  // Export all: README.txt once the worker's files and every PNG are written.
  if (!export_.export_dir.empty() && !export_.worker && export_.pngs.empty() &&
      !export_.rendering) {
    try {
      if (!export_.png_error.empty()) throw InputError(export_.png_error);
      write_export_readme(
          export_.export_dir,
          "dynalab export of " + name_ + " at tick " + std::to_string(snap_ ? snap_->tick : 0),
          export_.png_entries);
      status("exported everything to " + export_.export_dir + "/ (see README.txt)", false);
    } catch (const std::exception& e) {
      status(e.what(), true);
      new_errors_.push_back(e.what());
    }
    export_.export_dir.clear();
  }
  // Render the next PNG of the queue this frame (the viewport as drawn, or one plot on top).
  if (export_.rendering || export_.pngs.empty() || export_.worker) return;
  export_.rendering = export_.pngs.front();
  export_.pngs.pop_front();
  const ExportJobs::Png& png = *export_.rendering;
  if (png.filmstrip) {
    render_filmstrip_png();
    return;
  }
  if (png.figure < 0 || png.figure >= int(figures_.size())) {
    export_.pos = lanes_[0].view.origin;
    export_.size = lanes_[0].view.size;
    return;
  }
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  export_.pos = vp->Pos;
  export_.size =
      ImVec2(std::min(vp->Size.x, 900.0f * ui_scale()), std::min(vp->Size.y, 560.0f * ui_scale()));
  ImGui::SetNextWindowPos(export_.pos);
  ImGui::SetNextWindowSize(export_.size);
  ImGui::SetNextWindowFocus();
  ImGui::Begin(
      "##plot_export", nullptr,
      ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoMove);
  plot_figure(("export_" + figures_[png.figure].id).c_str(), figures_[png.figure],
              ImGui::GetContentRegionAvail(), {line_scale()});
  ImGui::End();
}

// The filmstrip drawn alone for one frame over everything, on white, through the screen's
// drawing code; after_render reads the region back. No latent view (the experiment changed
// since the request): nothing to draw, an error instead of a blank image.
void App::render_filmstrip_png() {
  const std::shared_ptr<const Snapshot> snap = snap_;
  if (!snap || !snap->latent) {
    export_.png_error = export_.rendering->path + ": no filmstrip to draw (not a latent experiment)";
    status(export_.png_error, true);
    export_.rendering.reset();
    return;
  }
  const LatentView& v = *snap->latent;
  const Bounds box = filmstrip_alone_box(v);
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const float margin = 12.0f * ui_scale();
  const float w = std::min(vp->Size.x, 1200.0f * ui_scale());
  const float h =
      std::min(vp->Size.y, float((w - 2 * margin) * (box.hi.y - box.lo.y) / (box.hi.x - box.lo.x)) + 2 * margin);
  export_.pos = vp->Pos;
  export_.size = ImVec2(w, h);
  ImGui::SetNextWindowPos(export_.pos);
  ImGui::SetNextWindowSize(export_.size);
  ImGui::SetNextWindowFocus();
  ImGui::PushStyleColor(ImGuiCol_WindowBg, ImVec4(1, 1, 1, 1));
  ImGui::Begin("##filmstrip_export", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoMove);
  ViewTransform view;
  view.origin = export_.pos;
  view.size = export_.size;
  view.fit(box, margin);
  ImGuiCanvas canvas(ImGui::GetWindowDrawList(), view, line_scale(), ImGui::GetFontSize());
  draw_filmstrip(canvas, v, box);
  ImGui::End();
  ImGui::PopStyleColor();
}

void App::after_render(int fb_w, int fb_h) {
  if (!export_.rendering) return;
  const ExportJobs::Png png = *export_.rendering;
  export_.rendering.reset();
  const ImVec2 k = ImGui::GetIO().DisplayFramebufferScale;
  const int x = int(export_.pos.x * k.x), y = int(export_.pos.y * k.y);
  const int w = std::min(fb_w - x, int(export_.size.x * k.x)),
            h = std::min(fb_h - y, int(export_.size.y * k.y));
  // Written to a temporary file and renamed: a failed write leaves no half PNG.
  const std::filesystem::path path = png.path, tmp = png.path + ".tmp.png";
  std::string err;
  try {
    ensure_directory(path.parent_path());
    err = write_framebuffer_png(tmp.string(), x, y, w, h, fb_h);
    std::error_code ec;
    if (err.empty()) std::filesystem::rename(tmp, path, ec);
    if (ec) err = path.string() + ": cannot write (" + ec.message() + ")";
    if (!err.empty()) std::filesystem::remove(tmp, ec);
  } catch (const std::exception& e) {
    err = e.what();
  }
  if (!err.empty()) {
    export_.png_error = err;
    status(err, true);
    new_errors_.push_back(err);
    return;
  }
  if (!export_.export_dir.empty()) {
    export_.png_entries.push_back(
        {std::filesystem::relative(path, export_.export_dir).generic_string(), png.what});
  } else {
    status("wrote " + png.path, false);
  }
}

std::string App::export_world_svg(const std::string& path) {
  const std::shared_ptr<const Snapshot> snap = lanes_.empty() ? nullptr : lanes_[0].snap;
  std::string err;
  try {
    if (!snap || !snap->world) throw InputError(path + ": no world to draw yet");
    const PlanTrace* shown = snap->plan ? &mpc_.shown_trace(*snap->plan) : nullptr;
    write_world_view_svg(*snap, world_view_options(), path, shown);
    status("wrote " + path, false);
  } catch (const std::exception& e) {
    err = e.what();
    status(err, true);
  }
  return err;
}

bool App::scripted_exports(const AppArgs& args) {
  if (!exports_idle() || !export_.export_dir.empty()) return false;
  if (!args.save_session.empty() && !export_.scripted_saved) {
    export_.scripted_saved = true;
    start_save_session(args.save_session);
    return false;
  }
  if (!args.export_all.empty() && !export_.scripted_exported) {
    export_.scripted_exported = true;
    start_export_all(args.export_all);
    return false;
  }
  if (!args.export_world_svg.empty() && !export_.scripted_world_svg) {
    export_.scripted_world_svg = true;
    if (const std::string err = export_world_svg(args.export_world_svg); !err.empty())
      new_errors_.push_back(err);
  }
  return true;
}

}  // namespace dynalab
