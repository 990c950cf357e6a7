#include "core/config.h"

#include <cmath>
#include <fstream>
#include <sstream>

namespace dynalab {

namespace {
std::string fmt_number(double x) {
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  // Whole numbers in full: a type's limit 2147483647 must not read as 2.14748e+09.
  if (x == std::floor(x) && std::fabs(x) <= 1e18) return std::to_string(static_cast<long long>(x));
  std::ostringstream os;
  os << x;
  return os.str();
}
std::string short_dump(const Json& j) {
  std::string s = j.dump();
  if (s.size() > 60) s = s.substr(0, 57) + "...";
  return s;
}
}  // namespace

bool Range::contains(double x) const {
  if (std::isnan(x)) return false;
  if (lo_open ? !(x > lo) : !(x >= lo)) return false;
  if (hi_open ? !(x < hi) : !(x <= hi)) return false;
  return true;
}

std::string Range::describe() const {
  const bool has_lo = !std::isinf(lo), has_hi = !std::isinf(hi);
  if (!has_lo && !has_hi) return "a number";
  if (has_lo && !has_hi) return std::string("a number ") + (lo_open ? "> " : ">= ") + fmt_number(lo);
  if (!has_lo) return std::string("a number ") + (hi_open ? "< " : "<= ") + fmt_number(hi);
  return "a number in " + std::string(lo_open ? "(" : "[") + fmt_number(lo) + ", " + fmt_number(hi) +
         (hi_open ? ")" : "]");
}

const std::vector<RenamedKey>& renamed_keys() {
  // "kind" named four things; each now says what it picks: the optimizer, the model's
  // prediction, the tabular algorithm (and the top level's "family", core/experiment.cpp). "elites" named two: CEM keeps it (its elite candidates), the ensemble's best
  // members get their own key.
  static const std::vector<RenamedKey> table = {
      {"planner", "kind", "optimizer"},      // random_shooting, cem, mppi
      {"model", "kind", "prediction"},       // deterministic (s') or probabilistic (a Gaussian)
      {"model", "elites", "elite_members"},  // members used for planning, best first
      {"agent", "kind", "algorithm"},        // q_learning, dyna_q, dyna_q_plus, ...
  };
  return table;
}

ConfigNode::ConfigNode(const Json& in, std::string source, std::shared_ptr<const std::set<std::string>> overridden)
    : ConfigNode(in, std::move(source), "", std::move(overridden)) {}

ConfigNode::ConfigNode(const Json& in, std::string source, std::string path,
                       std::shared_ptr<const std::set<std::string>> overridden)
    : in_(in), source_(std::move(source)), path_(std::move(path)), overridden_(std::move(overridden)) {
  if (!in_.is_null() && !in_.is_object())
    fail("", "expected an object", &in_);
  // Checked before any field is read: an old key must not first show up as some other error
  // (model.elites absent makes the default elite_members exceed a small ensemble_size).
  if (in_.is_object())
    for (auto it = in_.begin(); it != in_.end(); ++it)  // the file's first old key
      for (const RenamedKey& r : renamed_keys())
        if (path_ == r.section && it.key() == r.old_key)
          throw InputError(where(r.old_key) + " was renamed to " + (path_.empty() ? "" : path_ + ".") + r.new_key);
}

std::string ConfigNode::where(const std::string& key) const {
  std::string full = path_.empty() ? key : (key.empty() ? path_ : path_ + "." + key);
  std::string src = source_;
  // The --set that holds the key: env.dims=[...] holds env.dims[0], planner={...} planner.kind.
  std::string set_key = overridden_ ? full.substr(0, full.find('[')) : "";
  while (!set_key.empty() && !overridden_->count(set_key)) {
    const size_t dot = set_key.rfind('.');
    set_key = dot == std::string::npos ? "" : set_key.substr(0, dot);
  }
  if (!set_key.empty()) src = "--set " + set_key;
  return src + ": " + (full.empty() ? "(top level)" : full);
}

void ConfigNode::fail(const std::string& key, const std::string& what, const Json* got) const {
  std::string msg = where(key) + ": expected " + what;
  if (got) msg += ", got " + short_dump(*got);
  throw InputError(msg);
}

const Json* ConfigNode::get(const char* key) {
  used_.insert(key);
  if (!in_.is_object()) return nullptr;
  auto it = in_.find(key);
  return it == in_.end() ? nullptr : &*it;
}

double ConfigNode::number(const std::string& key, const Json& j, Range range, bool integer) {
  const std::string what = integer ? (range.describe() == "a number" ? std::string("an integer")
                                                                     : "an integer" + range.describe().substr(8))
                                   : range.describe();
  if (!j.is_number()) fail(key, what, &j);
  double x = j.get<double>();
  if (integer && (!j.is_number_integer() && x != std::floor(x))) fail(key, what, &j);
  if (!std::isfinite(x) || !range.contains(x)) fail(key, what, &j);
  return x;
}

void ConfigNode::field(const char* key, double& value, Range range, Apply, const char*) {
  if (const Json* j = get(key)) value = number(key, *j, range, false);
  resolved_[key] = value;
}
void ConfigNode::field(const char* key, float& value, Range range, Apply, const char*) {
  if (const Json* j = get(key)) value = static_cast<float>(number(key, *j, range, false));
  resolved_[key] = value;
}
namespace {
/// `range` within what an int holds, so that an integer is checked before it is cast to one.
Range int_range(Range range) {
  range.lo = std::max(range.lo, static_cast<double>(std::numeric_limits<int>::min()));
  range.hi = std::min(range.hi, static_cast<double>(std::numeric_limits<int>::max()));
  return range;
}
}  // namespace

void ConfigNode::field(const char* key, int& value, Range range, Apply, const char*) {
  if (const Json* j = get(key)) value = static_cast<int>(number(key, *j, int_range(range), true));
  resolved_[key] = value;
}
// Integers read through a double are capped at 2^53 (exact in a double; casting a double
// beyond the integer type's range, e.g. "seed": 1e30, would be undefined behaviour).
constexpr double kMaxExactInteger = 9007199254740992.0;

void ConfigNode::field(const char* key, int64_t& value, Range range, Apply, const char*) {
  range.lo = std::max(range.lo, -kMaxExactInteger);
  range.hi = std::min(range.hi, kMaxExactInteger);
  if (const Json* j = get(key)) value = static_cast<int64_t>(number(key, *j, range, true));
  resolved_[key] = value;
}
void ConfigNode::field(const char* key, uint64_t& value, Range range, Apply, const char*) {
  if (const Json* j = get(key)) {
    if (j->is_number_unsigned()) {  // all 64 bits of a seed, but still within the field's range
      if (!range.contains(static_cast<double>(j->get<uint64_t>())))
        fail(key, "an integer" + range.describe().substr(8), j);
      value = j->get<uint64_t>();
    } else {
      Range r = range;
      r.lo = std::max(r.lo, 0.0);
      r.hi = std::min(r.hi, kMaxExactInteger);
      value = static_cast<uint64_t>(number(key, *j, r, true));
    }
  }
  resolved_[key] = value;
}
void ConfigNode::field(const char* key, bool& value, Apply, const char*) {
  if (const Json* j = get(key)) {
    if (!j->is_boolean()) fail(key, "true or false", j);
    value = j->get<bool>();
  }
  resolved_[key] = value;
}
void ConfigNode::field(const char* key, std::string& value, Apply, const char*) {
  if (const Json* j = get(key)) {
    if (!j->is_string()) fail(key, "a string", j);
    value = j->get<std::string>();
  }
  resolved_[key] = value;
}
void ConfigNode::field(const char* key, std::vector<double>& value, Range range, Apply, const char*) {
  if (const Json* j = get(key)) {
    if (!j->is_array()) fail(key, "an array of numbers", j);
    std::vector<double> v;
    for (size_t i = 0; i < j->size(); ++i) {
      const Json& e = (*j)[i];
      if (!e.is_number() || !std::isfinite(e.get<double>()) || !range.contains(e.get<double>()))
        fail(std::string(key) + "[" + std::to_string(i) + "]", range.describe(), &e);
      v.push_back(e.get<double>());
    }
    value = std::move(v);
  }
  resolved_[key] = value;
}
void ConfigNode::field(const char* key, std::vector<int>& value, Range range, Apply, const char*) {
  if (const Json* j = get(key)) {
    if (!j->is_array()) fail(key, "an array of integers", j);
    std::vector<int> v;
    for (size_t i = 0; i < j->size(); ++i)
      v.push_back(static_cast<int>(number(std::string(key) + "[" + std::to_string(i) + "]", (*j)[i],
                                          int_range(range), true)));
    value = std::move(v);
  }
  resolved_[key] = value;
}
void ConfigNode::field(const char* key, std::vector<std::string>& value, Apply, const char*) {
  if (const Json* j = get(key)) {
    if (!j->is_array()) fail(key, "an array of strings", j);
    std::vector<std::string> v;
    for (size_t i = 0; i < j->size(); ++i) {
      if (!(*j)[i].is_string()) fail(std::string(key) + "[" + std::to_string(i) + "]", "a string", &(*j)[i]);
      v.push_back((*j)[i].get<std::string>());
    }
    value = std::move(v);
  }
  resolved_[key] = value;
}
void ConfigNode::choice(const char* key, std::string& value, const std::vector<std::string>& choices, Apply,
                        const char*) {
  if (const Json* j = get(key)) {
    std::string list;
    for (const auto& c : choices) list += (list.empty() ? "" : ", ") + c;
    if (!j->is_string()) fail(key, "one of " + list, j);
    std::string v = j->get<std::string>();
    bool ok = false;
    for (const auto& c : choices) ok = ok || c == v;
    if (!ok) fail(key, "one of " + list, j);
    value = v;
  }
  resolved_[key] = value;
}

ConfigNode ConfigNode::child(const char* key) {
  const Json* j = get(key);
  static const Json empty = Json::object();
  std::string p = path_.empty() ? key : path_ + "." + key;
  if (j && !j->is_object()) fail(key, "an object", j);
  return ConfigNode(j ? *j : empty, source_, p, overridden_);
}

void ConfigNode::finish() const {
  if (!in_.is_object()) return;
  for (auto it = in_.begin(); it != in_.end(); ++it) {
    if (used_.count(it.key())) continue;
    std::string known;
    for (const auto& k : used_) known += (known.empty() ? "" : ", ") + k;
    throw InputError(where(it.key()) + ": unknown key (known keys here: " + known + ")");
  }
}

std::optional<int64_t> json_integer(const Json& j, int64_t lo, int64_t hi) {
  int64_t x;
  if (j.is_number_unsigned()) {  // may exceed int64_t
    if (hi < 0 || j.get<uint64_t>() > static_cast<uint64_t>(hi)) return std::nullopt;
    x = static_cast<int64_t>(j.get<uint64_t>());
  } else if (j.is_number_integer()) {
    x = j.get<int64_t>();
  } else if (j.is_number_float()) {
    // A whole double converts exactly only up to 2^53.
    const double d = j.get<double>();
    if (!(d == std::floor(d) && std::fabs(d) <= kMaxExactInteger)) return std::nullopt;
    x = static_cast<int64_t>(d);
  } else {
    return std::nullopt;
  }
  if (x < lo || x > hi) return std::nullopt;
  return x;
}

std::string apply_override(Json& root, const std::string& assignment) {
  auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw InputError("--set " + assignment + ": expected key.path=value");
  std::string path = assignment.substr(0, eq), text = assignment.substr(eq + 1);
  Json value;
  try {
    value = Json::parse(text);
  } catch (const std::exception&) {
    value = text;  // a bare word such as dyna_q is a string
  }
  Json* node = &root;
  size_t start = 0;
  while (true) {
    size_t dot = path.find('.', start);
    std::string part = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (part.empty()) throw InputError("--set " + assignment + ": empty key in '" + path + "'");
    if (!node->is_object()) {
      if (!node->is_null()) throw InputError("--set " + path + ": '" + part + "' is inside a value that is not an object");
      *node = Json::object();
    }
    if (dot == std::string::npos) {
      (*node)[part] = value;
      break;
    }
    node = &(*node)[part];
    start = dot + 1;
  }
  return path;
}

Json read_json_file(const std::string& path) {
  std::ifstream f(path);
  if (!f) throw InputError(path + ": cannot open file");
  std::stringstream ss;
  ss << f.rdbuf();
  try {
    return Json::parse(ss.str());
  } catch (const nlohmann::json::parse_error& e) {
    // nlohmann's message names the byte; turn it into a line number for people.
    const std::string text = ss.str();
    size_t line = 1;
    for (size_t i = 0; i < std::min<size_t>(e.byte, text.size()); ++i) line += text[i] == '\n';
    std::string what = e.what();
    auto colon = what.rfind(": ");
    throw InputError(path + ":" + std::to_string(line) + ": invalid JSON (" +
                     (colon == std::string::npos ? what : what.substr(colon + 2)) + ")");
  } catch (const nlohmann::json::out_of_range& e) {  // a number beyond a double (1e999): no byte to name
    const std::string what = e.what();
    const auto id_end = what.find("] ");
    throw InputError(path + ": invalid JSON (" + (id_end == std::string::npos ? what : what.substr(id_end + 2)) + ")");
  }
}

}  // namespace dynalab
