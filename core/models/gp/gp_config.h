#pragma once
// GpConfig: the "model.gp" section (model.type = gp). Filled in by the GP family.

namespace dynalab {

struct GpConfig {
  template <class V>
  void visit(V& v) {
    (void)v;
  }
};

}  // namespace dynalab
