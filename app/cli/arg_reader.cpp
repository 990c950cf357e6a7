#include <algorithm>

#include "app/cli/cli.h"
#include "core/config.h"
#include "core/number_text.h"

namespace dynalab::cli {

ArgReader::ArgReader(const Args& args, std::vector<std::string> value_flags, std::vector<std::string> bool_flags) {
  auto in = [](const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  };
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.rfind("--", 0) != 0) {
      positional_.push_back(a);
      continue;
    }
    std::string flag = a, val;
    const auto eq = a.find('=');
    if (eq != std::string::npos && in(value_flags, a.substr(0, eq))) {  // --flag=value
      flag = a.substr(0, eq);
      val = a.substr(eq + 1);
    } else if (in(value_flags, a)) {  // --flag value
      if (i + 1 >= args.size()) throw InputError(a + ": expected a value after the flag");
      val = args[++i];
    } else if (!in(bool_flags, a)) {
      throw InputError(a + ": unknown option");
    }
    options_.push_back({flag, val});
  }
}

bool ArgReader::has(const std::string& flag) const {
  for (const auto& [f, v] : options_)
    if (f == flag) return true;
  return false;
}

std::string ArgReader::value(const std::string& flag, const std::string& fallback) const {
  std::string out = fallback;
  for (const auto& [f, v] : options_)
    if (f == flag) out = v;
  return out;
}

std::vector<std::string> ArgReader::values(const std::string& flag) const {
  std::vector<std::string> out;
  for (const auto& [f, v] : options_)
    if (f == flag) out.push_back(v);
  return out;
}

long long ArgReader::integer(const std::string& flag, long long fallback, long long lo, long long hi) const {
  if (!has(flag)) return fallback;
  const std::string v = value(flag);
  const std::optional<long long> x = parse_integer(v, lo, hi);
  if (!x)
    throw InputError(flag + ": expected an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got '" +
                     v + "'");
  return *x;
}

}  // namespace dynalab::cli
