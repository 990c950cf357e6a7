#pragma once
// Hidden-layer activations of the MLPs, applied to whole Eigen arrays at once so that the
// compiler emits SIMD code (SiLU's exp is Eigen's vectorised pexp: on the planning hot path the
// activations cost about as much as the matrix products, so a scalar loop is not an option).

#include <Eigen/Core>
#include <string>
#include <vector>

namespace dynalab {

enum class Activation { relu, tanh, silu };

/// The config names, in enum order: "relu", "tanh", "silu".
const std::vector<std::string>& activation_names();
/// Parses a config name; throws InputError naming `where` if unknown.
Activation parse_activation(const std::string& name, const std::string& where = "activation");
/// The config name of `a`.
const std::string& activation_name(Activation a);

/// h = act(z), element-wise in place.
template <class Derived>
void activate(Eigen::MatrixBase<Derived>& z, Activation act) {
  using T = typename Derived::Scalar;
  auto a = z.array();
  switch (act) {
    case Activation::relu:
      a = a.max(T(0));
      break;
    case Activation::tanh:
      a = a.tanh();
      break;
    case Activation::silu:
      // x * sigmoid(x) with sigmoid(x) = (1 + tanh(x/2)) / 2: Eigen's vectorised float tanh is
      // a rational function (no exp, one division), measured faster than x / (1 + exp(-x)).
      a = (T(0.5) * a) * (T(1) + (T(0.5) * a).tanh());
      break;
  }
}

/// h = act(z + b) for every row of z, in place (z: rows = samples, b: one value per column).
template <class Derived, class BiasDerived>
void add_bias_activate(Eigen::MatrixBase<Derived>& z, const Eigen::MatrixBase<BiasDerived>& b,
                       Activation act) {
  z.array().rowwise() += b.array();
  activate(z, act);
}

/// dz = dh * act'(z), given the pre-activation z and the activation output h (same shapes).
template <class DZ, class Z, class H>
void activation_backward(Eigen::MatrixBase<DZ>& dh_to_dz, const Eigen::MatrixBase<Z>& z,
                         const Eigen::MatrixBase<H>& h, Activation act) {
  using T = typename DZ::Scalar;
  auto d = dh_to_dz.array();
  switch (act) {
    case Activation::relu:
      d = (z.array() > T(0)).select(d, T(0));
      break;
    case Activation::tanh:
      d = d * (T(1) - h.array().square());
      break;
    case Activation::silu: {
      // silu'(z) = s + z s (1 - s) = s + h (1 - s), with s = sigmoid(z).
      auto s = T(0.5) * (T(1) + (T(0.5) * z.array()).tanh());
      d = d * (s + h.array() * (T(1) - s));
      break;
    }
  }
}

}  // namespace dynalab
