#pragma once
// The pieces of a network model's training state that Ensemble (ensemble_state.cpp) and
// BnnDynamics (bnn/bnn_state.cpp) both write to their session files, in the same little-endian
// layout (binary_io.h); each reader fails with a one-line InputError naming the file and `what`.
//   Adam:         i64 t, u8 sized, then if sized f32[n] m, f32[n] v
//   rows:         u32 count, i32[count] row indices (each below the dataset's rows)
//   fit progress: u8 done, diverged; i32 epoch, since_improved; the last epoch's stats: i32
//                 epoch; f64 train_loss, train_mse, val_mse, val_nll; u32 n; f64[n] member
//                 scores; u8 improved, done, diverged
//   best weights: f32[n] params, f32[D] max log-variance, f32[D] min log-variance, f64 score

#include <string>
#include <vector>

#include "core/models/adam.h"
#include "core/models/best_weights.h"
#include "core/models/binary_io.h"
#include "core/models/learned_model.h"

namespace dynalab {

void put_adam(BinaryWriter& o, const Adam& a);
/// Reads put_adam's record of an optimiser over n parameters.
void get_adam(BinaryReader& in, Adam& a, long n, const std::string& what);

void put_rows(BinaryWriter& o, const std::vector<int>& rows);
/// Reads put_rows's record; fails unless every index is below n_rows.
std::vector<int> get_rows(BinaryReader& in, size_t n_rows, const std::string& what);

void put_fit_progress(BinaryWriter& o, bool done, bool diverged, int epoch, int since_improved,
                      const EpochStats& last);
/// Reads put_fit_progress's record; fails if `last` has more than max_scores member scores.
void get_fit_progress(BinaryReader& in, size_t max_scores, bool& done, bool& diverged,
                      int& epoch, int& since_improved, EpochStats& last);

void put_best(BinaryWriter& o, const BestWeights& b);
/// Reads put_best's record of n parameters and D bounds.
void get_best(BinaryReader& in, BestWeights& b, long n, long D, const std::string& what);

}  // namespace dynalab
