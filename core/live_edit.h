#pragma once
// Live config edits. A config struct marks each field Apply::live (it may change while an
// experiment runs: a step size, CEM's population) or Apply::on_reset (it shapes what is built:
// a horizon, the env). When an editor changes a running experiment's config, the live fields
// take effect from the next tick and the others wait for a reset; split_live_edit says which is
// which, for any config, from the structs' own visit() functions.

#include <map>
#include <string>
#include <vector>

#include "core/config.h"

namespace dynalab {

/// A config visitor that records, for every field, its key path ("planner.cem.population") and
/// when it applies. Fields read outside visit() (the env section) are not recorded.
class ApplyRecorder {
 public:
  template <class T>
  void field(const char* key, T&, Range = {}, Apply apply = Apply::live, const char* = "") {
    record(key, apply);
  }
  template <class T>
  void field(const char* key, T&, Apply apply, const char* = "") {
    record(key, apply);
  }
  void choice(const char* key, std::string&, const std::vector<std::string>&,
              Apply apply = Apply::on_reset, const char* = "") {
    record(key, apply);
  }
  template <class C>
  void section(const char* key, C& sub) {
    const std::string outer = prefix_;
    prefix_ += std::string(key) + ".";
    sub.visit(*this);
    prefix_ = outer;
  }
  /// Key path -> Apply of every field visited.
  const std::map<std::string, Apply>& applies() const { return applies_; }

 private:
  void record(const char* key, Apply apply) { applies_[prefix_ + key] = apply; }
  std::string prefix_;
  std::map<std::string, Apply> applies_;
};

/// Which fields of config struct `cfg` apply live (a copy is visited; `cfg` is not changed).
template <class C>
std::map<std::string, Apply> config_applies(C cfg) {
  ApplyRecorder r;
  cfg.visit(r);
  return r.applies();
}

/// What an edit of a running experiment's config does.
struct LiveEdit {
  Json merged;                       ///< the current config with the live changes made
  std::vector<std::string> live;     ///< key paths changed that apply from the next tick
  std::vector<std::string> pending;  ///< key paths changed that wait for a reset
};

/// Compares `edited` with `current` (two resolved configs of one experiment) leaf by leaf
/// (objects are descended, arrays and scalars are leaves). A changed leaf whose key path is
/// Apply::live in `applies` goes into `merged` and `live`; every other changed leaf (on_reset,
/// or not a visited field, such as the env's) only into `pending`.
LiveEdit split_live_edit(const Json& current, const Json& edited,
                         const std::map<std::string, Apply>& applies);

}  // namespace dynalab
