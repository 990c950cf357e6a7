#pragma once
// 3x3 convolutions (stride 1, zero padding 1: the output has the input's size) by im2col and one
// GEMM, with the hand-written backward, over a batch of square maps. As PyTorch's Conv2d (a
// cross-correlation): out(p, o) = sum_{c, dy, dx} in(p + (dy, dx), c) W(c*9 + (dy+1)*3 + (dx+1), o).
//
// Layout: a batch of B maps of n x n pixels with C channels is a P x C matrix (P = B n n), one
// row per pixel, row b*n*n + row*n + col; a layer's weights are a (C*9) x C_out matrix.

#include <Eigen/Core>

namespace dynalab {

template <class T>
using ConvMat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;

/// The im2col matrix of `in` (P x C): P x (C*9), column c*9 + (dy+1)*3 + (dx+1) holds channel c
/// of the pixel at offset (dy, dx) (0 off the map).
template <class T>
void im2col3x3(const ConvMat<T>& in, int n, ConvMat<T>& cols);

/// The adjoint of im2col3x3: ADDS each entry of `dcols` (P x C*9) to the input pixel it was read
/// from, into `din` (P x C, sized by the caller).
template <class T>
void col2im3x3(const ConvMat<T>& dcols, int n, ConvMat<T>& din);

/// out = conv3x3(in) with weights W ((C*9) x C_out); `cols` receives im2col3x3(in) for backward.
template <class T>
void conv3x3_forward(const ConvMat<T>& in, int n, const ConvMat<T>& W, ConvMat<T>& cols, ConvMat<T>& out);

/// Backward of conv3x3_forward given dL/dout (P x C_out): ADDS dL/dW to dW and, if din is not
/// null, writes dL/din (P x C).
template <class T>
void conv3x3_backward(const ConvMat<T>& cols, int n, const ConvMat<T>& W, const ConvMat<T>& dout, ConvMat<T>& dW,
                      ConvMat<T>* din);

}  // namespace dynalab
