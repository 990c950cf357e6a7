#include "core/session.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/env_registry.h"
#include "core/io/atomic_file.h"
#include "core/io/read_file.h"

namespace dynalab {

namespace {

std::string hex64(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

bool parse_hex64(const Json& j, uint64_t& out) {
  if (!j.is_string()) return false;
  const std::string s = j.get<std::string>();
  if (s.empty() || s.size() > 16) return false;
  out = 0;
  for (char c : s) {
    int d = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
    if (d < 0) return false;
    out = out << 4 | uint64_t(d);
  }
  return true;
}

bool parse_number(const Json& j, double& out) {
  if (j.is_number()) {
    out = j.get<double>();
    return true;
  }
  if (!j.is_string()) return false;
  const std::string s = j.get<std::string>();
  if (s == "nan")
    out = std::nan("");
  else if (s == "inf")
    out = INFINITY;
  else if (s == "-inf")
    out = -INFINITY;
  else
    return false;
  return true;
}

std::string readme(const std::filesystem::path& dir) {
  std::string r =
      "dynalab session (format " + std::to_string(kSessionFormat) +
      "). Load it with `dynalab-cli run --load-session DIR` or the GUI's File > Load session.\n\n";
  const std::vector<std::pair<std::string, std::string>> known = {
      {"session.json", "format, experiment name, resolved config, counters, RNG states, env state"},
      {"dataset.npy",
       "the agent's dataset (float64, columns episode, obs, action, reward, next_obs, terminated)"},
      {"model/ensemble.bin",
       "the learned ensemble: weights, normalisers, elites (core/models/ensemble_io.cpp)"},
      {"model/training_state.bin",
       "Adam moments and the in-progress fit (core/models/ensemble_state.cpp)"},
      {"plan_trace.json", "the planner's latest iteration (what the GUI draws) and warm start"},
      {"fit_data.npy", "the transitions of the model's latest fit (the distribution-shift analysis)"},
      {"README.txt", "this file"}};
  for (const auto& [f, what] : known)
    if (f == "README.txt" || std::filesystem::exists(dir / f)) r += f + "  " + what + "\n";
  return r;
}

}  // namespace

void Experiment::save_state(const std::filesystem::path&, Json&) const {
  throw InputError("this experiment kind cannot save sessions");
}

void Experiment::load_state(const std::filesystem::path&, const SessionReader& state) {
  state.fail("state", "an experiment kind that can load sessions");
}

Json session_number(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  return x;
}

Json session_numbers(const double* x, size_t n) {
  Json a = Json::array();
  for (size_t i = 0; i < n; ++i) a.push_back(session_number(x[i]));
  return a;
}

Json session_numbers(const float* x, size_t n) {
  Json a = Json::array();
  for (size_t i = 0; i < n; ++i) a.push_back(session_number(double(x[i])));
  return a;
}

Json session_rng(const Rng::State& st) {
  Json s = Json::array();
  for (uint64_t w : st.s) s.push_back(hex64(w));
  uint64_t bits;
  std::memcpy(&bits, &st.spare, sizeof bits);
  return Json{{"s", s}, {"has_spare", st.has_spare}, {"spare", hex64(bits)}};
}

std::string read_session_file(const std::filesystem::path& path) { return read_file_bytes(path); }

SessionReader::SessionReader(const Json& j, std::string file, std::string path)
    : j_(j), file_(std::move(file)), path_(std::move(path)) {}

void SessionReader::fail(const std::string& key, const std::string& what) const {
  throw InputError(file_ + ": " + (path_.empty() ? "" : path_ + ".") + key + ": expected " + what);
}

const Json& SessionReader::at(const std::string& key) const {
  if (!j_.is_object() || !j_.contains(key)) fail(key, "a value (missing)");
  return j_.at(key);
}

SessionReader SessionReader::child(const std::string& key) const {
  const Json& c = at(key);
  if (!c.is_object()) fail(key, "an object");
  return SessionReader(c, file_, path_.empty() ? key : path_ + "." + key);
}

namespace {
std::string integer_in_text(int64_t lo, int64_t hi) {
  if (lo == std::numeric_limits<int64_t>::min() && hi == std::numeric_limits<int64_t>::max())
    return "an integer";
  return "an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
}
}  // namespace

int64_t SessionReader::integer_in(const std::string& key, int64_t lo, int64_t hi) const {
  const Json& v = at(key);
  const std::optional<int64_t> x = json_integer(v, lo, hi);
  if (!x) fail(key, integer_in_text(lo, hi) + ", got " + v.dump());
  return *x;
}

double SessionReader::number(const std::string& key) const {
  double x;
  if (!parse_number(at(key), x)) fail(key, "a number, got " + at(key).dump());
  return x;
}

bool SessionReader::boolean(const std::string& key) const {
  const Json& v = at(key);
  if (!v.is_boolean()) fail(key, "true or false, got " + v.dump());
  return v.get<bool>();
}

std::string SessionReader::string(const std::string& key) const {
  const Json& v = at(key);
  if (!v.is_string()) fail(key, "a string, got " + v.dump());
  return v.get<std::string>();
}

const Json& SessionReader::array(const std::string& key, size_t expected) const {
  const Json& v = at(key);
  if (!v.is_array()) fail(key, "an array");
  if (expected != std::string::npos && v.size() != expected)
    fail(key, std::to_string(expected) + " values, got " + std::to_string(v.size()));
  return v;
}

std::vector<double> SessionReader::doubles(const std::string& key, size_t expected) const {
  const Json& a = array(key, expected);
  std::vector<double> out(a.size());
  for (size_t i = 0; i < a.size(); ++i)
    if (!parse_number(a[i], out[i])) fail(key + "[" + std::to_string(i) + "]", "a number");
  return out;
}

std::vector<float> SessionReader::floats(const std::string& key, size_t expected) const {
  const std::vector<double> d = doubles(key, expected);
  return std::vector<float>(d.begin(), d.end());
}

std::vector<int64_t> SessionReader::integers_in(const std::string& key, size_t expected, int64_t lo,
                                                int64_t hi) const {
  const Json& a = array(key, expected);
  std::vector<int64_t> out(a.size());
  for (size_t i = 0; i < a.size(); ++i) {
    const std::optional<int64_t> x = json_integer(a[i], lo, hi);
    if (!x)
      fail(key + "[" + std::to_string(i) + "]", integer_in_text(lo, hi) + ", got " + a[i].dump());
    out[i] = *x;
  }
  return out;
}

Rng::State SessionReader::rng(const std::string& key) const {
  const SessionReader r = child(key);
  const Json& s = r.array("s", 4);
  Rng::State st;
  for (int i = 0; i < 4; ++i)
    if (!parse_hex64(s[i], st.s[i])) r.fail("s[" + std::to_string(i) + "]", "a hex 64-bit word");
  st.has_spare = r.boolean("has_spare");
  uint64_t bits;
  if (!parse_hex64(r.at("spare"), bits)) r.fail("spare", "a hex 64-bit word");
  std::memcpy(&st.spare, &bits, sizeof bits);
  if (st.s == std::array<uint64_t, 4>{}) r.fail("s", "a non-zero xoshiro state");
  return st;
}

void save_session(const Experiment& e, const std::filesystem::path& dir) {
  if (dir.empty()) throw InputError("save session: expected a folder path");
  const std::filesystem::path target = std::filesystem::absolute(dir).lexically_normal();
  const std::filesystem::path parent = target.parent_path();
  ensure_directory(parent);
  // Assemble next to the target, then swap it in: a failure leaves no half-written session.
  const std::filesystem::path tmp =
      parent / ("." + target.filename().string() + ".partial" + std::to_string(::getpid()));
  std::error_code ec;
  std::filesystem::remove_all(tmp, ec);
  try {
    ensure_directory(tmp);
    Json state = Json::object();
    e.save_state(tmp, state);
    const Progress p = e.progress();
    Json doc = {{"format", kSessionFormat},
                {"experiment", p.experiment},
                {"family", p.family},
                {"config", e.config()},
                {"state", state}};
    write_file_atomic(tmp / "session.json", doc.dump(1) + "\n");
    write_file_atomic(tmp / "README.txt", readme(tmp));
    if (std::filesystem::exists(target, ec)) {
      if (!std::filesystem::exists(target / "session.json", ec) &&
          !std::filesystem::is_empty(target, ec))
        throw InputError(target.string() +
                         ": exists and is not a dynalab session (refusing to replace it)");
      std::filesystem::remove_all(target, ec);
      if (ec) throw InputError(target.string() + ": cannot replace (" + ec.message() + ")");
    }
    std::filesystem::rename(tmp, target, ec);
    if (ec)
      throw InputError(target.string() + ": cannot create session folder (" + ec.message() + ")");
  } catch (...) {
    std::filesystem::remove_all(tmp, ec);
    throw;
  }
}

std::unique_ptr<Experiment> load_session(const std::filesystem::path& dir,
                                         const EnvRegistry& envs) {
  const std::filesystem::path file = dir / "session.json";
  if (!std::filesystem::is_directory(dir))
    throw InputError(dir.string() + ": no such session folder");
  Json doc;
  try {
    doc = Json::parse(read_session_file(file));
  } catch (const Json::exception& e) {  // a syntax error, or a number beyond a double (1e999)
    throw InputError(file.string() + ": not valid JSON (" + e.what() + ")");
  }
  const SessionReader top(doc, file.string(), "");
  if (!doc.is_object()) top.fail("(top level)", "a JSON object");
  const int64_t format = top.integer("format");
  if (format == 1)
    top.fail("format", std::to_string(kSessionFormat) +
                           ", got 1 (a session of an older dynalab: its state layout changed; rerun the "
                           "experiment and save again)");
  if (format != kSessionFormat)
    top.fail("format", std::to_string(kSessionFormat) + ", got " + std::to_string(format));
  ExperimentSource src;
  src.name = top.string("experiment");
  src.source = file.string() + ": config";
  if (!top.has("config") || !doc["config"].is_object()) top.fail("config", "an object");
  src.json = doc["config"];
  src.overridden = std::make_shared<std::set<std::string>>();
  auto e = make_experiment(src, envs);
  if (e->progress().family != top.string("family"))
    top.fail("family", "'" + e->progress().family + "' (the config's family), got '" + top.string("family") + "'");
  e->load_state(dir, top.child("state"));
  return e;
}

}  // namespace dynalab
