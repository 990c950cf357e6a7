#pragma once
// State of the GUI's File > Save session / Load session / Export all / Export plot actions
// (implemented as App members in export_menu.cpp). Core work (export_all, save_session) runs on
// the runner's worker between ticks; PNGs (viewport, plots) are rendered one per frame and read
// back from the framebuffer after that frame is drawn.

#include <imgui.h>

#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/export/export_all.h"

namespace dynalab {

/// Where the File > Export items write, relative to the working directory.
inline const std::filesystem::path kExportDir = "dynalab_exports";

struct ExportJobs {
  enum class Popup { none, save_session, load_session, export_all, sweep_ghost };
  Popup popup = Popup::none;
  bool open_popup = false;  // OpenPopup on the next frame (menus cannot open modals themselves)
  char path[1024] = {};
  /// A PNG to render: the viewport (figure < 0), plot `figure` of the frame's figures, or the
  /// latent family's filmstrip drawn alone (filmstrip).
  struct Png {
    std::string path, what;
    int figure = -1;
    bool filmstrip = false;
  };
  std::deque<Png> pngs;
  std::optional<Png> rendering;  // drawn this frame, read back in after_render
  ImVec2 pos, size;              // its region in window coordinates
  /// A worker job (export_all or save_session) and its outcome.
  struct Result {
    std::mutex mu;
    bool done = false;
    std::string error;
    std::vector<ExportEntry> entries;
  };
  std::shared_ptr<Result> worker;
  std::string export_dir;  // export-all in progress: README.txt once everything is written
  std::string worker_label;
  std::vector<ExportEntry> png_entries;
  std::string png_error;
  bool scripted_saved = false, scripted_exported = false;  // --save-session / --export-all
  bool scripted_world_svg = false;                         // --export-world-svg

  /// The folder the user confirmed in the path popup this frame, and for which action.
  struct PathChoice {
    Popup which;
    std::string path;
  };
  /// Draws the path popup of Save session / Load session / Export all while one is asked for.
  std::optional<PathChoice> draw_path_popup();
};

/// "20261122-134501": UTC time for default export folder names.
std::string export_timestamp();

}  // namespace dynalab
