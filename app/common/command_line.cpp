#include "app/common/command_line.h"

#include <cctype>
#include <cstdio>
#include <exception>

#include "core/config.h"
#include "core/number_text.h"

namespace dynalab::cmdline {

CLI::Validator integer_in(long long lo, long long hi) {
  return CLI::Validator(
      [lo, hi](std::string& v) -> std::string {
        if (parse_integer(v, lo, hi)) return {};
        return "expected an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) +
               "], got '" + v + "'";
      },
      "");
}

CLI::Validator finite_where(std::function<bool(double)> ok, const std::string& what) {
  return CLI::Validator(
      [ok = std::move(ok), what](std::string& v) -> std::string {
        const std::optional<double> x = parse_finite(v);
        if (x && ok(*x)) return {};
        return "expected " + what + ", got '" + v + "'";
      },
      "");
}

CLI::Validator one_of(const std::vector<std::string>& names) {
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  return CLI::Validator(
      [names, list](std::string& v) -> std::string {
        for (const auto& n : names)
          if (v == n) return {};
        return "expected one of " + list + ", got '" + v + "'";
      },
      "");
}

CLI::Option* add_sets(CLI::App& app, std::vector<std::string>& sets, const std::string& help) {
  // One value per --set: "--set a=1 NAME" leaves NAME to the positionals.
  return app.add_option("--set", sets, help)->type_name("KEY=VALUE")->allow_extra_args(false);
}

namespace {

/// One line; CLI11's own messages start lower case like the project's ("a subcommand is ...").
void print_error(const char* prefix, std::string what, bool lower_first) {
  for (char& c : what)
    if (c == '\n') c = ' ';
  while (!what.empty() && what.back() == ' ') what.pop_back();
  if (lower_first && what.size() > 1 && std::isupper(static_cast<unsigned char>(what[0])) &&
      (what[1] == ' ' || std::islower(static_cast<unsigned char>(what[1]))))
    what[0] = char(std::tolower(static_cast<unsigned char>(what[0])));
  std::fprintf(stderr, "%s%s\n", prefix, what.c_str());
}

}  // namespace

std::optional<int> parse(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
    return std::nullopt;
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help: to stdout
    print_error("error: ", e.what(), true);
    return 2;
  } catch (const InputError& e) {
    print_error("error: ", e.what(), false);
    return 2;
  } catch (const ExitCode& e) {
    return e.code;  // the command said what failed already
  } catch (const std::exception& e) {
    print_error("internal error: ", e.what(), false);
    return 1;
  }
}

}  // namespace dynalab::cmdline
