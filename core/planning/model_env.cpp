#include "core/planning/model_env.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <thread>

namespace dynalab {

namespace {
// Rows per chunk aimed at: big enough that each elite's matrix product is GEMM-efficient, small
// enough that 2 threads get work. The chunk count depends on the batch only (determinism).
constexpr long kRowsPerChunk = 8192;
}  // namespace

struct ModelEnv::Chunk {
  int c0 = 0, c1 = 0;  // candidates [c0, c1): the stepper's groups
  ModelStepper::Batch rows;
  Eigen::VectorXf ret;  // return of each row so far
};

ModelEnv::ModelEnv(std::shared_ptr<const DynamicsModel> model, const ModelEnvConfig& config,
                   RewardFn reward, TerminationFn termination)
    : stepper_(std::move(model), config, std::move(reward), std::move(termination)) {}

ModelEnv::~ModelEnv() = default;

const DifferentiableDynamics* ModelEnv::differentiable_dynamics() {
  if (!diff_dynamics_tried_) {
    diff_dynamics_tried_ = true;
    Eigen::MatrixXf J;
    const DynamicsModel& m = model();
    if (!m.rollout_members().empty() &&
        m.input_jacobian(m.rollout_members().front(), Eigen::VectorXf::Zero(m.obs_dim()),
                         Eigen::VectorXf::Zero(m.action_dim()), J))
      diff_dynamics_ = std::make_unique<ModelDynamics>(m);
  }
  return diff_dynamics_.get();
}

void ModelEnv::evaluate(const ActionBatch& actions, int horizon, const Vec& start,
                        uint64_t noise_seed, Eigen::VectorXf& returns, std::vector<float>* paths) {
  const int A = action_dim(), O = obs_dim();
  if (horizon < 1 || actions.cols() != long(horizon) * A)
    throw std::invalid_argument(
        "ModelEnv::evaluate: expected actions with horizon * action_dim columns");
  if (start.size() != O)
    throw std::invalid_argument("ModelEnv::evaluate: start has the wrong dimension");
  const long P = actions.rows();
  const long K = stepper_.rows_per_group();
  returns.resize(P);
  if (paths) paths->resize(size_t(P) * particles() * (horizon + 1) * O);
  last_steps_ = P * K * horizon;
  if (P == 0) return;
  const long rows = P * K;
  const long nch = std::min<long>(P, 2 * ((rows + kRowsPerChunk - 1) / kRowsPerChunk));
  // Chunk boundaries on multiples of q candidates, q chosen so that each elite's rows in a chunk
  // (tsinf: q K / E_el per q candidates) fill whole 16-float SIMD registers: the dense kernel's
  // last, partly empty register costs as much as a full one (200 rows per elite = 12.5
  // registers). Results do not depend on the cut: each candidate has its own noise stream.
  const long group = 16L * long(model().rollout_members().size());
  long q = group / std::gcd(K, group);
  if (q * nch > P) q = 1;
  if (long(chunks_.size()) < nch) chunks_.resize(nch);
  for (long k = 0; k < nch; ++k) {
    if (!chunks_[k]) chunks_[k] = std::make_unique<Chunk>();
    chunks_[k]->c0 = k == 0 ? 0 : chunks_[k - 1]->c1;
    // Rounded up: the first chunk is the largest, and it runs on the calling thread, which
    // starts at once while the others are still being started.
    chunks_[k]->c1 = k == nch - 1 ? int(P) : int((P * (k + 1) / nch + q - 1) / q * q);
  }
  const int T = int(std::min<long>(config().threads, nch));
  std::vector<std::exception_ptr> errors(T);
  auto work = [&](int t) {
    try {
      for (long k = t; k < nch; k += T)
        run_chunk(*chunks_[k], actions, horizon, start, noise_seed, paths);
    } catch (...) {
      errors[t] = std::current_exception();
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < T; ++t) pool.emplace_back(work, t);
  work(0);
  for (auto& th : pool) th.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
  std::vector<float> sorted;
  for (long k = 0; k < nch; ++k) {
    const Chunk& ch = *chunks_[k];
    for (int c = ch.c0; c < ch.c1; ++c) {
      const float v = score(ch.ret.segment(long(c - ch.c0) * K, K), sorted);
      returns[c] = std::isfinite(v) ? v : -std::numeric_limits<float>::infinity();
    }
  }
}

float ModelEnv::score(const Eigen::Ref<const Eigen::VectorXf>& r, std::vector<float>& sorted) const {
  const ModelEnvConfig& c = config();
  // Mode mean has one row per candidate: every score of identical particles is that row.
  if (c.score == "mean" || r.size() == 1) return r.mean();
  if (!r.allFinite()) return -std::numeric_limits<float>::infinity();
  if (c.score == "quantile") {  // nearest rank, as the pessimistic propagation's quantile
    sorted.assign(r.data(), r.data() + r.size());
    const long k = std::lround(c.score_quantile * double(r.size() - 1));
    std::nth_element(sorted.begin(), sorted.begin() + k, sorted.end());
    return sorted[size_t(k)];
  }
  const float m = r.mean();  // mean_std: population std of the particles' returns
  const float sd = std::sqrt((r.array() - m).square().mean());
  return m + float(c.score_std) * sd;
}

void ModelEnv::run_chunk(Chunk& ch, const ActionBatch& actions, int horizon, const Vec& start,
                         uint64_t seed, std::vector<float>* paths) {
  const int O = obs_dim(), A = action_dim();
  const long K = stepper_.rows_per_group();
  const int nc = ch.c1 - ch.c0;
  const long n = nc * K;
  ModelStepper::Batch& b = ch.rows;
  stepper_.begin(b, ch.c0, ch.c1, seed);
  b.states.rowwise() = start.cast<float>().transpose();
  ch.ret.setZero(n);
  const int P_particles = particles();
  const long copies = P_particles / K;  // mode mean: one row stands for all particles
  // Observation t of every row; NaN for a row whose particle had terminated before step t - 1
  // (`ended_before`), so its drawn path ends at its terminal state.
  auto write_paths = [&](int t, const Eigen::VectorXf& ended_before) {
    if (!paths) return;
    float* base = paths->data();
    for (long i = 0; i < n; ++i) {
      const long c = ch.c0 + i / K;
      const long p0 = i % K, p1 = p0 + copies;
      const bool gone = ended_before[i] == 0.0f;
      for (long p = p0; p < p1; ++p) {
        float* dst = base + ((c * P_particles + p) * (horizon + 1) + t) * O;
        for (int d = 0; d < O; ++d)
          dst[d] = gone ? std::numeric_limits<float>::quiet_NaN() : b.states(i, d);
      }
    }
  };

  write_paths(0, b.alive);
  for (int t = 0; t < horizon; ++t) {
    // Row i = c * K + particle (no division per row: a 64-bit idiv cost 4 % of a replan).
    for (int c = 0; c < nc; ++c) {
      const auto a = actions.row(ch.c0 + c).segment(long(t) * A, A);
      for (long p = 0; p < K; ++p) b.actions.row(long(c) * K + p) = a;
    }
    stepper_.step(b);
    ch.ret += b.reward;
    write_paths(t + 1, b.was_alive);
  }
}

}  // namespace dynalab
