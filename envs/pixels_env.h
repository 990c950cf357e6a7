#pragma once
// Observations from pixels (issue 20): wraps an inner env and shows the agent camera images of
// it instead of its state. A frame is the inner world's draw() rendered by RasterCanvas
// (core/raster_canvas.h) into `size` x `size` grayscale pixels in [0, 1] over a square view
// around the inner world's centre (fixed when the env is built); the observation is the last
// `frames` frames flattened, oldest first: frames * size * size values, frame-major, then
// row-major with row 0 at the top. One frame shows where the pole is, not where it is going:
// velocity needs two frames (the default). On reset every frame is the first frame, so the
// velocity the stack shows reads 0 at the start of an episode.
//
// A frame is a function of the inner env's get_state() alone: it is drawn by a camera copy of
// the inner env (reset once, never stepped) put in that state. So what draw() shows beyond the
// state does not reach the image (the pendulum's torque arc and point_obstacles' force arrow
// draw the last action: a HUD, not the world), and set_state() re-renders the stack exactly.
// RasterCanvas skips text (point_obstacles' "G"); the static scenery (floor, grid, goal) stays.
//
// Actions, reward, termination, truncation and max_episode_steps are the inner env's. No
// closed-form reward() or terminated(): they are not functions of the pixels here.
// Config: "inner" (an env section, default pendulum; not pixels itself), "size" (8..96 pixels
// per side, default 32), "frames" (1..8, default 2).

#include <memory>
#include <optional>

#include "core/config.h"
#include "core/env.h"
#include "core/raster_canvas.h"

namespace dynalab {

struct PixelsConfig {
  int size = 32;   ///< pixels per side of a frame
  int frames = 2;  ///< frames stacked in an observation

  template <class V>
  void visit(V& v) {
    v.field("size", size, Range::closed(8, 96), Apply::on_reset, "pixels per side of each camera frame");
    v.field("frames", frames, Range::closed(1, 8), Apply::on_reset,
            "frames stacked in an observation, oldest first (one frame cannot show velocity)");
  }
};

class PixelsEnv : public Env {
 public:
  /// `size`: pixels per side (>= 1); `frames`: stacked frames (>= 1). Throws
  /// std::invalid_argument for smaller values or a null inner env.
  PixelsEnv(std::unique_ptr<Env> inner, int size, int frames);
  PixelsEnv(const PixelsEnv& other);

  std::string name() const override { return "pixels"; }
  Vec reset(uint64_t seed) override;
  StepResult step(const Vec& action) override;
  /// A box of frames * size * size values in [0, 1].
  Space observation_space() const override;
  Space action_space() const override { return inner_->action_space(); }
  std::unique_ptr<Env> clone() const override { return std::make_unique<PixelsEnv>(*this); }
  /// [L, the L-value inner states of the stacked frames (oldest first), D, the newest frame's
  /// D-value inner observation]: 2 + frames * L + D values.
  std::vector<double> get_state() const override;
  /// Restores get_state()'s vector: the inner env in the newest frame's state, the frames
  /// re-rendered from their states (bit for bit the observation it had). Throws
  /// std::invalid_argument for a vector of another layout.
  void set_state(const std::vector<double>& state) override;
  /// The inner world, and beside it (right) the frames the agent sees as gray squares.
  void draw(Canvas& canvas) const override;
  void draw_over(Canvas& canvas) const override { inner_->draw_over(canvas); }
  /// The inner world's bounds and the frame panel's.
  Bounds world_bounds() const override;
  int max_episode_steps() const override { return inner_->max_episode_steps(); }
  int episode_step() const override { return inner_->episode_step(); }
  std::optional<double> control_dt() const override { return inner_->control_dt(); }
  bool deterministic() const override { return inner_->deterministic(); }
  /// "f<frame>_r<row>_c<col>", frame 0 the oldest.
  std::vector<std::string> observation_names() const override;
  /// The mouse perturbation goes to the inner (physics) env.
  bool perturb(Vec2 at, Vec2 target) override { return inner_->perturb(at, target); }
  void clear_perturbation() override { inner_->clear_perturbation(); }
  bool grabbable() const override { return inner_->grabbable(); }
  std::optional<Vec2> perturbation_anchor() const override { return inner_->perturbation_anchor(); }

  /// size, frames, the inner env and its observation now.
  std::optional<PixelLayout> pixel_layout() const override {
    return PixelLayout{size_, frames_, inner_.get(), [this] { return inner_obs_; }};
  }
  const Env& inner() const { return *inner_; }
  /// The observation now: what reset() or step() returned last, or set_state() restored.
  const Vec& observation() const { return obs_; }
  /// The inner env's observation now (the true state behind the newest frame), for probes and
  /// plots (a latent map coloured by the true angle).
  const Vec& inner_observation() const { return inner_obs_; }
  int size() const { return size_; }
  int frames() const { return frames_; }
  /// The camera's view of the inner world (world units, square).
  const Bounds& view() const { return view_; }

 private:
  /// Renders the frame of inner state `state` into frame slot `slot` of obs_.
  void render_into(const std::vector<double>& state, int slot);
  /// Where the frame panel's frame `k` (0 the oldest) is drawn, world units.
  Bounds frame_box(int k) const;

  std::unique_ptr<Env> inner_;
  std::unique_ptr<Env> camera_;  // a copy of the inner env that only renders states
  int size_, frames_;
  Bounds view_;
  RasterCanvas canvas_;
  std::vector<std::vector<double>> states_;  // inner state of each stacked frame, oldest first
  Vec obs_;                                  // the stacked frames
  Vec inner_obs_;
};

/// Builds a pixels env; its "inner" section is read with the env registry. Fails naming the
/// key for an inner env that is pixels itself and for size or frames out of range.
std::unique_ptr<Env> make_pixels(ConfigNode& node);

}  // namespace dynalab
