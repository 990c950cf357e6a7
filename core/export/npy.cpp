#include "core/export/npy.h"

#include <cctype>
#include <cstdint>
#include <cstring>

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
  // numpy's own reader refuses headers over 10000 bytes (max_header_size) for the same reason:
  // a header is a short dict, anything longer is not a real file.
  if (header_len > 10000)
    return fail("header: expected at most 10000 bytes, got " + std::to_string(header_len));
  const std::string header(bytes.substr(offset, header_len));
  // The dict is parsed by hand (no std::regex: libstdc++'s recurses per character and overflowed
  // the stack on long headers). find_value returns the position after "'key':" and spaces.
  auto find_value = [&](const char* key) -> size_t {
    size_t p = header.find(key);
    if (p == std::string::npos) return p;
    p += std::strlen(key);
    while (p < header.size() && std::isspace(static_cast<unsigned char>(header[p]))) ++p;
    if (p >= header.size() || header[p] != ':') return std::string::npos;
    ++p;
    while (p < header.size() && std::isspace(static_cast<unsigned char>(header[p]))) ++p;
    return p;
  };
  size_t pos = find_value("'descr'");
  if (pos == std::string::npos || pos >= header.size() || header[pos] != '\'')
    return fail("header: expected 'descr' of float64 or float32");
  const size_t close = header.find('\'', pos + 1);
  if (close == std::string::npos) return fail("header: expected 'descr' of float64 or float32");
  std::string descr = header.substr(pos + 1, close - pos - 1);
  const char order = !descr.empty() && std::strchr("<>|=", descr[0]) ? descr[0] : 0;
  if (order) descr.erase(0, 1);
  if (order == '>') return fail("header: big-endian arrays are not supported");
  const bool f8 = descr == "f8", f4 = descr == "f4";
  if (!f8 && !f4) return fail("header: expected dtype float64 or float32, got " + descr.substr(0, 16));
  if (header.find("'fortran_order': True") != std::string::npos) return fail("header: Fortran order is not supported");
  pos = find_value("'shape'");
  if (pos == std::string::npos || pos >= header.size() || header[pos] != '(') return fail("header: no 'shape'");
  const size_t shape_end = header.find(')', pos);
  if (shape_end == std::string::npos) return fail("header: no 'shape'");
  std::vector<size_t> shape;
  for (size_t i = pos + 1; i < shape_end;) {
    if (!std::isdigit(static_cast<unsigned char>(header[i]))) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < shape_end && std::isdigit(static_cast<unsigned char>(header[j]))) ++j;
    if (j - i > 12) return fail("header: absurd shape");
    shape.push_back(std::stoull(header.substr(i, j - i)));
    i = j;
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
