// The training state of an Ensemble, beside the weights file of ensemble_io.cpp, for sessions.
// Little-endian binary:
//   char[8] magic "DLENSTS1"; u32 E, P (parameters per member), D (target dims), n_rows (dataset)
//   u8 done, diverged; i32 epoch, since_improved
//   last epoch stats: i32 epoch; f64 train_loss, train_mse, val_mse, val_nll; u32 n; f64[n]
//                     member scores; u8 improved, done, diverged
//   E times: Adam (i64 t, u8 sized, f32[P] m, f32[P] v), bounds Adam (the same with 2D)
//   if not done (a fit in progress): u32 n_train, i32[] train rows, u32 n_val, i32[] val rows;
//     E times: u32 n, i32[n] bootstrap sample, f32[P] best weights, f32[D] best max log-var,
//              f32[D] best min log-var, f64 best score
// The normalised matrices are not stored: they are rebuilt from the dataset and the normalisers
// (in the weights file) with the same arithmetic, so they come out bit-identical.
#include <cstring>

#include "core/dataset.h"
#include "core/io/atomic_file.h"
#include "core/io/read_file.h"
#include "core/models/binary_io.h"
#include "core/models/ensemble.h"
#include "core/models/training_state_io.h"

namespace dynalab {

namespace {
constexpr char kStateMagic[8] = {'D', 'L', 'E', 'N', 'S', 'T', 'S', '1'};
}  // namespace

void Ensemble::save_training_state(const std::filesystem::path& path) const {
  write_file_atomic(path, training_state_bytes());
}

std::string Ensemble::training_state_bytes() const {
  BinaryWriter o;
  o.array(kStateMagic, 8);
  const long P = members_.empty() ? 0 : long(members_[0].net.params().size());
  o.put<uint32_t>(uint32_t(size()));
  o.put<uint32_t>(uint32_t(P));
  o.put<uint32_t>(uint32_t(target_dim()));
  o.put<uint32_t>(uint32_t(rows_.size()));
  put_fit_progress(o, done_, diverged_, epoch_, since_improved_, last_);
  for (const Member& mb : members_) {
    put_adam(o, mb.adam);
    put_adam(o, mb.adam_bounds);
  }
  if (!done_) {
    put_rows(o, rows_.train);
    put_rows(o, rows_.val);
    for (const Member& mb : members_) {
      put_rows(o, mb.sample);
      put_best(o, mb.best);
    }
  }
  return o.out;
}

void Ensemble::load_training_state(const std::filesystem::path& path, const Dataset& data) {
  load_training_state_bytes(read_file_bytes(path), path.string(), data);
}

void Ensemble::load_training_state_bytes(const std::string& bytes, const std::string& file, const Dataset& data) {
  BinaryReader in{bytes, file};
  in.need(8, "the magic \"DLENSTS1\"");
  if (std::memcmp(bytes.data(), kStateMagic, 8) != 0)
    in.fail("a dynalab training-state file (starting with \"DLENSTS1\")");
  in.pos = 8;
  const long P = long(members_[0].net.params().size()), D = target_dim();
  const uint32_t E = in.get<uint32_t>("E"), p = in.get<uint32_t>("P"), d = in.get<uint32_t>("D");
  const uint32_t n_rows = in.get<uint32_t>("the row count");
  if (E != uint32_t(size()) || p != uint32_t(P) || d != uint32_t(D))
    in.fail(std::to_string(size()) + " members of " + std::to_string(P) + " parameters and " +
            std::to_string(D) + " targets (" + describe_shape() + "), got " + std::to_string(E) +
            " of " + std::to_string(p) + " and " + std::to_string(d));
  bool done, diverged;
  int epoch, since;
  EpochStats last;
  get_fit_progress(in, E, done, diverged, epoch, since, last);
  std::vector<Member> loaded = members_;
  for (uint32_t m = 0; m < E; ++m) {
    const std::string what = "member " + std::to_string(m) + "'s Adam moments";
    get_adam(in, loaded[m].adam, P, what);
    get_adam(in, loaded[m].adam_bounds, 2 * D, what);
  }
  std::vector<int> train, val;
  if (!done) {
    if (n_rows != data.size())
      in.fail("a fit over " + std::to_string(n_rows) + " rows, the dataset has " +
              std::to_string(data.size()));
    train = get_rows(in, n_rows, "the training rows");
    val = get_rows(in, n_rows, "the validation rows");
    for (uint32_t m = 0; m < E; ++m) {
      const std::string what = "member " + std::to_string(m) + "'s fit state";
      Member& mb = loaded[m];
      mb.sample = get_rows(in, n_rows, what);
      get_best(in, mb.best, P, D, what);
    }
  }
  if (in.pos != bytes.size())
    in.fail(std::to_string(in.pos) + " bytes for this model, the file has " +
            std::to_string(bytes.size()));
  members_ = std::move(loaded);
  done_ = done, diverged_ = diverged, epoch_ = epoch, since_improved_ = since, last_ = last;
  if (!done_) rows_.restore(*this, data, std::move(train), std::move(val), in_norm_, out_norm_);
}

}  // namespace dynalab
