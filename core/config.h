#pragma once
// Config structs map 1:1 to JSON. Each struct has default member initialisers and a template
//   template <class V> void visit(V& v) { v.field("alpha", alpha, Range::unit()); ... }
// that one visitor reads from JSON (ConfigNode, here), and others reuse: the GUI's editor draws
// a slider per field with the same range. ConfigNode also records the resolved value of every
// field, so `dynalab-cli show` prints the complete config with defaults filled in.

#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/io/input_error.h"

namespace dynalab {

using Json = nlohmann::ordered_json;

/// Numeric bounds of a config field, each end open or closed.
struct Range {
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
  bool lo_open = false, hi_open = false;
  static Range closed(double lo, double hi) { return {lo, hi, false, false}; }
  static Range at_least(double lo) { return {lo, std::numeric_limits<double>::infinity(), false, false}; }
  static Range positive() { return {0, std::numeric_limits<double>::infinity(), true, false}; }
  static Range unit() { return {0, 1, true, false}; }  ///< (0, 1], e.g. a step size
  static Range probability() { return {0, 1, false, false}; }
  bool contains(double x) const;
  std::string describe() const;  ///< e.g. "a number in (0, 1]"
};

/// A config key that was renamed (issue 16: one meaning per key within an experiment file).
/// `section` is the key path of the object that holds it ("planner", "model", "agent").
struct RenamedKey {
  const char* section;
  const char* old_key;
  const char* new_key;
};
/// Every renamed key, in one place. A file (experiment, lesson override, saved session's
/// config) that still uses an old key fails with one line naming the file and both keys, e.g.
/// "experiment.json: planner.kind was renamed to planner.optimizer".
const std::vector<RenamedKey>& renamed_keys();

/// When a change to a field takes effect in a running experiment (the GUI says which).
enum class Apply { live, on_reset };

/// Reads one JSON object of a config: typed, range-checked fields; unknown keys are errors.
class ConfigNode {
 public:
  /// `source` names the file in error messages; `overridden` lists key paths set by --set.
  ConfigNode(const Json& in, std::string source, std::shared_ptr<const std::set<std::string>> overridden = {});
  /// A node for the object at key path `path` (e.g. "steps[2]") of `source`, for arrays of objects.
  ConfigNode(const Json& in, std::string source, std::string path,
             std::shared_ptr<const std::set<std::string>> overridden = {});

  void field(const char* key, double& value, Range range = {}, Apply apply = Apply::live, const char* help = "");
  void field(const char* key, float& value, Range range = {}, Apply apply = Apply::live, const char* help = "");
  void field(const char* key, int& value, Range range = {}, Apply apply = Apply::live, const char* help = "");
  void field(const char* key, int64_t& value, Range range = {}, Apply apply = Apply::live, const char* help = "");
  void field(const char* key, uint64_t& value, Range range = {}, Apply apply = Apply::live, const char* help = "");
  void field(const char* key, bool& value, Apply apply = Apply::live, const char* help = "");
  void field(const char* key, std::string& value, Apply apply = Apply::live, const char* help = "");
  void field(const char* key, std::vector<double>& value, Range range = {}, Apply apply = Apply::live,
             const char* help = "");
  void field(const char* key, std::vector<int>& value, Range range = {}, Apply apply = Apply::live,
             const char* help = "");
  void field(const char* key, std::vector<std::string>& value, Apply apply = Apply::live, const char* help = "");
  /// Marks `key` as known when the caller reads its value itself (e.g. an array of objects).
  void accept(const char* key) { used_.insert(key); }
  /// A string that must be one of `choices`.
  void choice(const char* key, std::string& value, const std::vector<std::string>& choices,
              Apply apply = Apply::on_reset, const char* help = "");

  /// Reads a nested config struct from the object at `key` (absent: defaults).
  template <class C>
  void section(const char* key, C& sub) {
    ConfigNode node = child(key);
    sub.visit(node);
    node.finish();
    resolved_[key] = node.resolved();
  }
  /// The node of the object at `key`, for configs whose shape depends on a value read earlier
  /// (e.g. an env section whose fields depend on its "name"). Call finish() and adopt() after.
  ConfigNode child(const char* key);
  /// Stores a child's resolved object under `key`.
  void adopt(const char* key, const ConfigNode& node) { resolved_[key] = node.resolved(); }

  /// Throws InputError if the object holds a key that no field() read.
  void finish() const;
  /// Every field read so far, with defaults filled in.
  const Json& resolved() const { return resolved_; }
  /// True if the input holds `key`.
  bool has(const char* key) const { return in_.is_object() && in_.contains(key); }
  /// "file: key.path" prefix for error messages about `key`.
  std::string where(const std::string& key) const;
  [[noreturn]] void fail(const std::string& key, const std::string& what, const Json* got = nullptr) const;
  const std::string& source() const { return source_; }
  const std::string& path() const { return path_; }

 private:
  const Json* get(const char* key);
  double number(const std::string& key, const Json& j, Range range, bool integer);

  Json in_;
  std::string source_, path_;
  std::shared_ptr<const std::set<std::string>> overridden_;
  std::set<std::string> used_;
  Json resolved_ = Json::object();
};

/// The integer that JSON `j` holds (3, or 3.0) if it lies in [lo, hi], else nullopt. Checked
/// before any conversion: nlohmann's get<int>() wraps 2147483648 to -2147483648 and 4294967296 to
/// 0, and casting 1e30 to an integer is undefined behaviour.
std::optional<int64_t> json_integer(const Json& j, int64_t lo, int64_t hi);
/// The integer that JSON `j` holds if type T holds it, else nullopt.
template <class T>
std::optional<T> json_integer(const Json& j) {
  const auto x = json_integer(j, std::numeric_limits<T>::min(), std::numeric_limits<T>::max());
  return x ? std::optional<T>(static_cast<T>(*x)) : std::nullopt;
}

/// Parses "key.path=value" and sets it in `root` (value parsed as JSON, else taken as a string).
/// Returns the key path. Throws InputError on a malformed override.
std::string apply_override(Json& root, const std::string& assignment);

/// Reads and parses a JSON file; errors name the file and the line.
Json read_json_file(const std::string& path);

}  // namespace dynalab
