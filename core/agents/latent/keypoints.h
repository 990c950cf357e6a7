#pragma once
// Keypoints: an optional front end of the latent model's encoder (model.keypoints = K > 0). Per
// frame of the stack and per channel c it takes the spatial soft-argmax of what is darker than
// the background,
//
//   s_c(p) = softmax_p(-gain_c (f(p) - b(p))),   (u_c, v_c) = sum_p s_c(p) (u(p), v(p)),
//
// f the frame, b the background (the replay's mean frame, set before each fit), (u(p), v(p)) the
// pixel centre's coordinates in [-1, 1] (u to the right, v upward). The encoder MLP then reads
// frames x K x 2 values instead of frames x size^2 pixels: the newest frame's (u_c, v_c), and
// for each older frame the displacement from it to the newest, in pixels. Finn et al. feed their
// controller the feature points and their velocities, and an object's motion between two
// frames is about a pixel, 1/16 of u's range at 32 x 32: in pixels, the encoder MLP gets the
// velocity at the scale of the position instead of as a small difference of two large inputs
// (with positions alone, the probe R^2 of the disc's x velocity on point_obstacles was 0.25-0.40
// on seeds 0-2; with displacements 0.41-0.52, README "Models from pixels").
//
// Why: an MLP on raw pixels has no translation invariance. It learns each pixel's weight from
// the frames it saw, so where the object never was, its encoding is arbitrary. On
// point_obstacles (a disc of about 2 pixels that random actions move only near the start) the
// pixel encoder's probe R^2 for the position fell from about 0.8 to 0.56 (x) and 0.39 (y) over
// five fits on seed 0, and the disc never got far from the start. A soft-argmax reads a position the same way at every pixel: the
// spatial softmax of deep spatial autoencoders (Finn et al., "Deep Spatial Autoencoders for
// Visuomotor Learning", ICRA 2016), here on background-subtracted gray levels instead of learned
// convolution features (two CPU cores), with a fixed bank of temperatures instead of a learned
// one. Channels sharpen geometrically: gain_c = 4 * 3^c (4: a broad average of the dark mass,
// 108: the darkest pixels alone).

#include <Eigen/Core>

namespace dynalab {

template <class T>
class KeypointsT {
 public:
  using Mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
  using Row = Eigen::Matrix<T, 1, Eigen::Dynamic>;

  KeypointsT() = default;
  /// Frames of size x size pixels (row-major, row 0 at the top), `frames` of them per
  /// observation (oldest first), `channels` temperatures. Throws std::invalid_argument if a
  /// size is not positive. The background starts at zero (black); set_background() before use.
  KeypointsT(int size, int frames, int channels);

  int channels() const { return int(gains_.size()); }
  /// Values per observation: frames x channels x (u, v).
  int feature_dim() const { return frames_ * channels() * 2; }
  /// The background b (size^2 gray levels). Throws std::invalid_argument on another length.
  void set_background(const Row& background);
  const Row& background() const { return background_; }
  /// Rows of observations O (n x frames * size^2) to their keypoints (n x feature_dim()):
  /// per frame (oldest first), per channel, u then v; the newest frame's are positions in
  /// [-1, 1], an older frame's the displacement to the newest in pixels.
  Mat features(const Mat& O) const;

 private:
  int size_ = 0, frames_ = 0;
  Row gains_, u_, v_, background_;
};

using Keypoints = KeypointsT<float>;

}  // namespace dynalab
