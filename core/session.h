#pragma once
// Save and load a whole session: the resolved config plus every piece of state that the next
// ticks depend on (learned values, model weights and optimiser moments, datasets, RNG states,
// env state, counters), so a loaded session steps bit-identically to the one that was saved.
//
// Session folder (format 2):
//   session.json  {"format": 2, "experiment", "family", "config": resolved config, "state": {...}}
//                 the state is what EpisodicExperiment::visit_state and the agent's visit_state
//                 list (core/state_visitor.h): counters, episodes, trajectories, RNG states
//                 (64-bit words as 16-digit hex), env state, and the agent under "agent"
//   README.txt    one line per file
//   agent files (mbrl: dataset.npy, model/ensemble.bin, model/training_state.bin, ...)
// Loading builds a NEW experiment from the saved config and restores its state; a broken file
// is an InputError naming the file and key, and the caller's current experiment is untouched.

#include <filesystem>
#include <limits>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "core/config.h"
#include "core/experiment.h"
#include "core/rng.h"

namespace dynalab {

class EnvRegistry;

/// Version of the session folder layout written by save_session.
inline constexpr int kSessionFormat = 2;  // 2: one state visitor for every agent family (issue 16)

/// Writes `e`'s session into `dir` (created; an existing session there is replaced). The folder is
/// assembled next to `dir` and renamed into place, so a failure (read-only parent, full disk)
/// throws InputError naming the path and leaves no half-written session.
void save_session(const Experiment& e, const std::filesystem::path& dir);

/// Builds the experiment saved in `dir` and restores its state. Throws InputError naming the file
/// and key on broken, truncated or wrong-shape files.
std::unique_ptr<Experiment> load_session(const std::filesystem::path& dir, const EnvRegistry& envs);

/// Reads a session's state JSON with errors "file: key.path: expected ..., got ...".
class SessionReader {
 public:
  SessionReader(const Json& j, std::string file, std::string path);
  /// The child object under `key`.
  SessionReader child(const std::string& key) const;
  bool has(const std::string& key) const { return j_.contains(key); }
  /// An integer that T holds, range-checked before the conversion (a file's 2147483648 must not
  /// wrap into an int).
  template <class T = int64_t>
  T integer(const std::string& key) const {
    static_assert(std::is_signed_v<T>, "integers are read as int64_t");
    return static_cast<T>(
        integer_in(key, std::numeric_limits<T>::min(), std::numeric_limits<T>::max()));
  }
  /// A double written by session_number (a number, or "nan"/"inf"/"-inf").
  double number(const std::string& key) const;
  bool boolean(const std::string& key) const;
  std::string string(const std::string& key) const;
  /// An array of doubles; `expected` (if not npos) is the required length.
  std::vector<double> doubles(const std::string& key, size_t expected = std::string::npos) const;
  std::vector<float> floats(const std::string& key, size_t expected = std::string::npos) const;
  template <class T = int64_t>
  std::vector<T> integers(const std::string& key, size_t expected = std::string::npos) const {
    static_assert(std::is_signed_v<T>, "integers are read as int64_t");
    const std::vector<int64_t> v =
        integers_in(key, expected, std::numeric_limits<T>::min(), std::numeric_limits<T>::max());
    return std::vector<T>(v.begin(), v.end());
  }
  /// An array whose elements are read by the caller (size checked if `expected` != npos).
  const Json& array(const std::string& key, size_t expected = std::string::npos) const;
  Rng::State rng(const std::string& key) const;
  /// Throws InputError "file: path.key: expected `what`".
  [[noreturn]] void fail(const std::string& key, const std::string& what) const;
  const std::string& file() const { return file_; }
  /// The key path of this object within the file ("state.rows[2]").
  const std::string& path() const { return path_; }

 private:
  const Json& at(const std::string& key) const;
  int64_t integer_in(const std::string& key, int64_t lo, int64_t hi) const;
  std::vector<int64_t> integers_in(const std::string& key, size_t expected, int64_t lo,
                                   int64_t hi) const;
  const Json& j_;
  std::string file_, path_;
};

/// A double as JSON that reads back bit-exactly: a number, or "nan"/"inf"/"-inf".
Json session_number(double x);
/// A vector of doubles (or floats) as a JSON array of session_number.
Json session_numbers(const double* x, size_t n);
Json session_numbers(const float* x, size_t n);
/// An Rng state as JSON: {"s": [4 hex words], "has_spare", "spare": hex bits}.
Json session_rng(const Rng::State& st);

/// Reads a whole file; InputError naming it if it is missing or unreadable.
std::string read_session_file(const std::filesystem::path& path);

}  // namespace dynalab
