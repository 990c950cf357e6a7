#pragma once
// Orthogonal initialisation (Saxe et al., ICLR 2014), as PyTorch's nn.init.orthogonal_ and
// Stable-Baselines3's ortho_init: each layer's weight matrix is the orthogonal factor Q of the QR
// decomposition of a standard normal matrix (signs fixed by R's diagonal so Q is uniform on the
// orthogonal group), times the layer's gain; biases are zero. SB3's gains for PPO/A2C: sqrt(2)
// for the hidden layers, 0.01 for the action head, 1 for the value head.

#include <vector>

#include "core/models/mlp.h"

namespace dynalab {

class Rng;

/// Sets every weight of `net` as above with gains[l] for layer l (gains.size() == layers());
/// the normal draws come from rng, row by row. Throws std::invalid_argument on a gains mismatch.
void orthogonal_init(Mlp& net, const std::vector<double>& gains, Rng& rng);

}  // namespace dynalab
