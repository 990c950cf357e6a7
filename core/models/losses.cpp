#include "core/models/losses.h"

#include <cmath>
#include <stdexcept>

namespace dynalab {

template <class T>
T mse_loss(const Eigen::Ref<const Eigen::Matrix<T, -1, -1>>& out,
           const Eigen::Ref<const Eigen::Matrix<T, -1, -1>>& y, Eigen::Matrix<T, -1, -1>* dout) {
  const T scale = T(1) / T(out.size());
  if (dout) *dout = (T(2) * scale) * (out - y);
  // Accumulate in double: a float sum over 10^5 entries would lose digits the early stopping needs.
  return T((out - y).template cast<double>().squaredNorm() * double(scale));
}

template <class T>
T gauss_nll_loss(const Eigen::Ref<const Eigen::Matrix<T, -1, -1>>& out,
                 const Eigen::Ref<const Eigen::Matrix<T, -1, -1>>& y, const LogVarBounds<T>* bounds,
                 Eigen::Matrix<T, -1, -1>* dout, LogVarBounds<T>* dbounds) {
  using std::exp;
  const long n = y.rows(), D = y.cols();
  const T scale = T(1) / T(n * D);
  if (dout) dout->resize(n, 2 * D);
  if (dbounds && bounds) {
    dbounds->max_lv = Eigen::Matrix<T, -1, 1>::Constant(D, T(0.01));
    dbounds->min_lv = Eigen::Matrix<T, -1, 1>::Constant(D, T(-0.01));
  }
  double total = 0;
  for (long j = 0; j < D; ++j) {
    for (long i = 0; i < n; ++i) {
      const T raw = out(i, D + j), mu = out(i, j), e = mu - y(i, j);
      T lv = raw, dlv_draw = T(1), dlv_dmax = T(0), dlv_dmin = T(0);
      if (bounds) {
        const T mx = bounds->max_lv[j], mn = bounds->min_lv[j];
        const T u = mx - raw, su = T(1) / (T(1) + exp(-u));  // d softplus(u)/du = sigmoid(u)
        const T lv1 = mx - softplus(u);
        const T v = lv1 - mn, sv = T(1) / (T(1) + exp(-v));
        lv = mn + softplus(v);
        dlv_draw = sv * su;
        dlv_dmax = sv * (T(1) - su);
        dlv_dmin = T(1) - sv;
      }
      const T inv_var = exp(-lv);
      total += double(e * e * inv_var + lv);
      const T dL_dlv = scale * (T(1) - e * e * inv_var);
      if (dout) {
        (*dout)(i, j) = scale * T(2) * e * inv_var;
        (*dout)(i, D + j) = dL_dlv * dlv_draw;
      }
      if (dbounds && bounds) {
        dbounds->max_lv[j] += dL_dlv * dlv_dmax;
        dbounds->min_lv[j] += dL_dlv * dlv_dmin;
      }
    }
  }
  T loss = T(total * double(scale));
  if (bounds) loss += T(0.01) * (bounds->max_lv.sum() - bounds->min_lv.sum());
  return loss;
}

template float mse_loss<float>(const Eigen::Ref<const Eigen::MatrixXf>&,
                               const Eigen::Ref<const Eigen::MatrixXf>&, Eigen::MatrixXf*);
template double mse_loss<double>(const Eigen::Ref<const Eigen::MatrixXd>&,
                                 const Eigen::Ref<const Eigen::MatrixXd>&, Eigen::MatrixXd*);
template float gauss_nll_loss<float>(const Eigen::Ref<const Eigen::MatrixXf>&,
                                     const Eigen::Ref<const Eigen::MatrixXf>&,
                                     const LogVarBounds<float>*, Eigen::MatrixXf*,
                                     LogVarBounds<float>*);
template double gauss_nll_loss<double>(const Eigen::Ref<const Eigen::MatrixXd>&,
                                       const Eigen::Ref<const Eigen::MatrixXd>&,
                                       const LogVarBounds<double>*, Eigen::MatrixXd*,
                                       LogVarBounds<double>*);

double weighted_bce_with_logits(const Eigen::VectorXd& z, const Eigen::VectorXd& y,
                                const Eigen::VectorXd& w, Eigen::VectorXd* dz) {
  const long n = z.size();
  if (y.size() != n || w.size() != n) throw std::invalid_argument("weighted_bce_with_logits: sizes differ");
  if (dz) dz->resize(n);
  if (n == 0) return 0;
  double loss = 0;
  for (long i = 0; i < n; ++i) {
    loss += w[i] * (softplus(z[i]) - y[i] * z[i]);
    if (dz) (*dz)[i] = w[i] * (1.0 / (1.0 + std::exp(-z[i])) - y[i]) / double(n);
  }
  return loss / double(n);
}

}  // namespace dynalab

// ---- Classification: softmax cross-entropy ----

namespace dynalab {

template <class T>
T softmax_cross_entropy_loss(const Eigen::Ref<const Eigen::Matrix<T, -1, -1>>& logits, const std::vector<int>& labels,
                             Eigen::Matrix<T, -1, -1>* dlogits, int* correct) {
  const long N = logits.rows();
  T loss = 0;
  if (dlogits) dlogits->resize(N, logits.cols());
  if (correct) *correct = 0;
  for (long i = 0; i < N; ++i) {
    Eigen::Index best;
    const T m = logits.row(i).maxCoeff(&best);
    const auto e = (logits.row(i).array() - m).exp();
    const T z = e.sum();
    const int y = labels[size_t(i)];
    loss += std::log(z) + m - logits(i, y);
    if (correct && int(best) == y) ++*correct;
    if (dlogits) {
      dlogits->row(i) = e / (z * T(N));
      (*dlogits)(i, y) -= T(1) / T(N);
    }
  }
  return N ? loss / T(N) : T(0);
}

template float softmax_cross_entropy_loss<float>(const Eigen::Ref<const Eigen::MatrixXf>&, const std::vector<int>&,
                                                 Eigen::MatrixXf*, int*);
template double softmax_cross_entropy_loss<double>(const Eigen::Ref<const Eigen::MatrixXd>&, const std::vector<int>&,
                                                   Eigen::MatrixXd*, int*);

}  // namespace dynalab
