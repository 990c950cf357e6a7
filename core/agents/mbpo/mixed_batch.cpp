#include "core/agents/mbpo/mixed_batch.h"

#include <cmath>

#include "core/rng.h"

namespace dynalab {

int real_rows(int batch_size, double real_data_ratio, int64_t model_size) {
  if (model_size == 0) return batch_size;
  return int(std::floor(batch_size * real_data_ratio));
}

int sample_mixed_batch(const ReplayBuffer& real, const ReplayBuffer& model, int batch_size,
                       double real_data_ratio, Rng& rng, ReplayBatch& out, ReplayBatch& scratch) {
  const int n_real = real_rows(batch_size, real_data_ratio, model.size());
  const int n_model = batch_size - n_real;
  real.sample(n_real, rng, out);
  if (n_model == 0) return n_real;
  model.sample(n_model, rng, scratch);
  // Rows [0, n_real) real, [n_real, batch_size) model.
  const auto append = [&](Eigen::MatrixXf& dst, const Eigen::MatrixXf& src) {
    dst.conservativeResize(batch_size, Eigen::NoChange);
    dst.bottomRows(n_model) = src;
  };
  append(out.obs, scratch.obs);
  append(out.actions, scratch.actions);
  append(out.rewards, scratch.rewards);
  append(out.next_obs, scratch.next_obs);
  append(out.dones, scratch.dones);
  return n_real;
}

}  // namespace dynalab
