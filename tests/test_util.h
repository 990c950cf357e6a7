#pragma once
// Helpers shared by the tests: running dynalab-cli, reading files, temporary folders.

#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>
#include <sys/wait.h>
#include <unistd.h>

namespace dynalab::test {

/// True in the sanitizer builds (scripts/sanitize.sh). A test case whose point is a learning
/// outcome (many full episodes: minutes under ASan) is marked `* doctest::skip(kSanitized)`; the
/// Release run checks its outcome, and the case's code paths run under the sanitizers in the
/// other, shorter cases.
#ifdef DYNALAB_SANITIZED
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif

struct CliResult {
  int exit_code;
  std::string output;  ///< stdout and stderr together
};

/// Runs a shell command line, its stdout and stderr together.
inline CliResult run_cli_raw(const std::string& command) {
  const std::string cmd = command + " 2>&1";
  std::FILE* p = ::popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int status = ::pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

/// Runs dynalab-cli with the given argument string (shell syntax).
inline CliResult run_cli(const std::string& args) { return run_cli_raw(std::string(DYNALAB_CLI) + " " + args); }

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

/// A fresh, empty folder under the system temp dir, named after the test.
inline std::filesystem::path temp_dir(const std::string& name) {
  auto d = std::filesystem::temp_directory_path() / ("dynalab_test_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d;
}

/// Path of a file under tests/ in the source tree.
inline std::filesystem::path test_data(const std::string& rel) { return std::filesystem::path(DYNALAB_TEST_DATA) / rel; }

/// The message of the exception `f` throws, or "(no error)".
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(no error)";
}

/// A version 1.0 .npy whose header dict is `header` as given (padded with spaces and '\n' as
/// numpy pads it), then `data`: for header spellings that npy_encode does not write.
inline std::string npy_with_header(std::string header, const std::vector<double>& data) {
  header.append((64 - (10 + header.size() + 1) % 64) % 64, ' ');
  header += '\n';
  std::string out("\x93NUMPY\x01\x00", 8);
  out += static_cast<char>(header.size() & 0xff);
  out += static_cast<char>(header.size() >> 8);
  out += header;
  out.append(reinterpret_cast<const char*>(data.data()), data.size() * sizeof(double));
  return out;
}

/// Rows of a CSV text (header first), split at commas; a trailing comma gives an empty last cell.
inline std::vector<std::vector<std::string>> csv_cells(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> row;
    std::istringstream ls(line);
    std::string cell;
    while (std::getline(ls, cell, ',')) row.push_back(cell);
    if (!line.empty() && line.back() == ',') row.push_back("");
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace dynalab::test
