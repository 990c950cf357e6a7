#include "core/export/npy.h"

#include <cstdint>
#include <cstring>
#include <regex>

#include "core/config.h"

namespace dynalab {

std::string npy_encode(const double* data, size_t rows, size_t cols) {
  std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + std::to_string(rows) + ", " +
                       std::to_string(cols) + "), }";
  // magic(6) + version(2) + header length(2) + header, padded with spaces to 64 bytes, '\n' last.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::string out("\x93NUMPY\x01\x00", 8);
  const uint16_t len = static_cast<uint16_t>(header.size());
  out += static_cast<char>(len & 0xff);
  out += static_cast<char>(len >> 8);
  out += header;
  out.append(reinterpret_cast<const char*>(data), rows * cols * sizeof(double));
  return out;
}

NpyArray npy_decode(std::string_view bytes, const std::string& source) {
  auto fail = [&](const std::string& what) -> NpyArray { throw InputError(source + ": " + what); };
  if (bytes.size() < 10 || bytes.substr(0, 6) != std::string_view("\x93NUMPY", 6))
    return fail("not a .npy file (missing \\x93NUMPY magic)");
  const unsigned major = static_cast<unsigned char>(bytes[6]);
  size_t header_len, offset;
  if (major == 1) {
    header_len = static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
    offset = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) return fail("truncated .npy header");
    header_len = 0;
    for (int i = 0; i < 4; ++i) header_len |= static_cast<size_t>(static_cast<unsigned char>(bytes[8 + i])) << (8 * i);
    offset = 12;
  } else {
    return fail("unsupported .npy version " + std::to_string(major));
  }
  if (bytes.size() < offset + header_len) return fail("truncated .npy header");
  const std::string header(bytes.substr(offset, header_len));
  std::smatch m;
  if (!std::regex_search(header, m, std::regex("'descr':\\s*'([<>|=]?)([fi])(\\d)'")))
    return fail("header: expected 'descr' of float64 or float32");
  const std::string kind = m[2], width = m[3];
  if (m[1] == ">") return fail("header: big-endian arrays are not supported");
  const bool f8 = kind == "f" && width == "8", f4 = kind == "f" && width == "4";
  if (!f8 && !f4) return fail("header: expected dtype float64 or float32, got " + kind + width);
  if (header.find("'fortran_order': True") != std::string::npos) return fail("header: Fortran order is not supported");
  if (!std::regex_search(header, m, std::regex("'shape':\\s*\\(([^)]*)\\)"))) return fail("header: no 'shape'");
  std::vector<size_t> shape;
  std::string dims = m[1];
  std::regex num("\\d+");
  for (auto it = std::sregex_iterator(dims.begin(), dims.end(), num); it != std::sregex_iterator(); ++it) {
    if (it->str().size() > 12) return fail("header: absurd shape");
    shape.push_back(std::stoull(it->str()));
  }
  NpyArray a;
  if (shape.size() == 1) {
    a.rows = shape[0];
    a.cols = 1;
  } else if (shape.size() == 2) {
    a.rows = shape[0];
    a.cols = shape[1];
  } else {
    return fail("header: expected a 1-D or 2-D array, got " + std::to_string(shape.size()) + " dimensions");
  }
  const size_t item = f8 ? 8 : 4;
  if (a.cols != 0 && a.rows > (bytes.size() / item) / a.cols) return fail("truncated data: file shorter than its shape");
  const size_t n = a.rows * a.cols;
  if (bytes.size() - offset - header_len < n * item) return fail("truncated data: file shorter than its shape");
  a.data.resize(n);
  const char* p = bytes.data() + offset + header_len;
  for (size_t i = 0; i < n; ++i) {
    if (f8) {
      std::memcpy(&a.data[i], p + 8 * i, 8);
    } else {
      float v;
      std::memcpy(&v, p + 4 * i, 4);
      a.data[i] = v;
    }
  }
  return a;
}

}  // namespace dynalab
