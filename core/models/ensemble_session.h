#pragma once
// Session state of an Ensemble (core/state_visitor.h), for every agent that trains one.

namespace dynalab {

class Dataset;
class Ensemble;
class StateVisitor;

/// The ensemble's two session files: model/ensemble.bin (Ensemble::to_bytes, weights and
/// normalisers) and model/training_state.bin (Ensemble::training_state_bytes: Adam moments and a
/// fit in progress). `data` is the dataset the current fit began on (its rows are rebuilt from
/// it on load).
void visit_ensemble(StateVisitor& v, Ensemble& model, const Dataset& data);

}  // namespace dynalab
