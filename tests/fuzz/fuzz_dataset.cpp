// libFuzzer target: arbitrary bytes as a dataset, both as CSV and as .npy. A dataset that parses
// must hold what its file says, so each accepted input is checked (a failed check aborts, which
// libFuzzer reports):
// - every stored value is finite, episode ids are integers an int holds, terminated is 0 or 1;
// - an accepted CSV field is all number: strtod, an independent reader, consumes all of it and
//   it has no leading space (strtod's prefix read took "0.6abc" as 0.6);
// - writing the dataset out and reading it back (CSV and .npy) gives the same values;
// - a .npy reads the same with the spaces of its header dict moved to the padding (numpy reads
//   any spacing alike; a reader that looked for the text "'fortran_order': True" did not).
#include <cctype>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>

#include "core/config.h"
#include "core/dataset.h"
#include "core/io/csv.h"
#include "core/io/npy.h"

namespace {
using dynalab::Dataset;

void expect(bool ok) {
  if (!ok) std::abort();
}

void check_values(const Dataset& d) {
  const dynalab::NpyArray a = dynalab::npy_decode(d.to_npy(), "values.npy");
  for (size_t i = 0; i < a.rows; ++i)
    for (size_t j = 0; j < a.cols; ++j) {
      const double x = a.data[i * a.cols + j];
      expect(std::isfinite(x));
      if (j == 0) expect(x >= -2147483648.0 && x <= 2147483647.0 && x == std::floor(x));
      if (j + 1 == a.cols) expect(x == 0 || x == 1);
    }
}

void check_round_trips(const Dataset& d, int obs_dim) {
  for (const Dataset& again : {Dataset::from_csv(d.to_csv(), "again.csv", obs_dim, 1),
                               Dataset::from_npy(d.to_npy(), "again.npy", obs_dim, 1)}) {
    expect(again.size() == d.size());
    for (size_t i = 0; i < d.size(); ++i) {
      const auto x = d.at(i), y = again.at(i);
      expect(x.episode == y.episode && x.obs == y.obs && x.action == y.action &&
             x.reward == y.reward && x.next_obs == y.next_obs && x.terminated == y.terminated);
    }
  }
}

void check_csv_fields(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);  // the header
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    for (const std::string& f : dynalab::split_csv_line(line)) {
      char* end = nullptr;
      std::strtod(f.c_str(), &end);
      expect(!f.empty() && !std::isspace(static_cast<unsigned char>(f[0])) &&
             end == f.c_str() + f.size());
    }
  }
}

/// `bytes` (a version 1.0 .npy) with the spaces outside quotes in its header moved to its end,
/// so the data stays where it was; "" if it is not such a file or has no such space.
std::string header_spaces_moved(const std::string& bytes) {
  if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0 || bytes[6] != 1) return "";
  const size_t len =
      static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
  if (bytes.size() < 10 + len || len == 0) return "";
  // Only spaces next to punctuation go: "Tr ue" or "(1 2)" must not become valid by joining.
  auto punct = [](char c) { return c != 0 && std::strchr("{}:,()", c) != nullptr; };
  const size_t end = 10 + len - 1;  // the last byte ('\n' in a real file) stays last
  std::string header;
  char quote = 0;
  for (size_t i = 10; i < end; ++i) {
    const char c = bytes[i];
    if (quote ? c == quote : c == '\'' || c == '"') quote = quote ? 0 : c;
    if (c == ' ' && !quote) {
      size_t next = i;
      while (next < end && bytes[next] == ' ') ++next;
      if (punct(header.empty() ? 0 : header.back()) || punct(next < end ? bytes[next] : 0))
        continue;
    }
    header += c;
  }
  if (header.size() == len - 1) return "";
  header.append(len - 1 - header.size(), ' ');
  return bytes.substr(0, 10) + header + bytes.substr(9 + len);
}

/// The values of the .npy `bytes` as a dataset, or "refused".
std::string npy_outcome(const std::string& bytes, int obs_dim) {
  try {
    return Dataset::from_npy(bytes, "fuzz.npy", obs_dim, 1).to_csv();
  } catch (const dynalab::InputError&) {
    return "refused";
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace dynalab;
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  for (int obs_dim : {1, 3}) {
    try {
      const Dataset d = Dataset::from_csv(bytes, "fuzz.csv", obs_dim, 1);
      try {  // an InputError from here on is a finding, not a rejected input
        check_csv_fields(bytes);
        check_values(d);
        check_round_trips(d, obs_dim);
      } catch (const InputError&) {
        std::abort();
      }
    } catch (const InputError&) {
    }
    const std::string respaced = header_spaces_moved(bytes);
    if (!respaced.empty()) expect(npy_outcome(bytes, obs_dim) == npy_outcome(respaced, obs_dim));
    try {
      const Dataset d = Dataset::from_npy(bytes, "fuzz.npy", obs_dim, 1);
      try {
        check_values(d);
        check_round_trips(d, obs_dim);
      } catch (const InputError&) {
        std::abort();
      }
    } catch (const InputError&) {
    }
  }
  return 0;
}
