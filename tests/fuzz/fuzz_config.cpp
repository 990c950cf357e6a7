// libFuzzer target: arbitrary bytes as an experiment config. Anything may be rejected with an
// InputError; nothing may crash, hang or leak. A config that is accepted must keep its numbers:
// every number of the input that the resolved config holds at the same key path is the same
// number there (a 4294967296 that wrapped into an int came back as 0).
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/config.h"
#include "core/experiment.h"
#include "envs/registry.h"

namespace {
using dynalab::Json;

/// Aborts if a number of `in` differs from the number at the same path of `resolved`.
void same_numbers(const Json& in, const Json& resolved) {
  if (in.is_number() && resolved.is_number()) {
    const double a = in.get<double>(), b = resolved.get<double>();
    // float fields store 0.1 as 0.100000001: equal within float precision, a wrap is not.
    if (!(std::fabs(a - b) <= 1e-6 * std::max(1.0, std::fabs(a)))) std::abort();
    if (in.is_number_integer() && resolved.is_number_integer() && in.dump() != resolved.dump())
      std::abort();
  } else if (in.is_object() && resolved.is_object()) {
    for (auto it = in.begin(); it != in.end(); ++it)
      if (resolved.contains(it.key())) same_numbers(it.value(), resolved[it.key()]);
  } else if (in.is_array() && resolved.is_array() && in.size() == resolved.size()) {
    for (size_t i = 0; i < in.size(); ++i) same_numbers(in[i], resolved[i]);
  }
}
}  // namespace

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
    same_numbers(src.json, e->config());
    for (int i = 0; i < 50 && e->tick(); ++i) {
    }
    e->snapshot();
  } catch (const InputError&) {
  } catch (const nlohmann::json::exception&) {
  }
  return 0;
}
