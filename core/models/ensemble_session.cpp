#include "core/models/ensemble_session.h"

#include "core/models/ensemble.h"
#include "core/state_visitor.h"

namespace dynalab {

void visit_ensemble(StateVisitor& v, Ensemble& model, const Dataset& data) {
  v.file(
      "model/ensemble.bin", [&] { return model.to_bytes(); },
      [&](const std::string& bytes, const std::string& source) {
        model.load_bytes(bytes, source);
      });
  v.file(
      "model/training_state.bin", [&] { return model.training_state_bytes(); },
      [&](const std::string& bytes, const std::string& source) {
        model.load_training_state_bytes(bytes, source, data);
      });
}

}  // namespace dynalab

namespace dynalab {

void Ensemble::visit_state(StateVisitor& v, const Dataset& data) { visit_ensemble(v, *this, data); }

}  // namespace dynalab
