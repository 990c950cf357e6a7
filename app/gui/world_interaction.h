#pragma once
// The mouse on a world pane: the wheel zooms and a right drag pans (every pane); on the
// interactive pane a left drag pulls a Box2D body with a spring (the testbed's mouse joint) or,
// in a grid world, a click toggles a wall and a drag moves the start or the goal (REINFORCEjs).
// It keeps the drag's state and returns what the App must send to the worker.

#include <optional>
#include <utility>

#include "app/gui/imgui_canvas.h"
#include "core/env.h"
#include "core/views.h"

namespace dynalab {

struct WorldInteraction {
  enum class Drag { none, wall, start, goal };
  Drag drag = Drag::none;  ///< grid editing: what the left button went down on
  Cell drag_from;
  bool perturbing = false;             ///< a body is being pulled
  Vec2 grab{};                         ///< the world point first grabbed
  std::optional<Vec2> scripted_target;  ///< --drag: the mouse position, held throughout

  /// What this frame's mouse asks of the experiment.
  struct Requests {
    std::optional<std::pair<CellEdit, Cell>> edit;
    std::optional<bool> pull;  ///< send the pull (true) or end it (false)
    Vec2 target{};             ///< the mouse in world units
  };
  /// Pans and zooms `view` (sets `user_moved`); on the interactive pane also grabs bodies and
  /// edits cells. `tab` is the pane's Q table (hover read-out of Q; cell editing), if any.
  Requests update(ViewTransform& view, bool& user_moved, const Env& world,
                  const QTableView* tab, bool hovered, bool interactive);
  /// The pull line and the ghost of a start / goal being dragged, over the world.
  void draw(Canvas& canvas, ImDrawList* dl, const ViewTransform& view, const Env& world) const;
  /// --drag: holds a pull from `at` to `target` without a mouse.
  Requests scripted_drag(Vec2 at, Vec2 target);

 private:
  Requests pull(const ViewTransform& view, const Env& world, bool hovered);
  Requests edit_cells(const ViewTransform& view, const GridLayout& grid, const QTableView& tab,
                      bool hovered);
};

}  // namespace dynalab
