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

namespace dynalab {

namespace {
constexpr char kStateMagic[8] = {'D', 'L', 'E', 'N', 'S', 'T', 'S', '1'};

using Out = BinaryWriter;
using In = BinaryReader;

void put_adam(Out& o, const Adam& a) {
  o.put<int64_t>(a.t);
  o.put<uint8_t>(a.m.size() > 0);
  if (a.m.size() > 0) {
    o.array(a.m.data(), size_t(a.m.size()));
    o.array(a.v.data(), size_t(a.v.size()));
  }
}

void get_adam(In& in, Adam& a, long n, const std::string& what) {
  a.t = in.get<int64_t>(what);
  if (in.get<uint8_t>(what)) {
    a.m.resize(n);
    a.v.resize(n);
    in.array(a.m.data(), size_t(n), what);
    in.array(a.v.data(), size_t(n), what);
  } else {
    a.m.resize(0);
    a.v.resize(0);
  }
}

void put_rows(Out& o, const std::vector<int>& rows) {
  o.put<uint32_t>(uint32_t(rows.size()));
  o.array(rows.data(), rows.size());
}

std::vector<int> get_rows(In& in, size_t n_rows, const std::string& what) {
  const uint32_t n = in.get<uint32_t>(what);
  if (n > n_rows)
    in.fail(what + ": at most " + std::to_string(n_rows) + " rows, got " + std::to_string(n));
  std::vector<int> rows(n);
  in.array(rows.data(), n, what);
  for (int r : rows)
    if (r < 0 || size_t(r) >= n_rows)
      in.fail(what + ": row indices below " + std::to_string(n_rows));
  return rows;
}
}  // namespace

void Ensemble::save_training_state(const std::filesystem::path& path) const {
  write_file_atomic(path, training_state_bytes());
}

std::string Ensemble::training_state_bytes() const {
  Out o;
  o.array(kStateMagic, 8);
  const long P = members_.empty() ? 0 : long(members_[0].net.params().size());
  o.put<uint32_t>(uint32_t(size()));
  o.put<uint32_t>(uint32_t(P));
  o.put<uint32_t>(uint32_t(target_dim()));
  o.put<uint32_t>(uint32_t(x_raw_.rows()));
  o.put<uint8_t>(done_);
  o.put<uint8_t>(diverged_);
  o.put<int32_t>(epoch_);
  o.put<int32_t>(since_improved_);
  o.put<int32_t>(last_.epoch);
  for (double x : {last_.train_loss, last_.train_mse, last_.val_mse, last_.val_nll}) o.put(x);
  o.put<uint32_t>(uint32_t(last_.member_score.size()));
  o.array(last_.member_score.data(), last_.member_score.size());
  for (bool b : {last_.improved, last_.done, last_.diverged}) o.put<uint8_t>(b);
  for (const Member& mb : members_) {
    put_adam(o, mb.adam);
    put_adam(o, mb.adam_bounds);
  }
  if (!done_) {
    put_rows(o, train_rows_);
    put_rows(o, val_rows_);
    for (const Member& mb : members_) {
      put_rows(o, mb.sample);
      o.array(mb.best.data(), size_t(mb.best.size()));
      o.array(mb.best_bounds_max.data(), size_t(target_dim()));
      o.array(mb.best_bounds_min.data(), size_t(target_dim()));
      o.put(mb.best_score);
    }
  }
  return o.out;
}

void Ensemble::load_training_state(const std::filesystem::path& path, const Dataset& data) {
  load_training_state_bytes(read_file_bytes(path), path.string(), data);
}

void Ensemble::load_training_state_bytes(const std::string& bytes, const std::string& file, const Dataset& data) {
  In in{bytes, file};
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
  const bool done = in.get<uint8_t>("done"), diverged = in.get<uint8_t>("diverged");
  const int epoch = in.get<int32_t>("epoch"), since = in.get<int32_t>("since_improved");
  EpochStats last;
  last.epoch = in.get<int32_t>("the last stats");
  for (double* x : {&last.train_loss, &last.train_mse, &last.val_mse, &last.val_nll})
    *x = in.get<double>("the last stats");
  const uint32_t ns = in.get<uint32_t>("the member scores");
  if (ns > E) in.fail("at most " + std::to_string(E) + " member scores");
  last.member_score.resize(ns);
  in.array(last.member_score.data(), ns, "the member scores");
  for (bool* b : {&last.improved, &last.done, &last.diverged})
    *b = in.get<uint8_t>("the last stats");
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
      mb.best.resize(P);
      in.array(mb.best.data(), size_t(P), what);
      mb.best_bounds_max.resize(D);
      mb.best_bounds_min.resize(D);
      in.array(mb.best_bounds_max.data(), size_t(D), what);
      in.array(mb.best_bounds_min.data(), size_t(D), what);
      mb.best_score = in.get<double>(what);
    }
  }
  if (in.pos != bytes.size())
    in.fail(std::to_string(in.pos) + " bytes for this model, the file has " +
            std::to_string(bytes.size()));
  members_ = std::move(loaded);
  done_ = done, diverged_ = diverged, epoch_ = epoch, since_improved_ = since, last_ = last;
  if (!done_) {
    train_rows_ = std::move(train);
    val_rows_ = std::move(val);
    load_rows(data);
    normalise_rows();
  }
}

}  // namespace dynalab
