#include "core/planning/model_env.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <thread>

#include "core/models/bulk_normal.h"

namespace dynalab {

namespace {
using AlignedFloats = std::vector<float, Eigen::aligned_allocator<float>>;

// Rows per chunk aimed at: big enough that each elite's matrix product is GEMM-efficient, small
// enough that 2 threads get work. The chunk count depends on the batch only (determinism).
constexpr long kRowsPerChunk = 8192;

template <class ArrayT>
auto softplus_array(const ArrayT& x) {
  // log(1 + e) rather than log1p(e): Eigen vectorises log, and for e < 1e-7 the absolute
  // error (< 1e-7) is far below what the log-variance bound needs.
  return x.max(0.0f) + (1.0f + (-x.abs()).exp()).log();
}

/// Applies an env's closed-form function of (s, a, s') to every row of a batch, writing
/// out[i] = f(s, a, s'). Rows are converted to the env's double vectors in per-thread buffers
/// (ModelEnv calls this from its worker threads).
template <class F>
void for_each_transition(const Eigen::Ref<const RowMatrixXf>& obs,
                         const Eigen::Ref<const RowMatrixXf>& act,
                         const Eigen::Ref<const RowMatrixXf>& next, Eigen::Ref<Eigen::VectorXf> out,
                         F f) {
  thread_local Vec s, a, s2;
  for (Eigen::Index i = 0; i < obs.rows(); ++i) {
    s = obs.row(i).transpose().cast<double>();
    a = act.row(i).transpose().cast<double>();
    s2 = next.row(i).transpose().cast<double>();
    out[i] = static_cast<float>(f(s, a, s2));
  }
}

}  // namespace

/// The env's closed-form reward r(s, a, s') as ModelEnv's batched reward.
ModelEnv::RewardFn env_reward(const Env& env) {
  return [&env](const auto& obs, const auto& act, const auto& next, Eigen::Ref<Eigen::VectorXf> r) {
    for_each_transition(obs, act, next, r,
                        [&env](const Vec& s, const Vec& a, const Vec& s2) { return *env.reward(s, a, s2); });
  };
}

/// The env's closed-form termination as ModelEnv's batched predicate (1 terminal, 0 not).
ModelEnv::TerminationFn env_termination(const Env& env) {
  return [&env](const auto& obs, const auto& act, const auto& next, Eigen::Ref<Eigen::VectorXf> d) {
    for_each_transition(obs, act, next, d, [&env](const Vec& s, const Vec& a, const Vec& s2) {
      return *env.terminated(s, a, s2) ? 1.0 : 0.0;
    });
  };
}

struct ModelEnv::Chunk {
  int c0 = 0, c1 = 0;
  RowMatrixXf S, Snext, Arows, noise;  // n x obs, n x obs, n x action, n x D
  Eigen::VectorXf r, ret;
  Eigen::VectorXf done;   // this step's termination: 1 terminal (a probability while learned)
  Eigen::VectorXf alive;  // 1 while the particle has not terminated

  std::vector<Rng> rngs;  // one stream per candidate
  std::vector<int> member_of, order, start;
  AlignedFloats xbuf, obuf;
  Mlp::Scratch scratch;
  BulkNormals normals;
  std::vector<RowMatrixXf> sn;      // pessimistic/optimistic: next state per elite
  std::vector<Eigen::VectorXf> re;  // pessimistic/optimistic: reward per elite
  std::vector<Eigen::VectorXf> de;  // pessimistic/optimistic: learned P(terminated) per elite
  std::vector<int> rank;
  Eigen::RowVectorXf in_mean, in_inv, y_mean, y_sd;
  Eigen::ArrayXf tmp;  // log-variance bounds: the argument of softplus
};

ModelEnv::ModelEnv(std::shared_ptr<const Ensemble> model, const ModelEnvConfig& config,
                   RewardFn reward, TerminationFn termination)
    : model_(std::move(model)), reward_(std::move(reward)), termination_(std::move(termination)) {
  if (!model_) throw std::invalid_argument("ModelEnv: model is null");
  if (!reward_ && !model_->learns_reward())
    throw InputError(
        "model: expected learn_reward = true, or a planning reward from the env (none given)");
  set_config(config);
}

ModelEnv::~ModelEnv() = default;

void ModelEnv::set_config(const ModelEnvConfig& c) {
  const auto& names = ModelEnvConfig::propagations();
  const auto it = std::find(names.begin(), names.end(), c.propagation);
  if (it == names.end())
    throw InputError(
        "planner.propagation: expected one of mean, ts1, tsinf, pessimistic, optimistic, got \"" +
        c.propagation + "\"");
  if (c.particles < 1) throw InputError("planner.particles: expected an integer >= 1");
  const auto& ends = ModelEnvConfig::terminations();
  const auto e = std::find(ends.begin(), ends.end(), c.termination);
  if (e == ends.end())
    throw InputError("rollout.termination: expected one of env, learned, none, got \"" +
                     c.termination + "\"");
  Ends ends_now = static_cast<Ends>(e - ends.begin());
  if (ends_now == Ends::env && !termination_) ends_now = Ends::learned;  // the env cannot say
  if (ends_now == Ends::learned && !model_->learns_termination())
    throw InputError(c.termination == "env"
                         ? "rollout.termination: the env cannot say when an episode ends; "
                           "expected model.learn_termination = true (or termination = none)"
                         : "rollout.termination: \"learned\" expects model.learn_termination = "
                           "true");
  ends_ = ends_now;
  mode_ = static_cast<Mode>(it - names.begin());
  cfg_ = c;
  cfg_.threads = std::max(1, cfg_.threads);
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
  const long K = mode_ == Mode::mean ? 1 : cfg_.particles;
  returns.resize(P);
  if (paths) paths->resize(size_t(P) * cfg_.particles * (horizon + 1) * O);
  last_steps_ = P * K * horizon;
  if (P == 0) return;
  const long rows = P * K;
  const long nch = std::min<long>(P, 2 * ((rows + kRowsPerChunk - 1) / kRowsPerChunk));
  // Chunk boundaries on multiples of q candidates, q chosen so that each elite's rows in a chunk
  // (tsinf: q K / E_el per q candidates) fill whole 16-float SIMD registers: the dense kernel's
  // last, partly empty register costs as much as a full one (200 rows per elite = 12.5
  // registers). Results do not depend on the cut: each candidate has its own noise stream.
  const long group = 16L * long(model_->elites().size());
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
  const int T = int(std::min<long>(cfg_.threads, nch));
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
  for (long k = 0; k < nch; ++k) {
    const Chunk& ch = *chunks_[k];
    for (int c = ch.c0; c < ch.c1; ++c) {
      const float v = ch.ret.segment(long(c - ch.c0) * K, K).mean();
      returns[c] = std::isfinite(v) ? v : -std::numeric_limits<float>::infinity();
    }
  }
}

void ModelEnv::run_chunk(Chunk& ch, const ActionBatch& actions, int horizon, const Vec& start,
                         uint64_t seed, std::vector<float>* paths) {
  const Ensemble& M = *model_;
  const int O = M.obs_dim(), A = M.action_dim(), D = M.target_dim(), in = O + A;
  const bool prob = M.probabilistic();
  const int outdim = prob ? 2 * D : D;
  const long K = mode_ == Mode::mean ? 1 : cfg_.particles;
  const int nc = ch.c1 - ch.c0;
  const long n = nc * K;
  const std::vector<int>& el = M.elites();
  const int ne = int(el.size());
  const bool sample = prob && mode_ != Mode::mean;
  const bool learned = !reward_;
  const bool learned_end = ends_ == Ends::learned;
  const int tcol = M.termination_column();  // P(terminated), in the learned case
  const bool quantile_mode = mode_ == Mode::pessimistic || mode_ == Mode::optimistic;
  // Copies into the chunk (same size each call: no allocation), read by every row below.
  ch.in_mean = M.input_normalizer().mean;
  ch.in_inv = M.input_normalizer().std.cwiseInverse();
  ch.y_mean = M.target_normalizer().mean;
  ch.y_sd = M.target_normalizer().std;
  const Eigen::RowVectorXf &in_mean = ch.in_mean, &in_inv = ch.in_inv, &y_mean = ch.y_mean,
                           &y_sd = ch.y_sd;

  ch.S.resize(n, O);
  ch.Snext.resize(n, O);
  ch.Arows.resize(n, A);
  ch.noise.resize(n, D);
  ch.r.resize(n);
  ch.ret.setZero(n);
  ch.done.setZero(n);
  ch.alive.setOnes(n);
  ch.S.rowwise() = start.cast<float>().transpose();
  ch.rngs.clear();
  for (int c = ch.c0; c < ch.c1; ++c) ch.rngs.push_back(Rng::derive(seed, {uint64_t(c)}));
  ch.member_of.resize(n);
  ch.order.resize(n);
  ch.start.resize(ne + 1);
  for (long i = 0; i < n; ++i) ch.member_of[i] = int((i % K) % ne);  // tsinf assignment
  if (quantile_mode) {
    ch.sn.resize(ne);
    ch.re.resize(ne);
    ch.de.resize(learned_end ? ne : 0);
    for (int s = 0; s < ne; ++s) {
      ch.sn[s].resize(n, O);
      ch.re[s].resize(n);
      if (learned_end) ch.de[s].resize(n);
    }
  }
  const int P_particles = cfg_.particles;
  // Observation t of every row; NaN for a row whose particle had terminated before step t - 1
  // (`ended_before`), so its drawn path ends at its terminal state.
  auto write_paths = [&](int t, const Eigen::VectorXf& ended_before) {
    if (!paths) return;
    float* base = paths->data();
    for (long i = 0; i < n; ++i) {
      const long c = ch.c0 + i / K;
      const long p0 = mode_ == Mode::mean ? 0 : i % K,
                 p1 = mode_ == Mode::mean ? P_particles : p0 + 1;
      const bool gone = ended_before[i] == 0.0f;
      for (long p = p0; p < p1; ++p) {
        float* dst = base + ((c * P_particles + p) * (horizon + 1) + t) * O;
        for (int d = 0; d < O; ++d) dst[d] = gone ? std::numeric_limits<float>::quiet_NaN() : ch.S(i, d);
      }
    }
  };

  // Runs elite slot s on `ng` rows (row ids `rows`, or 0..ng-1 if null); leaves in obuf
  // (column-major ng x outdim) the real-unit mean [delta | reward] and, if sampling, sigma.
  auto eval_member = [&](int s, const int* rows, long ng) -> Eigen::Map<Eigen::MatrixXf> {
    if (ch.xbuf.size() < size_t(ng * in)) ch.xbuf.resize(ng * in);
    if (ch.obuf.size() < size_t(ng * outdim)) ch.obuf.resize(ng * outdim);
    Eigen::Map<Eigen::MatrixXf> X(ch.xbuf.data(), ng, in), Out(ch.obuf.data(), ng, outdim);
    for (int d = 0; d < O; ++d) {
      float* x = X.col(d).data();
      for (long j = 0; j < ng; ++j) x[j] = (ch.S(rows ? rows[j] : j, d) - in_mean[d]) * in_inv[d];
    }
    for (int d = 0; d < A; ++d) {
      float* x = X.col(O + d).data();
      for (long j = 0; j < ng; ++j)
        x[j] = (ch.Arows(rows ? rows[j] : j, d) - in_mean[O + d]) * in_inv[O + d];
    }
    const int m = el[s];
    M.net(m).predict(X, Out, ch.scratch);
    for (int j = 0; j < D; ++j) Out.col(j).array() = Out.col(j).array() * y_sd[j] + y_mean[j];
    if (sample) {
      const auto& b = M.bounds(m);
      for (int j = 0; j < D; ++j) {
        auto raw = Out.col(D + j).array();
        const float mx = b.max_lv[j], mn = b.min_lv[j];
        ch.tmp = mx - raw;  // a persistent buffer: .eval() would allocate per column and step
        raw = mx - softplus_array(ch.tmp);
        ch.tmp = raw - mn;
        raw = mn + softplus_array(ch.tmp);
        raw = (0.5f * raw).exp() * y_sd[j];
      }
    }
    return Out;
  };

  write_paths(0, ch.alive);
  for (int t = 0; t < horizon; ++t) {
    // Row i = c * K + particle (no division per row: a 64-bit idiv cost 4 % of a replan).
    for (int c = 0; c < nc; ++c) {
      const auto a = actions.row(ch.c0 + c).segment(long(t) * A, A);
      for (long p = 0; p < K; ++p) ch.Arows.row(long(c) * K + p) = a;
    }
    if (sample) ch.normals.fill(ch.rngs.data(), nc, K * D, ch.noise.data());
    if (mode_ == Mode::ts1)
      for (int c = 0; c < nc; ++c)
        for (long p = 0; p < K; ++p)
          ch.member_of[long(c) * K + p] = int(ch.rngs[c].below(uint64_t(ne)));

    if (mode_ == Mode::ts1 || mode_ == Mode::tsinf) {
      // Group rows by elite (counting sort) so that each elite runs one batched product.
      std::fill(ch.start.begin(), ch.start.end(), 0);
      for (long i = 0; i < n; ++i) ++ch.start[ch.member_of[i] + 1];
      for (int s = 0; s < ne; ++s) ch.start[s + 1] += ch.start[s];
      {
        std::vector<int>& pos = ch.rank;  // reuse as insertion cursors
        pos.assign(ch.start.begin(), ch.start.end() - 1);
        for (long i = 0; i < n; ++i) ch.order[pos[ch.member_of[i]]++] = int(i);
      }
      for (int s = 0; s < ne; ++s) {
        const long ng = ch.start[s + 1] - ch.start[s];
        if (ng == 0) continue;
        const int* rows = ch.order.data() + ch.start[s];
        auto Out = eval_member(s, rows, ng);
        for (long j = 0; j < ng; ++j) {
          const int i = rows[j];
          for (int d = 0; d < O; ++d)
            ch.Snext(i, d) =
                ch.S(i, d) + Out(j, d) + (sample ? Out(j, D + d) * ch.noise(i, d) : 0.0f);
          if (learned) ch.r[i] = Out(j, O) + (sample ? Out(j, D + O) * ch.noise(i, O) : 0.0f);
          if (learned_end) ch.done[i] = Out(j, tcol);
        }
      }
    } else if (mode_ == Mode::mean) {
      ch.Snext = ch.S;
      ch.r.setZero();
      if (learned_end) ch.done.setZero();
      const float w = 1.0f / float(ne);
      for (int s = 0; s < ne; ++s) {
        auto Out = eval_member(s, nullptr, n);
        for (int d = 0; d < O; ++d) ch.Snext.col(d) += w * Out.col(d);
        if (learned) ch.r += w * Out.col(O);
        if (learned_end) ch.done += w * Out.col(tcol);
      }
    } else {  // pessimistic / optimistic
      for (int s = 0; s < ne; ++s) {
        auto Out = eval_member(s, nullptr, n);
        for (int d = 0; d < O; ++d) {
          ch.sn[s].col(d) = ch.S.col(d) + Out.col(d);
          if (sample) ch.sn[s].col(d).array() += Out.col(D + d).array() * ch.noise.col(d).array();
        }
        if (learned) {
          ch.re[s] = Out.col(O);
          if (sample) ch.re[s].array() += Out.col(D + O).array() * ch.noise.col(O).array();
        } else {
          reward_(ch.S, ch.Arows, ch.sn[s], ch.re[s]);
        }
        if (learned_end) ch.de[s] = Out.col(tcol);
      }
      const double q = mode_ == Mode::pessimistic ? cfg_.quantile_low : cfg_.quantile_high;
      const int k = int(std::lround(q * (ne - 1)));
      ch.rank.resize(ne);
      for (long i = 0; i < n; ++i) {
        for (int s = 0; s < ne; ++s) ch.rank[s] = s;
        // NaN rewards sort first (worst), so a diverging member is never the optimistic pick.
        auto key = [&](int s) {
          const float v = ch.re[s][i];
          return std::isnan(v) ? -std::numeric_limits<float>::infinity() : v;
        };
        // Stable insertion sort: E_el is small, and std::stable_sort would allocate per row.
        for (int x = 1; x < ne; ++x) {
          const int v = ch.rank[x];
          const float kv = key(v);
          int y = x;
          for (; y > 0 && key(ch.rank[y - 1]) > kv; --y) ch.rank[y] = ch.rank[y - 1];
          ch.rank[y] = v;
        }
        const int s = ch.rank[k];
        ch.Snext.row(i) = ch.sn[s].row(i);
        ch.r[i] = ch.re[s][i];
        if (learned_end) ch.done[i] = ch.de[s][i];
      }
    }
    if (!learned && !quantile_mode) reward_(ch.S, ch.Arows, ch.Snext, ch.r);
    if (ends_ == Ends::env) termination_(ch.S, ch.Arows, ch.Snext, ch.done);
    if (learned_end) ch.done = (ch.done.array() > 0.5f).cast<float>();
    // A terminated particle earns nothing more and stays where it ended (a select, not a
    // product: the reward of a frozen row may be NaN, and 0 * NaN is NaN).
    ch.ret.array() += (ch.alive.array() > 0.0f).select(ch.r.array(), 0.0f);
    for (long i = 0; i < n; ++i)
      if (ch.alive[i] == 0.0f) ch.Snext.row(i) = ch.S.row(i);
    ch.S.swap(ch.Snext);
    write_paths(t + 1, ch.alive);
    if (ends_ != Ends::none) ch.alive.array() *= 1.0f - ch.done.array();
  }
}

}  // namespace dynalab
