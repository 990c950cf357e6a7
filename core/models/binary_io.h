#pragma once
// Little-endian binary buffers for the model files (ensemble_io.cpp: weights; ensemble_state.cpp:
// training state): append plain values and arrays, read them back with a one-line InputError
// naming the file, the field and the byte offset when the file is truncated.

#include <cstring>
#include <string>

#include "core/config.h"

namespace dynalab {

struct BinaryWriter {
  std::string out;
  template <class T>
  void put(T v) {
    out.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  /// n values from p (p may be null when n == 0).
  template <class T>
  void array(const T* p, size_t n) {
    if (n > 0) out.append(reinterpret_cast<const char*>(p), n * sizeof(T));
  }
};

struct BinaryReader {
  const std::string& in;
  const std::string& file;
  size_t pos = 0;
  /// Throws unless `bytes` more bytes are left; `what` names the field in the message.
  void need(size_t bytes, const std::string& what) const {
    if (bytes > in.size() - pos)
      throw InputError(file + ": truncated: expected " + what + " at byte " + std::to_string(pos) +
                       ", the file has " + std::to_string(in.size()) + " bytes");
  }
  template <class T>
  T get(const std::string& what) {
    need(sizeof(T), what);
    T v;
    std::memcpy(&v, in.data() + pos, sizeof v);
    pos += sizeof v;
    return v;
  }
  /// n values into p (p may be null when n == 0).
  template <class T>
  void array(T* p, size_t n, const std::string& what) {
    need(n * sizeof(T), what);
    if (n > 0) std::memcpy(p, in.data() + pos, n * sizeof(T));
    pos += n * sizeof(T);
  }
  [[noreturn]] void fail(const std::string& what) const {
    throw InputError(file + ": expected " + what);
  }
};

}  // namespace dynalab
