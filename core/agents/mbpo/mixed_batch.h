#pragma once
// MBPO's policy-training batches: real and model transitions mixed in a fixed share, as in the
// paper's code (jannerm/mbpo, algorithms/mbpo.py _get_training_batch): of batch_size rows,
// n_real = floor(batch_size * real_data_ratio) come from the real buffer and the rest from the
// model buffer. (mbrl-lib instead picks ONE buffer per batch, real with probability
// real_data_ratio; the expected share is the same, the variance of a batch's share is not.)

#include "core/agents/sac/replay_buffer.h"

namespace dynalab {

class Rng;

/// The real rows of a batch: floor(batch_size * real_data_ratio), or all of them while the
/// model buffer is still empty (before the first branched rollout).
int real_rows(int batch_size, double real_data_ratio, int64_t model_size);

/// Fills `out` with real_rows() rows drawn uniformly with replacement from `real` (first), then
/// the rest from `model` (after them), all through `rng`; `scratch` is a buffer for the model
/// part. The buffer a part comes from must not be empty. Returns the real rows.
int sample_mixed_batch(const ReplayBuffer& real, const ReplayBuffer& model, int batch_size,
                       double real_data_ratio, Rng& rng, ReplayBatch& out, ReplayBatch& scratch);

}  // namespace dynalab
