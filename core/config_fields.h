#pragma once
// A config struct's fields for code that cannot be a template: the GUI's config editor draws the
// fields of any agent family through this virtual visitor, so a new family needs no GUI code.
// Config structs keep their one template visit(V&) (core/config.h); FieldsThrough forwards its
// calls to a FieldVisitor, and visit_config_json reads a struct from JSON, visits it and writes
// it back.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/config.h"

namespace dynalab {

class FieldVisitor {
 public:
  virtual ~FieldVisitor() = default;
  virtual void field(const char* key, double& v, Range r, Apply a, const char* help) = 0;
  virtual void field(const char* key, int64_t& v, Range r, Apply a, const char* help) = 0;
  virtual void field(const char* key, uint64_t& v, Range r, Apply a, const char* help) = 0;
  virtual void field(const char* key, bool& v, Apply a, const char* help) = 0;
  virtual void field(const char* key, std::string& v, Apply a, const char* help) = 0;
  virtual void field(const char* key, std::vector<double>& v, Range r, Apply a, const char* help) = 0;
  virtual void field(const char* key, std::vector<int>& v, Range r, Apply a, const char* help) = 0;
  virtual void choice(const char* key, std::string& v, const std::vector<std::string>& choices, Apply a,
                      const char* help) = 0;
  virtual void section(const char* key, const std::function<void(FieldVisitor&)>& body) = 0;
  /// True if the visitor changed a value (then visit_config_json writes the struct back).
  virtual bool changed() const = 0;
};

/// The template visitor API of config structs, forwarded to a FieldVisitor.
class FieldsThrough {
 public:
  explicit FieldsThrough(FieldVisitor& v) : v_(v) {}
  void field(const char* key, double& x, Range r = {}, Apply a = Apply::live, const char* help = "") {
    v_.field(key, x, r, a, help);
  }
  void field(const char* key, float& x, Range r = {}, Apply a = Apply::live, const char* help = "") {
    double d = x;
    v_.field(key, d, r, a, help);
    x = float(d);
  }
  void field(const char* key, int& x, Range r = {}, Apply a = Apply::live, const char* help = "") {
    int64_t i = x;
    v_.field(key, i, r, a, help);
    x = int(i);
  }
  void field(const char* key, int64_t& x, Range r = {}, Apply a = Apply::live, const char* help = "") {
    v_.field(key, x, r, a, help);
  }
  void field(const char* key, uint64_t& x, Range r = {}, Apply a = Apply::live, const char* help = "") {
    v_.field(key, x, r, a, help);
  }
  void field(const char* key, std::vector<double>& x, Range r = {}, Apply a = Apply::live, const char* help = "") {
    v_.field(key, x, r, a, help);
  }
  void field(const char* key, std::vector<int>& x, Range r = {}, Apply a = Apply::live, const char* help = "") {
    v_.field(key, x, r, a, help);
  }
  void field(const char* key, bool& x, Apply a = Apply::live, const char* help = "") { v_.field(key, x, a, help); }
  void field(const char* key, std::string& x, Apply a = Apply::live, const char* help = "") {
    v_.field(key, x, a, help);
  }
  void choice(const char* key, std::string& x, const std::vector<std::string>& choices, Apply a = Apply::on_reset,
              const char* help = "") {
    v_.choice(key, x, choices, a, help);
  }
  template <class C>
  void section(const char* key, C& sub) {
    v_.section(key, [&](FieldVisitor& inner) {
      FieldsThrough t(inner);
      sub.visit(t);
    });
  }

 private:
  FieldVisitor& v_;
};

/// Writes a config struct back to JSON (the inverse of ConfigNode), field by field.
class JsonWriter {
 public:
  explicit JsonWriter(Json& out) : out_(out) {}
  template <class T>
  void field(const char* key, T& value, Range = {}, Apply = Apply::live, const char* = "") {
    out_[key] = value;
  }
  template <class T>
  void field(const char* key, T& value, Apply, const char* = "") {
    out_[key] = value;
  }
  void choice(const char* key, std::string& value, const std::vector<std::string>&, Apply = Apply::on_reset,
              const char* = "") {
    out_[key] = value;
  }
  template <class C>
  void section(const char* key, C& sub) {
    if (!out_.contains(key) || !out_[key].is_object()) out_[key] = Json::object();
    JsonWriter w(out_[key]);
    sub.visit(w);
  }

 private:
  Json& out_;
};

/// Reads config struct C from the JSON object `j` (keys C does not own are left alone), visits
/// its fields with `v`, and writes the struct back into `j` if `v` changed a value. Throws
/// InputError if `j` holds an invalid value.
template <class C>
void visit_config_json(Json& j, FieldVisitor& v) {
  C c;
  ConfigNode node(j, "editor");
  c.visit(node);
  FieldsThrough through(v);
  c.visit(through);
  if (v.changed()) {
    JsonWriter w(j);
    c.visit(w);
  }
}

}  // namespace dynalab
