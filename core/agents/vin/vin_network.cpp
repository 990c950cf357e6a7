#include "core/agents/vin/vin_network.h"

#include <cmath>

#include "core/agents/vin/conv3x3.h"
#include "core/rng.h"

namespace dynalab {

template <class T>
VinNetworkT<T>::VinNetworkT(const VinShape& shape) : shape_(shape) {
  long off = 0;
  auto take = [&](long& at, long n) { at = off, off += n; };
  take(off_wh_, 18L * shape.l_h);
  take(off_bh_, shape.l_h);
  take(off_wr_, shape.l_h);
  take(off_wq_, 9L * shape.l_q);
  take(off_wv_, 9L * shape.l_q);
  take(off_fc_, 8L * shape.l_q);
  params_ = Vec::Zero(off);
}

template <class T>
void VinNetworkT<T>::init(Rng& rng) {
  params_.setZero();
  auto uniform = [&](long off, long n, double fan_in) {
    const double bound = 1.0 / std::sqrt(fan_in);
    for (long i = 0; i < n; ++i) params_[off + i] = T(rng.uniform(-bound, bound));
  };
  uniform(off_wh_, 18L * shape_.l_h, 18);
  uniform(off_bh_, shape_.l_h, 18);
  uniform(off_wr_, shape_.l_h, shape_.l_h);
  uniform(off_wq_, 9L * shape_.l_q, 9);
  // W_v stays zero (model.py).
  uniform(off_fc_, 8L * shape_.l_q, shape_.l_q);
}

template <class T>
typename VinNetworkT<T>::Mat VinNetworkT<T>::input(const std::vector<const GridLayout*>& maps) {
  const int n = maps.empty() ? 0 : maps[0]->rows;
  const long nn = long(n) * n;
  Mat X = Mat::Zero(long(maps.size()) * nn, 2);
  for (size_t b = 0; b < maps.size(); ++b) {
    for (long i = 0; i < nn; ++i) X(long(b) * nn + i, 0) = maps[b]->walls[size_t(i)] ? T(1) : T(0);
    X(long(b) * nn + maps[b]->state_of(maps[b]->goal), 1) = T(10);
  }
  return X;
}

template <class T>
void VinNetworkT<T>::value_iteration(const Mat& r, int n, int maps, int k, Cache& c) const {
  const long P = r.rows();
  const int lq = shape_.l_q;
  c.n = n, c.maps = maps, c.k = k;
  c.r = r;
  const Mat Wq = W_q(), Wv = W_v();
  conv3x3_forward<T>(c.r, n, Wq, c.cols_r, c.q0);
  c.v.resize(P, k + 1);
  c.arg.resize(P, k);
  c.cols_v.resize(size_t(k));
  // v_j = max over channels of q_j, remembering the channel (the max's gradient goes there).
  auto take_max = [&](const Mat& q, int j) {
    for (long p = 0; p < P; ++p) {
      int best = 0;
      T m = q(p, 0);
      for (int a = 1; a < lq; ++a)
        if (q(p, a) > m) m = q(p, a), best = a;
      c.v(p, j) = m;
      if (j < k) c.arg(p, j) = best;
    }
  };
  take_max(c.q0, 0);
  c.q = c.q0;
  Mat vj(P, 1);
  for (int j = 1; j <= k; ++j) {
    vj = c.v.col(j - 1);
    im2col3x3<T>(vj, n, c.cols_v[size_t(j - 1)]);
    c.q = c.q0;
    c.q.noalias() += c.cols_v[size_t(j - 1)] * Wv;
    take_max(c.q, j);
  }
}

template <class T>
void VinNetworkT<T>::forward(const std::vector<const GridLayout*>& maps, int k, Cache& c) const {
  const int n = maps.empty() ? 0 : maps[0]->rows;
  const Mat X = input(maps);
  im2col3x3<T>(X, n, c.cols_x);
  // r = (cols_x W_h + b_h) W_r, with no nonlinearity between: one 18-vector.
  const Mat w = W_h() * W_r();
  const T b = (b_h().transpose() * W_r())(0, 0);
  Mat r = c.cols_x * w;
  r.array() += b;
  value_iteration(r, n, int(maps.size()), k, c);
}

template <class T>
typename VinNetworkT<T>::Mat VinNetworkT<T>::logits(const Cache& c, const std::vector<Sample>& samples) const {
  const long nn = long(c.n) * c.n;
  Mat qa(long(samples.size()), shape_.l_q);
  for (size_t i = 0; i < samples.size(); ++i) qa.row(long(i)) = c.q.row(samples[i].map * nn + samples[i].cell);
  return qa * W_fc();
}

template <class T>
void VinNetworkT<T>::backward(const Cache& c, const std::vector<Sample>& samples, const Mat& dlogits,
                              Vec& grad) const {
  const long nn = long(c.n) * c.n, P = c.q.rows();
  const int lq = shape_.l_q, n = c.n;
  auto gblock = [&](long off, long r, long cc) { return Eigen::Map<Mat>(grad.data() + off, r, cc); };
  // Attention and fc.
  Mat qa(long(samples.size()), lq);
  for (size_t i = 0; i < samples.size(); ++i) qa.row(long(i)) = c.q.row(samples[i].map * nn + samples[i].cell);
  gblock(off_fc_, lq, 8).noalias() += qa.transpose() * dlogits;
  const Mat dqa = dlogits * W_fc().transpose();
  Mat dq = Mat::Zero(P, lq);
  for (size_t i = 0; i < samples.size(); ++i) dq.row(samples[i].map * nn + samples[i].cell) += dqa.row(long(i));
  // The K iterations backwards: q_j = q_0 + conv(v_{j-1}; W_v), v_{j-1} = max_a q_{j-1}.
  Mat dq0 = Mat::Zero(P, lq), dWv = Mat::Zero(9, lq), dv(P, 1);
  const Mat Wv = W_v(), Wq = W_q();
  for (int j = c.k; j >= 1; --j) {
    dq0 += dq;
    conv3x3_backward<T>(c.cols_v[size_t(j - 1)], n, Wv, dq, dWv, &dv);
    dq.setZero();
    for (long p = 0; p < P; ++p) dq(p, c.arg(p, j - 1)) = dv(p, 0);
  }
  dq0 += dq;  // q_0 also made v_0
  gblock(off_wv_, 9, lq) += dWv;
  Mat dWq = Mat::Zero(9, lq), dr;
  conv3x3_backward<T>(c.cols_r, n, Wq, dq0, dWq, &dr);
  gblock(off_wq_, 9, lq) += dWq;
  // r = (cols_x W_h + 1 b_h^T) W_r.
  const Mat xr = c.cols_x.transpose() * dr;  // 18 x 1
  const T sum_dr = dr.sum();
  gblock(off_wr_, shape_.l_h, 1).noalias() += W_h().transpose() * xr + b_h() * sum_dr;
  gblock(off_wh_, 18, shape_.l_h).noalias() += xr * W_r().transpose();
  gblock(off_bh_, shape_.l_h, 1) += sum_dr * W_r();
}

template class VinNetworkT<float>;
template class VinNetworkT<double>;

}  // namespace dynalab
