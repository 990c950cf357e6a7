#pragma once
// Reading a whole file, for every loader (sessions, model weights, datasets).

#include <filesystem>
#include <string>

namespace dynalab {

/// The bytes of the file at `path`; InputError naming it if it is missing or unreadable.
std::string read_file_bytes(const std::filesystem::path& path);

}  // namespace dynalab
