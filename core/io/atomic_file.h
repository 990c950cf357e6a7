#pragma once
// Every file dynalab writes goes through here: written to a temporary file in the same folder,
// flushed, then renamed over the target, so a full disk or a crash never leaves half a file.

#include <filesystem>
#include <string_view>

namespace dynalab {

/// Writes `content` to `path` atomically, creating parent folders. Throws InputError with a
/// one-line message naming the path (read-only folder, full disk) and leaves nothing behind.
void write_file_atomic(const std::filesystem::path& path, std::string_view content);

/// Creates `dir` and its parents; throws InputError naming it if that fails.
void ensure_directory(const std::filesystem::path& dir);

}  // namespace dynalab
