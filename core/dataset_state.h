#pragma once
// Session state of a Dataset (core/state_visitor.h), for every agent that keeps one.

namespace dynalab {

class Dataset;
class StateVisitor;

/// The dataset's size in `v` and its rows, oldest first, in the session file dataset.npy.
/// Loading checks the size and the capacity (InputError naming the file) and refills `d` in the
/// same logical order.
void visit_dataset(StateVisitor& v, Dataset& d);

}  // namespace dynalab
