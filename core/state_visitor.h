#pragma once
// The state of an experiment and of its agent, listed once for both directions of a session
// (issue 16: "one visitor for save and load"). A visit_state(StateVisitor& v) function names
// each piece of state that the next ticks depend on; the saving visitor writes it into
// session.json (and files of the session folder), the loading visitor reads it back into the
// same variables, failing with "session.json: state.key: expected ..." on a broken value.
//
//   void visit_state(StateVisitor& v) {
//     v.field("episode", episode_);
//     v.field("rng", rng_);
//     visit_records(v, "rows", rows_, [](Row& r, StateVisitor& rv) { rv.field("ret", r.ret); });
//   }
//
// State too large or too binary for JSON goes into files of the session folder, listed the same
// way: v.file("model/ensemble.bin", save_bytes, parse_bytes) writes or parses the file, and
// v.document("plan_trace.json", body) keeps a nested object in a JSON file of its own.
//
// Numbers are exact both ways: doubles as JSON numbers or "nan"/"inf"/"-inf", RNG states and
// 64-bit words as hex (core/session.h).

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/rng.h"
#include "core/space.h"

namespace dynalab {

class SessionReader;

class StateVisitor {
 public:
  virtual ~StateVisitor() = default;
  /// True while restoring a session (fields are written to), false while saving (read from).
  virtual bool loading() const = 0;
  /// The session folder, for state kept in files of its own (datasets, model weights).
  virtual const std::filesystem::path& dir() const = 0;

  virtual void field(const std::string& key, int& x) = 0;
  virtual void field(const std::string& key, int64_t& x) = 0;
  virtual void field(const std::string& key, double& x) = 0;
  virtual void field(const std::string& key, bool& x) = 0;
  virtual void field(const std::string& key, std::string& x) = 0;
  virtual void field(const std::string& key, std::vector<double>& x) = 0;
  virtual void field(const std::string& key, std::vector<float>& x) = 0;
  virtual void field(const std::string& key, std::vector<int>& x) = 0;
  virtual void field(const std::string& key, Vec& x) = 0;
  virtual void field(const std::string& key, Rng& rng) = 0;
  /// A nested object.
  virtual void section(const std::string& key, const std::function<void(StateVisitor&)>& body) = 0;
  /// A nested object that may be absent: `present` is written on save and set on load; `body`
  /// runs only if it is.
  virtual void optional(const std::string& key, bool& present,
                        const std::function<void(StateVisitor&)>& body) = 0;
  /// A list of records (JSON objects). Save: `n` records are visited in order. Load: `resize`
  /// is called with the file's count, then each record is visited.
  virtual void records(const std::string& key, size_t n, const std::function<void(size_t)>& resize,
                       const std::function<void(size_t, StateVisitor&)>& record) = 0;
  /// A file of the session folder, `name` relative to dir() ("model/ensemble.bin"). Save writes
  /// `save()`'s bytes there (folders created); load reads them (InputError "path: cannot read")
  /// and hands them to `load(bytes, path)`, whose errors name that path.
  virtual void file(const std::string& name, const std::function<std::string()>& save,
                    const std::function<void(const std::string& bytes, const std::string& source)>& load) = 0;
  /// Throws InputError "file: path.key: expected `what`" (loading); a logic error when saving.
  [[noreturn]] virtual void fail(const std::string& key, const std::string& what) const = 0;

  /// An int that must lie in [lo, hi] after loading (a state index, a run).
  void bounded(const std::string& key, int& x, int lo, int hi) {
    field(key, x);
    if (loading() && (x < lo || x > hi))
      fail(key, "an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got " + std::to_string(x));
  }
  /// A vector that must hold `n` values after loading (a table, a plan of fixed shape).
  template <class T>
  void sized(const std::string& key, std::vector<T>& x, size_t n) {
    field(key, x);
    if (loading() && x.size() != n) fail(key, std::to_string(n) + " values, got " + std::to_string(x.size()));
  }
  /// A nested object kept in a JSON file of its own (`name` in dir()); load errors name that file
  /// and the key path inside it ("plan_trace.json: trace.horizon: expected ...").
  void document(const std::string& name, const std::function<void(StateVisitor&)>& body);
};

/// A vector of records, each visited by `each(T&, StateVisitor&)`.
template <class T, class F>
void visit_records(StateVisitor& v, const std::string& key, std::vector<T>& xs, F&& each) {
  v.records(
      key, xs.size(), [&](size_t n) { xs.assign(n, T{}); },
      [&](size_t i, StateVisitor& r) { each(xs[i], r); });
}

/// Saves `body`'s state into a JSON object (session.json's "state"); files go into `dir`.
Json save_state_json(const std::filesystem::path& dir, const std::function<void(StateVisitor&)>& body);
/// Restores `body`'s state from `state` (a reader of session.json's "state"); files from `dir`.
void load_state_json(const std::filesystem::path& dir, const SessionReader& state,
                     const std::function<void(StateVisitor&)>& body);

}  // namespace dynalab
