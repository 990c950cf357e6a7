#include "core/models/training_state_io.h"

namespace dynalab {

namespace {
template <class V>
void put_vec(BinaryWriter& o, const V& x) {
  o.array(x.data(), size_t(x.size()));
}

template <class V>
void get_vec(BinaryReader& in, V& x, long n, const std::string& what) {
  x.resize(n);
  in.array(x.data(), size_t(n), what);
}
}  // namespace

void put_adam(BinaryWriter& o, const Adam& a) {
  o.put<int64_t>(a.t);
  o.put<uint8_t>(a.m.size() > 0);
  if (a.m.size() > 0) {
    put_vec(o, a.m);
    put_vec(o, a.v);
  }
}

void get_adam(BinaryReader& in, Adam& a, long n, const std::string& what) {
  a.t = in.get<int64_t>(what);
  if (in.get<uint8_t>(what)) {
    get_vec(in, a.m, n, what);
    get_vec(in, a.v, n, what);
  } else {
    a.m.resize(0);
    a.v.resize(0);
  }
}

void put_rows(BinaryWriter& o, const std::vector<int>& rows) {
  o.put<uint32_t>(uint32_t(rows.size()));
  o.array(rows.data(), rows.size());
}

std::vector<int> get_rows(BinaryReader& in, size_t n_rows, const std::string& what) {
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

void put_fit_progress(BinaryWriter& o, bool done, bool diverged, int epoch, int since_improved,
                      const EpochStats& last) {
  o.put<uint8_t>(done);
  o.put<uint8_t>(diverged);
  o.put<int32_t>(epoch);
  o.put<int32_t>(since_improved);
  o.put<int32_t>(last.epoch);
  for (double x : {last.train_loss, last.train_mse, last.val_mse, last.val_nll}) o.put(x);
  o.put<uint32_t>(uint32_t(last.member_score.size()));
  o.array(last.member_score.data(), last.member_score.size());
  for (bool b : {last.improved, last.done, last.diverged}) o.put<uint8_t>(b);
}

void get_fit_progress(BinaryReader& in, size_t max_scores, bool& done, bool& diverged,
                      int& epoch, int& since_improved, EpochStats& last) {
  done = in.get<uint8_t>("done");
  diverged = in.get<uint8_t>("diverged");
  epoch = in.get<int32_t>("epoch");
  since_improved = in.get<int32_t>("since_improved");
  last = EpochStats{};
  last.epoch = in.get<int32_t>("the last stats");
  for (double* x : {&last.train_loss, &last.train_mse, &last.val_mse, &last.val_nll})
    *x = in.get<double>("the last stats");
  const uint32_t ns = in.get<uint32_t>("the member scores");
  if (ns > max_scores)
    in.fail("at most " + std::to_string(max_scores) + " member score" +
            (max_scores == 1 ? "" : "s") + ", got " + std::to_string(ns));
  last.member_score.resize(ns);
  in.array(last.member_score.data(), ns, "the member scores");
  for (bool* b : {&last.improved, &last.done, &last.diverged})
    *b = in.get<uint8_t>("the last stats");
}

void put_best(BinaryWriter& o, const BestWeights& b) {
  put_vec(o, b.params);
  put_vec(o, b.bounds.max_lv);
  put_vec(o, b.bounds.min_lv);
  o.put(b.score);
}

void get_best(BinaryReader& in, BestWeights& b, long n, long D, const std::string& what) {
  get_vec(in, b.params, n, what);
  get_vec(in, b.bounds.max_lv, D, what);
  get_vec(in, b.bounds.min_lv, D, what);
  b.score = in.get<double>(what);
}

}  // namespace dynalab
