#pragma once
// The median of a sample, one definition for every analysis that reports one.

#include <vector>

namespace dynalab {

/// The sample median of `v` (the mean of the two middle values for an even count); NaN if empty.
double median(std::vector<double> v);

}  // namespace dynalab
