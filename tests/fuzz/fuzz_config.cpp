// libFuzzer target: arbitrary bytes as an experiment config. Anything may be rejected with an
// InputError; nothing may crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/config.h"
#include "core/experiment.h"
#include "envs/registry.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace dynalab;
  try {
    ExperimentSource src;
    src.name = "fuzz";
    src.source = "fuzz.json";
    src.json = Json::parse(std::string(reinterpret_cast<const char*>(data), size));
    if (!src.json.is_object()) return 0;
    src.overridden = std::make_shared<std::set<std::string>>();
    auto e = make_experiment(src, env_registry());
    for (int i = 0; i < 50 && e->tick(); ++i) {
    }
    e->snapshot();
  } catch (const InputError&) {
  } catch (const nlohmann::json::exception&) {
  }
  return 0;
}
