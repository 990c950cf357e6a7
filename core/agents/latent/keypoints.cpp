#include "core/agents/latent/keypoints.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace dynalab {

template <class T>
KeypointsT<T>::KeypointsT(int size, int frames, int channels) : size_(size), frames_(frames) {
  if (size <= 0 || frames <= 0 || channels <= 0)
    throw std::invalid_argument("Keypoints: size, frames and channels must be positive");
  gains_.resize(channels);
  for (int c = 0; c < channels; ++c) gains_[c] = T(4 * std::pow(3.0, c));
  const int fd = size * size;
  u_.resize(fd), v_.resize(fd);
  for (int r = 0; r < size; ++r)
    for (int col = 0; col < size; ++col) {
      u_[r * size + col] = T((2.0 * col + 1) / size - 1);
      v_[r * size + col] = T(1 - (2.0 * r + 1) / size);
    }
  background_ = Row::Zero(fd);
}

template <class T>
void KeypointsT<T>::set_background(const Row& background) {
  if (background.size() != background_.size())
    throw std::invalid_argument("Keypoints::set_background: expected " + std::to_string(background_.size()) +
                                " values, got " + std::to_string(background.size()));
  background_ = background;
}

template <class T>
typename KeypointsT<T>::Mat KeypointsT<T>::features(const Mat& O) const {
  const Eigen::Index fd = background_.size(), n = O.rows();
  if (O.cols() != fd * frames_)
    throw std::invalid_argument("Keypoints::features: expected " + std::to_string(fd * frames_) + " columns, got " +
                                std::to_string(O.cols()));
  Mat out(n, feature_dim());
  Row dark(fd), w(fd);
  for (Eigen::Index i = 0; i < n; ++i)
    for (int t = 0; t < frames_; ++t) {
      dark = background_ - O.row(i).segment(t * fd, fd);  // > 0 where the frame is darker
      const T peak = dark.maxCoeff();
      for (int c = 0; c < channels(); ++c) {
        w = (gains_[c] * (dark.array() - peak)).exp();  // shifted by the max: no overflow
        const T total = w.sum();
        const int col = (t * channels() + c) * 2;
        out(i, col) = w.dot(u_) / total;
        out(i, col + 1) = w.dot(v_) / total;
      }
    }
  // Older frames: the displacement to the newest frame in pixels (the keypoints' velocity).
  const int newest = (frames_ - 1) * channels() * 2;
  const T pixels_per_unit = T(size_) / 2;
  for (int col = 0; col < newest; ++col)
    out.col(col) = pixels_per_unit * (out.col(newest + col % (channels() * 2)) - out.col(col));
  return out;
}

template class KeypointsT<float>;
template class KeypointsT<double>;

}  // namespace dynalab
