#include "envs/pixels_env.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "envs/registry.h"
#include "envs/state_check.h"

namespace dynalab {

namespace {
// The frame panel beside the inner world, as shares of the inner world's width W or height H:
// its gap to the world (W), the title strip above the frames and the gap between frames (H).
constexpr double kPanelGap = 0.10, kTitle = 0.12, kFrameGap = 0.04;

int grid_rows(int frames) { return int(std::ceil(std::sqrt(double(frames)))); }
int grid_cols(int frames) { return (frames + grid_rows(frames) - 1) / grid_rows(frames); }

std::unique_ptr<Env> checked(std::unique_ptr<Env> inner, int size, int frames) {
  if (!inner) throw std::invalid_argument("PixelsEnv: no inner env");
  if (size < 1 || frames < 1) throw std::invalid_argument("PixelsEnv: size and frames must be at least 1");
  return inner;
}
}  // namespace

PixelsEnv::PixelsEnv(std::unique_ptr<Env> inner, int size, int frames)
    : inner_(checked(std::move(inner), size, frames)),
      camera_(inner_->clone()),
      size_(size),
      frames_(frames),
      view_(square_view(inner_->world_bounds())),
      canvas_(size, size, view_),
      obs_(Vec::Zero(Eigen::Index(frames) * size * size)) {
  // A reset camera draws no last action (Box2D worlds zero it on reset), and it never steps.
  camera_->reset(0);
  states_.assign(frames_, camera_->get_state());
  for (int k = 0; k < frames_; ++k) render_into(states_[k], k);
}

PixelsEnv::PixelsEnv(const PixelsEnv& o)
    : inner_(o.inner_->clone()),
      camera_(o.camera_->clone()),
      size_(o.size_),
      frames_(o.frames_),
      view_(o.view_),
      canvas_(o.canvas_),
      states_(o.states_),
      obs_(o.obs_),
      inner_obs_(o.inner_obs_) {}

void PixelsEnv::render_into(const std::vector<double>& state, int slot) {
  camera_->set_state(state);
  canvas_.clear();
  camera_->draw(canvas_);
  const std::vector<float>& px = canvas_.pixels();
  const Eigen::Index n = Eigen::Index(size_) * size_;
  for (Eigen::Index i = 0; i < n; ++i) obs_[slot * n + i] = px[size_t(i)];
}

Space PixelsEnv::observation_space() const { return Space::box(int(obs_.size()), 0.0, 1.0); }

Vec PixelsEnv::reset(uint64_t seed) {
  inner_obs_ = inner_->reset(seed);
  states_.assign(frames_, inner_->get_state());
  render_into(states_.back(), frames_ - 1);
  // Every frame is the first frame: the stack shows no motion yet.
  const Eigen::Index n = Eigen::Index(size_) * size_;
  for (int k = 0; k + 1 < frames_; ++k) obs_.segment(k * n, n) = obs_.segment((frames_ - 1) * n, n);
  return obs_;
}

StepResult PixelsEnv::step(const Vec& action) {
  StepResult r = inner_->step(action);
  inner_obs_ = r.obs;
  std::rotate(states_.begin(), states_.begin() + 1, states_.end());
  states_.back() = inner_->get_state();
  const Eigen::Index n = Eigen::Index(size_) * size_;
  for (int k = 0; k + 1 < frames_; ++k) obs_.segment(k * n, n) = obs_.segment((k + 1) * n, n);
  render_into(states_.back(), frames_ - 1);
  r.obs = obs_;
  return r;
}

std::vector<double> PixelsEnv::get_state() const {
  const size_t L = states_.front().size();
  std::vector<double> out;
  out.reserve(2 + frames_ * L + size_t(inner_obs_.size()));
  out.push_back(double(L));
  for (const auto& s : states_) out.insert(out.end(), s.begin(), s.end());
  out.push_back(double(inner_obs_.size()));
  out.insert(out.end(), inner_obs_.data(), inner_obs_.data() + inner_obs_.size());
  return out;
}

void PixelsEnv::set_state(const std::vector<double>& state) {
  // The layout is get_state()'s, so L and D must be this env's own sizes: any other L or D is a
  // state of another env (or an edited one), whatever the total length.
  const size_t L = states_.front().size(), D = size_t(inner_->observation_space().dim()), d_at = 1 + size_t(frames_) * L;
  if (state.size() != d_at + 1 + D || state[0] != double(L) || state[d_at] != double(D))
    throw std::invalid_argument("pixels: set_state: expected [L = " + std::to_string(L) + ", " + std::to_string(frames_) +
                                " inner states of L values, D = " + std::to_string(D) +
                                ", an inner observation of D values] (" + std::to_string(d_at + 1 + D) + " values)");
  for (size_t i = d_at + 1; i < state.size(); ++i) state_number(state, i, name(), "inner observation");
  std::vector<std::vector<double>> states(frames_);
  for (int k = 0; k < frames_; ++k) states[k].assign(state.begin() + 1 + k * L, state.begin() + 1 + (k + 1) * L);
  // The inner env checks each frame's state (the camera's set_state while rendering it); on a
  // throw the old frames are drawn again, so the env is as it was.
  for (int k = 0; k < frames_; ++k) {
    try {
      render_into(states[size_t(k)], k);
    } catch (const std::invalid_argument& e) {
      for (int j = 0; j < k; ++j) render_into(states_[size_t(j)], j);
      throw std::invalid_argument("pixels: set_state: the inner state of frame " + std::to_string(k) + ": " + e.what());
    }
  }
  inner_->set_state(states.back());
  states_ = std::move(states);
  inner_obs_ = Eigen::Map<const Vec>(state.data() + d_at + 1, Eigen::Index(D));
}

std::vector<std::string> PixelsEnv::observation_names() const {
  std::vector<std::string> names;
  names.reserve(size_t(obs_.size()));
  for (int k = 0; k < frames_; ++k)
    for (int r = 0; r < size_; ++r)
      for (int c = 0; c < size_; ++c)
        names.push_back("f" + std::to_string(k) + "_r" + std::to_string(r) + "_c" + std::to_string(c));
  return names;
}

Bounds PixelsEnv::frame_box(int k) const {
  const Bounds b = inner_->world_bounds();
  const double W = b.hi.x - b.lo.x, H = b.hi.y - b.lo.y, gap = kFrameGap * H;
  const int rows = grid_rows(frames_), cols = grid_cols(frames_);
  const double side = ((1 - kTitle) * H - (rows - 1) * gap) / rows;
  const int row = k / cols, col = k % cols;  // reading order: the oldest top left
  const double x0 = b.hi.x + kPanelGap * W + col * (side + gap);
  const double y1 = b.hi.y - kTitle * H - row * (side + gap);
  return {{x0, y1 - side}, {x0 + side, y1}};
}

Bounds PixelsEnv::world_bounds() const {
  const Bounds b = inner_->world_bounds(), last = frame_box(grid_cols(frames_) - 1);
  return {b.lo, {last.hi.x + 0.02 * (b.hi.x - b.lo.x), b.hi.y}};
}

void PixelsEnv::draw(Canvas& canvas) const {
  inner_->draw(canvas);
  const size_t n = size_t(size_) * size_t(size_);
  std::vector<float> frame(n);
  for (int k = 0; k < frames_; ++k) {
    for (size_t i = 0; i < n; ++i) frame[i] = float(obs_[Eigen::Index(k * n + i)]);
    gray_image(canvas, frame, size_, frame_box(k), palette::body_outline);
  }
  // A title over the frames, as large as the strip above them allows (at most normal size).
  const Bounds b = inner_->world_bounds(), first = frame_box(0), last = frame_box(grid_cols(frames_) - 1);
  const std::string title = frames_ > 1 ? "camera, oldest first" : "camera";
  const double H = b.hi.y - b.lo.y;
  canvas.text_left({first.lo.x, first.hi.y + 0.5 * kTitle * H}, title, palette::text,
                   caption_size(canvas, title, 0.6 * kTitle * H, last.hi.x - first.lo.x));
}

std::unique_ptr<Env> make_pixels(ConfigNode& node) {
  PixelsConfig cfg;
  cfg.visit(node);
  ConfigNode inner_node = node.child("inner");
  auto inner = env_registry().make(inner_node, inner_node.has("name") ? "" : "pendulum");
  node.adopt("inner", inner_node);
  if (inner->name() == "pixels") node.fail("inner", "an env that is not pixels itself");
  return std::make_unique<PixelsEnv>(std::move(inner), cfg.size, cfg.frames);
}

}  // namespace dynalab
