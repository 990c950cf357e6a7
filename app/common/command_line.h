#pragma once
// The command-line conventions of both front ends (dynalab-cli and dynalab), on CLI11: numbers
// are spelled out whole, finite and in range (core/number_text.h), --help prints to stdout and
// exits 0, and every bad input is one line "error: ..." on stderr naming the flag, exit code 2.

#include <CLI/CLI.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace dynalab::cmdline {

/// Accepts a value only if all of it is a base-10 integer in [lo, hi]; else
/// "expected an integer in [lo, hi], got 'v'" (CLI11 puts the flag in front).
CLI::Validator integer_in(long long lo, long long hi);

/// Accepts a value only if all of it is a finite number x with ok(x); else
/// "expected <what>, got 'v'".
CLI::Validator finite_where(std::function<bool(double)> ok, const std::string& what);

/// Accepts a value only if it is one of `names`; else "expected one of a, b, c, got 'v'".
CLI::Validator one_of(const std::vector<std::string>& names);

/// The repeatable "--set key.path=value" option (one value per --set) into `sets`.
CLI::Option* add_sets(CLI::App& app, std::vector<std::string>& sets, const std::string& help);

/// Thrown by a command that ran and reported a failing result itself (claims false, a check
/// that failed): parse() returns `code` without printing anything more. Not a std::exception.
struct ExitCode {
  int code = 1;
};

/// Parses argv into `app`, running its callbacks, and turns the outcome into an exit code:
/// nullopt when parsing (and any callback) succeeded and the caller goes on; 0 after printing a
/// --help; 2 after "error: ..." for a CLI11 parse error or an InputError; ExitCode's code; 1 after
/// "internal error: ..." for any other exception.
std::optional<int> parse(CLI::App& app, int argc, char** argv);

}  // namespace dynalab::cmdline
