#include "core/state_visitor.h"

#include <stdexcept>

#include "core/io/atomic_file.h"
#include "core/io/input_error.h"

#include "core/session.h"

namespace dynalab {

namespace {

/// Writes each visited field into a JSON object.
class Saver final : public StateVisitor {
 public:
  Saver(const std::filesystem::path& dir, Json& out) : dir_(dir), out_(out) { out_ = Json::object(); }
  bool loading() const override { return false; }
  const std::filesystem::path& dir() const override { return dir_; }
  void field(const std::string& k, int& x) override { out_[k] = x; }
  void field(const std::string& k, int64_t& x) override { out_[k] = x; }
  void field(const std::string& k, double& x) override { out_[k] = session_number(x); }
  void field(const std::string& k, bool& x) override { out_[k] = x; }
  void field(const std::string& k, std::string& x) override { out_[k] = x; }
  void field(const std::string& k, std::vector<double>& x) override { out_[k] = session_numbers(x.data(), x.size()); }
  void field(const std::string& k, std::vector<float>& x) override { out_[k] = session_numbers(x.data(), x.size()); }
  void field(const std::string& k, std::vector<int>& x) override { out_[k] = x; }
  void field(const std::string& k, Vec& x) override { out_[k] = session_numbers(x.data(), size_t(x.size())); }
  void field(const std::string& k, Rng& rng) override { out_[k] = session_rng(rng.state()); }
  void section(const std::string& k, const std::function<void(StateVisitor&)>& body) override {
    Saver sub(dir_, out_[k]);
    body(sub);
  }
  void optional(const std::string& k, bool& present, const std::function<void(StateVisitor&)>& body) override {
    if (present) section(k, body);
  }
  void records(const std::string& k, size_t n, const std::function<void(size_t)>&,
               const std::function<void(size_t, StateVisitor&)>& record) override {
    Json a = Json::array();
    for (size_t i = 0; i < n; ++i) {
      Json item;
      Saver sub(dir_, item);
      record(i, sub);
      a.push_back(std::move(item));
    }
    out_[k] = std::move(a);
  }
  void file(const std::string& name, const std::function<std::string()>& save,
            const std::function<void(const std::string&, const std::string&)>&) override {
    write_file_atomic(dir_ / name, save());  // creates model/ etc.
  }
  [[noreturn]] void fail(const std::string& k, const std::string& what) const override {
    throw std::logic_error("saving session state: " + k + ": " + what);
  }

 private:
  const std::filesystem::path& dir_;
  Json& out_;
};

/// Reads each visited field back from a SessionReader (errors name file and key path).
class Loader final : public StateVisitor {
 public:
  Loader(const std::filesystem::path& dir, const SessionReader& r) : dir_(dir), r_(r) {}
  bool loading() const override { return true; }
  const std::filesystem::path& dir() const override { return dir_; }
  void field(const std::string& k, int& x) override { x = r_.integer<int>(k); }
  void field(const std::string& k, int64_t& x) override { x = r_.integer(k); }
  void field(const std::string& k, double& x) override { x = r_.number(k); }
  void field(const std::string& k, bool& x) override { x = r_.boolean(k); }
  void field(const std::string& k, std::string& x) override { x = r_.string(k); }
  void field(const std::string& k, std::vector<double>& x) override { x = r_.doubles(k); }
  void field(const std::string& k, std::vector<float>& x) override { x = r_.floats(k); }
  void field(const std::string& k, std::vector<int>& x) override { x = r_.integers<int>(k); }
  void field(const std::string& k, Vec& x) override {
    // A vector keeps its size: the env's observation size fixes it before the load.
    const std::vector<double> d = r_.doubles(k, size_t(x.size()));
    x = Eigen::Map<const Vec>(d.data(), Eigen::Index(d.size()));
  }
  void field(const std::string& k, Rng& rng) override { rng.set_state(r_.rng(k)); }
  void section(const std::string& k, const std::function<void(StateVisitor&)>& body) override {
    const SessionReader sub = r_.child(k);
    Loader l(dir_, sub);
    body(l);
  }
  void optional(const std::string& k, bool& present, const std::function<void(StateVisitor&)>& body) override {
    present = r_.has(k);
    if (present) section(k, body);
  }
  void records(const std::string& k, size_t, const std::function<void(size_t)>& resize,
               const std::function<void(size_t, StateVisitor&)>& record) override {
    const Json& a = r_.array(k);
    resize(a.size());
    const std::string base = (r_.path().empty() ? "" : r_.path() + ".") + k;
    for (size_t i = 0; i < a.size(); ++i) {
      const std::string at = base + "[" + std::to_string(i) + "]";
      if (!a[i].is_object()) SessionReader(a[i], r_.file(), "").fail(at, "an object");
      const SessionReader item(a[i], r_.file(), at);
      Loader l(dir_, item);
      record(i, l);
    }
  }
  void file(const std::string& name, const std::function<std::string()>&,
            const std::function<void(const std::string&, const std::string&)>& load) override {
    const std::filesystem::path p = dir_ / name;
    load(read_session_file(p), p.string());
  }
  [[noreturn]] void fail(const std::string& k, const std::string& what) const override { r_.fail(k, what); }

 private:
  const std::filesystem::path& dir_;
  const SessionReader& r_;
};

}  // namespace

void StateVisitor::document(const std::string& name, const std::function<void(StateVisitor&)>& body) {
  file(
      name, [&] { return save_state_json(dir(), body).dump() + "\n"; },
      [&](const std::string& bytes, const std::string& source) {
        Json j;
        try {
          j = Json::parse(bytes);
        } catch (const Json::exception& e) {  // a syntax error, or a number beyond a double (1e999)
          throw InputError(source + ": not valid JSON (" + e.what() + ")");
        }
        if (!j.is_object()) throw InputError(source + ": expected a JSON object");
        load_state_json(dir(), SessionReader(j, source, ""), body);
      });
}

Json save_state_json(const std::filesystem::path& dir, const std::function<void(StateVisitor&)>& body) {
  Json out;
  Saver s(dir, out);
  body(s);
  return out;
}

void load_state_json(const std::filesystem::path& dir, const SessionReader& state,
                     const std::function<void(StateVisitor&)>& body) {
  Loader l(dir, state);
  body(l);
}

}  // namespace dynalab
