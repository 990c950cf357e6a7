// libFuzzer target: arbitrary bytes as a saved model (Ensemble::load), into a deterministic and
// a probabilistic ensemble; a model that loads must also predict. Seeds: corpus/weights/.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/config.h"
#include "tests/fuzz/weights_seed.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace dynalab;
  static Ensemble models[2] = {
      Ensemble(fuzz_seed::model_config(false), fuzz_seed::kObsDim, fuzz_seed::kActionDim, 1),
      Ensemble(fuzz_seed::model_config(true), fuzz_seed::kObsDim, fuzz_seed::kActionDim, 1)};
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  for (Ensemble& m : models) {
    try {
      m.load_bytes(bytes, "fuzz.bin");
      RowMatrixXf obs = RowMatrixXf::Constant(2, fuzz_seed::kObsDim, 0.5f);
      RowMatrixXf act = RowMatrixXf::Constant(2, fuzz_seed::kActionDim, -0.25f);
      EnsemblePrediction p;
      m.predict(obs, act, p);
    } catch (const InputError&) {
    }
  }
  return 0;
}
