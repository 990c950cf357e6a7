// dynalab-cli lessons [--check]: list every lesson with its steps, or validate them all.
// dynalab-cli lesson NAME --step K --out DIR: run one step to its condition, write its outputs.

#include <cstdio>

#include "app/cli/cli.h"
#include "core/experiment.h"
#include "core/lesson.h"
#include "core/lesson_step_run.h"
#include "envs/registry.h"

namespace dynalab::cli {

namespace {

void lessons(bool check) {
  const auto files = lesson_files();
  if (files.empty()) throw InputError((assets_dir() / "lessons").string() + ": no lesson files");
  for (const auto& f : files) {
    const Lesson lesson = load_lesson(f);  // a broken file stops here, named, exit 2
    if (check) {
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
}

struct LessonArgs {
  std::vector<std::string> positional;
  long long step = 1, max_ticks = 0;
  std::string out;
  const CLI::App* cmd = nullptr;
};

void lesson(const LessonArgs& a) {
  if (a.positional.size() != 1)
    throw InputError("lesson: expected one lesson NAME (see dynalab-cli lessons) or a .json file");
  if (!a.cmd->count("--step")) throw InputError("lesson: expected --step K (1 for the first step)");
  if (!a.cmd->count("--out")) throw InputError("lesson: expected --out DIR for the outputs");
  const std::string name = a.positional[0];
  const Lesson lesson = std::filesystem::path(name).extension() == ".json"
                            ? load_lesson(name)
                            : load_lesson_named(name);
  const int k = int(a.step);
  const LessonStep& step = lesson_step(lesson, k);
  const long long cap = a.cmd->count("--max-ticks") ? a.max_ticks : step.until.max_ticks;
  const std::filesystem::path out = a.out;
  for (const VariantRun& r : run_lesson_step(lesson, k, out, cap, env_registry())) {
    const std::string who = lesson.name + " step " + std::to_string(k) +
                            (r.label.empty() ? "" : " [" + r.label + "]");
    const std::string what = r.capped ? "tick cap " + std::to_string(cap) + " hit (" +
                                            step.until.describe() + " did not hold)"
                                      : "'" + r.met + "' held";
    std::printf("%s: %s at tick %lld, episode %d (run %d, %lld real steps); outputs in %s\n",
                who.c_str(), what.c_str(), (long long)r.at.tick, r.at.episode, r.at.run,
                (long long)r.at.total_steps, (out / r.folder).string().c_str());
  }
}

}  // namespace

void add_lessons_command(CLI::App& app) {
  auto check = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand("lessons", "list the lessons and their steps, or validate every lesson file");
  cmd->add_flag("--check", *check, "validate every lesson file (each step's experiment builds)");
  cmd->callback([check] { lessons(*check); });
}

void add_lesson_command(CLI::App& app) {
  auto a = std::make_shared<LessonArgs>();
  CLI::App* cmd = app.add_subcommand(
      "lesson", "run a lesson step (each variant) until its condition; outputs to DIR/<variant>");
  a->cmd = cmd;
  cmd->add_option("NAME", a->positional, "a lesson (file stem, see `lessons`) or a lesson .json file");
  cmd->add_option("--step", a->step, "the step, 1 for the first")->type_name("K")->check(cmdline::integer_in(1, 1000000));
  cmd->add_option("--out", a->out, "write each variant's outputs under here")->type_name("DIR");
  cmd->add_option("--max-ticks", a->max_ticks, "tick cap (default: the step's own)")
      ->type_name("N")
      ->check(cmdline::integer_in(1, 1000000000));
  cmd->callback([a] { lesson(*a); });
}

}  // namespace dynalab::cli
