#include "core/io/npy.h"

#include <cctype>
#include <cstdint>
#include <cstring>

#include "core/io/input_error.h"
#include "core/number_text.h"

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

namespace {

/// What the header dict says.
struct NpyHeader {
  bool f8 = true;  ///< float64, else float32
  bool fortran_order = false;
  std::vector<size_t> shape;
};

// The header is a Python dict literal, e.g. {'descr': '<f8', 'fortran_order': False, 'shape': (3,
// 4), }. numpy writes and reads any spelling of it (key order, spacing, quotes, trailing commas),
// so it is parsed as one: a cursor over the three keys numpy requires and their literal kinds.
// Anything else (other keys, escapes, expressions) is refused rather than guessed at. Hand-written,
// not std::regex: libstdc++'s recurses per character and overflowed the stack on long headers.
class HeaderParser {
 public:
  HeaderParser(std::string_view text, const std::string& source) : s_(text), source_(source) {}

  NpyHeader parse() {
    NpyHeader h;
    bool has_descr = false, has_order = false, has_shape = false;
    if (!eat('{')) fail("expected a dict {'descr': ..., 'fortran_order': ..., 'shape': ...}");
    while (!eat('}')) {
      const std::string key = string_literal("a quoted key");
      if (!eat(':')) fail("expected ':' after '" + key.substr(0, 20) + "'");
      if (key == "descr") {
        once(has_descr, key);
        h.f8 = dtype(string_literal("'descr' of float64 or float32"));
      } else if (key == "fortran_order") {
        once(has_order, key);
        h.fortran_order = boolean();
      } else if (key == "shape") {
        once(has_shape, key);
        h.shape = tuple();
      } else {
        fail("expected only the keys descr, fortran_order and shape, got '" + key.substr(0, 20) +
             "'");
      }
      if (eat('}')) break;
      if (!eat(',')) fail("expected ',' or '}' after '" + key.substr(0, 20) + "'");
    }
    skip_space();
    if (p_ != s_.size()) fail("expected nothing after the dict but spaces");
    if (!has_descr || !has_order || !has_shape)
      fail("expected the keys descr, fortran_order and shape");
    return h;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw InputError(source_ + ": header: " + what);
  }
  void once(bool& seen, const std::string& key) const {
    if (seen) fail("'" + key + "' given twice");
    seen = true;
  }
  void skip_space() {
    while (p_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[p_]))) ++p_;
  }
  bool eat(char c) {
    skip_space();
    if (p_ >= s_.size() || s_[p_] != c) return false;
    ++p_;
    return true;
  }
  /// 'text' or "text".
  std::string string_literal(const std::string& what) {
    skip_space();
    if (p_ >= s_.size() || (s_[p_] != '\'' && s_[p_] != '"')) fail("expected " + what);
    const size_t close = s_.find(s_[p_], p_ + 1);
    if (close == std::string_view::npos) fail("expected " + what + " (unterminated quote)");
    std::string out(s_.substr(p_ + 1, close - p_ - 1));
    for (const char c : out)  // Python allows neither a raw newline here nor, in a header, escapes
      if (c == '\\' || static_cast<unsigned char>(c) < 0x20)
        fail("expected " + what + " without escapes");
    p_ = close + 1;
    return out;
  }
  bool boolean() {
    skip_space();
    for (const bool b : {true, false}) {
      const std::string_view word = b ? "True" : "False";
      if (s_.substr(p_, word.size()) == word) {
        p_ += word.size();
        return b;
      }
    }
    fail("expected 'fortran_order' True or False");
  }
  /// A tuple of sizes: (), (3,), (3, 4), (3, 4,). "(3)" is an int in Python, not a tuple.
  std::vector<size_t> tuple() {
    if (!eat('(')) fail("expected 'shape' as a tuple such as (3, 4)");
    std::vector<size_t> v;
    if (eat(')')) return v;
    while (true) {
      skip_space();
      size_t end = p_;
      while (end < s_.size() && std::isdigit(static_cast<unsigned char>(s_[end]))) ++end;
      // 2^62: any larger dimension is not a file on disk, and the byte count cannot overflow.
      const auto n = parse_integer(s_.substr(p_, end - p_), 0, 1ll << 62);
      if (!n) fail("expected 'shape' as a tuple of sizes such as (3, 4)");
      v.push_back(static_cast<size_t>(*n));
      p_ = end;
      const bool comma = eat(',');
      if (eat(')')) {
        if (v.size() == 1 && !comma)
          fail("expected 'shape' as a tuple such as (3,), got a number in parentheses");
        return v;
      }
      if (!comma) fail("expected 'shape' as a tuple of sizes such as (3, 4)");
    }
  }
  /// True for float64, false for float32, little-endian ('<', '=' or '|' on this little-endian
  /// host).
  bool dtype(std::string descr) const {
    const char order = !descr.empty() && std::strchr("<>|=", descr[0]) ? descr[0] : 0;
    if (order) descr.erase(0, 1);
    if (order == '>') fail("big-endian arrays are not supported");
    if (descr != "f8" && descr != "f4")
      fail("expected dtype float64 or float32, got " + descr.substr(0, 16));
    return descr == "f8";
  }

  std::string_view s_;
  const std::string& source_;
  size_t p_ = 0;
};

NpyHeader parse_header(std::string_view text, const std::string& source) {
  return HeaderParser(text, source).parse();
}

}  // namespace

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
  const NpyHeader h = parse_header(bytes.substr(offset, header_len), source);
  NpyArray a;
  if (h.shape.size() == 1) {
    a.rows = h.shape[0];
    a.cols = 1;
  } else if (h.shape.size() == 2) {
    a.rows = h.shape[0];
    a.cols = h.shape[1];
  } else {
    return fail("header: expected a 1-D or 2-D array, got " + std::to_string(h.shape.size()) +
                " dimensions");
  }
  const bool f8 = h.f8;
  const size_t item = f8 ? 8 : 4;
  if (a.cols != 0 && a.rows > (bytes.size() / item) / a.cols) return fail("truncated data: file shorter than its shape");
  const size_t n = a.rows * a.cols;
  if (bytes.size() - offset - header_len < n * item) return fail("truncated data: file shorter than its shape");
  a.data.resize(n);
  const char* p = bytes.data() + offset + header_len;
  for (size_t i = 0; i < n; ++i) {
    // Fortran order stores element (r, c) at c * rows + r; a.data is row-major.
    const size_t to = h.fortran_order ? (i % a.rows) * a.cols + i / a.rows : i;
    if (f8) {
      std::memcpy(&a.data[to], p + 8 * i, 8);
    } else {
      float v;
      std::memcpy(&v, p + 4 * i, 4);
      a.data[to] = v;
    }
  }
  return a;
}

}  // namespace dynalab
