#pragma once
// BnnConfig: the "model.bnn" section (model.type = bnn). Filled in by the BNN family.

namespace dynalab {

struct BnnConfig {
  template <class V>
  void visit(V& v) {
    (void)v;
  }
};

}  // namespace dynalab
