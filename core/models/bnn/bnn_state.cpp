// The session state of a BnnDynamics: one little-endian binary file, model/bnn.bin:
//   char[8] magic "DLBNNST2"; u32 K (draws), P (parameters), D (targets), in (inputs), n_rows
//            (the dataset's rows during a fit, else 0)
//   u64 construction seed, draws' seed; i32 completed fits; i64 Adam steps since reinitialize
//   u8 done, diverged; i32 epoch, since_improved
//   last epoch stats: i32 epoch; f64 train_loss, train_mse, val_mse, val_nll; u32 n; f64[n]
//                     member scores; u8 improved, done, diverged
//   f32[in] input normaliser mean, std; f32[D] target normaliser mean, std
//   f32[P] mu, f32[P] rho, f32[D] max log-variance, f32[D] min log-variance
//   Adam of mu, of rho (i64 t, u8 sized, f32[P] m, f32[P] v), of the bounds (the same with 2D)
//   if not done (a fit in progress): u32 n_train, i32[] train rows, u32 n_val, i32[] val rows,
//     f32[P] best mu, f32[P] best rho, f32[D] best max, f32[D] best min log-variance, f64 best score
// The draws are not stored: they are mu + sigma * eps_k with eps_k from the draws' seed, rebuilt
// bit-identically on load; the normalised rows are rebuilt from the dataset as Ensemble does.
#include <cstring>

#include "core/dataset.h"
#include "core/models/binary_io.h"
#include "core/models/bnn/bnn_dynamics.h"
#include "core/models/training_state_io.h"
#include "core/state_visitor.h"

namespace dynalab {

namespace {
constexpr char kMagic[8] = {'D', 'L', 'B', 'N', 'N', 'S', 'T', '2'};

void put_vec(BinaryWriter& o, const Eigen::VectorXf& x) { o.array(x.data(), size_t(x.size())); }
void put_row(BinaryWriter& o, const Eigen::RowVectorXf& x) { o.array(x.data(), size_t(x.size())); }

template <class V>
void get_into(BinaryReader& in, V& x, long n, const std::string& what) {
  x.resize(n);
  in.array(x.data(), size_t(n), what);
}
}  // namespace

void BnnDynamics::visit_state(StateVisitor& v, const Dataset& data) {
  v.file(
      "model/bnn.bin", [&] { return state_bytes(); },
      [&](const std::string& bytes, const std::string& source) {
        load_state_bytes(bytes, source, data);
      });
}

std::string BnnDynamics::state_bytes() const {
  BinaryWriter o;
  o.array(kMagic, 8);
  for (long x : {long(members()), q_.size(), long(target_dim()), long(input_dim()),
                 done_ ? 0L : rows_.size()})
    o.put<uint32_t>(uint32_t(x));
  o.put<uint64_t>(seed_);
  o.put<uint64_t>(draws_seed_);
  o.put<int32_t>(fits_);
  o.put<int64_t>(updates_);
  put_fit_progress(o, done_, diverged_, epoch_, since_improved_, last_);
  put_row(o, in_norm_.mean);
  put_row(o, in_norm_.std);
  put_row(o, out_norm_.mean);
  put_row(o, out_norm_.std);
  put_vec(o, q_.mu);
  put_vec(o, q_.rho);
  put_vec(o, bounds_.max_lv);
  put_vec(o, bounds_.min_lv);
  put_adam(o, adam_mu_);
  put_adam(o, adam_rho_);
  put_adam(o, adam_bounds_);
  if (!done_) {
    put_rows(o, rows_.train);
    put_rows(o, rows_.val);
    put_best(o, best_);
  }
  return o.out;
}

void BnnDynamics::load_state_bytes(const std::string& bytes, const std::string& file,
                                   const Dataset& data) {
  BinaryReader in{bytes, file};
  in.need(8, "the magic \"DLBNNST2\"");
  if (std::memcmp(bytes.data(), kMagic, 8) != 0)
    in.fail("a dynalab BNN state file (starting with \"DLBNNST2\")");
  in.pos = 8;
  const long P = q_.size(), D = target_dim(), I = input_dim();
  const uint32_t K = in.get<uint32_t>("K"), p = in.get<uint32_t>("P"), d = in.get<uint32_t>("D"),
                 i_dim = in.get<uint32_t>("the input count");
  const uint32_t n_rows = in.get<uint32_t>("the row count");
  if (K != uint32_t(members()) || p != uint32_t(P) || d != uint32_t(D) || i_dim != uint32_t(I))
    in.fail(std::to_string(members()) + " draws of " + std::to_string(P) + " parameters, " +
            std::to_string(I) + " inputs and " + std::to_string(D) + " targets (" +
            describe_shape() + "), got " + std::to_string(K) + " of " + std::to_string(p) + ", " +
            std::to_string(i_dim) + " and " + std::to_string(d));
  // Read into a copy: a failure leaves the model as it was.
  BnnDynamics m = *this;
  m.seed_ = in.get<uint64_t>("the seed");
  m.draws_seed_ = in.get<uint64_t>("the draws' seed");
  m.fits_ = in.get<int32_t>("the fit count");
  m.updates_ = in.get<int64_t>("the update count");
  get_fit_progress(in, 1, m.done_, m.diverged_, m.epoch_, m.since_improved_, m.last_);
  get_into(in, m.in_norm_.mean, I, "the input normaliser");
  get_into(in, m.in_norm_.std, I, "the input normaliser");
  get_into(in, m.out_norm_.mean, D, "the target normaliser");
  get_into(in, m.out_norm_.std, D, "the target normaliser");
  get_into(in, m.q_.mu, P, "mu");
  get_into(in, m.q_.rho, P, "rho");
  get_into(in, m.bounds_.max_lv, D, "the log-variance bounds");
  get_into(in, m.bounds_.min_lv, D, "the log-variance bounds");
  get_adam(in, m.adam_mu_, P, "mu's Adam moments");
  get_adam(in, m.adam_rho_, P, "rho's Adam moments");
  get_adam(in, m.adam_bounds_, 2 * D, "the bounds' Adam moments");
  if (!m.done_) {
    if (n_rows != data.size())
      in.fail("a fit over " + std::to_string(n_rows) + " rows, the dataset has " +
              std::to_string(data.size()));
    std::vector<int> train = get_rows(in, n_rows, "the training rows");
    std::vector<int> val = get_rows(in, n_rows, "the validation rows");
    if (train.empty()) in.fail("at least one training row");
    get_best(in, m.best_, 2 * P, D, "the best mu, rho and bounds");
    m.rows_.restore(m, data, std::move(train), std::move(val), m.in_norm_, m.out_norm_);
  } else {
    m.rows_.train.clear();
    m.rows_.val.clear();
  }
  if (in.pos != bytes.size())
    in.fail("the end of the file at byte " + std::to_string(in.pos) + ", it has " +
            std::to_string(bytes.size()) + " bytes");
  m.materialise_draws();
  *this = std::move(m);
}

}  // namespace dynalab

namespace dynalab {

void BnnDynamics::load_bytes(const std::string& bytes, const std::string& source) {
  load_state_bytes(bytes, source, Dataset(obs_dim_, action_dim_));
}

}  // namespace dynalab
