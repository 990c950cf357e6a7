// dynalab-cli lessons [--check]: list every lesson with its steps, or validate them all.

#include <cstdio>

#include "app/cli/cli.h"
#include "core/experiment.h"
#include "core/lesson.h"
#include "envs/registry.h"

namespace dynalab::cli {

int lessons_command(const Args& args) {
  ArgReader a(args, {}, {"--check"});
  if (!a.positional().empty()) throw InputError("lessons: unexpected argument '" + a.positional()[0] + "'");
  const auto files = lesson_files();
  if (files.empty()) throw InputError((assets_dir() / "lessons").string() + ": no lesson files");
  for (const auto& f : files) {
    const Lesson lesson = load_lesson(f);  // a broken file stops here, named, exit 2
    if (a.has("--check")) {
      check_lesson(lesson, env_registry());
      std::printf("ok  %-28s %zu steps\n", lesson.name.c_str(), lesson.steps.size());
      continue;
    }
    std::printf("%s: %s\n", lesson.name.c_str(), lesson.title.c_str());
    if (!lesson.deck.empty()) std::printf("    deck: %s\n", lesson.deck.c_str());
    for (size_t i = 0; i < lesson.steps.size(); ++i) {
      const auto& s = lesson.steps[i];
      std::printf("    %zu. %-44s [%s%s] %s\n", i + 1, s.title.c_str(), s.experiment.c_str(),
                  s.variants.empty() ? "" : (", " + std::to_string(s.variants.size()) + " side by side").c_str(),
                  s.has_until ? s.until.describe().c_str() : "");
    }
  }
  return 0;
}

}  // namespace dynalab::cli
