// libFuzzer target: arbitrary bytes as a dataset, both as CSV and as .npy.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/config.h"
#include "core/dataset.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace dynalab;
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  for (int obs_dim : {1, 3}) {
    try {
      Dataset d = Dataset::from_csv(bytes, "fuzz.csv", obs_dim, 1);
      d.to_npy();
    } catch (const InputError&) {
    }
    try {
      Dataset d = Dataset::from_npy(bytes, "fuzz.npy", obs_dim, 1);
      d.to_csv();
    } catch (const InputError&) {
    }
  }
  return 0;
}
