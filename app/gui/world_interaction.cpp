#include "app/gui/world_interaction.h"

#include <imgui.h>

#include <cmath>

namespace dynalab {

namespace {
// The hover read-out of grid cell `c` (Q of each action, how many the model knows) as a tooltip;
// nothing on a wall or when the table is not a four-action grid's.
void q_cell_tooltip(const QTableView& tab, const GridLayout& grid, Cell c) {
  // The numbers behind the colours and arrows of this cell.
  const int s = grid.state_of(c);
  if (s >= tab.n_states || tab.n_actions != 4 || grid.wall(c)) return;
  const double* q = &tab.q[size_t(s) * 4];
  int known = 0;
  for (const auto& e : tab.model) known += e.state == s && e.visits > 0;
  ImGui::SetTooltip(
      "cell (row %d, col %d)\nQ up %.3f  down %.3f\nQ left %.3f  right %.3f\nmodel knows %d of "
      "4 actions",
      c.row, c.col, q[0], q[1], q[2], q[3], known);
}
}  // namespace

WorldInteraction::Requests WorldInteraction::update(ViewTransform& view, bool& user_moved,
                                                    const Env& world, const QTableView* tab,
                                                    bool hovered, bool interactive) {
  ImGuiIO& io = ImGui::GetIO();
  if (hovered && io.MouseWheel != 0) {
    view.zoom_at(io.MousePos, std::pow(1.15, io.MouseWheel));
    user_moved = true;
  }
  if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Right, 2.0f)) {
    view.center.x -= io.MouseDelta.x / view.scale;
    view.center.y += io.MouseDelta.y / view.scale;
    user_moved = true;
  }
  if (!interactive) return {};
  if (world.grabbable()) return pull(view, world, hovered);
  const std::optional<GridLayout> grid = world.grid_layout();
  if (!grid || !tab) return {};
  return edit_cells(view, *grid, *tab, hovered);
}

// Box2D worlds: left drag pulls the body under the mouse (the Box2D testbed's mouse joint).
WorldInteraction::Requests WorldInteraction::pull(const ViewTransform& view, const Env& world,
                                                  bool hovered) {
  if (scripted_target) return {};  // --drag holds the grab; no real mouse
  const Vec2 w = view.to_world(ImGui::GetIO().MousePos);
  if (hovered && ImGui::IsMouseClicked(ImGuiMouseButton_Left) && !perturbing) {
    // Probe a copy first, so a click on empty space sends nothing.
    auto probe = world.clone();
    probe->clear_perturbation();
    if (probe->perturb(w, w)) {
      perturbing = true;
      grab = w;
    }
  }
  Requests r;
  r.target = w;
  if (perturbing && !ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
    perturbing = false;
    r.pull = false;
  } else if (perturbing) {
    r.pull = true;
  }
  return r;
}

// Grid editing (REINFORCEjs): click toggles a wall, drag moves the start or the goal.
WorldInteraction::Requests WorldInteraction::edit_cells(const ViewTransform& view,
                                                        const GridLayout& grid,
                                                        const QTableView& tab, bool hovered) {
  const std::optional<Cell> at = grid.cell_at(view.to_world(ImGui::GetIO().MousePos));
  if (hovered && at && drag == Drag::none && !ImGui::IsMouseDown(ImGuiMouseButton_Right))
    q_cell_tooltip(tab, grid, *at);
  if (hovered && ImGui::IsMouseClicked(ImGuiMouseButton_Left) && at) {
    drag = *at == grid.start ? Drag::start : *at == grid.goal ? Drag::goal : Drag::wall;
    drag_from = *at;
  }
  if (drag == Drag::none || !ImGui::IsMouseReleased(ImGuiMouseButton_Left)) return {};
  const Drag kind = std::exchange(drag, Drag::none);
  if (!at) return {};
  // A drag from a plain cell does nothing; a start or goal dropped where it was neither.
  if ((kind == Drag::wall) != (*at == drag_from)) return {};
  Requests r;
  r.edit.emplace(kind == Drag::wall    ? CellEdit::toggle_wall
                 : kind == Drag::start ? CellEdit::move_start
                                       : CellEdit::move_goal,
                 *at);
  return r;
}

void WorldInteraction::draw(Canvas& canvas, ImDrawList* dl, const ViewTransform& view,
                            const Env& world) const {
  // Mouse perturbation: a line from the grabbed point of the body to the mouse (as the testbed).
  if (perturbing) {
    const Vec2 m = scripted_target.value_or(view.to_world(ImGui::GetIO().MousePos));
    const Vec2 a = world.perturbation_anchor().value_or(grab);
    canvas.segment(a, m, palette::goal, 2.0f);
    canvas.circle(a, 4.0 / view.scale, palette::goal, palette::none);
    canvas.circle(m, 4.0 / view.scale, palette::goal, palette::none);
  }
  // Drag ghost for the start/goal being moved.
  if (drag == Drag::start || drag == Drag::goal) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    const Color c = drag == Drag::start ? palette::start : palette::goal;
    dl->AddCircleFilled(m, float(0.3 * view.scale), to_imu32(c.with_alpha(0.6f)));
    const char* t = drag == Drag::start ? "S" : "G";
    const ImVec2 ts = ImGui::CalcTextSize(t);
    dl->AddText(ImVec2(m.x - ts.x / 2, m.y - ts.y / 2), IM_COL32_WHITE, t);
  }
}

WorldInteraction::Requests WorldInteraction::scripted_drag(Vec2 at, Vec2 target) {
  perturbing = true;
  grab = at;
  scripted_target = target;
  Requests r;
  r.pull = true;
  r.target = target;
  return r;
}

}  // namespace dynalab
