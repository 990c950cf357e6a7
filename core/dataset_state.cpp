// Session state of a Dataset (core/state_visitor.h), shared by every agent that keeps one.
#include "core/dataset_state.h"

#include "core/dataset.h"
#include "core/io/input_error.h"
#include "core/state_visitor.h"

namespace dynalab {

void visit_dataset(StateVisitor& v, Dataset& d) {
  // Same logical order (oldest first) in a buffer of the configured capacity.
  int64_t dataset_size = int64_t(d.size());
  v.field("dataset_size", dataset_size);
  v.file(
      "dataset.npy", [&] { return d.to_npy(); },
      [&](const std::string& bytes, const std::string& source) {
        const Dataset loaded = Dataset::from_npy(bytes, source, d.obs_dim(), d.action_dim());
        if (int64_t(loaded.size()) != dataset_size)
          throw InputError(source + ": expected " + std::to_string(dataset_size) +
                           " transitions (dataset_size in session.json), got " +
                           std::to_string(loaded.size()));
        if (d.capacity() > 0 && loaded.size() > d.capacity())
          throw InputError(source +
                           ": expected at most dataset_capacity = " + std::to_string(d.capacity()) +
                           " transitions, got " + std::to_string(loaded.size()));
        d.clear();
        for (size_t i = 0; i < loaded.size(); ++i) d.add(loaded.at(i));
      });
}

}  // namespace dynalab
