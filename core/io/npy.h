#pragma once
// NumPy .npy (format 1.0), readable by numpy.load: 2-D float64 C-order arrays.

#include <string>
#include <string_view>
#include <vector>

namespace dynalab {

struct NpyArray {
  size_t rows = 0, cols = 0;
  std::vector<double> data;  ///< row-major, rows * cols values
};

/// The bytes of a .npy file holding a rows x cols float64 array (row-major data).
std::string npy_encode(const double* data, size_t rows, size_t cols);
/// Parses .npy bytes (float64 or float32, C order, 1-D or 2-D). Throws InputError naming `source`.
NpyArray npy_decode(std::string_view bytes, const std::string& source);

}  // namespace dynalab
