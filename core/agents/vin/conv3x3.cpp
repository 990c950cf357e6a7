#include "core/agents/vin/conv3x3.h"

namespace dynalab {

template <class T>
void im2col3x3(const ConvMat<T>& in, int n, ConvMat<T>& cols) {
  const long P = in.rows(), C = in.cols(), nn = long(n) * n;
  cols.setZero(P, C * 9);
  for (long c = 0; c < C; ++c)
    for (int dy = -1; dy <= 1; ++dy)
      for (int dx = -1; dx <= 1; ++dx) {
        T* dst = cols.col(c * 9 + (dy + 1) * 3 + (dx + 1)).data();
        const T* src = in.col(c).data();
        // Rows y with y + dy on the map, columns x with x + dx on the map; the rest stays 0.
        const int y0 = dy < 0 ? 1 : 0, y1 = dy > 0 ? n - 1 : n;
        const int x0 = dx < 0 ? 1 : 0, x1 = dx > 0 ? n - 1 : n;
        for (long b = 0; b < P; b += nn)
          for (int y = y0; y < y1; ++y) {
            const long row = b + long(y) * n, from = b + long(y + dy) * n + dx;
            for (int x = x0; x < x1; ++x) dst[row + x] = src[from + x];
          }
      }
}

template <class T>
void col2im3x3(const ConvMat<T>& dcols, int n, ConvMat<T>& din) {
  const long P = din.rows(), C = din.cols(), nn = long(n) * n;
  for (long c = 0; c < C; ++c)
    for (int dy = -1; dy <= 1; ++dy)
      for (int dx = -1; dx <= 1; ++dx) {
        const T* src = dcols.col(c * 9 + (dy + 1) * 3 + (dx + 1)).data();
        T* dst = din.col(c).data();
        const int y0 = dy < 0 ? 1 : 0, y1 = dy > 0 ? n - 1 : n;
        const int x0 = dx < 0 ? 1 : 0, x1 = dx > 0 ? n - 1 : n;
        for (long b = 0; b < P; b += nn)
          for (int y = y0; y < y1; ++y) {
            const long row = b + long(y) * n, to = b + long(y + dy) * n + dx;
            for (int x = x0; x < x1; ++x) dst[to + x] += src[row + x];
          }
      }
}

template <class T>
void conv3x3_forward(const ConvMat<T>& in, int n, const ConvMat<T>& W, ConvMat<T>& cols, ConvMat<T>& out) {
  im2col3x3(in, n, cols);
  out.noalias() = cols * W;
}

template <class T>
void conv3x3_backward(const ConvMat<T>& cols, int n, const ConvMat<T>& W, const ConvMat<T>& dout, ConvMat<T>& dW,
                      ConvMat<T>* din) {
  dW.noalias() += cols.transpose() * dout;
  if (!din) return;
  const ConvMat<T> dcols = dout * W.transpose();
  din->setZero(cols.rows(), W.rows() / 9);
  col2im3x3(dcols, n, *din);
}

#define DYNALAB_CONV3X3(T)                                                                                  \
  template void im2col3x3<T>(const ConvMat<T>&, int, ConvMat<T>&);                                         \
  template void col2im3x3<T>(const ConvMat<T>&, int, ConvMat<T>&);                                         \
  template void conv3x3_forward<T>(const ConvMat<T>&, int, const ConvMat<T>&, ConvMat<T>&, ConvMat<T>&);   \
  template void conv3x3_backward<T>(const ConvMat<T>&, int, const ConvMat<T>&, const ConvMat<T>&, ConvMat<T>&, \
                                    ConvMat<T>*);
DYNALAB_CONV3X3(float)
DYNALAB_CONV3X3(double)
#undef DYNALAB_CONV3X3

}  // namespace dynalab
