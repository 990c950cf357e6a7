// The committed model files (the weight fuzzer's seed corpus and the bad-input catalogue's
// truncated model) are what Ensemble::save writes for the shapes in tests/fuzz/weights_seed.h.
// Regenerate them after a format change with:
//   DYNALAB_WRITE_SEEDS=1 build/tests/test_fuzz_seeds
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>

#include "test_util.h"
#include "tests/fuzz/weights_seed.h"

namespace test_fuzz_seeds {

using namespace dynalab;

namespace {
void write_bytes(const std::filesystem::path& p, const std::string& bytes) {
  std::ofstream f(p, std::ios::binary);
  f.write(bytes.data(), std::streamsize(bytes.size()));
}
}  // namespace

TEST_CASE("the committed seed models load into their shapes and match a fresh save in size") {
  const auto corpus = test::test_data("fuzz/corpus/weights");
  const auto bad = test::test_data("bad_inputs");
  const auto tmp = test::temp_dir("fuzz_seeds");
  const bool write = std::getenv("DYNALAB_WRITE_SEEDS") != nullptr;
  for (bool probabilistic : {false, true}) {
    const std::string name = probabilistic ? "probabilistic.bin" : "deterministic.bin";
    const Ensemble trained = fuzz_seed::trained_model(probabilistic);
    trained.save(tmp / name);
    const std::string fresh = test::read_file(tmp / name);
    if (write) {
      write_bytes(corpus / name, fresh);
      if (!probabilistic) write_bytes(bad / "weights_truncated.bin", fresh.substr(0, fresh.size() - 40));
    }
    INFO(name);
    const std::string committed = test::read_file(corpus / name);
    CHECK(committed.size() == fresh.size());
    Ensemble e(fuzz_seed::model_config(probabilistic), fuzz_seed::kObsDim, fuzz_seed::kActionDim, 9);
    e.load(corpus / name);  // throws (fails the test) if the format moved on
    CHECK(e.elites().size() == 2);
    if (!probabilistic) {
      const std::string truncated = test::read_file(bad / "weights_truncated.bin");
      CHECK(truncated.size() + 40 == fresh.size());
    }
  }
  std::filesystem::remove_all(tmp);
}

}  // namespace test_fuzz_seeds
