#pragma once
// Loading a hand-edited copy of a saved session: the session loaders' bad-input tests.

#include <doctest/doctest.h>

#include <filesystem>
#include <functional>
#include <string>

#include "core/config.h"
#include "core/io/atomic_file.h"
#include "core/session.h"
#include "envs/registry.h"
#include "tests/test_util.h"

namespace dynalab::test {

/// Copies the session saved in `good` to `bad`, applies `edit` to the copy's session.json
/// document and `edit_files` (if set) to the copy's folder, and loads it: the InputError's
/// message (checked to be one line), or "(no error)".
inline std::string edited_session_error(const std::filesystem::path& good, const std::filesystem::path& bad,
                                        const std::function<void(Json&)>& edit,
                                        const std::function<void(const std::filesystem::path&)>& edit_files = {}) {
  Json doc = Json::parse(read_file(good / "session.json"));
  edit(doc);
  std::filesystem::remove_all(bad);
  std::filesystem::copy(good, bad, std::filesystem::copy_options::recursive);
  write_file_atomic(bad / "session.json", doc.dump());
  if (edit_files) edit_files(bad);
  try {
    load_session(bad, env_registry());
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).find('\n') == std::string::npos);
    return e.what();
  }
  return "(no error)";
}

}  // namespace dynalab::test
