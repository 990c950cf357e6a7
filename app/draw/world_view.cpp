#include "app/draw/world_view.h"

#include "app/draw/branched_rollout_overlay.h"
#include "app/draw/data_overlay.h"
#include "app/draw/local_controller_overlay.h"
#include "app/draw/particle_cloud_overlay.h"
#include "app/draw/pathwise_rollout_overlay.h"
#include "app/draw/plan_overlay.h"
#include "app/draw/search_tree_overlay.h"
#include "core/export/world_svg.h"
#include "core/io/atomic_file.h"

namespace dynalab {

Bounds world_view_bounds(const Snapshot& s, const WorldViewOptions& opt) {
  if (!s.world) return {};
  if (s.future_density && opt.future_density.shown) return future_density_bounds(*s.world, *s.future_density);
  if (s.latent) return latent_bounds(*s.world, *s.latent, opt.latent);
  Bounds b = s.plan || s.branched_rollouts || s.pathwise_rollout || s.local_controllers || s.search_tree
                 ? plan_bounds(*s.world)
                 : s.world->world_bounds();
  if (s.gpi) b.lo.y -= gpi_legend_height(*s.gpi, GpiOverlayOptions{});  // the key below the maze
  return b;
}

void draw_world_view(Canvas& canvas, const Snapshot& s, const WorldViewOptions& opt,
                     const PlanTrace* shown) {
  if (!s.world) return;
  const Env& world = *s.world;
  world.draw(canvas);
  if (opt.plan.training_data && s.model && s.model->training_data)
    draw_training_data(canvas, world, *s.model->training_data);
  // The SR's "where will I be?" map takes the place of the value heat map (two heat maps on one
  // grid would read as one); the policy arrows and the path still go on top.
  QTableOverlayOptions q_table = opt.q_table;
  if (s.successor && opt.successor.show) {
    draw_successor_overlay(canvas, world, *s.successor, opt.successor);
    q_table.heat_map = false;
  }
  if (s.q_table) draw_q_table_overlay(canvas, world, *s.q_table, s.tick, q_table);
  if (s.plan) draw_plan_overlay(canvas, s, *s.plan, opt.plan, shown ? *shown : s.plan->trace);
  if (s.branched_rollouts) draw_branched_rollouts(canvas, world, *s.branched_rollouts);
  if (s.pathwise_rollout) draw_pathwise_rollout(canvas, world, *s.pathwise_rollout);
  if (s.local_controllers) draw_local_controllers(canvas, world, *s.local_controllers);
  if (s.particle_cloud) draw_particle_cloud(canvas, world, *s.particle_cloud);
  if (s.search_tree) draw_search_tree(canvas, world, *s.search_tree);
  if (s.gpi) draw_gpi_overlay(canvas, world, *s.gpi, opt.gpi);
  if (s.vin) draw_vin_overlay(canvas, world, *s.vin, opt.vin);
  if (s.future_density && opt.future_density.shown)
    draw_future_density(canvas, world, *s.future_density, opt.future_density);
  if (s.latent) draw_latent_overlay(canvas, world, *s.latent, opt.latent);
  world.draw_over(canvas);
}

std::string world_view_svg(const Snapshot& s, const WorldViewOptions& opt, const PlanTrace* shown,
                           int width_px) {
  return world_svg(world_view_bounds(s, opt), [&](Canvas& c) { draw_world_view(c, s, opt, shown); },
                   width_px);
}

void write_world_view_svg(const Snapshot& s, const WorldViewOptions& opt,
                          const std::filesystem::path& path, const PlanTrace* shown, int width_px) {
  write_file_atomic(path, world_view_svg(s, opt, shown, width_px));
}

}  // namespace dynalab
