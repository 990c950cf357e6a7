#pragma once
// One dense layer of MLP inference in a single pass: out = act(in * W + b), float32.
//
// Why not Eigen: for the planner's 64-wide layers a GEMM call packs both operands, then the bias
// and the activation stream over the result again; the packing, the bias pass and SiLU's
// division cost as much as the products themselves (profile in the performance note). This
// kernel reads the column-major operands as they are (a column of `in` is contiguous, a column
// of W too), keeps a 48 x 8 tile of the result in AVX-512 registers for the whole k loop, and
// applies the bias and the activation to the registers before the single store.
//
// Numerics: each output is b + sum_k in[r,k] * W[k,n], accumulated in k order with fused
// multiply-adds, so a row's result never depends on how many rows are in the call or where the
// call cuts them (thread-count independence). SiLU is z * sigmoid(z) with a degree-4 exp2
// polynomial and a refined reciprocal: relative error below 4e-6 against the exact function
// (the worst-case float rounding of a 64-term sum), NaN in gives NaN out.
//
// Without AVX-512 (another build machine) `dense_kernel_available()` is false and callers use
// their Eigen path.

#include "core/models/activation.h"

namespace dynalab {

/// True if this build has the fused kernel (AVX-512F).
bool dense_kernel_available();

/// out[r, n] = act(b[n] + sum_k in[r, k] * W[k, n]) for r < m, n < N.
/// in: column-major m x K with column stride ld_in; W: column-major K x N (stride K);
/// out: column-major m x N with column stride ld_out. act: relu or silu, or none for the
/// linear output layer (tanh is not fused: callers apply it after a linear call).
void dense_forward(const float* in, long ld_in, int K, const float* W, const float* b, int N,
                   float* out, long ld_out, long m, const Activation* act);

}  // namespace dynalab
