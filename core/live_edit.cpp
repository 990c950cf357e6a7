#include "core/live_edit.h"

namespace dynalab {

namespace {

void walk(const Json& current, const Json& edited, const std::string& path,
          const std::map<std::string, Apply>& applies, LiveEdit& out, Json& merged) {
  for (auto it = edited.begin(); it != edited.end(); ++it) {
    const std::string key = path.empty() ? it.key() : path + "." + it.key();
    const Json* was = current.contains(it.key()) ? &current[it.key()] : nullptr;
    if (was && was->is_object() && it->is_object()) {
      walk(*was, *it, key, applies, out, merged[it.key()]);
      continue;
    }
    if (was && *was == *it) continue;
    const auto a = applies.find(key);
    if (was && a != applies.end() && a->second == Apply::live) {
      merged[it.key()] = *it;
      out.live.push_back(key);
    } else {
      out.pending.push_back(key);
    }
  }
}

}  // namespace

LiveEdit split_live_edit(const Json& current, const Json& edited,
                         const std::map<std::string, Apply>& applies) {
  LiveEdit out;
  out.merged = current;
  if (current.is_object() && edited.is_object()) walk(current, edited, "", applies, out, out.merged);
  return out;
}

}  // namespace dynalab
